"""A citizen on a phone: from / to ทต.เขาหัวช้าง's 12-month report in three taps, and its PDF."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from measures import workflow
from measures.demo import load_demo
from measures.models import ProgressReport
from reports import publishing

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}


@pytest.fixture
def published_report(db):
    """The demo, with ทต.เขาหัวช้าง's 12-month report signed off and published."""
    load_demo()
    users = get_user_model().objects
    report = ProgressReport.objects.get(document__organisation__slug="khao-hua-chang", round=12)
    submission = workflow.submit(target=report, by=users.get(username="officer"))
    approver = users.get(username="approver")
    while submission.status == submission.Status.PENDING:
        workflow.decide(submission=submission, by=approver, approve=True)
        submission.refresh_from_db()
    report.refresh_from_db()
    return publishing.publish(target=report, by=users.get(username="officer"))


def test_a_citizen_reaches_the_12_month_report_in_three_taps_and_downloads_it(page, live_server, shot,
                                                                             published_report):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    page.fill("#q", "พัทลุง")
    page.get_by_role("button", name="ค้นหา").click()  # tap 1
    page.get_by_role("link", name="เทศบาลตำบลเขาหัวช้าง").click()  # tap 2
    shot("public-01-organisation-on-phone")
    page.get_by_role("link", name="รายงานผลการดำเนินการ รอบ 12 เดือน").click()  # tap 3
    expect(page.locator("h1")).to_contain_text("รายงานผลการดำเนินการ รอบ 12 เดือน")
    expect(page.locator(".published-document")).to_contain_text("แผนการใช้จ่ายงบประมาณประจำปี")
    # Readable on the phone: the page itself does not scroll sideways (wide tables scroll in their box).
    page.wait_for_load_state("networkidle")
    too_wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], too_wide
    shot("public-02-report-on-phone")

    pdf_link = page.get_by_role("link", name="ดาวน์โหลด PDF")
    response = page.context.request.get(f"{live_server.url}{pdf_link.get_attribute('href')}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    with published_report.pdf.open("rb") as stored:
        assert response.body() == stored.read()
