"""The error pages speak Thai: a form sent without a valid CSRF token (an expired page, a lost
cookie) and a server error say what happened, that nothing was changed, and what to do next."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from measures.models import MeasuresDocument

pytestmark = pytest.mark.django_db

THAI = re.compile(r"[\u0E00-\u0E7F]")


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_form_sent_without_its_csrf_token_gets_a_thai_page_and_changes_nothing(officer, organisation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    url = reverse("measures:document_new", args=[organisation.slug])
    response = client.post(url, {"fiscal_year": "2567"})
    assert response.status_code == 403
    text = _text(response)
    assert "ส่งแบบฟอร์มไม่สำเร็จ" in text and "ยังไม่มีข้อมูลใดถูกเปลี่ยน" in text
    assert "CSRF verification failed" not in text and "Forbidden" not in text
    assert not MeasuresDocument.objects.exists()


def test_a_login_sent_after_the_cookie_was_lost_names_the_cookie():
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "คุกกี้" in _text(response)


def test_a_server_error_page_is_thai_and_needs_no_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    text = _text(response)
    assert "ระบบขัดข้องชั่วคราว" in text and "Server Error" not in text
    assert len(THAI.findall(text)) > 100


def test_the_csrf_page_says_the_text_was_kept_and_links_back_to_the_form_only_on_this_site(officer, organisation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    url = reverse("measures:document_new", args=[organisation.slug])
    response = client.post(url, {"fiscal_year": "2567"}, HTTP_REFERER=f"http://testserver{url}")
    text = _text(response)
    assert "ถูกเก็บไว้ในเบราว์เซอร์เครื่องนี้" in text and "เติมข้อความกลับ" in text
    assert f'href="http://testserver{url}"' in response.content.decode()
    elsewhere = client.post(url, {"fiscal_year": "2567"}, HTTP_REFERER="https://evil.example/form/")
    assert "evil.example" not in elsewhere.content.decode()


def test_a_body_larger_than_the_limit_is_refused_in_thai_before_it_is_read(client, officer, organisation, settings):
    from django.test import RequestFactory

    from ita_portal.limits import RequestSizeLimit

    settings.MAX_REQUEST_BYTES = 1000
    read = []

    def view(request):
        read.append(request.body)
        return None

    request = RequestFactory().post("/staff/", data=b"x" * 5000, content_type="application/octet-stream")
    response = RequestSizeLimit(view)(request)
    assert response.status_code == 413 and read == []
    text = _text(response)
    assert "ไฟล์ที่ส่งมีขนาดใหญ่เกินไป" in text and "1000 ไบต์" in text.replace("\xa0", " ")
    # Within the limit the request goes on.
    small = RequestFactory().post("/staff/", data=b"x" * 10, content_type="application/octet-stream")
    RequestSizeLimit(view)(small)
    assert read == [b"x" * 10]
