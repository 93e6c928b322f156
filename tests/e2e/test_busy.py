"""A word while something takes seconds (issue 18, static/js/staff.js): a PDF being made says so,
and a sent import form cannot be sent twice. htmx loads on staff pages under the strict CSP."""

import pytest
from playwright.sync_api import expect

from measures import services
from measures.models import Membership
from measures.services import MeasureData

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def round_url(db, live_server):
    from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

    org = OrganisationFactory(name="เทศบาลตำบลรอสักครู่", slug="busy-town")
    unit = UnitFactory(organisation=org, name="สำนักปลัด")
    officer = UserFactory(username="officer")
    MembershipFactory(user=officer, organisation=org, role=Membership.Role.OFFICER)
    document = services.document_create(organisation=org, fiscal_year=2567, by=officer)
    services.measure_create(document=document, by=officer, data=MeasureData(title="มาตรการ", number=1, units=[unit]))
    services.report_start(document=document, round_months=6, by=officer)
    return f"{live_server.url}/staff/busy-town/measures/2567/rounds/6/"


def test_a_pdf_being_made_says_so(page, login, round_url):
    login("officer")
    # The PDF is held back (never answered) so the page stays and what it says can be read.
    page.route("**/*.pdf", lambda route: None)
    page.goto(round_url)
    assert page.evaluate("typeof htmx !== 'undefined' && htmx.config.allowEval === false")
    expect(page.locator(".busy-status")).to_have_count(0)
    # Clicked and read in the page's own script: Playwright would wait for the held-back navigation.
    said = page.get_by_role("link", name="ดาวน์โหลด PDF").evaluate(
        """async (link) => {
            link.click();
            await new Promise((done) => setTimeout(done, 50));
            const status = document.querySelector(".busy-status");
            return [status.textContent, status.getAttribute("role"), getComputedStyle(status).display];
        }"""
    )
    assert said == ["กำลังสร้าง PDF อาจใช้เวลาสักครู่…", "status", "block"]


def test_an_import_being_read_says_so_and_cannot_be_sent_twice(page, login, round_url, tmp_path):
    login("officer")
    page.route("**/import/", lambda route: None if route.request.method == "POST" else route.continue_())
    page.goto(round_url.replace("rounds/6/", "import/"))
    sheet = tmp_path / "measures.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not really a workbook")
    page.locator("input[type=file]").set_input_files(str(sheet))
    button = page.locator("form[data-busy] button[type=submit]")
    said = button.evaluate(
        """async (button) => {
            button.click();
            await new Promise((done) => setTimeout(done, 50));
            const status = document.querySelector(".busy-status");
            return [status.textContent, getComputedStyle(status).display, button.disabled];
        }"""
    )
    assert said[0].startswith("กำลังอ่านไฟล์") and said[1:] == ["block", True]
