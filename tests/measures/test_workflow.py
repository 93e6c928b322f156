"""The sign-off services: the chain, submit, decide, return, reopen, the memo and their mails."""

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from measures import services, workflow
from measures.models import (
    ApprovalPosition,
    Decision,
    DocumentStatus,
    Framework,
    Measure,
    Membership,
    Memo,
    Organisation,
    Submission,
)
from measures.services import MeasureData, ServiceError
from tests.chain import TITLES, approve_all, executive, rows
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role


def review_url(submission) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("measures:review", args=["test-town", submission.pk])


# --- The chain ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "titles"),
    [
        (
            Organisation.Kind.MUNICIPALITY_SUBDISTRICT,
            ["หัวหน้าฝ่ายบริหารงานทั่วไป", "หัวหน้าสำนักปลัด", "ปลัดเทศบาล", "รองนายกเทศมนตรี", "นายกเทศมนตรี"],
        ),
        (Organisation.Kind.SUBDISTRICT, ["หัวหน้าสำนักปลัด", "ปลัดองค์การบริหารส่วนตำบล", "นายกองค์การบริหารส่วนตำบล"]),
    ],
)
def test_the_default_chain_follows_the_kind_of_organisation(kind, titles, org_admin):
    organisation = OrganisationFactory(kind=kind)
    workflow.chain_create_default(organisation=organisation, by=org_admin)
    stored = ApprovalPosition.objects.filter(organisation=organisation).order_by("order")
    assert list(stored.values_list("order", "title")) == list(enumerate(titles, start=1))


def test_creating_the_default_chain_keeps_a_chain_already_there(chain, organisation, org_admin):
    workflow.chain_create_default(organisation=organisation, by=org_admin)
    assert list(organisation.approval_positions.values_list("title", flat=True)) == TITLES


def test_saving_the_chain_replaces_it_with_the_rows_in_their_order(chain, organisation, org_admin, heads):
    workflow.chain_save(
        organisation=organisation,
        by=org_admin,
        rows=rows([heads[2]], [heads[0]], titles=[" นายกเทศมนตรี ", "ปลัดเทศบาล"]),
    )
    positions = list(organisation.approval_positions.order_by("order"))
    assert [(p.order, p.title) for p in positions] == [(1, "นายกเทศมนตรี"), (2, "ปลัดเทศบาล")]
    assert [list(p.approvers.all()) for p in positions] == [[heads[2]], [heads[0]]]


@pytest.mark.parametrize("who", ["officer", "outsider", "approver_elsewhere", "former_approver"])
def test_the_chain_refuses_someone_who_is_not_an_approver_of_the_organisation(
    who, chain, organisation, org_admin, heads, officer, outsider
):
    people = {
        "officer": officer,
        "outsider": outsider,
        "approver_elsewhere": executive(OrganisationFactory(), "elsewhere"),
        "former_approver": executive(organisation, "former"),
    }
    Membership.objects.filter(user__username="former").update(is_active=False)
    with pytest.raises(ServiceError):
        workflow.chain_save(organisation=organisation, by=org_admin, rows=rows([heads[0], people[who]]))
    assert list(organisation.approval_positions.values_list("title", flat=True)) == TITLES
    assert list(organisation.approval_positions.get(order=1).approvers.all()) == [heads[0]]


def test_an_empty_chain_is_refused(chain, organisation, org_admin):
    with pytest.raises(ServiceError):
        workflow.chain_save(organisation=organisation, by=org_admin, rows=[])
    assert organisation.approval_positions.count() == 3


# --- Submit ------------------------------------------------------------------------------


def test_a_document_without_measures_cannot_be_submitted(chain, document, officer):
    with pytest.raises(ServiceError) as refused:
        workflow.submit(target=document, by=officer)
    assert "มาตรการ" in refused.value.message
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT
    assert not Submission.objects.exists()


@pytest.mark.parametrize("status", [DocumentStatus.SUBMITTED, DocumentStatus.APPROVED, DocumentStatus.PUBLISHED])
def test_a_document_that_is_not_a_draft_cannot_be_submitted(status, chain, measure, document, officer):
    type(document).objects.filter(pk=document.pk).update(status=status)
    with pytest.raises(ServiceError):
        workflow.submit(target=document, by=officer)
    assert not Submission.objects.exists()


