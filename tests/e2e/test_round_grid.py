"""The round grid (issue 18): an officer enters a whole round of 16 measures in one table with one
save; a wrong row shows its error at the top and next to its field, keeps everything typed and saves
nothing. Checked with axe at desktop and phone widths."""

from datetime import date

import pytest
from playwright.sync_api import expect

from measures import services
from measures.models import Membership, ProgressEntry
from measures.services import MeasureData

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 667}}
STATUSES = ["done", "in_progress", "delayed", "not_started"]


@pytest.fixture
def grid_url(db, live_server):
    """Grid-town's 2567 document: 16 measures in two themes (8 for กองคลัง, 8 for กองช่าง), its
    6-month round open."""
    from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

    org = OrganisationFactory(name="เทศบาลตำบลตารางเดียว", slug="grid-town")
    finance = UnitFactory(organisation=org, name="กองคลัง")
    works = UnitFactory(organisation=org, name="กองช่าง")
    officer = UserFactory(username="officer")
    MembershipFactory(user=officer, organisation=org, role=Membership.Role.OFFICER)
    document = services.document_create(organisation=org, fiscal_year=2567, by=officer)
    for number, (title, unit) in enumerate((("ด้านการเปิดเผยข้อมูล", finance), ("ด้านการป้องกันการทุจริต", works)), 1):
        theme = services.theme_save(document=document, by=officer, number=number, title=title)
        for measure in range(1, 9):
            services.measure_create(
                document=document,
                by=officer,
                data=MeasureData(
                    title=f"มาตรการที่ {number}.{measure} ของ{unit.name} จัดทำและเผยแพร่ข้อมูลตามแผนประจำปี",
                    number=measure,
                    theme=theme,
                    units=[unit],
                ),
            )
    services.report_start(document=document, round_months=6, by=officer)
    return f"{live_server.url}/staff/grid-town/measures/2567/rounds/6/grid/"


def _check_both_widths(page, axe, shot, name) -> list[str]:
    blocking = []
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        blocking += axe(f"{name}-{width}")
        shot(f"{name}-{width}")
    page.set_viewport_size(WIDTHS["desktop"])
    return blocking


def test_an_officer_enters_a_whole_round_of_16_measures_with_one_save(page, login, shot, axe, grid_url):
    login("officer")
    page.set_viewport_size(WIDTHS["desktop"])
    page.goto(grid_url)
    expect(page.locator("table.grid-table tbody tr")).to_have_count(16)
    blocking = _check_both_widths(page, axe, shot, "round-grid")

    for index in range(16):
        status = STATUSES[index % 4]
        page.locator(f"#id_rows-{index}-status").select_option(status)
        page.locator(f"#id_rows-{index}-percent").fill({"done": "100", "not_started": "0"}.get(status, str(10 + index)))
        page.locator(f"#id_rows-{index}-summary").fill(f"ผลการดำเนินงานของแถวที่ {index + 1}")
        page.locator(f"#id_rows-{index}-outcome").fill(f"ผลลัพธ์ {index + 1}")
        if status == "delayed":
            page.locator(f"#id_rows-{index}-problems").fill("งบประมาณมาช้า")
            page.locator(f"#id_rows-{index}-suggestions").fill("ขอจัดสรรงบประมาณให้เร็วขึ้น")
        if status == "done":
            page.locator(f"#id_rows-{index}-completed_on").fill(f"{index + 1:02d}/03/2567")
    page.get_by_role("button", name="บันทึกผลทั้ง 16 มาตรการ").click()

    expect(page.locator(".messages")).to_contain_text("บันทึกผลการดำเนินการ 16 มาตรการแล้ว")
    assert page.url == grid_url
    entries = list(
        ProgressEntry.objects.select_related("measure__theme").order_by("measure__theme__number", "measure__number")
    )
    assert len(entries) == 16
    for index, entry in enumerate(entries):
        status = STATUSES[index % 4]
        assert entry.status == status
        assert entry.percent == {"done": 100, "not_started": 0}.get(status, 10 + index)
        assert entry.summary == f"ผลการดำเนินงานของแถวที่ {index + 1}"
        assert entry.outcome == f"ผลลัพธ์ {index + 1}"
        assert entry.completed_on == (date(2024, 3, index + 1) if status == "done" else None)
        assert entry.updated_by.username == "officer"
    # The grid opens with what was saved.
    expect(page.locator("#id_rows-4-completed_on")).to_have_value("05/03/2567")
    expect(page.locator("#id_rows-15-summary")).to_have_value("ผลการดำเนินงานของแถวที่ 16")
    assert not blocking, "Serious or critical accessibility violations:\n" + "\n".join(blocking)


