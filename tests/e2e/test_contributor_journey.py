"""The finance unit's contributor reports the 6-month progress of her unit's measures, and only theirs."""

from datetime import date

import pytest
from playwright.sync_api import expect

from measures import services
from measures.models import Membership, ProgressEntry
from measures.services import MeasureData

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FINANCE = ["แผนการใช้จ่ายงบประมาณประจำปี", "รายงานผลการจัดซื้อจัดจ้างประจำปี"]
OTHERS = {"กองช่าง": "ซ่อมแซมถนนตามเรื่องร้องเรียนของประชาชน", "สำนักปลัด": "การเผยแพร่ข้อมูลข่าวสารบนเว็บไซต์"}


@pytest.fixture
def unit_town(db):
    """A 2567 measures document whose 6-month round is open: two finance measures, one each for two other units."""
    from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

    org = OrganisationFactory(name="เทศบาลตำบลหน่วยงานทดลอง", slug="unit-town")
    units = {name: UnitFactory(organisation=org, name=name) for name in ("สำนักปลัด", "กองคลัง", "กองช่าง")}
    officer = UserFactory(username="officer")
    MembershipFactory(user=officer, organisation=org, role=Membership.Role.OFFICER)
    MembershipFactory(
        user=UserFactory(username="contributor", first_name="สมหญิง", last_name="ตั้งใจ"),
        organisation=org,
        role=Membership.Role.CONTRIBUTOR,
        unit=units["กองคลัง"],
    )
    document = services.document_create(organisation=org, fiscal_year=2567, by=officer)
    titles = [(title, "กองคลัง") for title in FINANCE] + [(title, unit) for unit, title in OTHERS.items()]
    measures = {}
    for number, (title, unit) in enumerate(titles, start=1):
        measures[title] = services.measure_create(
            document=document,
            by=officer,
            data=MeasureData(
                title=title, number=number, units=[units[unit]], steps=["จัดทำแผน", "ดำเนินการ", "รายงานผล"]
            ),
        )
    services.report_start(document=document, round_months=6, by=officer)
    return measures


def test_a_contributor_updates_only_the_measures_of_her_unit(page, live_server, login, shot, unit_town):
    login("contributor")
    page.get_by_role("link", name="เทศบาลตำบลหน่วยงานทดลอง").first.click()
    expect(page.locator("main")).to_contain_text("ผู้รับผิดชอบ")
    page.get_by_role("link", name="รอบ 6 เดือน").click()

    # The round lists her unit's measures, each with its form; the other units' are not there at all.
    expect(page.locator("main")).to_contain_text("แสดงเฉพาะมาตรการที่หน่วยงานของคุณรับผิดชอบ")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    for title in FINANCE:
        expect(rows.filter(has_text=title).get_by_role("link", name="กรอกผล")).to_have_count(1)
    for title in OTHERS.values():
        expect(page.get_by_text(title)).to_have_count(0)
    expect(page.get_by_role("link", name="เสนอเพื่อพิจารณา")).to_have_count(0)
    shot("contributor-01-round")

    # First measure: in progress, half done.
    rows.filter(has_text=FINANCE[0]).get_by_role("link", name="กรอกผล").click()
    page.select_option("#id_status", "in_progress")
    page.fill("#id_percent", "๕๐")
    page.fill("#id_summary", "จัดทำแผนการใช้จ่ายงบประมาณแล้ว อยู่ระหว่างเผยแพร่")
    shot("contributor-02-entry-form")
    page.get_by_role("button", name="บันทึกผลการดำเนินการ").click()
    expect(page.locator(".messages")).to_contain_text("บันทึกผลการดำเนินการของมาตรการ 1 แล้ว")

    # Second measure: done, its completion date typed in Thai digits and the Buddhist Era.
    rows.filter(has_text=FINANCE[1]).get_by_role("link", name="กรอกผล").click()
    page.select_option("#id_status", "done")
    page.fill("#id_percent", "100")
    page.fill("#id_summary", "รายงานผลการจัดซื้อจัดจ้างประจำปีและเผยแพร่บนเว็บไซต์แล้ว")
    page.fill("#id_completed_on", "๒๘/๓/๒๕๖๗")
    page.get_by_role("button", name="บันทึกผลการดำเนินการ").click()
    expect(page.locator(".messages")).to_contain_text("บันทึกผลการดำเนินการของมาตรการ 2 แล้ว")
    expect(page.locator("main")).to_contain_text("ดำเนินการแล้วเสร็จ 1 จาก 2 มาตรการ")
    shot("contributor-03-round-updated")

    entries = {e.measure.title: e for e in ProgressEntry.objects.select_related("measure", "updated_by")}
    assert (entries[FINANCE[0]].status, entries[FINANCE[0]].percent) == ("in_progress", 50)
    assert (entries[FINANCE[1]].status, entries[FINANCE[1]].completed_on) == ("done", date(2024, 3, 28))
    assert {entries[t].updated_by.username for t in FINANCE} == {"contributor"}
    assert all(entries[t].status == "not_started" and entries[t].summary == "" for t in OTHERS.values())

    # Her measure's page offers progress, not changes to the measure itself …
    base = f"{live_server.url}/staff/unit-town/measures/2567"
    finance_measure = unit_town[FINANCE[0]]
    page.goto(f"{base}/m/{finance_measure.pk}/")
    expect(page.get_by_role("link", name="กรอกผล")).to_have_count(1)
    expect(page.get_by_role("link", name="แก้ไขมาตรการ")).to_have_count(0)
    # … and forcing its edit URL gives the Thai 403 page.
    response = page.goto(f"{base}/m/{finance_measure.pk}/edit/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("ไม่มีสิทธิ์เข้าถึงหน้านี้")
    shot("contributor-04-forbidden")

    # Another unit's measure is not revealed to her at all: its progress form and its edit URL answer
    # the Thai 404 page (measures.access: another unit's measure is treated as not existing).
    works_measure = unit_town[OTHERS["กองช่าง"]]
    for path in [f"rounds/6/{works_measure.pk}/", f"m/{works_measure.pk}/edit/", f"m/{works_measure.pk}/"]:
        response = page.goto(f"{base}/{path}")
        assert response.status == 404, path
        expect(page.locator("h1")).to_have_text("ไม่พบหน้าที่ต้องการ")
        expect(page.locator("main")).not_to_contain_text(OTHERS["กองช่าง"])
