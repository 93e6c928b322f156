"""Staff views that publish and withdraw: who may press the buttons, and what they are told first.

The organisation's officers and admins may (EDIT); its approvers, oversight and unit
contributors may not (403); another organisation finds nothing (404); an anonymous visitor
is sent to log in. A GET (or a POST without confirmed=1) shows the confirmation page, in
Thai, and changes nothing; only the POST of its button (confirmed=1) publishes or withdraws.
"""

# Fixtures are imported from other test modules, and test arguments then shadow them.
# ruff: noqa: F811

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from measures import services, workflow
from measures.models import DocumentStatus
from reports.models import Publication
from tests.chain import approve_all, new_edition
from tests.reports.test_publishing import published  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

PUBLISH = reverse("reports:document_publish", args=["test-town", 2566])
DETAIL = reverse("measures:document_detail", args=["test-town", 2566])
CONFIRMED = {"confirmed": "1"}
WITHDRAW = CONFIRMED | {"reason": "แนบไฟล์ผิดฉบับ"}


def version_address(version: int) -> str:
    return "http://testserver" + reverse("reports:publication_version", args=["test-town", 2566, "measures", version])


def withdraw_url(publication, org="test-town") -> str:
    return reverse("reports:publication_withdraw", args=[org, publication.pk])


def thai_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Publish -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer", "org_admin"])
def test_an_officer_or_admin_publishes_an_approved_document(persona, request, client, approved):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(PUBLISH, CONFIRMED)
    assert response.status_code == 302 and response["Location"] == DETAIL
    publication = Publication.objects.get()
    assert publication.version == 1 and publication.published_by == request.getfixturevalue(persona)
    permanent = "http://testserver" + reverse("reports:publication_latest", args=["test-town", 2566, "measures"])
    assert any(permanent in m and "ฉบับเผยแพร่ที่ 1" in m for m in thai_messages(response))


@pytest.mark.parametrize("persona", ["approver", "oversight", "contributor"])
def test_others_of_the_organisation_may_not_publish(persona, request, client, approved):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(PUBLISH).status_code == 403
    assert client.post(PUBLISH, CONFIRMED).status_code == 403
    assert not Publication.objects.exists()


def test_another_organisation_finds_nothing_to_publish(client, outsider, approved):
    client.force_login(outsider)
    assert client.get(PUBLISH).status_code == 404
    assert client.post(PUBLISH, CONFIRMED).status_code == 404
    assert not Publication.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in_instead_of_publishing(client, approved):
    response = client.post(PUBLISH, CONFIRMED)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Publication.objects.exists()


@pytest.mark.parametrize("data", [None, {}, {"with_memo": "1"}], ids=["get", "post", "post-with-memo"])
def test_publishing_asks_first_and_publishes_nothing_without_the_confirmation(data, client, officer, approved):
    client.force_login(officer)
    response = client.get(PUBLISH) if data is None else client.post(PUBLISH, data)
    assert response.status_code == 200
    assert "ยืนยันการเผยแพร่ต่อสาธารณะ" in response.text
    assert 'name="confirmed" value="1"' in response.text
    approved.refresh_from_db()
    assert approved.status == DocumentStatus.APPROVED and not Publication.objects.exists()


def test_the_publish_confirmation_says_the_version_stays_at_its_address_forever(client, officer, approved):
    client.force_login(officer)
    page = client.get(PUBLISH).text
    assert "ฉบับเผยแพร่ที่ 1" in page
    assert "จะอยู่ที่ที่อยู่นี้ตลอดไป แก้ไขหรือลบไม่ได้" in page
    assert version_address(1) in page
    permanent = "http://testserver" + reverse("reports:publication_latest", args=["test-town", 2566, "measures"])
    assert permanent in page and "ITAS" in page
    client.post(PUBLISH, CONFIRMED)
    client.logout()
    assert client.get(version_address(1)).status_code == 200  # the address shown is where it went


def test_the_publish_confirmation_of_a_new_edition_gives_the_next_version_and_its_address(
    client, officer, heads, document, published
):
    new_edition(document, by=officer, heads=heads, title="ประกาศผลการจัดซื้อจัดจ้างทุกเดือน")
    client.force_login(officer)
    page = client.get(PUBLISH).text
    assert "ฉบับเผยแพร่ที่ 2" in page and version_address(2) in page
    assert version_address(1) not in page


