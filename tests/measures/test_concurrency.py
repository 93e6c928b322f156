"""Two people acting at the same moment: real threads, each with its own database connection.

The threaded tests use `transaction=True`: every thread must see what the others commit. Such a
test empties the database when it ends (pytest-django runs these after all the other database
tests), and none of them needs the ITA frameworks that tests/conftest.py loads once.

SQLite: the test database normally lives in memory with a shared cache, where a second writer
fails at once with "database table is locked" instead of waiting for the first one as it does on
a database file. The `shared_database` fixture copies the test database into a file (with the
project's own options: WAL and IMMEDIATE transactions) for the length of the test, so SQLite
serialises the writers the way it does in production. PostgreSQL needs nothing: its row locks
(select_for_update) do the work.
"""

import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.urls import reverse

from measures import services, workflow
from measures.models import (
    Decision,
    DocumentStatus,
    Measure,
    MeasuresDocument,
    MeasureStep,
    Membership,
    Memo,
    ProgressReport,
    Submission,
)
from measures.services import ConcurrentEditError, MeasureData, ServiceError
from tests.factories import MembershipFactory, UserFactory

Role = Membership.Role
threaded = pytest.mark.django_db(transaction=True)
CONCURRENT_EDIT = "ถูกแก้ไขโดยผู้อื่น"


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """One database that all threads share and that makes a second writer wait (see the module doc)."""
    if connection.vendor != "sqlite":
        yield
        return
    memory = connections[DEFAULT_DB_ALIAS]
    memory.ensure_connection()
    path = tmp_path / "threads.sqlite3"
    with closing(sqlite3.connect(path)) as on_disk:
        memory.connection.backup(on_disk)
    connections.settings[DEFAULT_DB_ALIAS] = {**memory.settings_dict, "NAME": str(path)}
    connections[DEFAULT_DB_ALIAS] = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS].close()
        connections.settings[DEFAULT_DB_ALIAS] = memory.settings_dict
        connections[DEFAULT_DB_ALIAS] = memory


@dataclass
class Outcome:
    value: object = None
    error: Exception | None = None


def race(*calls) -> list[Outcome]:
    """Run each call in its own thread and return what each returned or raised, in order.

    A call gets `ready`: it reads what it needs (as a form would), then calls `ready()`, which lets
    all the threads go on at the same moment.
    """
    barrier = threading.Barrier(len(calls), timeout=30)
    outcomes = [Outcome() for _ in calls]

    def run(index, call):
        try:
            outcomes[index].value = call(barrier.wait)
        except Exception as error:  # noqa: BLE001 - the test looks at what was raised
            outcomes[index].error = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (a deadlock?)"
    return outcomes


def winner_and_loser(outcomes: list[Outcome]) -> tuple[int, Outcome]:
    """Exactly one call succeeded; the other was refused with a Thai ServiceError, not a database error."""
    succeeded = [n for n, outcome in enumerate(outcomes) if outcome.error is None]
    assert len(succeeded) == 1, [outcome.error for outcome in outcomes]
    [loser] = [outcome for outcome in outcomes if outcome.error is not None]
    assert isinstance(loser.error, ServiceError), repr(loser.error)
    return succeeded[0], loser


def executive(organisation, username):
    user = UserFactory(username=username, email=f"{username}@test-town.go.th")
    MembershipFactory(user=user, organisation=organisation, role=Role.APPROVER)
    return user


def row(title, *approvers):
    return {"title": title, "acting_for": "", "approvers": list(approvers)}


@pytest.fixture
def heads(shared_database, organisation, approver):
    """Two approvers share the first position; the deputy (ปลัด) and the mayor follow."""
    approver.email = "approver@test-town.go.th"
    approver.save(update_fields=["email"])
    return {
        "first": [approver, executive(organisation, "deputy-head")],
        "deputy": executive(organisation, "deputy"),
        "mayor": executive(organisation, "mayor"),
    }


