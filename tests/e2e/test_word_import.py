"""The officer imports last year's Word document (issue 20): a file with a bad row is refused whole and the
page names the table, row and column; the corrected file is previewed row by row, then imported, and its
measures are listed."""

import pytest
from playwright.sync_api import expect

from measures import services
from measures.models import Measure, Membership, ProgressEntry
from measures.tabular.docx_import import apply_word_measures, document_state, read_word_measures
from tests import word_files
from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory
from tests.measures.test_word_import import seed_town

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 375, "height": 740}


@pytest.fixture
def word_town(db):
    organisation = OrganisationFactory(name="เทศบาลตำบลนำเข้าจากเวิร์ด", slug="word-town")
    for name in ("กองคลัง", "กองช่าง"):
        UnitFactory(organisation=organisation, name=name)
    officer = UserFactory(username="officer")
    MembershipFactory(user=officer, organisation=organisation, role=Membership.Role.OFFICER)
    return services.document_create(organisation=organisation, fiscal_year=2566, by=officer)


def checked_at_both_widths(page, axe, shot, name: str) -> None:
    for label, size in (("1280", DESKTOP), ("375", PHONE)):
        page.set_viewport_size(size)
        shot(f"word-import-{name}-{label}")
        assert axe(f"word-import-{name}-{label}") == []
    page.set_viewport_size(DESKTOP)


def test_a_word_file_with_a_bad_row_imports_nothing_then_corrected_is_previewed_and_imported(
    page, live_server, login, shot, axe, word_town, tmp_path
):
    bad, good = tmp_path / "last-year.docx", tmp_path / "merged.docx"
    bad.write_bytes(word_files.refused_whole())
    good.write_bytes(word_files.merged_cells())
    login("officer")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/staff/word-town/measures/2566/")
    page.get_by_role("link", name="นำเข้าจากไฟล์ Word").click()
    expect(page.locator("h1")).to_have_text("นำเข้ามาตรการจากไฟล์ Word")

    page.get_by_label("ไฟล์ Word (.docx)").set_input_files(bad)
    page.get_by_role("button", name="ตรวจไฟล์").click()
    problems = page.locator(".problems li")
    expect(problems).to_have_count(2)
    expect(problems.first).to_contain_text("ตารางที่ 1 แถวที่ 3 (มาตรการ 2) คอลัมน์ ‘หน่วยงานผู้รับผิดชอบ’")
    expect(problems.first).to_contain_text("“กองสวัสดิการสังคม”")
    checked_at_both_widths(page, axe, shot, "01-refused")
    assert Measure.objects.count() == 0

    page.get_by_label("ไฟล์ Word (.docx)").set_input_files(good)
    page.get_by_role("button", name="ตรวจไฟล์").click()
    expect(page.locator("h1")).to_have_text("ตรวจก่อนนำเข้าจากไฟล์ Word")
    expect(page.locator(".notice")).to_contain_text("จะเพิ่มมาตรการ 3 รายการ และด้านใหม่ 2 ด้าน")
    expect(page.locator(".word-rows > li")).to_have_count(5)  # two themes, three measures
    checked_at_both_widths(page, axe, shot, "02-preview")
    assert Measure.objects.count() == 0

    page.get_by_role("button", name="ยืนยันนำเข้า").click()
    expect(page.locator(".messages")).to_contain_text("นำเข้ามาตรการ 3 รายการและด้านใหม่ 2 ด้านจากไฟล์ merged.docx แล้ว")
    expect(page.locator("main")).to_contain_text("รายงานผลการจัดซื้อจัดจ้างรายเดือน")
    shot("word-import-03-imported")
    assert Measure.objects.count() == 3


def test_a_reports_results_from_word_are_previewed_as_changes_then_written_into_the_round(
    page, live_server, login, shot, axe, tmp_path
):
    document, officer = seed_town("thawon", officer_name="officer")
    content = word_files.seed_docx("thawon")
    found, _plan = read_word_measures(document=document, upload=word_files.upload(content))
    apply_word_measures(document=document, by=officer, found=found, state=document_state(document))
    services.report_start(document=document, round_months=6, by=officer)
    report = tmp_path / "thawon-6m.docx"
    report.write_bytes(content)
    login("officer")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/staff/thawon/measures/2566/rounds/6/")
    page.get_by_role("link", name="นำเข้าจากไฟล์ Word").click()
    expect(page.locator("h1")).to_have_text("นำเข้าผลการดำเนินการจากไฟล์ Word")
    page.get_by_label("ไฟล์ Word (.docx)").set_input_files(report)
    page.get_by_role("button", name="ตรวจไฟล์").click()
    expect(page.locator(".notice")).to_contain_text("จะปรับปรุง 42 มาตรการ")
    checked_at_both_widths(page, axe, shot, "04-round-preview")
    page.get_by_role("button", name="ยืนยันนำเข้า").click()
    expect(page.locator(".messages")).to_contain_text("นำเข้าผลการดำเนินการจากไฟล์ thawon-6m.docx แล้ว ปรับปรุง 42 มาตรการ")
    assert ProgressEntry.objects.exclude(summary="").count() == 42
