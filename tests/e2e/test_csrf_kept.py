"""Nothing typed is lost when the form's CSRF cookie is gone (issue 18): the Thai 403 page says
the text was kept, links back to the form, and the form is filled in again there."""

import pytest
from playwright.sync_api import expect

from measures import services
from measures.models import Finding, Membership

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = "ผลคะแนนตัวชี้วัดที่ ๙ การป้องกันการทุจริต ต่ำกว่าเกณฑ์ ร้อยละ ๘๕ ต้องเร่งปรับปรุงการเปิดเผยข้อมูล"


@pytest.fixture
def finding_url(db, live_server):
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    org = OrganisationFactory(name="เทศบาลตำบลคุกกี้หาย", slug="csrf-town")
    officer = UserFactory(username="officer")
    MembershipFactory(user=officer, organisation=org, role=Membership.Role.OFFICER)
    services.document_create(organisation=org, fiscal_year=2567, by=officer)
    return f"{live_server.url}/staff/csrf-town/measures/2567/findings/new/"


def test_a_finding_sent_without_its_csrf_cookie_is_kept_and_filled_in_again(page, login, shot, finding_url):
    login("officer")
    page.goto(finding_url)
    field = page.locator("textarea[name=text]")
    field.fill(TEXT)
    # The CSRF cookie is lost while she types (a browser clearing cookies, another tab logging out).
    page.context.clear_cookies(name="csrftoken")
    page.locator("form[data-keep-typed] button[type=submit]").first.click()

    expect(page.get_by_role("heading", name="ส่งแบบฟอร์มไม่สำเร็จ")).to_be_visible()
    expect(page.locator("main")).to_contain_text("ถูกเก็บไว้ในเบราว์เซอร์เครื่องนี้")
    assert not Finding.objects.exists()
    shot("csrf-failure-kept")

    page.get_by_role("link", name="กลับไปยังแบบฟอร์ม").click()
    page.wait_for_url(finding_url)
    expect(page.get_by_role("status").filter(has_text="กู้คืนข้อความที่พิมพ์ไว้")).to_be_visible()
    expect(page.locator("textarea[name=text]")).to_have_value(TEXT)