def test_a_wrong_row_is_shown_with_its_error_keeps_what_was_typed_and_saves_nothing(page, login, shot, axe, grid_url):
    login("officer")
    page.set_viewport_size(WIDTHS["desktop"])
    page.goto(grid_url)
    page.locator("#id_rows-0-status").select_option("in_progress")
    page.locator("#id_rows-0-percent").fill("40")
    page.locator("#id_rows-0-summary").fill("แถวแรกถูกต้อง ยังไม่ควรบันทึก")
    page.locator("#id_rows-2-status").select_option("in_progress")
    page.locator("#id_rows-2-percent").fill("101")
    page.locator("#id_rows-2-summary").fill("ข้อความที่พิมพ์ไว้ในแถวที่ผิด")
    page.get_by_role("button", name="บันทึกผลทั้ง 16 มาตรการ").click()

    summary = page.locator(".grid-errors")
    expect(summary).to_contain_text("พบข้อผิดพลาด 1 แถว")
    expect(summary).to_contain_text("แถวที่ 3 (มาตรการ 1.3): ความก้าวหน้า (ร้อยละ): ร้อยละต้องอยู่ระหว่าง 0 ถึง 100")
    expect(page.locator("#row-3 .errorlist")).to_contain_text("ร้อยละต้องอยู่ระหว่าง 0 ถึง 100")
    expect(page.locator("#id_rows-2-percent")).to_have_value("101")
    expect(page.locator("#id_rows-2-summary")).to_have_value("ข้อความที่พิมพ์ไว้ในแถวที่ผิด")
    expect(page.locator("#id_rows-0-summary")).to_have_value("แถวแรกถูกต้อง ยังไม่ควรบันทึก")
    assert not ProgressEntry.objects.exclude(summary="").exists()
    blocking = _check_both_widths(page, axe, shot, "round-grid-error")

    # The summary's link leads to the field; corrected, one press saves both rows.
    summary.get_by_role("link").click()
    expect(page.locator("#id_rows-2-percent")).to_be_focused()
    page.locator("#id_rows-2-percent").fill("60")
    page.get_by_role("button", name="บันทึกผลทั้ง 16 มาตรการ").click()
    expect(page.locator(".messages")).to_contain_text("บันทึกผลการดำเนินการ 2 มาตรการแล้ว")
    assert sorted(ProgressEntry.objects.exclude(summary="").values_list("percent", flat=True)) == [40, 60]
    assert not blocking, "Serious or critical accessibility violations:\n" + "\n".join(blocking)


def test_the_unit_filter_narrows_the_grid_in_place_and_in_the_address(page, login, grid_url):
    login("officer")
    page.goto(grid_url)
    page.evaluate("() => { window.sameDocument = true; }")  # gone if the page were loaded again
    page.get_by_label("หน่วยงานที่รับผิดชอบ").select_option(label="กองช่าง")
    expect(page.locator("table.grid-table tbody tr")).to_have_count(8)
    expect(page.locator("table.grid-table")).not_to_contain_text("ของกองคลัง")
    expect(page).to_have_url(f"{grid_url}?unit=" + page.get_by_label("หน่วยงานที่รับผิดชอบ").input_value())
    assert page.evaluate("() => window.sameDocument === true")  # swapped in place by htmx
    page.locator("#id_rows-0-status").select_option("in_progress")
    page.locator("#id_rows-0-percent").fill("25")
    page.get_by_role("button", name="บันทึกผลทั้ง 8 มาตรการ").click()
    expect(page.locator(".messages")).to_contain_text("บันทึกผลการดำเนินการ 1 มาตรการแล้ว")
    expect(page.locator("table.grid-table tbody tr")).to_have_count(8)  # back on the same unit's rows
    saved = ProgressEntry.objects.get(percent=25)
    assert saved.measure.display_number == "2.1"


# static/js/keep-typed.js watches the forms htmx swaps in, and a swap over unsent changes asks first.
def test_changing_the_unit_with_typed_rows_asks_first_and_keeps_the_new_rows_typed(page, login, grid_url):
    login("officer")
    page.goto(grid_url)
    page.locator("#id_rows-0-summary").fill("พิมพ์ไว้แล้วยังไม่ได้บันทึก")
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.dismiss() if len(asked) == 1 else dialog.accept()

    page.on("dialog", answer)
    page.get_by_label("หน่วยงานที่รับผิดชอบ").select_option(label="กองช่าง")
    expect(page.locator("#id_rows-0-summary")).to_have_value("พิมพ์ไว้แล้วยังไม่ได้บันทึก")  # dismissed: nothing swapped
    expect(page.locator("table.grid-table tbody tr")).to_have_count(16)
    assert asked and "ยังไม่ได้บันทึก" in asked[0]
    # The filter goes back to what the table still shows (every unit), not the unit refused.
    expect(page.get_by_label("หน่วยงานที่รับผิดชอบ")).to_have_value("")

    page.get_by_label("หน่วยงานที่รับผิดชอบ").select_option(label="กองคลัง")  # accepted this time
    expect(page.locator("table.grid-table tbody tr")).to_have_count(8)
    # The rows swapped in are kept like the page's own: typed text is in the browser's storage.
    page.locator("#id_rows-1-summary").fill("ข้อความในตารางที่กรองแล้ว")
    stored = page.evaluate("() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join(' ')")
    assert "ข้อความในตารางที่กรองแล้ว" in stored
