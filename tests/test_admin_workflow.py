"""The Django admin is no way round the approval workflow, not even for a superuser.

The status, edition and revision of a document or report are only shown; what belongs to a
document or report that is not a draft is shown read-only and cannot be deleted, nor can
anything be added to it; the sign-off record and the publications are read-only.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from measures import services, workflow
from measures.admin import DRAFT_PATHS, NOT_A_DRAFT, DraftOnlyAdmin, DraftOnlyInline
from measures.models import (
    DocumentStatus,
    Measure,
    MeasuresDocument,
    MeasureStep,
    Memo,
    ProgressEntry,
    ProgressReport,
    Theme,
)
from measures.services import MeasureData
from reports.models import Publication
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db, client):
    """The platform administrator, logged in."""
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def step(measure):
    return MeasureStep.objects.create(measure=measure, order=1, text="ประกาศผลการจัดซื้อจัดจ้างทุกเดือน")


@pytest.fixture
def report(chain, measure, document, officer):
    return services.report_start(document=document, round_months=6, by=officer)


@pytest.fixture
def submitted_report(report, officer):
    workflow.submit(target=report, by=officer)
    report.refresh_from_db()
    return report


@pytest.fixture
def draft_2567(organisation, officer):
    """Another document of the organisation, still a draft, with one measure."""
    document = services.document_create(organisation=organisation, fiscal_year=2567, by=officer)
    data = MeasureData(title="มาตรการปี 2567", number=1, all_units=True)
    services.measure_create(document=document, by=officer, data=data)
    return document


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def delete_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])


def posted_back(response) -> dict:
    """The values of an admin form and its inlines, as the browser would send them back."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(value, list | tuple):
                data[field.html_name] = [str(getattr(v, "pk", v)) for v in value]
            elif value is not None:
                data[field.html_name] = str(value)
    return data


# --- The workflow state is only shown ----------------------------------------------------------


@pytest.mark.parametrize("model", [MeasuresDocument, ProgressReport])
def test_status_edition_and_revision_are_read_only_for_a_superuser(model, root):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = root
    assert {"status", "edition", "revision_shown"} <= set(model_admin.get_readonly_fields(request))
    assert not {"status", "edition", "revision"} & set(model_admin.get_form(request).base_fields)


def test_posting_another_status_leaves_the_draft_a_draft(client, root, document):
    data = posted_back(client.get(change_url(document)))
    data |= {"title": "ชื่อที่แก้ในหน้าผู้ดูแลระบบ", "status": DocumentStatus.PUBLISHED, "edition": "7"}
    assert client.post(change_url(document), data).status_code == 302
    document.refresh_from_db()
    assert document.title == "ชื่อที่แก้ในหน้าผู้ดูแลระบบ"  # the form was saved …
    assert (document.status, document.edition) == (DocumentStatus.DRAFT, 1)  # … but not the state


def test_posting_another_status_leaves_the_draft_report_a_draft(client, root, report):
    data = posted_back(client.get(change_url(report)))
    data |= {"introduction": "บทนำใหม่", "status": DocumentStatus.APPROVED}
    assert client.post(change_url(report), data).status_code == 302
    report.refresh_from_db()
    assert (report.introduction, report.status) == ("บทนำใหม่", DocumentStatus.DRAFT)


# --- What belongs to a document that is not a draft --------------------------------------------


def test_a_measure_of_a_draft_document_can_still_be_changed_in_the_admin(client, root, measure):
    data = posted_back(client.get(change_url(measure))) | {"title": "แก้ในหน้าผู้ดูแลระบบ"}
    assert client.post(change_url(measure), data).status_code == 302
    measure.refresh_from_db()
    assert measure.title == "แก้ในหน้าผู้ดูแลระบบ"


def test_a_measure_of_an_approved_document_cannot_be_changed_in_the_admin(client, root, measure, request):
    data = posted_back(client.get(change_url(measure))) | {"title": "แก้ในหน้าผู้ดูแลระบบ"}  # opened as a draft
    request.getfixturevalue("approved")
    assert client.post(change_url(measure), data).status_code == 403
    measure.refresh_from_db()
    assert measure.title == "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง"


def test_the_change_form_of_an_approved_documents_measure_only_shows_it(client, root, measure, approved):
    page = client.get(change_url(measure))
    assert page.status_code == 200 and measure.title in page.text
    assert 'name="_save"' not in page.text


def test_a_measure_of_an_approved_document_cannot_be_deleted_in_the_admin(client, root, measure, approved):
    assert client.get(delete_url(measure)).status_code == 403
    assert client.post(delete_url(measure), {"post": "yes"}).status_code == 403
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_a_measure_cannot_be_added_to_a_submitted_document_in_the_admin(client, root, document, submission):
    add = reverse("admin:measures_measure_add")
    data = posted_back(client.get(add)) | {"document": str(document.pk), "number": "9", "title": "มาตรการใหม่"}
    page = client.post(add, data)
    assert page.status_code == 200 and str(NOT_A_DRAFT) in page.text
    assert not Measure.objects.filter(title="มาตรการใหม่").exists()


