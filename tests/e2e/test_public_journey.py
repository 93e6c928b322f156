"""The officer publishes ทต.เขาหัวช้าง's approved 12-month report; a citizen on a phone finds it and its PDF.

The citizen goes from / to the report in three taps, reads it as cards without the page scrolling
sideways (a theme to jump to, its measures counted by status), opens the print layout, and
downloads the PDF from the link: the bytes are a PDF whose text is the report's. The
organisation's embed snippet sizes its iframe to the list it shows.
"""

import subprocess
import threading
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from measures import workflow
from measures.devdata.demo import DEMO_PASSWORD, load_demo
from measures.models import DocumentStatus, ProgressReport
from reports import publishing
from reports.models import Publication

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.fixture
def approved_report(db):
    """The demo, with ทต.เขาหัวช้าง's 12-month report through every step of its chain (not yet published)."""
    load_demo()
    users = get_user_model().objects
    report = ProgressReport.objects.get(document__organisation__slug="khao-hua-chang", round=12)
    submission = workflow.submit(target=report, by=users.get(username="officer"))
    approver = users.get(username="approver")
    while submission.status == submission.Status.PENDING:
        workflow.decide(submission=submission, by=approver, approve=True)
        submission.refresh_from_db()
    report.refresh_from_db()
    assert report.status == DocumentStatus.APPROVED
    return report


def test_the_officer_publishes_and_a_citizen_reads_the_report_and_its_pdf_on_a_phone(
    page, live_server, login, shot, approved_report
):
    # Nothing public yet. (Asked outside the browser: its cache may keep a public page for five minutes.)
    before = page.context.request.get(f"{live_server.url}/khao-hua-chang/2566/report-12/")
    assert before.status == 404

    # The officer publishes from the approved report's page.
    login("officer", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/staff/khao-hua-chang/measures/2566/rounds/12/")
    expect(page.locator(".signoff .status")).to_have_text("อนุมัติแล้ว")
    page.get_by_role("link", name="เผยแพร่ต่อสาธารณะ").click()
    expect(page.locator("main")).to_contain_text("จะอยู่ที่ที่อยู่นี้ตลอดไป")  # the confirmation says so first
    page.check("#with_memo")
    page.get_by_role("button", name="ยืนยันเผยแพร่ต่อสาธารณะ").click(timeout=60_000)  # renders the PDFs once
    expect(page.locator(".messages")).to_contain_text("เผยแพร่แล้ว (ฉบับเผยแพร่ที่ 1)")
    expect(page.locator(".messages")).to_contain_text("/khao-hua-chang/2566/report-12/")
    expect(page.locator(".signoff .publications")).to_contain_text("ฉบับเผยแพร่ที่ 1")
    shot("public-01-officer-published")
    publication = Publication.objects.get(report=approved_report)
    assert (publication.version, publication.kind) == (1, "report-12")
    page.get_by_role("button", name="ออกจากระบบ").click()

    # A citizen on a phone: from / to the report in three taps.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    page.fill("#q", "พัทลุง")
    page.get_by_role("button", name="ค้นหา").click()  # tap 1
    page.get_by_role("link", name="เทศบาลตำบลเขาหัวช้าง").click()  # tap 2
    shot("public-02-organisation-on-phone")
    page.get_by_role("link", name="รายงานผลการดำเนินการ รอบ ๑๒ เดือน").click()  # tap 3
    expect(page).to_have_url(f"{live_server.url}/khao-hua-chang/2566/report-12/")
    expect(page.locator("h1")).to_contain_text("รายงานผลการดำเนินการ รอบ ๑๒ เดือน")
    expect(page.locator(".publication-head")).to_contain_text("ฉบับเผยแพร่ที่ ๑")
    expect(page.locator(".reading .measure-card").first).to_contain_text("แผนการใช้จ่ายงบประมาณประจำปี")
    # Who signed it, and the signed memo the officer chose to publish with it.
    expect(page.locator(".approved-by")).to_contain_text("อนุมัติโดย")
    expect(page.locator("#approvals")).to_contain_text("การพิจารณาอนุมัติ")
    expect(page.get_by_role("link", name="บันทึกข้อความที่ลงความเห็นแล้ว (PDF)")).to_have_attribute(
        "href", "/khao-hua-chang/2566/report-12/v1-memo.pdf"
    )
    # Readable on the phone: the page itself does not scroll sideways (wide tables scroll in their box).
    page.wait_for_load_state("networkidle")
    too_wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll, .chart-scroll'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], too_wide
    # A theme to jump to, with its measures counted by status; each measure a card with its status.
    page.get_by_role("navigation", name="สารบัญ").get_by_role("link", name="๔. ด้านการปรับปรุงการทำงาน").click()
    expect(page).to_have_url(f"{live_server.url}/khao-hua-chang/2566/report-12/#theme-4")
    theme = page.locator("#theme-4")
    expect(theme.locator(".status-counts")).to_have_text("ดำเนินการแล้วเสร็จ ๓")
    expect(theme.locator(".measure-card")).to_have_count(3)
    expect(theme.locator(".measure-card .status").first).to_have_text("ดำเนินการแล้วเสร็จ")
    assert page.evaluate("document.querySelector('#theme-4').getBoundingClientRect().top") < PHONE["height"] / 2
    shot("public-03-report-on-phone")

    # The print layout is one tap away: the frozen document, its table's header over its columns.
    page.get_by_role("link", name="ดูแบบฉบับพิมพ์").click()
    expect(page).to_have_url(f"{live_server.url}/khao-hua-chang/2566/report-12/v1.html")
    header, row = page.evaluate("""() => {
        const table = document.querySelector('table.grid.measures');
        const lefts = row => [...row.cells].map(cell => Math.round(cell.getBoundingClientRect().left));
        return [lefts(table.tHead.rows[0]), lefts(table.querySelector('tbody tr:not(.theme)'))]; }""")
    assert header == row
    page.go_back()

    # The PDF behind the link: a PDF, the stored file, with the report's Thai text in it.
    pdf_link = page.get_by_role("link", name="ดาวน์โหลด PDF")
    expect(pdf_link).to_have_attribute("href", "/khao-hua-chang/2566/report-12/v1.pdf")
    response = page.context.request.get(f"{live_server.url}{pdf_link.get_attribute('href')}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-")
    with publication.pdf.open("rb") as stored:
        assert body == stored.read()
    out = Path(settings.BASE_DIR) / "test-output" / "pdf" / "e2e-khao-hua-chang-report-12.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(body)
    text = nfkc(subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, check=True).stdout.decode())
    assert text.splitlines()[:2] == [
        nfkc("รายงานผลการดำเนินการ"),
        nfkc("ตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"),
    ]
    for expected in ["ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", "รอบ ๑๒ เดือน", "เทศบาลตำบลเขาหัวช้าง"]:
        assert nfkc(expected) in text, expected
    assert nfkc("แผนการใช้จ่ายงบประมาณประจำปี") in text.replace("\n", "")  # a table cell wraps it


