"""The officer of a new organisation does a year's work in the browser (issue 2 acceptance)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from measures.models import Measure, MeasuresDocument, ProgressEntry, ProgressReport, Submission

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCORES = ["๘๕.๕๙", "๗๙.๙๕", "๘๐.๕๐", "๗๗.๑๐", "๘๔.๙๘", "๘๐.๓๓", "๘๐.๖๓", "๗๒.๕๘", "๗๒.๒๑", "๘๗.๕๐"]


@pytest.fixture
def new_org(db):
    from django.conf import settings

    from measures import workflow
    from measures.loaders import load_frameworks
    from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

    # transaction=True empties the database between tests: load the frameworks again.
    load_frameworks(settings.BASE_DIR / "fixtures" / "frameworks")
    org = OrganisationFactory(name="เทศบาลตำบลทดลอง", slug="new-town")
    for name in ("สำนักปลัด", "กองคลัง", "กองช่าง"):
        UnitFactory(organisation=org, name=name)
    officer = UserFactory(username="officer")
    MembershipFactory(user=officer, organisation=org, role="officer")
    # The organisation administrator's part: a one-step approval chain to submit the reports to.
    mayor = UserFactory(username="mayor")
    MembershipFactory(user=mayor, organisation=org, role="approver")
    workflow.chain_save(
        organisation=org, by=officer, rows=[{"title": "นายกเทศมนตรีตำบลทดลอง", "acting_for": "", "approvers": [mayor]}]
    )
    return org


def test_officer_enters_scores_writes_measures_copies_them_and_reports(page, live_server, login, shot, new_org):
    login("officer")
    base = f"{live_server.url}/staff/new-town"

    # ITA 2565 scores typed in Thai digits.
    page.goto(f"{base}/ita/2565/edit/")
    for number, score in enumerate(SCORES, start=1):
        page.fill(f"#id_indicator_{number}", score)
    page.fill("#id_official_total", "๗๙.๕๘")
    page.get_by_role("button", name="บันทึกและคำนวณ").click()
    expect(page.locator("h1")).to_contain_text("ผลการประเมิน ITA 2565")
    expect(page.locator(".warning-box")).to_contain_text("79.78")
    expect(page.locator("ol li").first).to_contain_text("ตัวชี้วัดที่ 9")
    shot("officer-01-scores")

    # A 2566 measures document: two themes, three measures with steps and several units.
    page.goto(f"{base}/measures/new/")
    page.fill("#id_fiscal_year", "2566")
    page.get_by_role("button", name="สร้างเอกสาร").click()
    page.get_by_role("link", name="เพิ่มด้าน").click()
    page.fill("#id_title", "ด้านการใช้งบประมาณ")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.get_by_role("link", name="เพิ่มมาตรการในด้านนี้").click()
    page.fill("#id_title", "แผนการใช้จ่ายงบประมาณประจำปี")
    page.fill("#id_steps", "๑. จัดทำแผนการใช้จ่ายงบประมาณ\n๒. เผยแพร่ผ่านเว็บไซต์\n๓. รายงานผลรายไตรมาส")
    page.check("label:has-text('กองคลัง') input")
    page.check("label:has-text('สำนักปลัด') input")
    page.fill("#id_item_codes", "I7, I๘")
    page.fill("#id_period_start", "1/10/2565")
    page.fill("#id_period_end", "31/03/2566")
    shot("officer-02-measure-form")
    page.click("button[name=save]")
    expect(page.locator(".messages")).to_contain_text("บันทึกมาตรการ 1.1 แล้ว")
    measure = Measure.objects.get(document__organisation=new_org, document__fiscal_year=2566)
    assert measure.period_end == date(2023, 3, 31)
    # Her own numbering is kept as typed (issue 17): the portal numbers only unnumbered steps.
    assert [s.text for s in measure.steps.all()] == [
        "๑. จัดทำแผนการใช้จ่ายงบประมาณ",
        "๒. เผยแพร่ผ่านเว็บไซต์",
        "๓. รายงานผลรายไตรมาส",
    ]
    assert {u.name for u in measure.units.all()} == {"กองคลัง", "สำนักปลัด"}
    expect(page.locator(f"#m-{measure.pk}")).to_be_visible()  # back on the measures list, at its row
    page.get_by_role("link", name="กลับไปหน้าเอกสาร").click()
    page.get_by_role("link", name="เพิ่มมาตรการในด้านนี้").click()
    page.fill("#id_title", "รายงานผลการจัดซื้อจัดจ้างประจำปี")
    page.fill("#id_steps", "รวบรวมข้อมูลการจัดซื้อจัดจ้าง\nวิเคราะห์ผลและจัดทำรายงาน")
    page.check("label:has-text('กองคลัง') input")
    page.fill("#id_period_start", "๑/๑๐/๒๕๖๕")  # Thai digits, as a Thai keyboard types them
    page.fill("#id_period_end", "๓๑/๓/๒๕๖๖")
    page.click("button[name=save]")
    expect(page.locator(".messages")).to_contain_text("บันทึกมาตรการ 1.2 แล้ว")

    page.get_by_role("link", name="กลับไปหน้าเอกสาร").click()
    page.get_by_role("link", name="เพิ่มด้าน").click()
    page.fill("#id_title", "ด้านการเปิดเผยข้อมูล")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.get_by_role("link", name="เพิ่มมาตรการในด้านนี้").nth(1).click()
    page.fill("#id_title", "การเผยแพร่ข้อมูลข่าวสารบนเว็บไซต์ของหน่วยงาน")
    page.fill("#id_steps", "ปรับปรุงหน้าเว็บไซต์\nเผยแพร่ข้อมูลตามรายการ OIT\nตรวจสอบความครบถ้วนทุกเดือน")
    for unit in ("สำนักปลัด", "กองช่าง", "กองคลัง"):
        page.check(f"label:has-text('{unit}') input")
    page.fill("#id_period_start", "๑๕/๑๑/๒๕๖๕")
    page.fill("#id_period_end", "31/3/2566")
    page.click("button[name=save]")
    expect(page.locator(".messages")).to_contain_text("บันทึกมาตรการ 2.1 แล้ว")
    measures = {m.display_number: m for m in Measure.objects.filter(document=measure.document)}
    assert (measures["1.2"].period_start, measures["1.2"].period_end) == (date(2022, 10, 1), date(2023, 3, 31))
    assert measures["2.1"].period_start == date(2022, 11, 15)
    assert {u.name for u in measures["2.1"].units.all()} == {"สำนักปลัด", "กองช่าง", "กองคลัง"}
    assert measures["2.1"].theme.title == "ด้านการเปิดเผยข้อมูล"
    expect(page.locator("table tbody tr")).to_have_count(3)  # the measures list
    shot("officer-03-document")

    # Copy into 2567.
    page.get_by_role("link", name="กลับไปหน้าเอกสาร").click()
    page.get_by_role("link", name="คัดลอกไปปีงบประมาณใหม่").click()
    page.get_by_role("button", name="คัดลอก", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("คัดลอกมาตรการ 3 รายการไปยังปีงบประมาณ 2567")
    assert MeasuresDocument.objects.filter(organisation=new_org, fiscal_year=2567).exists()

    # The 6-month round of 2566: every measure's progress, then submitted for approval.
    page.goto(f"{base}/measures/2566/rounds/6/")
    page.get_by_role("button", name="เริ่มรายงานผลรอบ 6 เดือน").click()
    progress = {
        "1.1": ("done", "๑๐๐", "จัดทำแผนการใช้จ่ายงบประมาณและเผยแพร่แล้ว", "๓๑/๓/๒๕๖๖"),
        "1.2": ("in_progress", "๖๐", "รวบรวมข้อมูลการจัดซื้อจัดจ้างไตรมาสที่ ๑–๒ แล้ว", ""),
        "2.1": ("done", "100", "ปรับปรุงหน้าเว็บไซต์และเผยแพร่ข้อมูลครบทุกรายการ", "๒๘/๒/๒๕๖๖"),
    }
    for number, (status, percent, summary, completed_on) in progress.items():
        page.locator("table tbody tr").filter(has_text=measures[number].title).get_by_role(
            "link", name="กรอกผล"
        ).click()
        page.select_option("#id_status", status)
        page.fill("#id_percent", percent)
        page.fill("#id_summary", summary)
        page.fill("#id_completed_on", completed_on)
        page.get_by_role("button", name="บันทึกผลการดำเนินการ").click()
        expect(page.locator(".messages")).to_contain_text(f"บันทึกผลการดำเนินการของมาตรการ {number} แล้ว")
    expect(page.locator("main")).to_contain_text("ดำเนินการแล้วเสร็จ 2 จาก 3 มาตรการ")
    entries = {e.measure.display_number: e for e in ProgressEntry.objects.filter(report__round=6)}
    assert (entries["1.1"].completed_on, entries["2.1"].completed_on) == (date(2023, 3, 31), date(2023, 2, 28))
    assert (entries["1.2"].status, entries["1.2"].percent, entries["1.2"].completed_on) == ("in_progress", 60, None)
    shot("officer-04-six-month-round")
    page.get_by_role("link", name="เสนอเพื่อพิจารณา").click()
    page.get_by_role("button", name="ยืนยันเสนอเพื่อพิจารณา").click()
    expect(page.locator(".messages")).to_contain_text("เสนอเพื่อพิจารณาแล้ว")
    expect(page.locator(".signoff")).to_contain_text("รอ นายกเทศมนตรีตำบลทดลอง")
    report = ProgressReport.objects.get(document=measure.document, round=6)
    assert report.status == "submitted"
    assert Submission.objects.get(report=report).status == Submission.Status.PENDING
    shot("officer-05-six-month-round-submitted")

    # The 12-month round of 2566.
    page.goto(f"{base}/measures/2566/rounds/12/")
    page.get_by_role("button", name="เริ่มรายงานผลรอบ 12 เดือน").click()
    page.get_by_role("link", name="กรอกผล", exact=True).first.click()
    page.select_option("#id_status", "done")
    page.fill("#id_percent", "๑๐๐")
    page.fill("#id_summary", "จัดทำแผนการใช้จ่ายงบประมาณและเผยแพร่แล้ว")
    page.fill("#id_completed_on", "31/03/2566")
    page.get_by_role("button", name="บันทึกผลการดำเนินการ").click()
    expect(page.locator(".messages")).to_contain_text("บันทึกผลการดำเนินการของมาตรการ 1.1 แล้ว")
    entry = ProgressEntry.objects.get(measure=measure, report__round=12)
    assert entry.completed_on == date(2023, 3, 31)
    assert entry.status == "done"
    shot("officer-06-twelve-month-round")


def test_a_christian_era_year_is_refused_in_thai_and_nothing_is_stored(page, live_server, login, new_org):
    login("officer")
    page.goto(f"{live_server.url}/staff/new-town/measures/new/")
    page.fill("#id_fiscal_year", "2023")
    page.get_by_role("button", name="สร้างเอกสาร").click()
    expect(page.locator(".errorlist")).to_contain_text("พุทธศักราช")
    assert not MeasuresDocument.objects.exists()
