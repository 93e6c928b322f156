"""An officer deletes a measure, finds it in the document's trash and brings it back (issue 18)."""

import pytest
from playwright.sync_api import expect

from measures.models import Measure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town(db):
    from django.conf import settings

    from measures import services
    from measures.loaders import load_frameworks
    from measures.services import MeasureData
    from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

    # transaction=True empties the database between tests: load the frameworks again.
    load_frameworks(settings.BASE_DIR / "fixtures" / "frameworks")
    org = OrganisationFactory(name="เทศบาลตำบลถังขยะ", slug="trash-town")
    finance = UnitFactory(organisation=org, name="กองคลัง")
    officer = UserFactory(username="officer", first_name="สมศรี", last_name="ใจดี")
    MembershipFactory(user=officer, organisation=org, role="officer")
    document = services.document_create(organisation=org, fiscal_year=2567, by=officer)
    theme = services.theme_save(document=document, by=officer, number=1, title="ด้านการเปิดเผยข้อมูล")
    data = MeasureData(
        title="เผยแพร่แผนการจัดซื้อจัดจ้าง",
        number=1,
        theme=theme,
        units=[finance],
        steps=["แต่งตั้งคณะทำงาน", "จัดทำแผนการจัดซื้อจัดจ้าง", "ประกาศบนเว็บไซต์ของหน่วยงาน"],
    )
    measure = services.measure_create(document=document, by=officer, data=data)
    data.title = "เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี"  # an earlier change the history must keep
    services.measure_update(measure=measure, by=officer, revision=None, data=data)
    finding = services.finding_save(document=document, by=officer, kind="urgent", text="ตัวชี้วัดที่ 9 ต่ำกว่าเกณฑ์")
    services.finding_delete(finding=finding, by=officer)
    return measure.pk


def test_officer_deletes_a_measure_and_restores_it_from_the_trash(page, live_server, login, shot, axe, town):
    login("officer")
    document = f"{live_server.url}/staff/trash-town/measures/2567"

    page.goto(f"{document}/m/{town}/")
    page.get_by_role("link", name="ลบมาตรการ").click()
    expect(page.locator("h1")).to_contain_text("ลบมาตรการนี้หรือไม่")
    page.get_by_role("button", name="ลบมาตรการ").click()
    expect(page.locator(".messages")).to_contain_text("ลบมาตรการแล้ว")
    assert not Measure.objects.filter(pk=town).exists()

    page.goto(f"{document}/trash/")
    expect(page.locator("h1")).to_have_text("ถังขยะของเอกสาร")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("1.1 เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี")  # the newest first
    expect(rows.first).to_contain_text("สมศรี ใจดี")
    expect(rows.nth(1)).to_contain_text("ตัวชี้วัดที่ 9 ต่ำกว่าเกณฑ์")
    expect(page.locator("tbody")).not_to_contain_text("แต่งตั้งคณะทำงาน")  # steps come back with it
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        shot(f"trash-{width}")
        assert axe(f"trash-{width}") == []

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="กู้คืน มาตรการ").click()
    expect(page.locator(".messages")).to_contain_text("กู้คืนมาตรการ 1.1 แล้ว")
    expect(page).to_have_url(f"{document}/m/{town}/")
    expect(page.locator("main")).to_contain_text("ประกาศบนเว็บไซต์ของหน่วยงาน")
    expect(page.locator("main")).to_contain_text("จัดทำแผนการจัดซื้อจัดจ้าง")
    shot("trash-restored-measure")

    page.get_by_role("link", name="ประวัติการแก้ไข").click()
    history = page.locator("tbody")
    expect(history).to_contain_text("ลบมาตรการ")
    expect(history).to_contain_text("กู้คืนจากถังขยะ")
    expect(history).to_contain_text("สร้างมาตรการ")
    expect(history).to_contain_text("เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี")  # the edit before the deletion
    shot("trash-restored-history")

    page.goto(f"{document}/trash/")
    expect(page.locator("tbody tr")).to_have_count(1)
