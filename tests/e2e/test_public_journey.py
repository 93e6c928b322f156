"""The officer publishes ทต.เขาหัวช้าง's approved 12-month report; a citizen on a phone finds it and its PDF.

The citizen goes from / to the report in three taps, reads it without the page scrolling
sideways, and downloads the PDF from the link: the bytes are a PDF whose text is the report's.
"""

import subprocess
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from measures import workflow
from measures.devdata.demo import DEMO_PASSWORD, load_demo
from measures.models import DocumentStatus, ProgressReport
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
    expect(page.locator(".published-document")).to_contain_text("แผนการใช้จ่ายงบประมาณประจำปี")
    # Who signed it, and the signed memo the officer chose to publish with it.
    expect(page.locator(".approved-by")).to_contain_text("อนุมัติโดย")
    expect(page.locator(".published-document .approvals")).to_contain_text("การพิจารณาอนุมัติ")
    expect(page.get_by_role("link", name="บันทึกข้อความที่ลงความเห็นแล้ว (PDF)")).to_have_attribute(
        "href", "/khao-hua-chang/2566/report-12/v1-memo.pdf"
    )
    # Readable on the phone: the page itself does not scroll sideways (wide tables scroll in their box).
    page.wait_for_load_state("networkidle")
    too_wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], too_wide
    # The measures table's header stands over its columns (the page's own CSS once made it a CSS grid).
    header, row = page.evaluate("""() => {
        const table = document.querySelector('.published-document table.grid');
        const lefts = row => [...row.cells].map(cell => Math.round(cell.getBoundingClientRect().left));
        return [lefts(table.tHead.rows[0]), lefts(table.querySelector('tbody tr:not(.theme)'))]; }""")
    assert header == row
    shot("public-03-report-on-phone")

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
