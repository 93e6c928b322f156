"""Staff views that publish and withdraw: who may press the buttons.

The organisation's officers and admins may (EDIT); its approvers, oversight and unit
contributors may not (403); another organisation finds nothing (404); an anonymous visitor
is sent to log in; both views only accept POST.
"""

# Fixtures are imported from other test modules, and test arguments then shadow them.
# ruff: noqa: F811

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from measures import services, workflow
from measures.models import DocumentStatus
from reports.models import Publication
from tests.chain import approve_all
from tests.reports.test_publishing import published  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

PUBLISH = reverse("reports:document_publish", args=["test-town", 2566])
DETAIL = reverse("measures:document_detail", args=["test-town", 2566])


def withdraw_url(publication, org="test-town") -> str:
    return reverse("reports:publication_withdraw", args=[org, publication.pk])


def thai_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Publish -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer", "org_admin"])
def test_an_officer_or_admin_publishes_an_approved_document(persona, request, client, approved):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(PUBLISH)
    assert response.status_code == 302 and response["Location"] == DETAIL
    publication = Publication.objects.get()
    assert publication.version == 1 and publication.published_by == request.getfixturevalue(persona)
    permanent = "http://testserver" + reverse("reports:publication_latest", args=["test-town", 2566, "measures"])
    assert any(permanent in m and "ฉบับเผยแพร่ที่ 1" in m for m in thai_messages(response))


@pytest.mark.parametrize("persona", ["approver", "oversight", "contributor"])
def test_others_of_the_organisation_may_not_publish(persona, request, client, approved):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(PUBLISH).status_code == 403
    assert not Publication.objects.exists()


def test_another_organisation_finds_nothing_to_publish(client, outsider, approved):
    client.force_login(outsider)
    assert client.post(PUBLISH).status_code == 404
    assert not Publication.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in_instead_of_publishing(client, approved):
    response = client.post(PUBLISH)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Publication.objects.exists()


def test_publishing_is_not_done_by_get(client, officer, approved):
    client.force_login(officer)
    assert client.get(PUBLISH).status_code == 405
    assert not Publication.objects.exists()


def test_publishing_a_document_not_approved_shows_the_thai_reason(client, officer, submission, document):
    client.force_login(officer)
    response = client.post(PUBLISH)
    assert response.status_code == 302
    assert thai_messages(response) == ["เผยแพร่ได้เฉพาะเอกสารที่ผ่านการอนุมัติแล้วและยังไม่ได้เผยแพร่"]
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED and not Publication.objects.exists()


def test_an_officer_publishes_a_progress_report(client, officer, approved, heads, document):
    report = services.report_start(document=document, round_months=6, by=officer)
    approve_all(workflow.submit(target=report, by=officer), heads)
    client.force_login(officer)
    response = client.post(reverse("reports:report_publish", args=["test-town", 2566, 6]))
    assert response["Location"] == reverse("measures:round_detail", args=["test-town", 2566, 6])
    assert Publication.objects.get().kind == Publication.Kind.REPORT_6


# --- Withdraw ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer", "org_admin"])
def test_an_officer_or_admin_withdraws_a_version_with_a_reason(persona, request, client, published):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(withdraw_url(published), {"reason": "แนบไฟล์ผิดฉบับ"})
    assert response.status_code == 302 and response["Location"] == DETAIL
    published.refresh_from_db()
    assert published.is_withdrawn and published.withdrawal_reason == "แนบไฟล์ผิดฉบับ"
    assert published.withdrawn_by == request.getfixturevalue(persona)


@pytest.mark.parametrize("persona", ["approver", "oversight", "contributor"])
def test_others_of_the_organisation_may_not_withdraw(persona, request, client, published):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(withdraw_url(published), {"reason": "ไม่เห็นด้วย"}).status_code == 403
    published.refresh_from_db()
    assert not published.is_withdrawn


@pytest.mark.parametrize("org", ["test-town", "other-town"])
def test_another_organisation_finds_nothing_to_withdraw(org, client, outsider, published):
    client.force_login(outsider)
    assert client.post(withdraw_url(published, org), {"reason": "ไม่เห็นด้วย"}).status_code == 404
    published.refresh_from_db()
    assert not published.is_withdrawn


def test_an_anonymous_visitor_is_sent_to_log_in_instead_of_withdrawing(client, published):
    response = client.post(withdraw_url(published), {"reason": "ไม่เห็นด้วย"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    published.refresh_from_db()
    assert not published.is_withdrawn


def test_withdrawing_is_not_done_by_get(client, officer, published):
    client.force_login(officer)
    assert client.get(withdraw_url(published)).status_code == 405


def test_withdrawing_without_a_reason_shows_the_thai_reason_and_keeps_the_version(client, officer, published):
    client.force_login(officer)
    response = client.post(withdraw_url(published), {"reason": "  "})
    assert response.status_code == 302
    assert thai_messages(response) == ["กรุณาระบุเหตุผลที่ถอนการเผยแพร่ ข้อความนี้จะแสดงต่อสาธารณะ"]
    published.refresh_from_db()
    assert not published.is_withdrawn


def test_the_sign_off_panel_lists_the_published_versions_with_a_withdraw_form(client, officer, published):
    client.force_login(officer)
    page = client.get(DETAIL).text
    assert reverse("reports:publication_version", args=["test-town", 2566, "measures", 1]) in page
    assert withdraw_url(published) in page
