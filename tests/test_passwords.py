"""Staff change their password, or set a new one by e-mail when they forgot it; weak ones are refused in Thai."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client as client_class
from django.utils import timezone

from measures.models import OutgoingEmail
from measures.views import accounts

pytestmark = pytest.mark.django_db

CHANGE = "/accounts/password/change/"
RESET = "/accounts/password/reset/"
OLD = "pass-for-tests-1"
NEW = "โปร่งใส-ตรวจสอบได้-2567"


def test_a_weak_new_password_is_refused_with_thai_reasons_and_the_old_one_still_works(client, officer):
    client.force_login(officer)
    response = client.post(CHANGE, {"old_password": OLD, "new_password1": "12345", "new_password2": "12345"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย 10 ตัวอักษร" in html
    assert "รหัสผ่านนี้เป็นตัวเลขทั้งหมด" in html
    officer.refresh_from_db()
    assert officer.check_password(OLD)


def test_a_wrong_old_password_is_refused_in_thai(client, officer):
    client.force_login(officer)
    response = client.post(CHANGE, {"old_password": "not-it-at-all", "new_password1": NEW, "new_password2": NEW})
    assert "รหัสผ่านเดิมไม่ถูกต้อง" in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(OLD)


def test_an_officer_changes_her_password_and_logs_in_with_the_new_one(client, officer):
    client.force_login(officer)
    response = client.post(CHANGE, {"old_password": OLD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response.url == "/accounts/password/change/done/"
    client.logout()
    assert client.post("/accounts/login/", {"username": "officer", "password": NEW}).status_code == 302


def test_changing_a_password_needs_a_login(client):
    response = client.get(CHANGE)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


def test_the_reset_link_goes_to_site_url_whatever_host_the_request_named(client, officer, mailoutbox, settings):
    settings.SITE_URL = "https://ita.example.go.th"
    settings.ALLOWED_HOSTS = ["ita.example.go.th", "evil.example"]
    officer.email = "officer@test-town.go.th"
    officer.save(update_fields=["email"])
    client.post(RESET, {"email": "officer@test-town.go.th"}, HTTP_HOST="evil.example")
    [mail] = mailoutbox
    assert "https://ita.example.go.th/accounts/password/reset/" in mail.body
    assert "evil.example" not in mail.body


def test_a_forgotten_password_is_reset_through_a_thai_e_mail_link(client, officer, mailoutbox):
    officer.email = "officer@test-town.go.th"
    officer.save(update_fields=["email"])
    response = client.post(RESET, {"email": "officer@test-town.go.th"})
    assert response.status_code == 302
    [mail] = mailoutbox
    assert mail.subject == "[ITA] ตั้งรหัสผ่านใหม่สำหรับระบบติดตามมาตรการ ITA"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.body).group(1)
    form = client.get(link, follow=True)
    assert "ตั้งรหัสผ่านใหม่" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert get_user_model().objects.get(pk=officer.pk).check_password(NEW)
    # The link works once.
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, officer, mailoutbox):
    response = client.post(RESET, {"email": "nobody@example.com"}, follow=True)
    assert "โปรดตรวจสอบอีเมลของท่าน" in response.content.decode()
    assert mailoutbox == []


# --- The reset message goes through the outbox, and the form cannot be used to flood an inbox ---


@pytest.fixture
def officer_with_mail(officer):
    officer.email = "officer@test-town.go.th"
    officer.save(update_fields=["email"])
    return officer


def _link(body: str) -> str:
    return re.search(r"http://testserver(/accounts/password/reset/\S+/)", body).group(1)


def test_a_delivered_reset_message_is_not_kept_with_its_link(client, officer_with_mail, mailoutbox):
    client.post(RESET, {"email": "officer@test-town.go.th"})
    [mail] = mailoutbox
    assert _link(mail.body)
    [stored] = OutgoingEmail.objects.all()
    assert stored.sent_at is not None and stored.recipient == officer_with_mail
    assert stored.template == "password_reset" and "/accounts/password/reset/" not in stored.body
    assert "ไม่เก็บไว้" in stored.body


def test_a_reset_asked_while_the_mail_server_is_down_is_sent_when_it_is_back(
    client, officer_with_mail, mail_server_down, mailoutbox
):
    response = client.post(RESET, {"email": "officer@test-town.go.th"}, follow=True)
    assert "โปรดตรวจสอบอีเมลของท่าน" in response.content.decode()  # the same answer: nothing to guess from
    [waiting] = OutgoingEmail.objects.undelivered()
    assert waiting.attempts == 1 and "ConnectionRefusedError" in waiting.last_error
    mail_server_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    out = StringIO()
    call_command("send_reminders", "--retry-only", stdout=out)
    [mail] = mailoutbox
    form = client.get(_link(mail.body), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert get_user_model().objects.get(pk=officer_with_mail.pk).check_password(NEW)
    waiting.refresh_from_db()
    assert waiting.sent_at is not None and "/accounts/password/reset/" not in waiting.body


def test_a_reset_message_whose_link_expired_is_not_sent_again(
    client, officer_with_mail, mail_server_down, mailoutbox, settings
):
    client.post(RESET, {"email": "officer@test-town.go.th"})
    OutgoingEmail.objects.update(created_at=timezone.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60))
    mail_server_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_reminders", "--retry-only", stdout=StringIO())
    assert mailoutbox == []
    [stale] = OutgoingEmail.objects.all()
    assert stale.sent_at is None and "/accounts/password/reset/" not in stale.body
    assert stale.last_error == "ลิงก์ตั้งรหัสผ่านหมดอายุก่อนส่งได้ จึงไม่ส่งอีก"


def test_one_address_gets_at_most_three_reset_messages_an_hour(client, officer_with_mail, mailoutbox):
    for _ in range(5):
        response = client.post(RESET, {"email": "OFFICER@test-town.go.th"}, follow=True)
        assert "โปรดตรวจสอบอีเมลของท่าน" in response.content.decode()
    assert len(mailoutbox) == accounts.RESETS_PER_ADDRESS == 3
    # An hour later the limit starts again.
    OutgoingEmail.objects.update(created_at=timezone.now() - timedelta(hours=1, minutes=1))
    client.post(RESET, {"email": "officer@test-town.go.th"})
    assert len(mailoutbox) == 4


def test_one_client_asking_too_often_is_refused_in_thai_and_sends_nothing(client, officer, mailoutbox):
    for n in range(accounts.REQUESTS_PER_CLIENT):
        assert client.post(RESET, {"email": f"someone-{n}@example.com"}).status_code == 302
    officer.email = "officer@test-town.go.th"
    officer.save(update_fields=["email"])
    response = client.post(RESET, {"email": "officer@test-town.go.th"})
    assert response.status_code == 429
    assert "ขอตั้งรหัสผ่านใหม่บ่อยเกินไป" in response.content.decode()
    assert mailoutbox == [] and not OutgoingEmail.objects.exists()
    # Another client is not held back by this one.
    other = client_class()
    assert other.post(RESET, {"email": "officer@test-town.go.th"}, REMOTE_ADDR="10.0.0.9").status_code == 302
    assert len(mailoutbox) == 1
