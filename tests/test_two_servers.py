"""Two real servers (gunicorn, two workers each, on two ports) sharing one database and one Redis
cache, as docs/DEPLOYMENT.md's "more than one server" describes (issue 19).

- Published through server A, a document shows on server B at once: its public page, the
  organisation page B had just rendered and kept, and B's sitemap.
- A lock-out (django-axes) made by failed logins on A holds on B: the right password is refused.

The servers get their own database, built in subprocesses with `manage.py migrate` and
`manage.py load_demo` (a temporary SQLite file, or a fresh PostgreSQL database when the test run
itself uses PostgreSQL), their own media folder and a Redis database of their own (db 13,
emptied before and after). Everything between the test and the servers is HTTP.

Needs gunicorn (requirements.txt) and the Redis server at 127.0.0.1:6379: skipped without them
unless REQUIRE_REDIS is set (CI), where their absence fails.
"""

import contextlib
import fcntl
import html
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from measures.devdata.demo import DEMO_PASSWORD
from tests.test_redis_cache import redis_up

GUNICORN = Path(sys.executable).parent / "gunicorn"
REDIS_DB = 13
ORG, YEAR, KIND = "khao-hua-chang", 2566, "measures"  # a demo document, approved below (never published)
LOCKED_USER = "approver"  # locked out by the second test; the first logs in as "officer"
LOCKED_OUT_TITLE = "ระงับการเข้าสู่ระบบชั่วคราว"


pytestmark = pytest.mark.skipif(
    not (GUNICORN.exists() and redis_up()) and not os.environ.get("REQUIRE_REDIS"),
    reason="needs gunicorn in the virtualenv and a Redis server at 127.0.0.1:6379",
)

# The demo's document of khao-hua-chang 2566 goes through its chain: submitted by the officer,
# approved at every step by the demo approver (who holds them all). Publishing is left to the test.
APPROVE = f"""
import django; django.setup()
from django.contrib.auth import get_user_model
from measures import workflow
from measures.models import MeasuresDocument
from reports.models import Publication
users = get_user_model().objects
document = MeasuresDocument.objects.get(organisation__slug={ORG!r}, fiscal_year={YEAR})
submission = workflow.submit(target=document, by=users.get(username="officer"))
for _step in submission.steps:
    workflow.decide(submission=submission, by=users.get(username="approver"), approve=True)
document.refresh_from_db()
assert document.status == "approved", document.status
assert not Publication.objects.exists()
print("approved")
"""


# --- HTTP, as a browser does it (no Django test client: these are real servers) --------------