@pytest.fixture
def chain(organisation, org_admin, heads):
    return workflow.chain_save(
        organisation=organisation,
        by=org_admin,
        rows=[
            row("หัวหน้าสำนักปลัด", *heads["first"]),
            row("ปลัดเทศบาล", heads["deputy"]),
            row("นายกเทศมนตรี", heads["mayor"]),
        ],
    )


@pytest.fixture
def measure(shared_database, document, theme, officer, finance):
    return services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(
            title="เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง",
            number=1,
            theme=theme,
            units=[finance],
            steps=["จัดทำประกาศ", "เผยแพร่บนเว็บไซต์"],
        ),
    )


@pytest.fixture
def submission(chain, measure, document, officer):
    return workflow.submit(target=document, by=officer)


def deciding(submission, user, approve, comment=""):
    def call(ready):
        opened = Submission.objects.get(pk=submission.pk)  # the review page was opened …
        ready()  # … and both press their button at once
        return workflow.decide(submission=opened, by=user, approve=approve, comment=comment)

    return call


def saving(measure_pk, user, data):
    def call(ready):
        opened = Measure.objects.select_related("document", "theme").get(pk=measure_pk)  # the edit form …
        revision = opened.revision
        ready()
        return services.measure_update(measure=opened, by=user, revision=revision, data=data)

    return call


def submitting(document, user):
    def call(ready):
        opened = type(document).objects.get(pk=document.pk)
        ready()
        return workflow.submit(target=opened, by=user)

    return call


# --- Two approvers decide the same step --------------------------------------------------


@threaded
@pytest.mark.parametrize("second_returns", [False, True], ids=["both-approve", "one-approves-one-returns"])
def test_two_approvers_deciding_the_same_step_at_once_leave_exactly_one_decision(
    second_returns, submission, heads, document, mailoutbox
):
    first, second = heads["first"]
    mailoutbox.clear()  # the mails of the submission itself
    outcomes = race(
        deciding(submission, first, approve=True),
        deciding(submission, second, approve=not second_returns, comment="แก้ไขเป้าหมาย"),
    )

    winner, loser = winner_and_loser(outcomes)
    [decision] = Decision.objects.filter(submission=submission)
    assert (decision.step, decision.user) == (0, [first, second][winner])
    submission.refresh_from_db()
    document.refresh_from_db()
    if decision.outcome == Decision.Outcome.APPROVE:
        assert (submission.status, submission.current_step, document.status) == ("pending", 1, "submitted")
        assert [m.to for m in mailoutbox] == [["deputy@test-town.go.th"]]  # the next step is told once
    else:
        assert (submission.status, submission.current_step, document.status) == ("returned", 0, "draft")
    assert loser.error.message in {"คุณไม่ใช่ผู้พิจารณาในขั้นนี้", "เอกสารนี้ได้รับการพิจารณาไปแล้ว", "ขั้นนี้มีผู้พิจารณาไปแล้ว กรุณาเปิดหน้าใหม่"}


@threaded
def test_two_approvers_of_the_last_step_approving_at_once_approve_the_document_once(
    organisation, org_admin, heads, measure, document, officer, mailoutbox
):
    officer.email = "officer@test-town.go.th"
    officer.save(update_fields=["email"])
    workflow.chain_save(organisation=organisation, by=org_admin, rows=[row("นายกเทศมนตรี", *heads["first"])])
    submission = workflow.submit(target=document, by=officer)
    mailoutbox.clear()

    winner_and_loser(race(*(deciding(submission, head, approve=True) for head in heads["first"])))

    assert Decision.objects.filter(submission=submission).count() == 1
    submission.refresh_from_db()
    document.refresh_from_db()
    assert (submission.status, document.status) == ("approved", DocumentStatus.APPROVED)
    assert [m.to for m in mailoutbox] == [["officer@test-town.go.th"]]  # one "approved" mail, not two


# --- Two officers save the same measure --------------------------------------------------