def test_a_document_cannot_be_submitted_twice(submission, document, officer):
    with pytest.raises(ServiceError):
        workflow.submit(target=document, by=officer)
    assert Submission.objects.count() == 1


def test_a_position_without_approvers_stops_the_submission(organisation, org_admin, heads, measure, document, officer):
    workflow.chain_save(organisation=organisation, by=org_admin, rows=rows([heads[0]], [], [heads[2]]))
    with pytest.raises(ServiceError) as refused:
        workflow.submit(target=document, by=officer)
    assert "ปลัดเทศบาล" in refused.value.message
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT
    assert not Submission.objects.exists()


def test_an_organisation_without_a_chain_cannot_submit(measure, document, officer):
    with pytest.raises(ServiceError):
        workflow.submit(target=document, by=officer)
    assert not Submission.objects.exists()


def test_the_submitter_is_left_out_of_the_approvers_of_a_step(
    organisation, org_admin, heads, measure, document, officer
):
    MembershipFactory(user=officer, organisation=organisation, role=Role.APPROVER)
    workflow.chain_save(organisation=organisation, by=org_admin, rows=rows([officer, heads[0]], [heads[1]], [heads[2]]))
    submission = workflow.submit(target=document, by=officer)
    assert submission.steps[0]["approver_ids"] == [heads[0].pk]
    assert not submission.may_decide(officer)


def test_a_submitter_who_is_the_only_approver_of_a_step_cannot_submit(
    organisation, org_admin, heads, measure, document, officer
):
    MembershipFactory(user=officer, organisation=organisation, role=Role.APPROVER)
    workflow.chain_save(organisation=organisation, by=org_admin, rows=rows([officer], [heads[1]], [heads[2]]))
    with pytest.raises(ServiceError):
        workflow.submit(target=document, by=officer)
    assert not Submission.objects.exists()


def test_submitting_marks_the_document_submitted_and_copies_the_chain_and_the_content(submission, document, heads):
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED
    assert (submission.status, submission.current_step, submission.edition) == ("pending", 0, 1)
    assert [(s["title"], s["approver_ids"]) for s in submission.steps] == [
        (title, [head.pk]) for title, head in zip(TITLES, heads, strict=True)
    ]
    assert submission.snapshot["kind"] == "measures"
    assert [(m["number"], m["title"]) for m in submission.snapshot["measures"]] == [("1.1", "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง")]


def test_changing_the_chain_later_does_not_change_a_submission_on_its_way(submission, organisation, org_admin, heads):
    workflow.chain_save(organisation=organisation, by=org_admin, rows=rows([heads[2]], titles=["นายกเทศมนตรี"]))
    submission.refresh_from_db()
    assert [s["title"] for s in submission.steps] == TITLES
    assert submission.may_decide(heads[0])


# --- Decide ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["later_step", "other_approver", "submitter", "org_admin"])
def test_only_an_approver_of_the_current_step_may_decide(who, submission, heads, officer, org_admin, organisation):
    person = {
        "later_step": heads[1],
        "other_approver": executive(organisation, "other-approver"),
        "submitter": officer,
        "org_admin": org_admin,
    }[who]
    with pytest.raises(ServiceError):
        workflow.decide(submission=submission, by=person, approve=True)
    submission.refresh_from_db()
    assert not Decision.objects.exists()
    assert (submission.status, submission.current_step) == ("pending", 0)


@pytest.mark.parametrize("comment", ["", "   \n"])
def test_a_return_without_a_comment_is_refused(comment, submission, heads, document):
    with pytest.raises(ServiceError) as refused:
        workflow.decide(submission=submission, by=heads[0], approve=False, comment=comment)
    assert "ความเห็น" in refused.value.message
    submission.refresh_from_db()
    document.refresh_from_db()
    assert not Decision.objects.exists()
    assert (submission.status, document.status) == ("pending", DocumentStatus.SUBMITTED)