@dataclass
class Answer:
    status: int
    url: str
    text: str
    headers: dict


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor: a cookie jar; follows redirects unless told not to. 4xx/5xx are answers, not errors."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self._follow = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self._stay = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, url: str, data: dict | None = None, *, follow: bool = True, timeout: float = 120) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)  # noqa: S310 - http://127.0.0.1 only
        if body is not None:
            request.add_header("Referer", url)  # as a browser's form POST (CSRF checks it over HTTPS only)
        opener = self._follow if follow else self._stay
        try:
            with opener.open(request, timeout=timeout) as response:
                return Answer(response.status, response.url, response.read().decode(), dict(response.headers))
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, error.url, error.read().decode(), dict(error.headers))

    def csrf_post(self, url: str, data: dict, *, follow: bool = True) -> Answer:
        """GET the form's page for its CSRF token (and cookie), then POST the form with it."""
        page = self.request(url)
        assert page.status == 200, (url, page.status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no CSRF token on {url}"
        return self.request(url, {"csrfmiddlewaretoken": token.group(1), **data}, follow=follow)


def _login(browser: Browser, base: str, username: str, password: str) -> Answer:
    return browser.csrf_post(f"{base}/accounts/login/", {"username": username, "password": password}, follow=False)


# --- The two servers ------------------------------------------------------------------------


@dataclass
class Servers:
    a: str
    b: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(env: dict, *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def _redis():
    import redis

    return redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)


def _redis_keys() -> list[str]:
    client = _redis()
    try:
        return [key.decode() for key in client.scan_iter(count=1000)]
    finally:
        client.close()


@contextlib.contextmanager
def _own_redis_db():
    """Redis db 13, empty, for this test alone: other runs of it on this machine wait (a file lock;
    the cache's keys are named by the organisation's address and the data's state, not by the
    database, so two runs sharing a db could read each other's), and it is emptied after."""
    with (Path(tempfile.gettempdir()) / f"ita-portal-redis-{REDIS_DB}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        client = _redis()
        try:
            client.flushdb()
            yield
        finally:
            client.flushdb()
            client.close()


@contextlib.contextmanager
def _database(tmp: Path):
    """The servers' own database URL: a new SQLite file, or a new PostgreSQL database (dropped after)
    on the server of the test run's DATABASE_URL when that is PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        yield f"sqlite:///{tmp / 'db.sqlite3'}"
        return
    parts = urllib.parse.urlsplit(url)
    host, port, user = parts.hostname or "127.0.0.1", str(parts.port or 5432), parts.username or "postgres"
    name = f"ita_two_servers_{os.getpid()}_{secrets.token_hex(4)}"
    client = ["-h", host, "-p", port, "-U", user]
    subprocess.run(["createdb", *client, name], check=True, capture_output=True, timeout=60)
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        subprocess.run(["dropdb", *client, "--if-exists", "--force", name], capture_output=True, timeout=60)


def _start(env: dict, port: int, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(GUNICORN), "ita_portal.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the finalizer ends the master and its workers
        )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


def _wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn at {base} stopped:\n{log.read_text()[-3000:]}"
        with contextlib.suppress(OSError):
            if Browser().request(f"{base}/robots.txt", timeout=5).status == 200:
                return
        time.sleep(0.3)
    pytest.fail(f"gunicorn at {base} did not answer within 60 s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("two-servers")
    processes = []
    with _own_redis_db(), _database(tmp) as database_url:
        # Not the test run's own switches (pytest-django's settings, the browser tests' async-unsafe ORM).
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "TRUSTED_PROXIES", "SITE_URL"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="ita_portal.settings",
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),  # the same on both: sessions and CSRF tokens hold on either
            ALLOWED_HOSTS="127.0.0.1,localhost",
            DATABASE_URL=database_url,
            CACHE_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
            MEDIA_ROOT=str(tmp / "media"),
            EMAIL_URL="dummymail://",
            AXES_FAILURE_LIMIT=str(settings.AXES_FAILURE_LIMIT),
        )
        try:
            _run(env, "manage.py", "migrate", "--noinput", "-v0")
            _run(env, "manage.py", "load_demo")  # loads the frameworks too
            assert _run(env, "-c", APPROVE).strip().endswith("approved")
            ports = [_free_port(), _free_port()]
            while ports[0] == ports[1]:
                ports[1] = _free_port()
            bases = [f"http://127.0.0.1:{port}" for port in ports]
            for port, name in zip(ports, "ab", strict=True):
                processes.append((_start(env, port, tmp / f"gunicorn-{name}.log"), tmp / f"gunicorn-{name}.log"))
            for base, (process, log) in zip(bases, processes, strict=True):
                _wait_until_up(base, process, log)
            yield Servers(a=bases[0], b=bases[1])
        finally:
            for process, _log in processes:
                _stop(process)


# --- The tests ------------------------------------------------------------------------------


def _sitemap_locations(visitor: Browser, base: str) -> set[str]:
    """Every <loc> of the sitemap index's sections (each section's first page is all there is here)."""
    index = visitor.request(f"{base}/sitemap.xml")
    assert index.status == 200, index.status
    locations = set()
    for section in re.findall(r"<loc>([^<]+)</loc>", index.text):
        page = visitor.request(html.unescape(section))
        assert page.status == 200, (section, page.status)
        locations |= {html.unescape(loc) for loc in re.findall(r"<loc>([^<]+)</loc>", page.text)}
    return locations


def test_a_document_published_through_one_server_shows_on_the_other_at_once(servers):
    latest = f"/{ORG}/{YEAR}/{KIND}/"
    visitor = Browser()  # a member of the public on server B: no session, no CSRF cookie

    # B renders (and keeps, in the shared cache) the pages as they are before publishing.
    assert visitor.request(f"{servers.b}{latest}").status == 404
    assert visitor.request(f"{servers.b}{latest}v1/").status == 404
    before = visitor.request(f"{servers.b}/{ORG}/")
    assert before.status == 200
    assert f'href="{latest}"' not in before.text
    assert f"{servers.b}{latest}" not in _sitemap_locations(visitor, servers.b)
    kept = _redis_keys()
    assert any(":sitemap:" in key for key in kept), kept  # B keeps its sitemaps in the shared Redis
    assert any(":public-page:" in key for key in kept), kept  # and the organisation page it rendered

    # While A publishes, B is kept busy showing the organisation page (its state is kept fresh in
    # its cache all along): the first request to B after A answers must still see the new version.
    busy = threading.Event()
    busy.set()

    def keep_asking():
        reader = Browser()
        while busy.is_set():
            with contextlib.suppress(OSError):
                reader.request(f"{servers.b}/{ORG}/", timeout=30)
            time.sleep(0.05)

    asker = threading.Thread(target=keep_asking, daemon=True)
    officer = Browser()
    login = _login(officer, servers.a, "officer", DEMO_PASSWORD)
    assert login.status == 302, (login.status, login.text[:500])
    publish_url = f"{servers.a}/staff/{ORG}/measures/{YEAR}/publish/"
    confirm = officer.request(publish_url)
    assert confirm.status == 200 and "ฉบับเผยแพร่ที่ 1" in confirm.text
    asker.start()
    try:
        time.sleep(1.5)  # longer than a kept state lives (caching.STATE_TIMEOUT): B has asked anew
        published = officer.csrf_post(publish_url, {"confirmed": "1"}, follow=False)
    finally:
        busy.clear()
    # At once, before anything else: B's organisation page (its state was kept a moment ago), the
    # document's page and its version's page.
    organisation = visitor.request(f"{servers.b}/{ORG}/")
    page = visitor.request(f"{servers.b}{latest}")
    version = visitor.request(f"{servers.b}{latest}v1/")
    asker.join(timeout=60)

    assert published.status == 302, (published.status, published.text[:500])
    shown = officer.request(servers.a + published.headers["Location"])
    assert "เผยแพร่แล้ว (ฉบับเผยแพร่ที่ 1)" in html.unescape(shown.text)

    assert page.status == 200, page.status
    assert "ฉบับเผยแพร่ที่ ๑" in page.text or "ฉบับเผยแพร่ที่ 1" in page.text
    assert "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน เทศบาลตำบลเขาหัวช้าง" in page.text
    assert version.status == 200, version.status
    assert organisation.status == 200
    assert f'href="{latest}"' in organisation.text

    locations = _sitemap_locations(visitor, servers.b)
    assert f"{servers.b}{latest}" in locations
    assert f"{servers.b}{latest}v1/" in locations
    # And A agrees (its own sitemap names its own host).
    assert f"{servers.a}{latest}" in _sitemap_locations(Browser(), servers.a)

    # The officer's session, made on A, is good on B as well (sessions are in the shared database).
    dashboard = officer.request(f"{servers.b}/staff/", follow=False)
    assert dashboard.status == 200, (dashboard.status, dashboard.headers.get("Location"))


def test_a_lock_out_made_through_one_server_holds_on_the_other(servers):
    attacker = Browser()
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        failed = _login(attacker, servers.a, LOCKED_USER, f"wrong-password-{attempt}")
        if attempt < settings.AXES_FAILURE_LIMIT:
            assert failed.status == 200, (attempt, failed.status)  # the form again, with its error
            assert LOCKED_OUT_TITLE not in failed.text
        else:
            assert failed.status == 429, (attempt, failed.status)
            assert LOCKED_OUT_TITLE in failed.text

    # The right password, on the other server, from another browser: refused with the Thai page.
    owner = Browser()
    refused = _login(owner, servers.b, LOCKED_USER, DEMO_PASSWORD)
    assert refused.status == 429, (refused.status, refused.headers.get("Location"))
    assert LOCKED_OUT_TITLE in refused.text
    assert "มีการใส่รหัสผ่านไม่ถูกต้องหลายครั้งติดต่อกันสำหรับชื่อผู้ใช้นี้" in refused.text
    # Nobody is logged in on B: a staff page sends the visitor to the login page.
    staff = owner.request(f"{servers.b}/staff/", follow=False)
    assert staff.status == 302 and "/accounts/login/" in staff.headers["Location"]
    # Another account is not affected, on either server.
    assert _login(Browser(), servers.b, "officer", DEMO_PASSWORD).status == 302