@threaded
def test_two_officers_saving_the_same_measure_at_once_keep_only_the_first_save(
    measure, theme, finance, works, organisation, officer
):
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, organisation=organisation, role=Role.OFFICER)
    edits = [
        MeasureData(
            title="ฉบับของเจ้าหน้าที่",
            number=1,
            theme=theme,
            units=[finance],
            owner="นิติกร",
            steps=["แต่งตั้งคณะทำงาน", "จัดทำร่างประกาศ"],
        ),
        MeasureData(
            title="ฉบับของเพื่อนร่วมงาน", number=1, theme=theme, units=[works], owner="หัวหน้าสำนักปลัด", steps=["ประชุมชี้แจง"]
        ),
    ]
    outcomes = race(saving(measure.pk, officer, edits[0]), saving(measure.pk, colleague, edits[1]))

    winner, loser = winner_and_loser(outcomes)
    assert isinstance(loser.error, ConcurrentEditError)
    assert CONCURRENT_EDIT in loser.error.message
    kept, lost = edits[winner], edits[1 - winner]
    stored = Measure.objects.get(pk=measure.pk)
    assert (stored.title, stored.owner, stored.revision) == (kept.title, kept.owner, 2)
    assert list(stored.units.all()) == list(kept.units)
    assert list(stored.steps.values_list("text", flat=True)) == kept.steps
    assert not MeasureStep.objects.filter(text__in=lost.steps).exists()
    assert not stored.history.filter(title=lost.title).exists()  # not even for a moment


# --- A submission racing an edit ---------------------------------------------------------


@threaded
def test_an_edit_racing_the_submission_is_either_in_the_snapshot_or_refused(
    chain, measure, theme, finance, document, officer
):
    edit = MeasureData(
        title="เผยแพร่ข้อมูลฉบับแก้ไขระหว่างเสนอ",
        number=1,
        theme=theme,
        units=[finance],
        steps=["จัดทำประกาศ", "เผยแพร่บนเว็บไซต์", "รายงานผู้บริหาร"],
    )
    submitted, edited = race(submitting(document, officer), saving(measure.pk, officer, edit))

    assert submitted.error is None, repr(submitted.error)
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED
    stored = Measure.objects.get(pk=measure.pk)
    [snapshot] = Submission.objects.get(document=document).snapshot["measures"]
    if edited.error is None:  # the edit came first, and the submission carries it
        assert (stored.title, snapshot["title"]) == (edit.title, edit.title)
        assert snapshot["steps"] == edit.steps
    else:  # the submission came first, and the edit was refused
        assert isinstance(edited.error, ServiceError) and not isinstance(edited.error, ConcurrentEditError)
        assert "ระหว่างการพิจารณา" in edited.error.message
        assert (stored.title, snapshot["title"]) == ("เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง", "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง")
    # Whatever the order: what the document holds is exactly what the approvers are asked to approve.
    assert (snapshot["title"], snapshot["steps"]) == (stored.title, list(stored.steps.values_list("text", flat=True)))


@threaded
def test_a_measure_added_while_the_document_is_submitted_is_either_in_the_snapshot_or_refused(
    chain, measure, theme, finance, document, officer
):
    def adding(ready):
        opened = type(document).objects.get(pk=document.pk)
        ready()
        return services.measure_create(
            document=opened,
            by=officer,
            data=MeasureData(title="อบรมเจ้าหน้าที่เรื่องผลประโยชน์ทับซ้อน", number=2, theme=theme, units=[finance]),
        )

    submitted, added = race(submitting(document, officer), adding)

    assert submitted.error is None, repr(submitted.error)
    assert added.error is None or isinstance(added.error, ServiceError), repr(added.error)
    snapshot = Submission.objects.get(document=document).snapshot
    assert [m["title"] for m in snapshot["measures"]] == list(
        Measure.objects.filter(document=document).in_print_order().values_list("title", flat=True)
    )
    assert len(snapshot["measures"]) == (2 if added.error is None else 1)


# --- The edit form after someone else saved ----------------------------------------------