@pytest.fixture
def other_site():
    """The organisation's own website, on another origin (127.0.0.1, where the portal is localhost):
    `other_site(html)` serves the page and gives its address."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages["/"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def serve(html: str) -> str:
        pages["/"] = html
        return f"http://127.0.0.1:{server.server_port}/"

    yield serve
    server.shutdown()
    server.server_close()


def test_the_embed_snippet_sizes_its_iframe_to_the_list(page, live_server, approved_report, other_site):
    """The organisation pastes the snippet into its own site: the iframe grows or shrinks to the
    embedded list's height (posted by static/js/embed-height.js), with no scroll bar of its own."""
    officer = get_user_model().objects.get(username="officer")
    publishing.publish(target=approved_report, by=officer)
    page.goto(f"{live_server.url}/khao-hua-chang/")
    snippet = page.locator("#embed-code").input_value()
    assert page.locator("#link-code").input_value() == (
        f'<p><a href="{live_server.url}/khao-hua-chang/">มาตรการส่งเสริมคุณธรรมและความโปร่งใส (ITA) ของเทศบาลตำบลเขาหัวช้าง</a></p>'
    )
    site = other_site(
        f"<!doctype html><html lang='th'><title>เทศบาล</title><body><h1>เว็บไซต์ของเทศบาล</h1>{snippet}</body></html>"
    )
    for width in (1280, PHONE["width"]):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(site)
        expect(page.frame_locator("iframe").locator("body")).to_contain_text("รายงานผลการดำเนินการ รอบ ๑๒ เดือน")
        page.wait_for_function("document.querySelector('iframe').style.height !== ''")  # set by the snippet
        inner = page.frames[1].evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
        assert abs(page.locator("iframe").bounding_box()["height"] - inner) <= 1
        assert page.frames[1].evaluate("document.documentElement.scrollHeight <= document.documentElement.clientHeight")