def test_a_return_puts_the_document_back_to_draft_with_the_comment(submission, heads, document):
    workflow.decide(submission=submission, by=heads[0], approve=True)
    workflow.decide(submission=submission, by=heads[1], approve=False, comment="  แก้ไขระยะเวลาดำเนินการ ")
    submission.refresh_from_db()
    document.refresh_from_db()
    assert (submission.status, document.status) == (Submission.Status.RETURNED, DocumentStatus.DRAFT)
    assert submission.closed_at is not None
    decision = submission.decisions.get(step=1)
    assert (decision.outcome, decision.comment, decision.user) == ("return", "แก้ไขระยะเวลาดำเนินการ", heads[1])


def test_a_returned_submission_accepts_no_further_decision(submission, heads):
    workflow.decide(submission=submission, by=heads[0], approve=False, comment="แก้ไข")
    with pytest.raises(ServiceError):
        workflow.decide(submission=submission, by=heads[0], approve=True)
    assert Decision.objects.count() == 1


def test_a_resubmission_starts_again_at_the_first_step(submission, heads, document, officer):
    workflow.decide(submission=submission, by=heads[0], approve=True)
    workflow.decide(submission=submission, by=heads[1], approve=False, comment="แก้ไขเป้าหมาย")
    again = workflow.submit(target=document, by=officer)
    assert again.pk != submission.pk
    assert (again.status, again.current_step) == ("pending", 0)
    assert again.may_decide(heads[0]) and not again.may_decide(heads[1])
    assert not again.decisions.exists()


def test_each_approval_moves_the_submission_to_the_next_step(submission, heads, document):
    for step, head in enumerate(heads[:-1]):
        decision = workflow.decide(submission=submission, by=head, approve=True, comment="")
        submission.refresh_from_db()
        document.refresh_from_db()
        assert (decision.step, decision.position) == (step, TITLES[step])
        assert (submission.current_step, submission.status, document.status) == (step + 1, "pending", "submitted")


def test_the_last_approval_approves_the_document(approved, submission, heads):
    submission.refresh_from_db()
    assert approved.status == DocumentStatus.APPROVED
    assert submission.status == Submission.Status.APPROVED
    assert submission.closed_at is not None
    assert list(submission.decisions.values_list("step", "outcome", "user")) == [
        (n, "approve", head.pk) for n, head in enumerate(heads)
    ]


@pytest.mark.parametrize("change", ["measure_update", "measure_create", "document_update"])
def test_an_approved_document_cannot_be_changed(change, approved, measure, theme, officer):
    calls = {
        "measure_update": lambda: services.measure_update(
            measure=measure,
            by=officer,
            revision=None,
            data=MeasureData(title="แก้ไข", number=1, theme=theme, all_units=True),
        ),
        "measure_create": lambda: services.measure_create(
            document=approved, by=officer, data=MeasureData(title="ใหม่", number=2, theme=theme, all_units=True)
        ),
        "document_update": lambda: services.document_update(
            document=approved, by=officer, revision=None, title="แก้ไข", introduction=""
        ),
    }
    with pytest.raises(ServiceError):
        calls[change]()
    measure.refresh_from_db()
    approved.refresh_from_db()
    assert measure.title == "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง"
    assert approved.measures.count() == 1 and approved.title != "แก้ไข"


def test_a_measure_opened_before_the_submission_cannot_be_saved_after_it(chain, measure, document, theme, officer):
    opened = Measure.objects.select_related("document").get(pk=measure.pk)  # the edit form is open …
    workflow.submit(target=document, by=officer)  # … while the document goes up the chain
    with pytest.raises(ServiceError):
        services.measure_update(
            measure=opened,
            by=officer,
            revision=opened.revision,
            data=MeasureData(title="แก้ไขหลังเสนอ", number=1, theme=theme, all_units=True),
        )
    assert Measure.objects.get(pk=measure.pk).title == "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง"


def test_a_second_decision_for_the_same_step_is_refused_by_the_database(submission, heads):
    decision = workflow.decide(submission=submission, by=heads[0], approve=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            submission=submission,
            step=decision.step,
            position=decision.position,
            user=heads[1],
            name="อีกคน",
            outcome=Decision.Outcome.APPROVE,
            decided_at=timezone.now(),
        )
    assert Decision.objects.filter(submission=submission, step=0).count() == 1


# --- Reopen ------------------------------------------------------------------------------