@pytest.mark.django_db
def test_a_stale_measure_form_comes_back_with_the_warning_and_what_the_officer_typed(
    client, theme, finance, works, officer
):
    measure = services.measure_create(
        document=theme.document,
        by=officer,
        data=MeasureData(title="เดิม", number=1, theme=theme, units=[finance], steps=["ขั้นตอนเดิม"]),
    )
    services.measure_update(
        measure=measure,
        by=officer,
        revision=1,
        data=MeasureData(title="แก้โดยผู้อื่น", number=1, theme=theme, units=[finance], steps=["ขั้นตอนของผู้อื่น"]),
    )
    typed = {
        "revision": "1",
        "theme": theme.pk,
        "number": "1",
        "title": "มาตรการที่ฉันพิมพ์ไว้",
        "steps": "ประชุมคณะทำงาน\nจัดทำคู่มือการปฏิบัติงาน",
        "units": [works.pk],
        "owner": "นิติกรชำนาญการ",
        "period_end": "31/03/2566",
    }
    client.force_login(officer)
    response = client.post(reverse("measures:measure_edit", args=["test-town", 2566, measure.pk]), typed)

    assert response.status_code == 200
    form = response.context["form"]
    assert any(CONCURRENT_EDIT in error for error in form.non_field_errors())
    assert CONCURRENT_EDIT in response.text
    assert (form["title"].value(), form["owner"].value()) == ("มาตรการที่ฉันพิมพ์ไว้", "นิติกรชำนาญการ")
    assert form["steps"].value() == "ประชุมคณะทำงาน\nจัดทำคู่มือการปฏิบัติงาน"
    assert form["units"].value() == [str(works.pk)]
    assert "มาตรการที่ฉันพิมพ์ไว้</textarea>" in response.text
    assert "ประชุมคณะทำงาน\nจัดทำคู่มือการปฏิบัติงาน</textarea>" in response.text
    assert 'value="นิติกรชำนาญการ"' in response.text
    assert 'value="31/03/2566"' in response.text
    stored = Measure.objects.get(pk=measure.pk)  # nothing of the stale form was written
    assert (stored.title, stored.revision) == ("แก้โดยผู้อื่น", 2)
    assert list(stored.steps.values_list("text", flat=True)) == ["ขั้นตอนของผู้อื่น"]


# --- Creating what exists once: the memo, a round, the document of a year ----------------


def opening_the_memo(document, user):
    def call(ready):
        opened = type(document).objects.get(pk=document.pk)
        ready()
        return workflow.memo_for(opened, by=user)

    return call


@threaded
def test_two_people_opening_the_memo_of_a_document_for_the_first_time_at_once_both_get_it(
    shared_database, document, officer
):
    outcomes = race(opening_the_memo(document, officer), opening_the_memo(document, officer))
    assert [o.error for o in outcomes] == [None, None], [repr(o.error) for o in outcomes]
    assert Memo.objects.filter(document=document).count() == 1


@threaded
def test_opening_the_memo_page_while_the_document_is_submitted_never_breaks_the_submission(
    chain, measure, document, officer
):
    submitted, opened = race(submitting(document, officer), opening_the_memo(document, officer))
    assert (submitted.error, opened.error) == (None, None), (
        f"submit: {submitted.error!r:.120}",
        f"memo page: {opened.error!r:.120}",
    )


@threaded
def test_two_officers_starting_the_same_round_at_once_get_one_round_and_a_thai_refusal(
    shared_database, document, officer
):
    def starting(ready):
        opened = type(document).objects.get(pk=document.pk)
        ready()
        return services.report_start(document=opened, round_months=6, by=officer)

    outcomes = race(starting, starting)
    errors = [o.error for o in outcomes if o.error is not None]
    assert ProgressReport.objects.filter(document=document, round=6).count() == 1
    assert len(errors) == 1 and isinstance(errors[0], ServiceError), repr(errors)


@threaded
def test_two_officers_creating_the_document_of_a_year_at_once_get_one_document_and_a_thai_refusal(
    shared_database, organisation, officer
):
    def creating(ready):
        ready()
        return services.document_create(organisation=organisation, fiscal_year=2567, by=officer)

    outcomes = race(creating, creating)
    errors = [o.error for o in outcomes if o.error is not None]
    assert MeasuresDocument.objects.filter(organisation=organisation, fiscal_year=2567).count() == 1
    assert len(errors) == 1 and isinstance(errors[0], ServiceError), repr(errors)
