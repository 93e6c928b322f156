"""Nothing typed is lost (issue 18): a contributor's result survives a session that expired
before she pressed save, and is saved with its evidence in one press."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from measures import services
from measures.models import Membership, ProgressEntry
from measures.services import MeasureData

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SUMMARY = "จัดประชุมชี้แจงเจ้าหน้าที่กองคลังแล้ว ๒ ครั้ง มีผู้เข้าร่วม ๒๕ คน"


@pytest.fixture
def entry_url(db, live_server):
    from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

    org = OrganisationFactory(name="เทศบาลตำบลไม่หาย", slug="kept-town")
    finance = UnitFactory(organisation=org, name="กองคลัง")
    officer = UserFactory(username="officer")
    MembershipFactory(user=officer, organisation=org, role=Membership.Role.OFFICER)
    contributor = UserFactory(username="contributor")
    MembershipFactory(user=contributor, organisation=org, role=Membership.Role.CONTRIBUTOR, unit=finance)
    document = services.document_create(organisation=org, fiscal_year=2567, by=officer)
    measure = services.measure_create(
        document=document, by=officer, data=MeasureData(title="แผนการใช้จ่ายงบประมาณ", number=1, units=[finance])
    )
    services.report_start(document=document, round_months=6, by=officer)
    return f"{live_server.url}/staff/kept-town/measures/2567/rounds/6/{measure.pk}/"


def test_a_result_typed_when_the_session_expired_is_filled_in_again_after_login(page, login, shot, entry_url):
    login("contributor")
    page.goto(entry_url)
    page.get_by_label("สถานะ").select_option("in_progress")
    page.get_by_label("ความก้าวหน้า (ร้อยละ)").fill("60")
    page.get_by_label("สรุปผลการดำเนินงาน").fill(SUMMARY)

    Session.objects.all().delete()  # the session expires while she types
    page.get_by_role("button", name="บันทึกผลการดำเนินการ").click()
    page.wait_for_url("**/accounts/login/**")
    page.fill("#id_username", "contributor")
    page.fill("#id_password", "pass-for-tests-1")
    page.click("button[type=submit]")

    # Back on the entry: what she typed is there again, with a notice, and not saved yet.
    page.wait_for_url(entry_url)
    expect(page.get_by_role("status").filter(has_text="กู้คืนข้อความที่พิมพ์ไว้")).to_be_visible()
    expect(page.get_by_label("สรุปผลการดำเนินงาน")).to_have_value(SUMMARY)
    expect(page.get_by_label("ความก้าวหน้า (ร้อยละ)")).to_have_value("60")
    expect(page.get_by_label("สถานะ")).to_have_value("in_progress")
    assert ProgressEntry.objects.get().summary == ""
    shot("entry-restored-after-login")

    page.get_by_role("button", name="บันทึกผลการดำเนินการ").click()
    expect(page.locator(".messages")).to_contain_text("บันทึกผลการดำเนินการของมาตรการ")
    entry = ProgressEntry.objects.get()
    assert (entry.status, entry.percent, entry.summary) == ("in_progress", 60, SUMMARY)

    # Saved: the entry opens with the saved values and no notice.
    page.goto(entry_url)
    expect(page.get_by_label("สรุปผลการดำเนินงาน")).to_have_value(SUMMARY)
    expect(page.get_by_text("กู้คืนข้อความที่พิมพ์ไว้")).to_have_count(0)


def test_a_result_with_a_file_and_a_link_is_saved_with_one_press(page, login, entry_url, tmp_path):
    login("contributor")
    page.goto(entry_url)
    page.get_by_label("สถานะ").select_option("done")
    page.get_by_label("ความก้าวหน้า (ร้อยละ)").fill("100")
    page.get_by_label("สรุปผลการดำเนินงาน").fill(SUMMARY)
    report = tmp_path / "รายงานการประชุม.pdf"
    report.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.get_by_label("ไฟล์").set_input_files(str(report))
    page.get_by_role("button", name="บันทึกและแนบหลักฐานเพิ่ม").click()
    expect(page.locator(".messages")).to_contain_text("แนบหลักฐาน")
    page.get_by_label("ชื่อหลักฐาน").fill("ข่าวประชาสัมพันธ์")
    page.get_by_label("ลิงก์").fill("https://example.go.th/news/1")
    page.get_by_role("button", name="บันทึกผลการดำเนินการ").click()
    expect(page.locator(".messages")).to_contain_text("แนบหลักฐาน")
    entry = ProgressEntry.objects.get()
    assert (entry.status, entry.summary) == ("done", SUMMARY)
    assert sorted(entry.evidence.values_list("title", flat=True)) == ["ข่าวประชาสัมพันธ์", "รายงานการประชุม.pdf"]