def test_reopening_an_approved_document_starts_a_new_edition_in_draft(approved, officer):
    reopened = workflow.reopen(target=approved, by=officer)
    reopened.refresh_from_db()
    assert (reopened.edition, reopened.status) == (2, DocumentStatus.DRAFT)


def test_a_reopened_document_can_be_edited_and_needs_a_new_submission(approved, submission, measure, theme, officer):
    workflow.reopen(target=approved, by=officer)
    services.measure_update(
        measure=Measure.objects.get(pk=measure.pk),
        by=officer,
        revision=1,
        data=MeasureData(title="เผยแพร่ข้อมูลฉบับปรับปรุง", number=1, theme=theme, all_units=True),
    )
    again = workflow.submit(target=approved, by=officer)
    assert (again.edition, again.status, again.current_step) == (2, "pending", 0)
    assert again.snapshot["measures"][0]["title"] == "เผยแพร่ข้อมูลฉบับปรับปรุง"
    submission.refresh_from_db()
    assert (submission.edition, submission.status) == (1, "approved")
    assert submission.snapshot["measures"][0]["title"] == "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง"


@pytest.mark.parametrize("status", [DocumentStatus.DRAFT, DocumentStatus.SUBMITTED])
def test_only_an_approved_document_can_be_reopened(status, measure, document, officer):
    type(document).objects.filter(pk=document.pk).update(status=status)
    with pytest.raises(ServiceError):
        workflow.reopen(target=document, by=officer)
    document.refresh_from_db()
    assert (document.edition, document.status) == (1, status)


# --- Progress reports --------------------------------------------------------------------


@pytest.fixture
def report(chain, measure, document, officer):
    return services.report_start(document=document, round_months=6, by=officer)


def test_a_progress_report_goes_through_the_same_chain(report, heads, document, officer):
    submission = workflow.submit(target=report, by=officer)
    assert (submission.report, submission.document, submission.snapshot["kind"]) == (report, None, "report")
    report.refresh_from_db()
    assert report.status == DocumentStatus.SUBMITTED
    approve_all(submission, heads)
    report.refresh_from_db()
    document.refresh_from_db()
    assert (submission.status, report.status) == ("approved", DocumentStatus.APPROVED)
    assert document.status == DocumentStatus.DRAFT


def test_an_approved_progress_report_is_locked(report, heads, officer):
    approve_all(workflow.submit(target=report, by=officer), heads)
    report.refresh_from_db()
    with pytest.raises(ServiceError):
        services.entry_update(entry=report.entries.get(), by=officer, revision=None, status="done")
    assert report.entries.get().status == "not_started"


# --- The memo ----------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "code", "round_text"), [("document", "O42", ""), ("report", "O43", "รอบ ๖ เดือน")])
def test_the_memo_starts_with_the_thai_year_the_oit_item_and_the_top_of_the_chain(
    kind, code, round_text, report, document, officer
):
    defaults = workflow.memo_defaults(document if kind == "document" else report, author=officer)
    assert "พ.ศ. ๒๕๖๖" in defaults["subject"]
    assert "2566" not in defaults["subject"]
    assert round_text in defaults["subject"]
    assert f"ข้อ {code} " in defaults["proposal"]
    assert defaults["to"] == "นายกเทศมนตรี"


@pytest.mark.parametrize(("kind", "field"), [("document", "measures_item_code"), ("report", "report_item_code")])
def test_the_memo_takes_the_oit_item_from_the_framework_of_the_fiscal_year(kind, field, report, document, officer):
    Framework.objects.filter(year=2566).update(**{field: "O99"})
    defaults = workflow.memo_defaults(document if kind == "document" else report, author=officer)
    assert "ข้อ O99 " in defaults["proposal"]


def test_the_memo_is_created_once_with_its_defaults(chain, document, officer):
    first = workflow.memo_for(document, by=officer)
    again = workflow.memo_for(document, by=officer)
    assert first.pk == again.pk
    assert Memo.objects.count() == 1
    assert (first.to, first.revision) == ("นายกเทศมนตรี", 1)