def test_a_measure_cannot_be_moved_into_an_approved_document(client, root, draft_2567, approved):
    moved = draft_2567.measures.get()
    data = posted_back(client.get(change_url(moved))) | {"document": str(approved.pk)}
    page = client.post(change_url(moved), data)
    assert page.status_code == 200 and str(NOT_A_DRAFT) in page.text
    moved.refresh_from_db()
    assert moved.document == draft_2567


def test_an_approved_document_cannot_be_changed_or_deleted_in_the_admin(client, root, document, request):
    data = posted_back(client.get(change_url(document))) | {"title": "ชื่อที่แก้ในหน้าผู้ดูแลระบบ"}
    request.getfixturevalue("approved")
    assert client.post(change_url(document), data).status_code == 403
    assert client.post(delete_url(document), {"post": "yes"}).status_code == 403
    document.refresh_from_db()
    assert document.title != "ชื่อที่แก้ในหน้าผู้ดูแลระบบ"


def test_the_themes_of_a_submitted_document_are_shown_without_add_change_or_delete(
    client, root, document, theme, submission
):
    (themes,) = client.get(change_url(document)).context["inline_admin_formsets"]
    assert themes.formset.model is Theme
    assert not (themes.has_add_permission or themes.has_change_permission or themes.has_delete_permission)


def test_the_themes_of_a_draft_document_are_edited_in_its_change_form(client, root, document, theme):
    data = posted_back(client.get(change_url(document))) | {"themes-0-title": "ด้านที่แก้ไข"}
    assert client.post(change_url(document), data).status_code == 302
    theme.refresh_from_db()
    assert theme.title == "ด้านที่แก้ไข"


def test_the_steps_of_an_approved_measure_are_shown_without_add_change_or_delete(client, root, step, measure, approved):
    (steps,) = client.get(change_url(measure)).context["inline_admin_formsets"]
    assert steps.formset.model is MeasureStep and step.text in steps.formset.forms[0].initial["text"]
    assert not (steps.has_add_permission or steps.has_change_permission or steps.has_delete_permission)


def test_delete_selected_refuses_the_measures_of_an_approved_document(client, root, measure, approved):
    changelist = reverse("admin:measures_measure_changelist")
    answer = client.post(changelist, {"action": "delete_selected", "_selected_action": [measure.pk], "post": "yes"})
    assert answer.status_code == 403
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_delete_selected_still_deletes_the_measures_of_a_draft(client, root, draft_2567):
    changelist = reverse("admin:measures_measure_changelist")
    pks = list(draft_2567.measures.values_list("pk", flat=True))
    answer = client.post(changelist, {"action": "delete_selected", "_selected_action": pks, "post": "yes"})
    assert answer.status_code == 302
    assert not draft_2567.measures.exists()


def test_deleting_a_queryset_with_a_row_of_an_approved_document_is_refused(root, measure, draft_2567, approved):
    """The last word, behind the action's own per-row check (a row submitted in between)."""
    request = RequestFactory().post("/")
    request.user = root
    with pytest.raises(PermissionDenied):
        admin.site._registry[Measure].delete_queryset(request, Measure.objects.all())
    assert Measure.objects.count() == 2


def test_a_version_from_the_history_cannot_be_restored(client, root, document, approved):
    draft_version = document.history.filter(status=DocumentStatus.DRAFT).earliest("history_date")
    url = reverse("admin:measures_measuresdocument_simple_history", args=[document.pk, draft_version.history_id])
    data = posted_back(client.get(url))  # looked at …
    assert client.post(url, data).status_code == 403  # … never restored (it would make the document a draft)
    document.refresh_from_db()
    assert document.status == DocumentStatus.APPROVED


# --- Progress reports ---------------------------------------------------------------------------