def test_publishing_with_the_memo_stores_the_signed_memo_pdf(client, officer, approved):
    client.force_login(officer)
    assert 'name="with_memo" value="1"' in client.get(PUBLISH).text
    assert client.post(PUBLISH, CONFIRMED | {"with_memo": "1"}).status_code == 302
    publication = Publication.objects.get()
    assert publication.memo_pdf and "บันทึกข้อความ" in publication.memo_html
    with publication.memo_pdf.open("rb") as file:
        assert file.read().startswith(b"%PDF")
    client.logout()
    response = client.get(reverse("reports:publication_memo_pdf", args=["test-town", 2566, "measures", 1]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_publishing_without_the_memo_stores_none(client, officer, approved):
    client.force_login(officer)
    client.post(PUBLISH, CONFIRMED)
    publication = Publication.objects.get()
    assert not publication.memo_pdf and publication.memo_html == ""
    client.logout()
    url = reverse("reports:publication_memo_pdf", args=["test-town", 2566, "measures", 1])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_publishing_a_document_not_approved_shows_the_thai_reason(method, client, officer, submission, document):
    client.force_login(officer)
    response = client.get(PUBLISH) if method == "get" else client.post(PUBLISH, CONFIRMED)
    assert response.status_code == 302 and response["Location"] == DETAIL
    assert thai_messages(response) == ["เผยแพร่ได้เฉพาะเอกสารที่ผ่านการอนุมัติแล้วและยังไม่ได้เผยแพร่"]
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED and not Publication.objects.exists()


def test_an_officer_publishes_a_progress_report(client, officer, approved, heads, document):
    report = services.report_start(document=document, round_months=6, by=officer)
    approve_all(workflow.submit(target=report, by=officer), heads)
    client.force_login(officer)
    url = reverse("reports:report_publish", args=["test-town", 2566, 6])
    page = client.get(url)
    assert page.status_code == 200 and not Publication.objects.filter(kind=Publication.Kind.REPORT_6).exists()
    assert (
        "http://testserver" + reverse("reports:publication_version", args=["test-town", 2566, "report-6", 1])
        in page.text
    )
    response = client.post(url, CONFIRMED)
    assert response["Location"] == reverse("measures:round_detail", args=["test-town", 2566, 6])
    assert Publication.objects.get().kind == Publication.Kind.REPORT_6


# --- Withdraw ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer", "org_admin"])
def test_an_officer_or_admin_withdraws_a_version_with_a_reason(persona, request, client, published):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(withdraw_url(published), WITHDRAW)
    assert response.status_code == 302 and response["Location"] == DETAIL
    published.refresh_from_db()
    assert published.is_withdrawn and published.withdrawal_reason == "แนบไฟล์ผิดฉบับ"
    assert published.withdrawn_by == request.getfixturevalue(persona)


@pytest.mark.parametrize("persona", ["approver", "oversight", "contributor"])
def test_others_of_the_organisation_may_not_withdraw(persona, request, client, published):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(withdraw_url(published)).status_code == 403
    assert client.post(withdraw_url(published), CONFIRMED | {"reason": "ไม่เห็นด้วย"}).status_code == 403
    published.refresh_from_db()
    assert not published.is_withdrawn


@pytest.mark.parametrize("org", ["test-town", "other-town"])
def test_another_organisation_finds_nothing_to_withdraw(org, client, outsider, published):
    client.force_login(outsider)
    assert client.get(withdraw_url(published, org)).status_code == 404
    assert client.post(withdraw_url(published, org), CONFIRMED | {"reason": "ไม่เห็นด้วย"}).status_code == 404
    published.refresh_from_db()
    assert not published.is_withdrawn


def test_an_anonymous_visitor_is_sent_to_log_in_instead_of_withdrawing(client, published):
    response = client.post(withdraw_url(published), CONFIRMED | {"reason": "ไม่เห็นด้วย"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    published.refresh_from_db()
    assert not published.is_withdrawn


@pytest.mark.parametrize("data", [None, {"reason": "แนบไฟล์ผิดฉบับ"}], ids=["get", "post-with-a-reason"])
def test_withdrawing_asks_first_and_withdraws_nothing_without_the_confirmation(data, client, officer, published):
    client.force_login(officer)
    url = withdraw_url(published)
    response = client.get(url) if data is None else client.post(url, data)
    assert response.status_code == 200
    assert "ยืนยันถอนการเผยแพร่" in response.text and 'name="confirmed" value="1"' in response.text
    assert version_address(1) in response.text  # the address that will show the notice instead
    assert "ยกเลิกไม่ได้" in response.text
    published.refresh_from_db()
    assert not published.is_withdrawn


def test_withdrawing_without_a_reason_shows_the_thai_reason_and_keeps_the_version(client, officer, published):
    client.force_login(officer)
    response = client.post(withdraw_url(published), CONFIRMED | {"reason": "  "})
    assert response.status_code == 400
    assert "กรุณาระบุเหตุผลที่ถอนการเผยแพร่ ข้อความนี้จะแสดงต่อสาธารณะ" in response.text
    assert 'aria-invalid="true"' in response.text
    published.refresh_from_db()
    assert not published.is_withdrawn


def test_the_sign_off_panel_lists_the_published_versions_with_a_withdraw_form(client, officer, published):
    client.force_login(officer)
    page = client.get(DETAIL).text
    assert reverse("reports:publication_version", args=["test-town", 2566, "measures", 1]) in page
    assert withdraw_url(published) in page