def test_the_memo_of_a_draft_can_be_updated(chain, document, officer):
    memo = workflow.memo_for(document, by=officer)
    workflow.memo_update(memo=memo, by=officer, revision=1, number="ทต 0023/123", to="ปลัดเทศบาล")
    memo.refresh_from_db()
    assert (memo.number, memo.to, memo.revision) == ("ทต 0023/123", "ปลัดเทศบาล", 2)


@pytest.mark.parametrize("status", [DocumentStatus.SUBMITTED, DocumentStatus.APPROVED])
def test_the_memo_cannot_be_changed_once_the_document_is_not_a_draft(status, chain, document, officer):
    workflow.memo_for(document, by=officer)
    type(document).objects.filter(pk=document.pk).update(status=status)
    memo = Memo.objects.get(document=document)
    with pytest.raises(ServiceError):
        workflow.memo_update(memo=memo, by=officer, revision=1, to="ผู้อื่น")
    memo.refresh_from_db()
    assert (memo.to, memo.revision) == ("นายกเทศมนตรี", 1)


def test_a_memo_opened_before_the_submission_cannot_be_saved_after_it(chain, measure, document, officer):
    memo = workflow.memo_for(document, by=officer)  # the memo form is open …
    workflow.submit(target=document, by=officer)  # … while the document goes up the chain
    with pytest.raises(ServiceError):
        workflow.memo_update(memo=memo, by=officer, revision=memo.revision, to="ผู้อื่น")
    assert Memo.objects.get(pk=memo.pk).to == "นายกเทศมนตรี"


def test_submitting_creates_the_memo_of_the_document(submission, document):
    memo = Memo.objects.get(document=document)
    assert memo.subject.startswith("มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน")


# --- Mails -------------------------------------------------------------------------------


def test_submitting_mails_the_approvers_of_the_first_step(
    chain, measure, document, officer, heads, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = workflow.submit(target=document, by=officer)
    assert [m.to for m in mailoutbox] == [[heads[0].email]]
    assert mailoutbox[0].subject.startswith("[ITA] รอการพิจารณาของท่าน")
    assert "ในฐานะ หัวหน้าสำนักปลัด" in mailoutbox[0].body
    assert review_url(submission) in mailoutbox[0].body


def test_an_approval_mails_the_approvers_of_the_next_step(
    submission, heads, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.decide(submission=submission, by=heads[0], approve=True)
    assert [m.to for m in mailoutbox] == [[heads[1].email]]
    assert "ในฐานะ ปลัดเทศบาล" in mailoutbox[0].body
    assert review_url(submission) in mailoutbox[0].body


def test_a_return_mails_the_submitter_with_the_comment(
    submission, heads, officer, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.decide(submission=submission, by=heads[0], approve=False, comment="เพิ่มงบประมาณของมาตรการ")
    assert [m.to for m in mailoutbox] == [[officer.email]]
    assert mailoutbox[0].subject.startswith("[ITA] ส่งกลับให้แก้ไข")
    assert "ความเห็น: เพิ่มงบประมาณของมาตรการ" in mailoutbox[0].body
    assert "(หัวหน้าสำนักปลัด)" in mailoutbox[0].body
    assert review_url(submission) in mailoutbox[0].body


def test_the_last_approval_mails_the_submitter(
    submission, heads, officer, django_capture_on_commit_callbacks, mailoutbox
):
    for head in heads[:-1]:
        workflow.decide(submission=submission, by=head, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.decide(submission=submission, by=heads[-1], approve=True)
    assert [m.to for m in mailoutbox] == [[officer.email]]
    assert mailoutbox[0].subject.startswith("[ITA] อนุมัติแล้ว")
    assert "ได้รับความเห็นชอบครบทุกลำดับแล้ว" in mailoutbox[0].body
    assert review_url(submission) in mailoutbox[0].body


def test_a_refused_decision_sends_no_mail(submission, heads, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ServiceError):
        workflow.decide(submission=submission, by=heads[1], approve=True)
    assert mailoutbox == []


def test_approvers_without_an_email_get_no_mail(
    chain, measure, document, officer, heads, django_capture_on_commit_callbacks, mailoutbox
):
    type(heads[0]).objects.filter(pk=heads[0].pk).update(email="")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(target=document, by=officer)
    assert mailoutbox == []