def test_an_entry_of_a_submitted_report_cannot_be_changed_or_deleted(client, root, report, request):
    entry = report.entries.get()
    data = posted_back(client.get(change_url(entry))) | {"summary": "แก้ในหน้าผู้ดูแลระบบ"}
    request.getfixturevalue("submitted_report")
    assert client.post(change_url(entry), data).status_code == 403
    assert client.post(delete_url(entry), {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.summary == ""


def test_an_entry_of_a_draft_report_can_still_be_changed(client, root, report):
    entry = report.entries.get()
    data = posted_back(client.get(change_url(entry))) | {"summary": "แก้ในหน้าผู้ดูแลระบบ"}
    assert client.post(change_url(entry), data).status_code == 302
    entry.refresh_from_db()
    assert entry.summary == "แก้ในหน้าผู้ดูแลระบบ"


def test_an_entry_cannot_be_added_to_a_submitted_report(client, root, measure, submitted_report):
    add = reverse("admin:measures_progressentry_add")
    data = posted_back(client.get(add)) | {
        "report": str(submitted_report.pk),
        "measure": str(measure.pk),
        "summary": "เพิ่มในหน้าผู้ดูแลระบบ",
    }
    page = client.post(add, data)
    assert page.status_code == 200 and str(NOT_A_DRAFT) in page.text
    assert not ProgressEntry.objects.filter(summary="เพิ่มในหน้าผู้ดูแลระบบ").exists()


def test_a_submitted_report_cannot_be_changed_or_deleted(client, root, submitted_report):
    assert client.post(change_url(submitted_report), {"introduction": "แก้"}).status_code == 403
    assert client.post(delete_url(submitted_report), {"post": "yes"}).status_code == 403
    submitted_report.refresh_from_db()
    assert (submitted_report.introduction, submitted_report.status) == ("", DocumentStatus.SUBMITTED)


# --- The sign-off record and the publications ---------------------------------------------------


@pytest.fixture
def returned(submission, heads):
    """A submission sent back at the first step: one decision, with its comment."""
    workflow.decide(submission=submission, by=heads[0], approve=False, comment="กรุณาแก้ไขตัวชี้วัด")
    submission.refresh_from_db()
    return submission


@pytest.mark.parametrize("kind", ["submission", "decision"])
def test_the_sign_off_record_is_shown_but_never_added_changed_or_deleted(kind, client, root, returned):
    row = returned if kind == "submission" else returned.decisions.get()
    page = client.get(change_url(row))
    assert page.status_code == 200 and 'name="_save"' not in page.text
    assert client.get(reverse(f"admin:measures_{kind}_add")).status_code == 403
    assert client.post(change_url(row), {"status": "approved", "outcome": "approve"}).status_code == 403
    assert client.post(delete_url(row), {"post": "yes"}).status_code == 403
    returned.refresh_from_db()
    assert returned.status == "returned" and returned.decisions.get().outcome == "return"


def test_the_sign_off_record_cannot_be_deleted_in_bulk(client, root, returned):
    changelist = reverse("admin:measures_submission_changelist")
    assert "delete_selected" not in client.get(changelist).text
    client.post(changelist, {"action": "delete_selected", "_selected_action": [returned.pk], "post": "yes"})
    assert type(returned).objects.filter(pk=returned.pk).exists()


@pytest.fixture
def publication(approved, officer):
    """A publication row as publishing stores it (made here without rendering a PDF)."""
    return Publication.objects.create(
        organisation=approved.organisation,
        fiscal_year=approved.fiscal_year,
        kind=Publication.Kind.MEASURES,
        version=1,
        document=approved,
        edition=approved.edition,
        title=approved.title,
        data={},
        html="<p></p>",
        body_html="<p></p>",
        pdf="publications/2566/test.pdf",
        sha256="0" * 64,
        pdf_size=1,
        published_by=officer,
        published_at=timezone.now(),
    )


def test_a_publication_cannot_be_changed_or_deleted_in_the_admin(client, root, publication):
    assert client.post(change_url(publication), {"title": "แก้ไข"}).status_code == 403
    assert client.post(delete_url(publication), {"post": "yes"}).status_code == 403
    publication.refresh_from_db()
    assert publication.title != "แก้ไข"


# --- Every admin of such rows carries the guard --------------------------------------------------


def test_every_admin_of_what_a_draft_holds_is_guarded():
    """A model added to the admin later (a memo, findings, evidence) must not come in unguarded."""
    governed = {*DRAFT_PATHS, Memo}
    for model, model_admin in admin.site._registry.items():
        if model in governed:
            assert isinstance(model_admin, DraftOnlyAdmin), model
        for inline in model_admin.inlines:
            if inline.model in governed:
                assert issubclass(inline, DraftOnlyInline), inline


def test_an_anonymous_request_has_no_admin_permission_to_check(measure, approved):
    """The guard narrows Django's own permissions; it never widens them."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert not admin.site._registry[Measure].has_change_permission(request, None)


def test_the_admin_cannot_change_an_organisation_s_address_which_only_its_settings_page_does(admin_client):
    from measures.models import Organisation
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(slug="old-town")
    url = reverse("admin:measures_organisation_change", args=[organisation.pk])
    assert 'name="slug"' not in admin_client.get(url).text
    assert 'name="slug"' in admin_client.get(reverse("admin:measures_organisation_add")).text
    assert Organisation.objects.get(pk=organisation.pk).slug == "old-town"
