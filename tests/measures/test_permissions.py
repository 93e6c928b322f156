"""Who may open what: every URL of measures/urls.py × every persona, plus the writes that matter."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from measures import sections, services, urls, workflow
from measures.models import Framework, Membership, ProgressEntry
from measures.services import MeasureData
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

READ, EDIT, ACTION, MANAGE = "read", "edit", "action", "manage"  # ACTION = POST-only view
MANAGE_ACTION = "manage-action"  # a POST-only view of the organisation's administrator
PLATFORM = "platform"  # the platform administrator's pages (none of these personas)
# A delete or a submission: GET shows its confirmation (or check) page, only a POST with confirmed=1 acts.
CONFIRM = "confirm"

# Every target of the matrix: URL name (":works" = on the works unit's measure) → kind.
TARGETS = {
    "dashboard": READ,
    "organisation": READ,
    "assessment_new": EDIT,
    "assessment_detail": READ,
    "assessment_edit": EDIT,
    "document_new": EDIT,
    "document_detail": READ,
    "document_edit": EDIT,
    "document_copy": EDIT,
    "document_export": READ,
    "document_import": EDIT,
    "document_import_template": EDIT,
    "document_word_import": EDIT,
    "document_word_preview": EDIT,  # a token this session does not hold: the form again
    "suggestions": READ,
    "suggestion_copy": ACTION,
    "finding_new": EDIT,
    "finding_edit": EDIT,
    "finding_delete": CONFIRM,
    "limitation_new": EDIT,
    "limitation_edit": EDIT,
    "limitation_delete": CONFIRM,
    "theme_new": EDIT,
    "theme_edit": EDIT,
    "theme_delete": CONFIRM,
    "measure_list": READ,
    "measure_new": EDIT,
    "measure_detail": READ,
    "measure_detail:works": READ,
    "measure_edit": EDIT,
    "measure_edit:works": EDIT,
    "measure_delete": CONFIRM,
    "measure_history": READ,
    "measure_history:works": READ,
    "round_detail": READ,
    "round_start": ACTION,
    "round_edit": EDIT,
    "round_export": READ,
    "round_grid": EDIT,  # PROGRESS: the contributor too (CONTRIBUTOR), never an approver
    "round_import": EDIT,
    "round_word_import": EDIT,
    "round_word_preview": EDIT,
    "document_trash": EDIT,
    "trash_restore": ACTION,
    "entry_edit": READ,
    "entry_edit:works": READ,
    "evidence_add": ACTION,
    "evidence_download": READ,
    "evidence_delete": CONFIRM,
    "inbox": READ,
    "oversight": READ,
    "oversight_remind": READ,  # its confirmation page; the oversight role only
    "oversight_remind_all": READ,
    "chain_edit": MANAGE,
    "review": READ,
    "decide": ACTION,
    "memo": READ,
    "document_submit": CONFIRM,
    "document_reopen": ACTION,
    "document_memo": EDIT,
    "document_editions": READ,
    "round_submit": CONFIRM,
    "round_reopen": ACTION,
    "round_memo": EDIT,
    "round_editions": READ,
    "profile": READ,
    "organisation_settings": MANAGE,
    "organisation_address": MANAGE,
    "people": MANAGE,
    "person_edit": MANAGE,
    "person_deactivate": MANAGE,
    "person_reactivate": MANAGE,
    "person_reinvite": MANAGE_ACTION,
    "units": MANAGE,
    "unit_edit": MANAGE,
    "unit_move": MANAGE_ACTION,
    "unit_deactivate": MANAGE,
    "unit_reactivate": MANAGE,
    "platform_organisations": PLATFORM,
    "platform_organisation_new": PLATFORM,
    "platform_organisation_import": PLATFORM,
    "platform_organisation_import_template": PLATFORM,
    "platform_administrator_invite": PLATFORM,
}

# The contributor (finance unit) holds only the PROGRESS right.
CONTRIBUTOR = {
    "dashboard": 200,
    "organisation": 200,
    "assessment_detail": 403,
    "document_detail": 200,
    "measure_list": 200,  # her unit's measures only
    "measure_detail": 200,
    "measure_detail:works": 404,
    "measure_edit:works": 404,
    "measure_history": 200,
    "measure_history:works": 404,
    "round_detail": 200,
    "round_grid": 200,  # her unit's rows only
    "round_import": 200,  # her unit's rows only
    "round_word_import": 200,
    "round_word_preview": 200,
    "entry_edit": 200,
    "entry_edit:works": 404,
    "evidence_add": 302,  # progress action on a finance measure: allowed (empty form → back to the entry)
    "evidence_download": 200,
    "evidence_delete": 200,  # the confirmation page, as the delete itself is allowed
    "inbox": 200,
}

PERSONAS = ["anonymous", "outsider", "officer", "org_admin", "approver", "oversight", "contributor"]


# Oversight sees states (its dashboard, and the organisation page's list), never a document's
# content in any state before publication (that is on the public site), and changes nothing.
OVERSIGHT = {"organisation": 200, "oversight": 200}


def expected_status(persona: str, target: str) -> int | str:
    kind = TARGETS[target]
    if persona == "anonymous":
        return "login"
    if target in ("dashboard", "inbox", "profile"):
        return 200
    if kind == PLATFORM:
        return 403
    if target == "oversight":
        return 200 if persona == "oversight" else 403
    if target in ("oversight_remind", "oversight_remind_all"):  # nothing due in this world: back, with a message
        return 302 if persona == "oversight" else 403
    if persona == "outsider":
        return 404
    if kind == MANAGE:
        return 200 if persona == "org_admin" else 403
    if kind == MANAGE_ACTION:
        return 405 if persona == "org_admin" else 403
    if persona in ("officer", "org_admin"):
        return 405 if kind == ACTION else 200  # a CONFIRM view shows its confirmation page
    if persona == "approver":
        return 200 if kind == READ else 403
    if persona == "oversight":
        return OVERSIGHT.get(target, 403)
    return CONTRIBUTOR.get(target, 403)


def method_for(persona: str, target: str) -> str:
    """Editors GET a POST-only view (→ 405); everybody else POSTs it."""
    if TARGETS[target] == ACTION and persona not in ("anonymous", "officer", "org_admin"):
        return "post"
    if TARGETS[target] == MANAGE_ACTION and persona not in ("anonymous", "org_admin"):
        return "post"
    return "get"


@pytest.fixture
def world(organisation, finance, works, officer):
    """A 2566 document of test-town with a theme, a finding, two measures, a 6-month round, evidence."""
    document = services.document_create(organisation=organisation, fiscal_year=2566, by=officer)
    theme = services.theme_save(document=document, by=officer, number=1, title="ด้านการเปิดเผยข้อมูล")
    finding = services.finding_save(document=document, by=officer, kind="improve", text="ผลการวิเคราะห์ทดสอบ")
    iit = sections.tools_for_limitations(document).get(code="IIT")
    limitation = sections.limitation_save(document=document, by=officer, tool=iit, text="ข้อจำกัดของ IIT ทดสอบ")
    finance_measure = services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(title="เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี", number=1, theme=theme, units=[finance]),
    )
    works_measure = services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(title="ซ่อมแซมถนนสาธารณะในเขตเทศบาล", number=2, theme=theme, units=[works]),
    )
    report = services.report_start(document=document, round_months=6, by=officer)
    entry = report.entries.get(measure=finance_measure)
    evidence = services.evidence_add(
        entry=entry,
        by=officer,
        title="ภาพกิจกรรม",
        url="https://example.org/evidence",
        file=SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 test"),
    )
    # The 12-month report waits at the first step of a one-step chain whose approver is "chief".
    chief = UserFactory(username="chief")
    MembershipFactory(user=chief, organisation=organisation, role="approver")
    workflow.chain_save(
        organisation=organisation, by=officer, rows=[{"title": "ปลัดเทศบาล", "acting_for": "", "approvers": [chief]}]
    )
    final_report = services.report_start(document=document, round_months=12, by=officer)
    submission = workflow.submit(target=final_report, by=officer)
    framework = Framework.objects.get(year=2565)
    services.assessment_save(
        organisation=organisation,
        framework=framework,
        by=officer,
        indicator_scores={i: Decimal("90") for i in framework.indicators.all()},
    )
    return {
        "document": document,
        "theme": theme,
        "finding": finding,
        "limitation": limitation,
        "finance": finance_measure,
        "works": works_measure,
        "report": report,
        "entry": entry,
        "evidence": evidence,
        "submission": submission,
        "membership": Membership.objects.get(user=chief, organisation=organisation),
        "unit": finance,
    }


PERSON_PAGES = ("person_edit", "person_deactivate", "person_reactivate", "person_reinvite")
UNIT_PAGES = ("unit_edit", "unit_move", "unit_deactivate", "unit_reactivate")
PLATFORM_PAGES = [name for name, kind in TARGETS.items() if kind == PLATFORM]


def url_for(target: str, world) -> str:
    name, _, variant = target.partition(":")
    measure = world[variant or "finance"]
    org, doc = {"org": "test-town"}, {"org": "test-town", "year": 2566}
    kwargs = {
        "dashboard": {},
        "organisation": org,
        "assessment_new": org,
        "assessment_detail": org | {"year": 2565},
        "assessment_edit": org | {"year": 2565},
        "document_new": org,
        "finding_edit": doc | {"pk": world["finding"].pk},
        "finding_delete": doc | {"pk": world["finding"].pk},
        "limitation_edit": doc | {"pk": world["limitation"].pk},
        "limitation_delete": doc | {"pk": world["limitation"].pk},
        "theme_edit": doc | {"pk": world["theme"].pk},
        "theme_delete": doc | {"pk": world["theme"].pk},
        "measure_detail": doc | {"pk": measure.pk},
        "measure_edit": doc | {"pk": measure.pk},
        "measure_delete": doc | {"pk": measure.pk},
        "measure_history": doc | {"pk": measure.pk},
        "round_detail": doc | {"round_months": 6},
        "round_start": doc | {"round_months": 12},
        "round_edit": doc | {"round_months": 6},
        "round_export": doc | {"round_months": 6, "fmt": "csv"},
        "round_grid": doc | {"round_months": 6},
        "round_import": doc | {"round_months": 6},
        "round_word_import": doc | {"round_months": 6},
        "round_word_preview": doc | {"round_months": 6, "token": "not-held"},
        "document_word_preview": doc | {"token": "not-held"},
        "suggestions": org | {"year": 2565},
        "suggestion_copy": org | {"year": 2565},
        "oversight_remind": org,
        "oversight_remind_all": {},
        "document_trash": doc,
        # An object that exists is no trash: whoever may restore gets 405 for GET, the others are refused first.
        "trash_restore": doc | {"kind": "finding", "history_id": world["finding"].history.earliest().history_id},
        "document_export": doc | {"fmt": "xlsx"},
        "entry_edit": doc | {"round_months": 6, "measure": measure.pk},
        "evidence_add": doc | {"round_months": 6, "measure": measure.pk},
        "evidence_download": org | {"pk": world["evidence"].pk},
        "evidence_delete": org | {"pk": world["evidence"].pk},
        "inbox": {},
        "oversight": {},
        "chain_edit": org,
        "review": org | {"pk": world["submission"].pk},
        "decide": org | {"pk": world["submission"].pk},
        "memo": org | {"pk": world["submission"].pk},
        "round_submit": doc | {"round_months": 6},  # a draft: its check page (the 12-month one is submitted)
        "round_reopen": doc | {"round_months": 12},
        "round_memo": doc | {"round_months": 12},
        "round_editions": doc | {"round_months": 12},
        "profile": {},
        "organisation_settings": org,
        "organisation_address": org,
        "people": org,
        **{name: org | {"pk": world["membership"].pk} for name in PERSON_PAGES},
        "units": org,
        **{name: org | {"pk": world["unit"].pk} for name in UNIT_PAGES},
        **{name: {} for name in PLATFORM_PAGES},
        "platform_administrator_invite": org,
    }.get(name, doc)
    return reverse(f"measures:{name}", kwargs=kwargs)


def answer(client, method: str, url: str) -> int | str:
    """The status of one request; whatever it writes is rolled back so the next request sees the same world."""
    with transaction.atomic():
        response = getattr(client, method)(url)
        if response.streaming:
            # Draining a streamed file lets the test client close it the safe way (it keeps
            # request_finished from closing the test's database connection).
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return "login"
    return response.status_code


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_status_its_role_allows_on_every_url(persona, world, client, request):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    wrong = {}
    for target in TARGETS:
        method, url = method_for(persona, target), url_for(target, world)
        expected, actual = expected_status(persona, target), answer(client, method, url)
        if actual != expected:
            wrong[f"{method.upper()} {url} ({target})"] = f"expected {expected}, got {actual}"
    assert wrong == {}


def test_every_url_name_of_the_measures_app_is_in_the_permission_matrix():
    names = {pattern.name for pattern in urls.urlpatterns}
    covered = {target.partition(":")[0] for target in TARGETS}
    assert names - covered == set()


def test_the_contributor_measures_list_shows_only_the_measures_of_their_unit(world, contributor, client):
    client.force_login(contributor)
    response = client.get(reverse("measures:measure_list", args=["test-town", 2566]))
    assert response.status_code == 200
    assert world["finance"].title in response.text
    assert world["works"].title not in response.text


def test_the_contributor_round_page_lists_only_the_measures_of_their_unit(world, contributor, client):
    client.force_login(contributor)
    response = client.get(reverse("measures:round_detail", args=["test-town", 2566, 6]))
    assert world["finance"].title in response.text
    assert world["works"].title not in response.text


ENTRY_POST = {"status": "in_progress", "percent": "40", "summary": "ประชุมชี้แจงแล้ว"}


def test_a_contributor_can_update_the_entry_of_a_measure_of_their_unit(world, contributor, client):
    client.force_login(contributor)
    response = client.post(reverse("measures:entry_edit", args=["test-town", 2566, 6, world["finance"].pk]), ENTRY_POST)
    assert response.status_code == 302
    entry = ProgressEntry.objects.get(pk=world["entry"].pk)
    assert (entry.status, entry.percent, entry.summary) == ("in_progress", 40, "ประชุมชี้แจงแล้ว")
    assert entry.updated_by == contributor


def test_a_contributor_gets_404_when_updating_the_entry_of_another_unit(world, contributor, client):
    client.force_login(contributor)
    response = client.post(reverse("measures:entry_edit", args=["test-town", 2566, 6, world["works"].pk]), ENTRY_POST)
    assert response.status_code == 404
    entry = ProgressEntry.objects.get(report=world["report"], measure=world["works"])
    assert (entry.status, entry.percent, entry.summary) == ("not_started", 0, "")


def test_an_approver_cannot_update_an_entry_and_nothing_changes(world, approver, client):
    client.force_login(approver)
    response = client.post(reverse("measures:entry_edit", args=["test-town", 2566, 6, world["finance"].pk]), ENTRY_POST)
    assert response.status_code == 403
    entry = ProgressEntry.objects.get(pk=world["entry"].pk)
    assert (entry.status, entry.percent, entry.summary, entry.revision) == ("not_started", 0, "", 1)


def test_an_approver_sees_the_entry_read_only_without_a_form(world, approver, client):
    client.force_login(approver)
    response = client.get(reverse("measures:entry_edit", args=["test-town", 2566, 6, world["finance"].pk]))
    assert response.context["can_edit"] is False
    assert 'name="percent"' not in response.text


def test_downloading_evidence_that_is_only_a_link_answers_404(world, officer, client):
    evidence = services.evidence_add(entry=world["entry"], by=officer, title="ลิงก์", url="https://example.org/x")
    client.force_login(officer)
    response = client.get(reverse("measures:evidence_download", args=["test-town", evidence.pk]))
    assert response.status_code == 404


def test_evidence_is_served_as_an_attachment(world, officer, client):
    client.force_login(officer)
    response = client.get(reverse("measures:evidence_download", args=["test-town", world["evidence"].pk]))
    content = b"".join(response.streaming_content)
    assert response["Content-Disposition"].startswith("attachment")
    assert content == b"%PDF-1.4 test"


@pytest.mark.parametrize("persona", ["approver", "oversight", "contributor"])
def test_a_persona_without_the_edit_right_cannot_delete_a_measure(world, persona, client, request):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("measures:measure_delete", args=["test-town", 2566, world["finance"].pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirmed": "1"}).status_code == 403
    assert world["document"].measures.filter(pk=world["finance"].pk).exists()


@pytest.mark.parametrize("persona", ["approver", "oversight", "contributor", "outsider"])
def test_a_persona_without_the_edit_right_cannot_add_change_or_delete_a_limitation(world, persona, client, request):
    client.force_login(request.getfixturevalue(persona))
    limitation, eit = world["limitation"], sections.tools_for_limitations(world["document"]).get(code="EIT")
    denied = 404 if persona == "outsider" else 403
    doc = ["test-town", 2566]
    posts = {
        reverse("measures:limitation_new", args=doc): {"tool": eit.pk, "text": "ข้อจำกัดของ EIT"},
        reverse("measures:limitation_edit", args=[*doc, limitation.pk]): {"tool": limitation.tool_id, "text": "แก้"},
        reverse("measures:limitation_delete", args=[*doc, limitation.pk]): {"confirmed": "1"},
    }
    for url, data in posts.items():
        assert (client.get(url).status_code, client.post(url, data).status_code) == (denied, denied), url
    limitation.refresh_from_db()
    assert limitation.text == "ข้อจำกัดของ IIT ทดสอบ"
    assert list(world["document"].limitations.all()) == [limitation]


@pytest.mark.parametrize("name", ["evidence_add", "evidence_delete", "evidence_download"])
def test_a_contributor_gets_404_for_the_evidence_of_another_unit(name, world, officer, contributor, client):
    works_entry = world["report"].entries.get(measure=world["works"])
    evidence = services.evidence_add(entry=works_entry, by=officer, title="ภาพถนน", url="https://example.org/road")
    args = {"evidence_add": ["test-town", 2566, 6, world["works"].pk]}.get(name, ["test-town", evidence.pk])
    client.force_login(contributor)
    method = client.get if name == "evidence_download" else client.post
    response = method(
        reverse(f"measures:{name}", args=args), {"title": "x", "url": "https://example.org/y", "confirmed": "1"}
    )
    assert response.status_code == 404
    assert list(works_entry.evidence.values_list("title", flat=True)) == ["ภาพถนน"]


def test_a_contributor_sees_a_measure_assigned_to_every_unit(world, officer, contributor, client):
    shared = services.measure_create(
        document=world["document"],
        by=officer,
        data=MeasureData(title="ประกาศเจตจำนงสุจริตของผู้บริหาร", number=3, theme=world["theme"], all_units=True),
    )
    client.force_login(contributor)
    detail = client.get(reverse("measures:measure_detail", args=["test-town", 2566, shared.pk]))
    listing = client.get(reverse("measures:measure_list", args=["test-town", 2566]))
    assert detail.status_code == 200
    assert shared.title in listing.text


def test_the_contributor_round_summary_counts_only_the_measures_of_their_unit(world, officer, contributor, client):
    works_entry = world["report"].entries.get(measure=world["works"])
    services.entry_update(entry=works_entry, by=officer, revision=None, status="done")
    client.force_login(contributor)
    response = client.get(reverse("measures:round_detail", args=["test-town", 2566, 6]))
    assert (response.context["done"], response.context["total"]) == (0, 1)


def test_a_deactivated_member_is_treated_as_an_outsider(world, officer, client):
    officer.memberships.update(is_active=False)
    client.force_login(officer)
    response = client.get(reverse("measures:document_detail", args=["test-town", 2566]))
    assert response.status_code == 404


def test_the_dashboard_of_an_outsider_does_not_list_other_organisations(world, outsider, client):
    client.force_login(outsider)
    response = client.get(reverse("measures:dashboard"))
    assert "/staff/other-town/" in response.text
    assert "/staff/test-town/" not in response.text
