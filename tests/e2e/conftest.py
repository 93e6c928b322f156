"""Browser journeys: Debian's Chromium driven by Playwright against the live test server.

Never downloads a browser: it launches /usr/bin/chromium (override with CHROMIUM_PATH).
Screenshots of key screens go to test-output/screenshots/ for a person to look at.

Every journey runs under the site's real Content-Security-Policy and fails on whatever the
browser reports: a CSP violation, a JavaScript error, a stylesheet, font or image that does not
load. The `axe` fixture checks a page with axe-core (tests/e2e/package.json, installed by
scripts/test.sh with npm ci) and keeps its report in test-output/axe/.
"""

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SHOTS = Path(settings.BASE_DIR) / "test-output" / "screenshots"
AXE_REPORTS = Path(settings.BASE_DIR) / "test-output" / "axe"
# Installed by scripts/test.sh from tests/e2e/package-lock.json (npm ci), never committed.
AXE_SOURCE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations", "incomplete"],
}
BLOCKING = {"serious", "critical"}
# Moderate and minor findings are reported at the end of the run, not failed on.
AXE_NOTES: list[str] = []
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def pytest_collection_finish(session):
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
    # code are still synchronous and safe here. Only when journeys run: the variable would
    # leak into the subprocesses of other tests (`check --deploy` refuses it).
    if any(item.get_closest_marker("e2e") for item in session.items):
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "th-TH", "timezone_id": "Asia/Bangkok"}


@pytest.fixture(autouse=True)
def _short_timeouts(page):
    # Two journeys run at once on two cores (scripts/test.sh): a PDF or a cold page may take a while.
    page.set_default_timeout(20_000)


# Runs in every page before its own content; Playwright adds it through the DevTools protocol, so the
# page's Content-Security-Policy does not apply to it.
REPORT_CSP_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (e) => console.error(
  `securitypolicyviolation: ${e.effectiveDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile}:${e.lineNumber}`));"""


def _browser_problems(page) -> list[str]:
    """Collect what a visitor's browser complains about: CSP violations, script errors, broken resources."""
    problems: list[str] = []

    def on_console(message):
        text = message.text
        # A page that answers 403/404/410 on purpose logs "Failed to load resource"; broken
        # stylesheets, images and fonts are caught by on_response below instead.
        if (
            "Content Security Policy" in text
            or "securitypolicyviolation" in text
            or (message.type == "error" and not text.startswith("Failed to load resource"))
        ):
            problems.append(f"console {message.type}: {text} — {page.url}")

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.request.resource_type} {response.url} answered {response.status} — {page.url}")

    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error} — {page.url}"))
    page.on("response", on_response)
    return problems


@pytest.fixture(autouse=True)
def browser_problems(page):
    """Every journey fails on a Content-Security-Policy violation, a JavaScript error or a broken resource."""
    return _browser_problems(page)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # Checked right after the test body, so that the problems fail the test itself (not its teardown).
    result = yield
    problems = item.funcargs.get("browser_problems")
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)
    return result


@pytest.fixture
def shot(page):
    """Save a full-page screenshot under test-output/screenshots/<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(page, live_server):
    def as_user(username: str, password: str = "pass-for-tests-1"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/staff/")

    return as_user


NAVIGATED = re.compile(r"Execution context was destroyed|reading 'documentElement'|navigat", re.IGNORECASE)


@pytest.fixture
def axe(page):
    """Run axe-core on the page as it is shown, save test-output/axe/<name>.json, return the blocking violations.

    axe's source is evaluated through the DevTools protocol, so the page keeps its real
    Content-Security-Policy (a style the policy blocks is checked as the visitor sees it).
    """
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run  npm ci --prefix tests/e2e  (scripts/test.sh does it)")
    source = AXE_SOURCE.read_text(encoding="utf-8")
    AXE_REPORTS.mkdir(parents=True, exist_ok=True)

    def run():
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(source + "\n;0")
        return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)

    def check(name: str) -> list[str]:
        try:
            results = run()
        except PlaywrightError as error:
            # A click just before may have started a navigation that was not under way yet when
            # the load state was read: axe then ran on a page being replaced. Once more, on the new one.
            if not NAVIGATED.search(str(error)):
                raise
            results = run()
        report = {
            "url": page.url,
            "viewport": page.viewport_size,
            "testEngine": results["testEngine"],
            "violations": results["violations"],
            "incomplete": results["incomplete"],
        }
        path = AXE_REPORTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.json"
        path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        blocking = []
        for violation in results["violations"]:
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
            line = f"{name}: [{violation['impact']}] {violation['id']} ({len(violation['nodes'])}×) {targets}"
            (blocking if violation["impact"] in BLOCKING else AXE_NOTES).append(line)
        return blocking

    return check


def pytest_terminal_summary(terminalreporter):
    if AXE_NOTES:
        terminalreporter.section("axe-core: moderate and minor findings (not failed on)")
        for line in AXE_NOTES:
            terminalreporter.line(line)
