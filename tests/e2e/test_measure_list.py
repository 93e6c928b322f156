"""A document's measures on their own page, in the browser (issue 18): the officer filters as she
types (htmx, the page is not reloaded), edits a measure of the filtered list, saves and lands back
on its row with her filter kept; the same list works without JavaScript; axe at 1280 and 375 px."""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from measures.models import Measure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}
SEARCH = "ตรวจรับ"


@pytest.fixture
def town(db):
    from django.conf import settings

    from measures import services
    from measures.loaders import load_frameworks
    from measures.services import MeasureData
    from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

    # transaction=True empties the database between tests: load the frameworks again.
    load_frameworks(settings.BASE_DIR / "fixtures" / "frameworks")
    org = OrganisationFactory(name="เทศบาลตำบลรายการมาตรการ", slug="list-town")
    finance, works = (UnitFactory(organisation=org, name=name) for name in ("กองคลัง", "กองช่าง"))
    officer = UserFactory(username="officer")
    MembershipFactory(user=officer, organisation=org, role="officer")
    document = services.document_create(organisation=org, fiscal_year=2566, by=officer)
    themes = [
        services.theme_save(document=document, by=officer, number=1, title="ด้านการเปิดเผยข้อมูล"),
        services.theme_save(document=document, by=officer, number=2, title="ด้านการป้องกันการทุจริต"),
    ]
    titles = [f"เผยแพร่ข้อมูลสาธารณะเรื่องที่ {n}" for n in range(1, 29)]
    titles[3] = "ตรวจรับงานก่อสร้างโดยเปิดเผยต่อประชาชน"
    titles[20] = "ตรวจรับพัสดุต่อหน้าคณะกรรมการชุมชน"
    for n, title in enumerate(titles):
        services.measure_create(
            document=document,
            by=officer,
            data=MeasureData(
                title=title,
                number=n // 2 + 1,
                theme=themes[n % 2],
                units=[finance] if n % 3 else [works],
                steps=["จัดทำแผน", "ดำเนินการ", "รายงานผล"],
            ),
        )
    return org


def test_the_officer_filters_as_she_types_edits_a_measure_and_lands_back_on_its_row(
    page, live_server, login, shot, axe, town
):
    page.set_viewport_size(DESKTOP)
    login("officer")
    base = f"{live_server.url}/staff/list-town/measures/2566"

    # The document's page no longer carries the table: a summary by theme and the way to the list.
    page.goto(f"{base}/")
    summary = page.locator(".measures-summary")
    expect(summary).to_contain_text("ทั้งหมด 28 มาตรการ")
    expect(summary).to_contain_text("1. ด้านการเปิดเผยข้อมูล — 14 มาตรการ")
    expect(page.locator("table.measure-table")).to_have_count(0)
    expect(page.get_by_role("link", name="ถังขยะ (กู้คืนสิ่งที่ลบ)")).to_be_visible()
    shot("measure-list-00-document-summary")
    page.get_by_role("link", name="ดูและแก้ไขมาตรการทั้งหมด").click()
    expect(page.locator("h1")).to_have_text("มาตรการทั้งหมด")
    expect(page.locator("#measure-count")).to_have_text("ทั้งหมด 28 มาตรการ")
    expect(page.locator("table.measure-table tbody tr")).to_have_count(25)  # a page of 25
    assert not (blocking := axe("staff-measure-list-desktop")), blocking
    shot("measure-list-01-1280")

    # Filtering as she types: htmx replaces the table, the page itself stays (no reload).
    page.evaluate("window.stillTheSamePage = true")
    page.locator("#id_q").press_sequentially(SEARCH, delay=40)
    rows = page.locator("table.measure-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#measure-count")).to_have_text("พบ 2 มาตรการที่ตรงกับตัวกรอง")
    expect(page).to_have_url(re.compile(re.escape("q=" + quote(SEARCH))))  # the URL keeps the filter
    # A theme chosen from the list narrows it at once.
    page.select_option("#id_theme", label="2. ด้านการป้องกันการทุจริต")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(r"theme=\d+"))
    assert page.evaluate("window.stillTheSamePage === true"), "the filters reloaded the page"
    shot("measure-list-02-filtered")

    # Sorting is a link that keeps the filters; the filters keep the sort.
    page.select_option("#id_theme", value="")
    expect(rows).to_have_count(2)
    page.get_by_role("link", name="ผู้รับผิดชอบ").click()
    expect(page).to_have_url(re.compile(r"sort=units"))
    expect(page.locator("#id_q")).to_have_value(SEARCH)
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("กองคลัง")  # กองคลัง before กองช่าง

    # She edits the measure on the second row, saves, and lands back on its row, filter and sort kept.
    measure = Measure.objects.get(title="ตรวจรับงานก่อสร้างโดยเปิดเผยต่อประชาชน")
    rows.filter(has_text=measure.title).get_by_role("link", name="แก้ไข").click()
    expect(page.locator("h1")).to_contain_text("แก้ไขมาตรการ")
    page.fill("#id_title", "ตรวจรับงานก่อสร้างโดยเปิดเผยต่อประชาชนทุกครั้ง")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/m/\?.*q=.*sort=units.*#m-{measure.pk}$"))
    expect(page.locator(".messages")).to_contain_text(f"บันทึกมาตรการ {measure.display_number} แล้ว")
    expect(page.locator("#id_q")).to_have_value(SEARCH)
    saved_row = page.locator(f"#m-{measure.pk}")
    expect(saved_row).to_contain_text("ตรวจรับงานก่อสร้างโดยเปิดเผยต่อประชาชนทุกครั้ง")
    expect(saved_row).to_be_in_viewport()
    # The row is highlighted (:target).
    background = saved_row.locator("td").first.evaluate("cell => getComputedStyle(cell).backgroundColor")
    assert background == "rgb(255, 244, 194)", background
    shot("measure-list-03-back-at-the-row")

    # A search without a match says so, with the way out.
    page.locator("#id_q").fill("ไม่มีมาตรการนี้")
    expect(page.locator(".empty-list")).to_contain_text("ไม่พบมาตรการที่ตรงกับตัวกรอง")
    page.get_by_role("link", name="ล้างตัวกรองและแสดงมาตรการทั้งหมด").click()
    expect(page.locator("#measure-count")).to_have_text("ทั้งหมด 28 มาตรการ")

    # On a phone the table stacks into cards.
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/m/?q={quote(SEARCH)}")
    expect(rows).to_have_count(2)
    assert not (blocking := axe("staff-measure-list-phone")), blocking
    shot("measure-list-04-375")


def test_the_list_filters_without_javascript(browser, live_server, town):
    context = browser.new_context(java_script_enabled=False, locale="th-TH", viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "officer")
        page.fill("#id_password", "pass-for-tests-1")
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/staff/list-town/measures/2566/m/")
        page.fill("#id_q", SEARCH)
        page.get_by_role("button", name="กรอง").click()
        expect(page.locator("table.measure-table tbody tr")).to_have_count(2)
        expect(page).to_have_url(re.compile(re.escape("q=" + quote(SEARCH))))
        expect(page.locator("#measure-count")).to_have_text("พบ 2 มาตรการที่ตรงกับตัวกรอง")
    finally:
        context.close()
