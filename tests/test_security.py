"""Production settings, the Content-Security-Policy, login throttling and sessions (issue 8)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from reports import publishing

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _production_env(tmp_path: Path, **extra) -> dict[str, str]:
    # Not the test run's own switches (the browser tests allow async-unsafe ORM calls in their process).
    env = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ita_portal.settings_production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="ita.example.go.th",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SITE_URL="https://ita.example.go.th",
        TRUSTED_PROXIES="1",
        CACHE_URL="redis://127.0.0.1:6379/1",
    )
    env.update(extra)
    return env


def _manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    result = _manage(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("setting", "value", "warning"),
    [
        ("TRUSTED_PROXIES", "0", "ita_portal.W001"),
        ("CACHE_URL", "locmemcache://", "ita_portal.W002"),
        ("SITE_URL", "http://127.0.0.1:8000", "ita_portal.W003"),
    ],
)
def test_check_deploy_warns_of_a_missing_proxy_cache_or_site_address(tmp_path, setting, value, warning):
    result = _manage(_production_env(tmp_path, **{setting: value}), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert warning in result.stderr + result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = _manage(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_renders_pdfs_from_the_collected_hashed_static_files(tmp_path):
    """With ManifestStaticFilesStorage the document links css/print.<hash>.css; the PDF still gets its font."""
    env = _production_env(tmp_path)
    assert _manage(env, "collectstatic", "--noinput", "-v0").returncode == 0
    script = (
        "import django; django.setup()\n"
        "from django.templatetags.static import static\n"
        "from reports.pdf import render_pdf, BASE_URL\n"
        "css = static('css/print.css')\n"
        "assert css != '/static/css/print.css', css\n"
        'html = f\'<html lang="th"><head><link rel="stylesheet" href="{css}"></head>\''
        " '<body><p>มาตรการส่งเสริมคุณธรรม</p></body></html>'\n"
        f"open({str(tmp_path / 'out.pdf')!r}, 'wb').write(render_pdf(html))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    fonts = subprocess.run(["pdffonts", str(tmp_path / "out.pdf")], capture_output=True, text=True, check=True)
    assert "Sarabun" in fonts.stdout


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_staff_and_public_pages_carry_a_strict_content_security_policy(client, officer, organisation):
    client.force_login(officer)
    for url in [reverse("measures:dashboard"), "/", f"/{organisation.slug}/"]:
        policy = _directives(client.get(url))
        assert policy["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in policy["style-src"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], url


def test_a_document_preview_lets_only_its_own_style_element_through_by_nonce(client, officer, measure, document):
    client.force_login(officer)
    response = client.get(reverse("reports:document_print", args=[document.organisation.slug, document.fiscal_year]))
    nonce = next(s for s in _directives(response)["style-src"] if s.startswith("'nonce-"))[7:-1]
    html = response.content.decode()
    assert f'<style nonce="{nonce}">' in html
    assert " style=" not in html


def test_the_embeddable_list_may_be_framed_by_any_site_and_nothing_else_may(client, organisation):
    embed = client.get(reverse("reports:embed", args=[organisation.slug]))
    assert _directives(embed)["frame-ancestors"] == ["*"]
    assert "X-Frame-Options" not in embed
    assert client.get("/")["X-Frame-Options"] == "DENY"


def test_a_frozen_document_html_may_style_itself_but_never_run_a_script(client, approved, officer):
    publication = publishing.publish(target=approved, by=officer)
    response = client.get(
        reverse(
            "reports:publication_html",
            args=[publication.organisation.slug, publication.fiscal_year, publication.kind, publication.version],
        )
    )
    policy = _directives(response)
    assert policy["script-src"] == ["'none'"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert response["X-Content-Type-Options"] == "nosniff"


def _fail_login(client, username, times):
    for _ in range(times):
        response = client.post(LOGIN, {"username": username, "password": "wrong-password-1"})
    return response


def test_five_wrong_passwords_lock_the_username_out_with_a_thai_page(client, officer):
    response = _fail_login(client, "officer", settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in response.content.decode()
    # Even the right password is refused while locked out; nobody is logged in.
    response = client.post(LOGIN, {"username": "officer", "password": "pass-for-tests-1"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_below_the_limit_shows_the_thai_form_error_and_the_right_one_then_works(client, officer):
    response = _fail_login(client, "officer", settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    response = client.post(LOGIN, {"username": "officer", "password": "pass-for-tests-1"})
    assert response.status_code == 302


def test_a_lockout_of_one_username_does_not_lock_out_a_colleague(client, officer, approver):
    _fail_login(client, "officer", settings.AXES_FAILURE_LIMIT)
    response = client.post(LOGIN, {"username": "approver", "password": "pass-for-tests-1"})
    assert response.status_code == 302


def test_x_forwarded_for_cannot_be_used_to_dodge_the_lockout_without_a_proxy(client, officer):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "officer", "password": "wrong-password-1"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = client.post(
        LOGIN, {"username": "officer", "password": "pass-for-tests-1"}, HTTP_X_FORWARDED_FOR="10.0.0.99"
    )
    assert response.status_code == 429


def test_the_session_cookie_ends_with_the_browser_and_the_session_within_a_working_day(client, officer):
    response = client.post(LOGIN, {"username": "officer", "password": "pass-for-tests-1"})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]
    assert cookie["httponly"]
    assert client.session.get_expiry_age() <= 8 * 60 * 60


def test_short_and_common_passwords_are_refused(officer):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["12345678901", "password123", "officer2567", "short1"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user=officer)
    validate_password("มาตรการโปร่งใส-2567", user=officer)


# --- One setting for the proxies in front (TRUSTED_PROXIES) ----------------------------------

CLIENT_SCRIPT = (
    "from django.conf import settings as s\n"
    "from django.test import RequestFactory\n"
    "from axes.helpers import get_client_ip_address\n"
    "r = RequestFactory().get('/', HTTP_X_FORWARDED_FOR='6.6.6.6, 203.0.113.7', REMOTE_ADDR='127.0.0.1')\n"
    "print(get_client_ip_address(r), s.SECURE_PROXY_SSL_HEADER)\n"
)


@pytest.mark.parametrize(
    ("proxies", "client", "https_header"),
    [
        ("1", "203.0.113.7", "('HTTP_X_FORWARDED_PROTO', 'https')"),  # nginx appended the address it saw
        ("2", "6.6.6.6", "('HTTP_X_FORWARDED_PROTO', 'https')"),
        ("0", "127.0.0.1", "None"),  # no proxy: what the client sent is ignored
    ],
)
def test_trusted_proxies_says_who_the_client_is_and_whether_https_was_used(tmp_path, proxies, client, https_header):
    result = _manage(_production_env(tmp_path, TRUSTED_PROXIES=proxies), "shell", "-c", CLIENT_SCRIPT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split(maxsplit=1) == [client, https_header]


def test_behind_a_proxy_a_lock_out_holds_for_the_client_not_for_everybody(client, settings, officer):
    """Five wrong passwords from one client lock that client out; another client behind the same proxy still logs in."""
    settings.TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN, {"username": officer.username, "password": "wrong"}, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy
        )
    locked = client.post(
        LOGIN,
        {"username": officer.username, "password": "pass-for-tests-1"},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        **proxy,
    )
    assert "ระงับ" in locked.content.decode()
    other = client.post(
        LOGIN,
        {"username": officer.username, "password": "pass-for-tests-1"},
        HTTP_X_FORWARDED_FOR="198.51.100.2",
        **proxy,
    )
    assert other.status_code == 302
