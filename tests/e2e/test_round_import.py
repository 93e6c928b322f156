"""The officer sends กองคลัง its Excel of the 6-month round and imports what comes back (issue 18):
returned with one bad row it imports nothing and the page names the row and the column; corrected,
it is previewed and then imported."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from measures import services
from measures.models import Membership, ProgressEntry
from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory
from tests.measures.test_round_import import EVERYONE, FINANCE_PLAN, FINANCE_REPORT, WORKS, build_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 375, "height": 740}


@pytest.fixture
def excel_town(db):
    organisation = OrganisationFactory(name="เทศบาลตำบลส่งผลทางไฟล์", slug="excel-town")
    finance = UnitFactory(organisation=organisation, name="กองคลัง")
    works = UnitFactory(organisation=organisation, name="กองช่าง")
    officer = UserFactory(username="officer")
    MembershipFactory(user=officer, organisation=organisation, role=Membership.Role.OFFICER)
    document = services.document_create(organisation=organisation, fiscal_year=2567, by=officer)
    return build_round(document, officer, finance, works)


def results() -> dict:
    return {
        e.measure.title: (e.status, e.percent, e.summary, e.revision)
        for e in ProgressEntry.objects.select_related("measure")
    }


def checked_at_both_widths(page, axe, shot, name: str) -> None:
    for label, size in (("1280", DESKTOP), ("375", PHONE)):
        page.set_viewport_size(size)
        shot(f"round-import-{name}-{label}")
        assert axe(f"round-import-{name}-{label}") == []
    page.set_viewport_size(DESKTOP)


def test_a_units_excel_returned_with_a_bad_row_imports_nothing_then_corrected_is_previewed_and_imported(
    page, live_server, login, shot, axe, excel_town, tmp_path
):
    login("officer")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/staff/excel-town/measures/2567/rounds/6/")
    page.get_by_label("แบบรายงานผลให้ส่วนราชการกรอก:").select_option(label="กองคลัง")
    shot("round-import-01-round-page")
    page.set_viewport_size(PHONE)
    shot("round-import-01-round-page-375")
    page.set_viewport_size(DESKTOP)
    with page.expect_download() as download:
        page.get_by_role("button", name="ส่งออก Excel ของหน่วยงาน").click()
    sent = tmp_path / download.value.suggested_filename
    download.value.save_as(sent)
    assert sent.name.startswith("ita-progress-excel-town-2567-6m-unit-")

    # กองคลัง fills its rows: the measure of every unit, then its two own; the second one wrong.
    book = load_workbook(sent)
    sheet = book.worksheets[0]
    assert [sheet.cell(row=r, column=2).value for r in (2, 3, 4)] == [EVERYONE, FINANCE_PLAN, FINANCE_REPORT]
    assert sheet.max_row == 4  # กองช่าง's measures are not in กองคลัง's file
    sheet["D3"], sheet["E3"], sheet["F3"] = "อยู่ระหว่างดำเนินการ", 60, "จัดทำร่างแผนแล้ว เสนอผู้บริหาร"
    sheet["D4"], sheet["E4"] = "ดำเนินการแล้วเสร็จ", "ร้อยเปอร์เซ็นต์"
    sheet["J4"] = "28/03/2567"
    returned = tmp_path / "returned.xlsx"
    book.save(returned)
    before = results()

    page.get_by_role("link", name="นำเข้าผลจาก Excel").click()
    expect(page.locator("h1")).to_have_text("นำเข้าผลการดำเนินการจาก Excel")
    expect(page.locator("form[data-busy='กำลังอ่านไฟล์…']")).to_have_count(1)
    checked_at_both_widths(page, axe, shot, "02-form")
    page.get_by_label("ไฟล์ผลการดำเนินการ (.xlsx)").set_input_files(returned)
    page.get_by_role("button", name="ตรวจไฟล์").click()

    problems = page.locator(".problems")
    expect(problems).to_contain_text("นำเข้าไม่สำเร็จ — ยังไม่ได้บันทึกข้อมูลใดเลย")
    expect(problems.locator("li")).to_have_count(1)
    expect(problems.locator("li")).to_have_text(
        "แถวที่ 4 คอลัมน์ ‘ความก้าวหน้า (ร้อยละ)’: กรุณากรอกร้อยละเป็นจำนวนเต็ม 0 ถึง 100 เช่น 50 (ไม่ต้องใส่ %)"
    )
    checked_at_both_widths(page, axe, shot, "03-refused")
    assert results() == before  # the good row was not imported either

    # Corrected, the same file is previewed: what changes, old and new; nothing written yet.
    sheet["E4"] = 100
    book.save(returned)
    page.get_by_label("ไฟล์ผลการดำเนินการ (.xlsx)").set_input_files(returned)
    page.get_by_role("button", name="ตรวจไฟล์").click()
    expect(page.locator("h1")).to_have_text("ตรวจก่อนนำเข้าผลการดำเนินการ")
    expect(page.locator("main")).to_contain_text("จะปรับปรุง 2 มาตรการ ไม่เปลี่ยนแปลง 1 มาตรการ")
    changed = page.locator(".diff-list > li")
    expect(changed).to_have_count(2)
    expect(changed.first).to_contain_text("1.1")
    expect(changed.first).to_contain_text("จัดทำร่างแผนแล้ว เสนอผู้บริหาร")
    expect(changed.nth(1)).to_contain_text("28 มี.ค. 2567")
    checked_at_both_widths(page, axe, shot, "04-preview")
    assert results() == before

    page.get_by_role("button", name="ยืนยันนำเข้า").click()
    expect(page.locator(".messages")).to_contain_text("นำเข้าผลการดำเนินการจากไฟล์ returned.xlsx แล้ว ปรับปรุง 2 มาตรการ")
    expect(page.locator("main")).to_contain_text("ดำเนินการแล้วเสร็จ 1 จาก 5 มาตรการ")
    shot("round-import-05-imported")
    after = results()
    assert after[FINANCE_PLAN][:3] == ("in_progress", 60, "จัดทำร่างแผนแล้ว เสนอผู้บริหาร")
    assert after[FINANCE_REPORT][:2] == ("done", 100)
    assert after[EVERYONE] == before[EVERYONE] and after[WORKS] == before[WORKS]
