"""Staff change their password, or set a new one by e-mail when they forgot it; weak ones are refused in Thai."""

import re

import pytest
from django.contrib.auth import get_user_model

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
