"""A round's results sent back by the units in Excel (issue 18): the per-unit workbook, its import
(every row checked, all or none), the preview, and the confirmation in one transaction.

The helpers at the top (round_town, workbook, fill, upload, preview, confirm) are shared with
tests/bad_input/test_round_import.py and tests/e2e/test_round_import.py.
"""

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from measures import services, workflow
from measures.models import Membership, ProgressEntry
from measures.services import MeasureData
from tests.chain import approve_all, rows
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "ลำดับ",
    "มาตรการ/แนวทาง",
    "หน่วยงานผู้รับผิดชอบ",
    "สถานะ",
    "ความก้าวหน้า (ร้อยละ)",
    "สรุปผลการดำเนินงาน",
    "ผลลัพธ์/ความสำเร็จ",
    "ปัญหาอุปสรรค",
    "ข้อเสนอแนะ",
    "วันที่แล้วเสร็จ",
    "รหัสอ้างอิง (ห้ามแก้ไข)",
]
FINANCE_PLAN = "แผนการใช้จ่ายงบประมาณประจำปี"
FINANCE_REPORT = "รายงานผลการจัดซื้อจัดจ้างประจำปี"
WORKS = "ซ่อมแซมถนนตามเรื่องร้องเรียน"
EVERYONE = "ประกาศเจตจำนงสุจริตของผู้บริหาร"
BE_FORMAT = "[$-1070000]dd/mm/yyyy;@"


# --- Helpers (shared) ------------------------------------------------------------------------


def build_round(document, officer, finance, works) -> dict:
    """The 6-month round of the document: a measure without a theme (printed first), two of
    กองคลัง and one of กองช่าง in theme 1, one of every unit in theme 2. Returns title → measure."""
    first = services.theme_save(document=document, by=officer, number=1, title="ด้านการเปิดเผยข้อมูล")
    second = services.theme_save(document=document, by=officer, number=2, title="ด้านการป้องกันการทุจริต")
    plans = [
        (EVERYONE, 1, None, {"all_units": True}),
        (FINANCE_PLAN, 1, first, {"units": [finance]}),
        (FINANCE_REPORT, 2, first, {"units": [finance]}),
        (WORKS, 3, first, {"units": [works]}),
    ]
    measures = {}
    for title, number, theme, extra in plans:
        measures[title] = services.measure_create(
            document=document, by=officer, data=MeasureData(title=title, number=number, theme=theme, **extra)
        )
    measures["second"] = services.measure_create(
        document=document, by=officer, data=MeasureData(title="ตรวจสอบการเบิกจ่าย", number=1, theme=second, units=[works])
    )
    services.report_start(document=document, round_months=6, by=officer)
    return measures


@pytest.fixture
def round_town(document, officer, finance, works):
    return build_round(document, officer, finance, works)


def round_url(name: str, *args, org="test-town", year=2566, months=6) -> str:
    return reverse(f"measures:{name}", args=[org, year, months, *args])


def workbook(client, unit="all", **kwargs):
    response = client.get(round_url("round_export", "xlsx", **kwargs), {"unit": unit})
    assert response.status_code == 200, response.content[:300]
    return load_workbook(io.BytesIO(response.content))


def fill(book, title: str, **values):
    """Type values into the row of the measure with this title ({header: value})."""
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == title:
            for name, value in values.items():
                row[header.index(name)].value = value
            return book
    raise AssertionError(f"no row for {title}")


def upload(book, name="results.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def preview(client, book_or_upload, **kwargs):
    file = book_or_upload if isinstance(book_or_upload, SimpleUploadedFile) else upload(book_or_upload)
    return client.post(round_url("round_import", **kwargs), {"file": file})


def confirm(client, response, **kwargs):
    return client.post(round_url("round_import", **kwargs), {"token": response.context["token"], "confirm": "1"})


def entry(measure) -> ProgressEntry:
    return ProgressEntry.objects.get(measure=measure, report__round=6)


def results(document) -> list[tuple]:
    return list(
        ProgressEntry.objects.filter(report__document=document)
        .order_by("pk")
        .values_list("status", "percent", "summary", "outcome", "problems", "suggestions", "completed_on", "revision")
    )


# --- The per-unit workbook -------------------------------------------------------------------


def test_the_workbook_of_a_unit_has_its_measures_in_print_order_and_the_columns_to_fill(staff, round_town, finance):
    response = staff.get(round_url("round_export", "xlsx"), {"unit": finance.pk})
    assert response["Content-Disposition"] == (
        f'attachment; filename="ita-progress-test-town-2566-6m-unit-{finance.pk}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == HEADERS
    # กองคลัง's two measures and the one of every unit; the measure without a theme first, as printed.
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in values[1:]] == [
        ("1", EVERYONE, "ทุกกอง/สำนัก", "ยังไม่ดำเนินการ", 0),
        ("1.1", FINANCE_PLAN, "กองคลัง", "ยังไม่ดำเนินการ", 0),
        ("1.2", FINANCE_REPORT, "กองคลัง", "ยังไม่ดำเนินการ", 0),
    ]
    report = round_town[EVERYONE].document.reports.get()
    assert [r[10] for r in values[1:]] == [
        f"R{report.pk}-M{round_town[title].pk}" for title in (EVERYONE, FINANCE_PLAN, FINANCE_REPORT)
    ]


def test_the_read_only_columns_are_grey_and_locked_the_reference_hidden_and_the_sheet_protected(staff, round_town):
    sheet = workbook(staff).worksheets[0]
    assert sheet.protection.sheet
    row = sheet[2]
    for cell in row[:3]:
        assert cell.fill.fgColor.rgb.endswith("E4E4E4") and cell.protection.locked
    for cell in row[3:10]:
        assert not cell.protection.locked and cell.fill.fill_type is None
    assert row[10].protection.locked
    assert sheet.column_dimensions["K"].hidden


def test_the_status_is_chosen_from_a_list_of_the_thai_labels_and_the_percent_is_bounded(staff, round_town):
    sheet = workbook(staff).worksheets[0]
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    status = validations["D2:D6"]
    assert status.type == "list"
    assert status.formula1 == '"ยังไม่ดำเนินการ,อยู่ระหว่างดำเนินการ,ดำเนินการแล้วเสร็จ,ล่าช้า"'
    percent = validations["E2:E6"]
    assert (percent.type, percent.formula1, percent.formula2) == ("whole", "0", "100")


def test_the_completion_date_is_a_real_date_cell_shown_in_the_buddhist_era(staff, round_town, officer):
    services.entry_update(
        entry=entry(round_town[FINANCE_PLAN]), by=officer, revision=None, status="done", completed_on=date(2023, 3, 15)
    )
    sheet = workbook(staff).worksheets[0]
    done = sheet["J3"]
    assert done.is_date and done.value == datetime(2023, 3, 15)
    assert done.number_format == BE_FORMAT
    assert sheet["J2"].value is None and sheet["J2"].number_format == BE_FORMAT  # a date typed later shows in B.E.


def test_a_text_that_looks_like_a_formula_stays_text(staff, round_town, officer):
    services.entry_update(entry=entry(round_town[EVERYONE]), by=officer, revision=None, summary="=1+1 ประชุมแล้ว")
    cell = workbook(staff).worksheets[0]["F2"]
    assert cell.value == "=1+1 ประชุมแล้ว" and cell.data_type == "s"


def test_the_second_sheet_says_which_round_and_unit_and_how_to_fill(staff, round_town, works):
    notes = workbook(staff, unit=works.pk).worksheets[1]
    text = "\n".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
    assert "รอบ 6 เดือน" in text and "กองช่าง" in text and "ห้ามแก้ไข" in text


# --- Round trip --------------------------------------------------------------------------------


def test_a_workbook_filled_and_returned_is_previewed_then_written_on_confirmation(staff, round_town, officer):
    book = workbook(staff)
    fill(
        book,
        FINANCE_PLAN,
        **{"สถานะ": "อยู่ระหว่างดำเนินการ", "ความก้าวหน้า (ร้อยละ)": 40, "สรุปผลการดำเนินงาน": "จัดทำร่างแผนแล้ว"},
    )
    fill(
        book,
        FINANCE_REPORT,
        **{"สถานะ": "ดำเนินการแล้วเสร็จ", "ความก้าวหน้า (ร้อยละ)": 80, "วันที่แล้วเสร็จ": datetime(2023, 3, 28)},
    )
    fill(book, WORKS, **{"ปัญหาอุปสรรค": "งบประมาณไม่เพียงพอ\nฝนตกต่อเนื่อง", "ข้อเสนอแนะ": "ของบเพิ่ม"})
    untouched = {title: entry(round_town[title]).revision for title in (EVERYONE, "second")}

    response = preview(staff, book)
    assert response.status_code == 200
    assert response.templates[0].name == "measures/round_import_preview.html"
    page = response.content.decode()
    assert "จะปรับปรุง <strong>3</strong> มาตรการ" in page and "ไม่เปลี่ยนแปลง 2 มาตรการ" in page
    changed = {row.number: row.changes for row in response.context["preview"].changed}
    assert changed["1.1"] == [
        ("สถานะ", "ยังไม่ดำเนินการ", "อยู่ระหว่างดำเนินการ"),
        ("ความก้าวหน้า (ร้อยละ)", "0", "40"),
        ("สรุปผลการดำเนินงาน", "", "จัดทำร่างแผนแล้ว"),
    ]
    # Done is 100 percent, whatever the file says: the preview shows what will be written.
    assert changed["1.2"] == [
        ("สถานะ", "ยังไม่ดำเนินการ", "ดำเนินการแล้วเสร็จ"),
        ("ความก้าวหน้า (ร้อยละ)", "0", "100"),
        ("วันที่แล้วเสร็จ", "", "28 มี.ค. 2566"),
    ]
    assert entry(round_town[FINANCE_PLAN]).status == "not_started"  # nothing written before the confirmation

    response = confirm(staff, response)
    assert response.status_code == 302 and response["Location"] == round_url("round_detail")
    plan, done, works = (entry(round_town[t]) for t in (FINANCE_PLAN, FINANCE_REPORT, WORKS))
    assert (plan.status, plan.percent, plan.summary, plan.revision) == ("in_progress", 40, "จัดทำร่างแผนแล้ว", 2)
    assert (done.status, done.percent, done.completed_on) == ("done", 100, date(2023, 3, 28))
    assert (works.problems, works.suggestions) == ("งบประมาณไม่เพียงพอ\nฝนตกต่อเนื่อง", "ของบเพิ่ม")
    assert plan.updated_by == officer and plan.history.first().history_user == officer
    # Rows that change nothing are not written, nor stamped.
    assert {title: entry(round_town[title]).revision for title in untouched} == untouched
    follow = staff.get(response["Location"])
    assert "นำเข้าผลการดำเนินการจากไฟล์ results.xlsx แล้ว ปรับปรุง 3 มาตรการ" in follow.content.decode()


def test_a_workbook_returned_unchanged_previews_no_change_and_offers_no_confirmation(staff, round_town):
    response = preview(staff, workbook(staff))
    assert response.context["preview"].changed == []
    page = response.content.decode()
    assert "ไม่มีสิ่งที่ต้องนำเข้า" in page and "ยืนยันนำเข้า" not in page and 'name="confirm"' not in page


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (datetime(2023, 10, 1), date(2023, 10, 1)),
        (datetime(2566, 10, 1), date(2023, 10, 1)),  # typed "01/10/2566" in an Excel set to the Gregorian calendar
        ("1 ต.ค. 2566", date(2023, 10, 1)),
        ("01/10/2566", date(2023, 10, 1)),
        ("๑/๑๐/๒๕๖๖", date(2023, 10, 1)),
        (45200, date(2023, 10, 1)),  # a date cell that lost its format: Excel's day number
        (None, None),
    ],
)
def test_the_completion_date_is_read_from_a_date_cell_a_thai_text_or_a_blank(staff, round_town, typed, stored):
    book = fill(workbook(staff), FINANCE_PLAN, **{"สถานะ": "ดำเนินการแล้วเสร็จ", "วันที่แล้วเสร็จ": typed})
    assert confirm(staff, preview(staff, book)).status_code == 302
    assert entry(round_town[FINANCE_PLAN]).completed_on == stored


def test_thai_digits_a_percent_sign_and_the_status_code_are_read(staff, round_town):
    book = fill(workbook(staff), FINANCE_PLAN, **{"สถานะ": " อยู่ระหว่าง  ดำเนินการ ", "ความก้าวหน้า (ร้อยละ)": "๖๕%"})
    fill(book, WORKS, **{"สถานะ": "delayed", "ความก้าวหน้า (ร้อยละ)": "10"})
    assert confirm(staff, preview(staff, book)).status_code == 302
    assert (entry(round_town[FINANCE_PLAN]).status, entry(round_town[FINANCE_PLAN]).percent) == ("in_progress", 65)
    assert (entry(round_town[WORKS]).status, entry(round_town[WORKS]).percent) == ("delayed", 10)


def test_rows_in_another_order_are_found_by_their_reference(staff, round_town):
    book = workbook(staff)
    sheet = book.worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    for r, row in enumerate(reversed(values), start=2):
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=value)
    fill(book, WORKS, **{"สรุปผลการดำเนินงาน": "สำรวจถนนแล้ว"})
    assert confirm(staff, preview(staff, book)).status_code == 302
    assert entry(round_town[WORKS]).summary == "สำรวจถนนแล้ว"


# --- All or nothing ----------------------------------------------------------------------------


def test_one_bad_row_imports_nothing_and_names_the_row_and_the_column(staff, round_town, document):
    book = fill(workbook(staff), FINANCE_PLAN, **{"สถานะ": "อยู่ระหว่างดำเนินการ", "ความก้าวหน้า (ร้อยละ)": 40})
    fill(book, WORKS, **{"ความก้าวหน้า (ร้อยละ)": 150})
    before = results(document)
    response = preview(staff, book)
    assert response.status_code == 200
    assert response.context["problems"] == ["แถวที่ 5 คอลัมน์ ‘ความก้าวหน้า (ร้อยละ)’: ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"]
    page = response.content.decode()
    assert "นำเข้าไม่สำเร็จ — ยังไม่ได้บันทึกข้อมูลใดเลย" in page
    assert "แถวที่ 5 คอลัมน์ ‘ความก้าวหน้า (ร้อยละ)’" in page
    assert results(document) == before
    assert "round_imports" not in staff.session


def test_every_problem_is_listed_in_row_and_column_order(staff, round_town):
    book = fill(workbook(staff), FINANCE_REPORT, **{"วันที่แล้วเสร็จ": "31/02/2566", "สถานะ": "เสร็จแล้ว"})
    fill(book, EVERYONE, **{"สถานะ": "ยังไม่ดำเนินการ", "ความก้าวหน้า (ร้อยละ)": 30})
    fill(book, FINANCE_PLAN, **{"สถานะ": "อยู่ระหว่างดำเนินการ", "วันที่แล้วเสร็จ": "01/10/2566"})
    assert preview(staff, book).context["problems"] == [
        "แถวที่ 2 คอลัมน์ ‘ความก้าวหน้า (ร้อยละ)’: สถานะ ยังไม่ดำเนินการ ต้องมีความก้าวหน้าร้อยละ 0",
        "แถวที่ 3 คอลัมน์ ‘วันที่แล้วเสร็จ’: ใส่วันที่แล้วเสร็จเมื่อสถานะเป็น ดำเนินการแล้วเสร็จ เท่านั้น",
        "แถวที่ 4 คอลัมน์ ‘สถานะ’: ไม่รู้จักสถานะ “เสร็จแล้ว” กรุณาเลือกจากรายการ: "
        "ยังไม่ดำเนินการ, อยู่ระหว่างดำเนินการ, ดำเนินการแล้วเสร็จ, ล่าช้า",
        "แถวที่ 4 คอลัมน์ ‘วันที่แล้วเสร็จ’: วันที่ไม่ถูกต้อง เดือนกุมภาพันธ์ พ.ศ. 2566 มี 28 วัน",
    ]


def test_an_entry_changed_after_the_preview_refuses_the_whole_import(staff, round_town, document, contributor):
    book = fill(workbook(staff), FINANCE_PLAN, **{"สรุปผลการดำเนินงาน": "จากไฟล์"})
    fill(book, WORKS, **{"สรุปผลการดำเนินงาน": "จากไฟล์เช่นกัน"})
    response = preview(staff, book)
    # Meanwhile the finance contributor saves 1.2 on its own page (a row the file leaves as it is).
    services.entry_update(entry=entry(round_town[FINANCE_REPORT]), by=contributor, revision=1, summary="จากหน้าเว็บ")
    before = results(document)
    refused = confirm(staff, response)
    assert refused.status_code == 200
    assert "ผลการดำเนินการของมาตรการ 1.2 ถูกแก้ไขหลังจากที่ตรวจไฟล์" in refused.context["error"]
    assert "ยังไม่ได้นำเข้าข้อมูลใดเลย" in refused.content.decode()
    assert results(document) == before
    # The preview is used up: confirming it again is refused too.
    again = confirm(staff, response)
    assert "ไม่พบข้อมูลที่ตรวจไว้" in again.context["error"]
    assert results(document) == before


def test_a_preview_is_confirmed_once(staff, round_town):
    response = preview(staff, fill(workbook(staff), WORKS, **{"สรุปผลการดำเนินงาน": "ครั้งเดียว"}))
    assert confirm(staff, response).status_code == 302
    revision = entry(round_town[WORKS]).revision
    assert "ไม่พบข้อมูลที่ตรวจไว้" in confirm(staff, response).context["error"]
    assert entry(round_town[WORKS]).revision == revision


def test_cancelling_the_preview_writes_nothing_and_forgets_it(staff, round_town, document):
    response = preview(staff, fill(workbook(staff), WORKS, **{"สรุปผลการดำเนินงาน": "ยกเลิก"}))
    before = results(document)
    cancelled = staff.post(round_url("round_import"), {"token": response.context["token"], "cancel": "1"})
    assert cancelled.status_code == 302
    assert "ยกเลิกการนำเข้าแล้ว ยังไม่ได้บันทึกข้อมูลใดเลย" in staff.get(cancelled["Location"]).content.decode()
    assert results(document) == before
    assert staff.session["round_imports"] == {}


def test_the_session_keeps_one_preview_per_round_and_a_few_at_most(staff, round_town):
    first = preview(staff, fill(workbook(staff), WORKS, **{"สรุปผลการดำเนินงาน": "ไฟล์แรก"}))
    second = preview(staff, fill(workbook(staff), WORKS, **{"สรุปผลการดำเนินงาน": "ไฟล์ที่สอง"}))
    assert list(staff.session["round_imports"]) == [second.context["token"]]
    assert "ไม่พบข้อมูลที่ตรวจไว้" in confirm(staff, first).context["error"]
    assert confirm(staff, second).status_code == 302
    assert entry(round_town[WORKS]).summary == "ไฟล์ที่สอง"


# --- Contributors ------------------------------------------------------------------------------


def test_a_contributor_takes_the_workbook_of_her_unit_only(client, round_town, contributor, finance, works):
    client.force_login(contributor)
    rows = [r[1].value for r in workbook(client, unit=finance.pk).worksheets[0].iter_rows(min_row=2)]
    assert rows == [EVERYONE, FINANCE_PLAN, FINANCE_REPORT]
    mine = [r[1].value for r in workbook(client, unit="all").worksheets[0].iter_rows(min_row=2)]
    assert mine == rows
    assert client.get(round_url("round_export", "xlsx"), {"unit": works.pk}).status_code == 403
    assert client.get(round_url("round_export", "xlsx")).status_code == 403  # the whole round's export


def test_a_contributor_imports_her_units_results(client, round_town, contributor, finance):
    client.force_login(contributor)
    book = fill(workbook(client, unit=finance.pk), FINANCE_PLAN, **{"สรุปผลการดำเนินงาน": "กองคลังรายงาน"})
    assert confirm(client, preview(client, book)).status_code == 302
    assert entry(round_town[FINANCE_PLAN]).updated_by == contributor


def test_a_row_of_another_units_measure_is_refused_for_a_contributor_and_named(
    client, staff, round_town, contributor, document
):
    book = fill(workbook(staff), FINANCE_PLAN, **{"สรุปผลการดำเนินงาน": "กองคลังรายงาน"})
    fill(book, WORKS, **{"สรุปผลการดำเนินงาน": "แก้ผลของกองช่าง"})
    before = results(document)
    client.force_login(contributor)
    response = preview(client, book)
    assert response.context["problems"] == [
        "แถวที่ 5 คอลัมน์ ‘ลำดับ’: มาตรการ 1.3 ไม่ใช่มาตรการของหน่วยงานของคุณ จึงนำเข้าผลไม่ได้",
        "แถวที่ 6 คอลัมน์ ‘ลำดับ’: มาตรการ 2.1 ไม่ใช่มาตรการของหน่วยงานของคุณ จึงนำเข้าผลไม่ได้",
    ]
    assert results(document) == before


def test_a_contributor_moved_to_another_unit_after_the_preview_imports_nothing(
    client, round_town, contributor, finance, works, document
):
    client.force_login(contributor)
    response = preview(client, fill(workbook(client, unit=finance.pk), FINANCE_PLAN, **{"สรุปผลการดำเนินงาน": "ก่อนย้าย"}))
    Membership.objects.filter(user=contributor).update(unit=works)
    before = results(document)
    refused = confirm(client, response)
    # 1.1 and 1.2 are กองคลัง's (the measure of every unit is still hers).
    assert refused.context["error"] == "มาตรการ 1.1, 1.2 ไม่ใช่มาตรการของหน่วยงานของคุณ จึงยังไม่ได้นำเข้าข้อมูลใดเลย"
    assert results(document) == before


# --- Which file ---------------------------------------------------------------------------------


def test_a_workbook_of_another_round_is_refused_with_a_clear_message(staff, round_town, document, officer):
    twelve = services.report_start(document=document, round_months=12, by=officer)
    assert twelve.round == 12
    book = fill(workbook(staff, months=12), WORKS, **{"สรุปผลการดำเนินงาน": "ผล 12 เดือน"})
    before = results(document)
    assert preview(staff, book).context["problems"] == [
        "ไฟล์นี้เป็นแบบรายงานผลของรอบ 12 เดือน ปีงบประมาณ 2566 ไม่ใช่ของรอบ 6 เดือน ปีงบประมาณ 2566 "
        "กรุณาส่งออก Excel จากหน้ารอบการรายงานนี้แล้วกรอกผลในไฟล์นั้น"
    ]
    assert results(document) == before


def test_a_workbook_of_another_organisation_is_refused(staff, round_town, document, second_town):
    other = second_town["document"]
    services.measure_create(
        document=other, by=second_town["officer"], data=MeasureData(title="อื่น", number=1, all_units=True)
    )
    services.report_start(document=other, round_months=6, by=second_town["officer"])
    client = Client()
    client.force_login(second_town["officer"])
    book = workbook(client, org="second-town")
    problems = preview(staff, book).context["problems"]
    assert problems == [
        "ไฟล์นี้ไม่ใช่แบบรายงานผลของรอบ 6 เดือน ปีงบประมาณ 2566 ของหน่วยงานนี้ (ส่งออกจากเอกสารหรือหน่วยงานอื่น) "
        "กรุณาส่งออก Excel จากหน้ารอบการรายงานนี้แล้วกรอกผลในไฟล์นั้น"
    ]


def test_a_workbook_with_no_row_is_refused(staff, round_town):
    book = workbook(staff)
    book.worksheets[0].delete_rows(2, 10)
    assert preview(staff, book).context["problems"] == ["ไม่มีมาตรการในไฟล์ (มีแต่แถวชื่อคอลัมน์หรือไฟล์ว่าง)"]


# --- Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("approver", 403),
        ("oversight", 403),
        ("outsider", 404),
        ("officer", 200),
        ("org_admin", 200),
        ("contributor", 200),
    ],
)
def test_who_may_open_the_import_of_a_rounds_results(client, round_town, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(round_url("round_import")).status_code == expected
    assert client.post(round_url("round_import")).status_code == expected  # no file: the form again


@pytest.mark.parametrize("persona", ["approver", "oversight", "outsider"])
def test_those_who_may_not_import_change_nothing_even_with_a_good_file(
    client, staff, round_town, request, persona, document
):
    book = fill(workbook(staff), WORKS, **{"สรุปผลการดำเนินงาน": "ไม่ควรบันทึก"})
    before = results(document)
    client.force_login(request.getfixturevalue(persona))
    assert preview(client, book).status_code in (403, 404)
    assert results(document) == before


def test_an_anonymous_visitor_is_sent_to_log_in(client, round_town, finance):
    for response in (
        client.get(round_url("round_import")),
        client.post(round_url("round_import"), {"token": "x", "confirm": "1"}),
        client.get(round_url("round_export", "xlsx"), {"unit": finance.pk}),
    ):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("persona", "expected"), [("approver", 200), ("oversight", 403), ("outsider", 404)])
def test_who_may_take_a_units_workbook(client, round_town, request, finance, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(round_url("round_export", "xlsx"), {"unit": finance.pk}).status_code == expected


def test_a_round_not_yet_started_has_no_import_nor_workbook(staff, document, finance):
    assert staff.get(round_url("round_import")).status_code == 404
    assert staff.get(round_url("round_export", "xlsx"), {"unit": finance.pk}).status_code == 404


@pytest.fixture
def chain_ready(organisation, org_admin, approver):
    return workflow.chain_save(organisation=organisation, by=org_admin, rows=rows([approver]))


def test_a_round_sent_for_approval_is_refused_in_thai_before_and_after_the_preview(
    staff, round_town, document, officer, approver, chain_ready
):
    response = preview(staff, fill(workbook(staff), WORKS, **{"สรุปผลการดำเนินงาน": "ก่อนเสนอ"}))
    report = document.reports.get(round=6)
    submission = workflow.submit(target=report, by=officer)
    before = results(document)
    refused = confirm(staff, response)
    assert refused.context["error"] == "รายงานรอบนี้อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว จึงแก้ไขไม่ได้"
    assert results(document) == before
    page = staff.get(round_url("round_import")).content.decode()
    assert "รายงานรอบนี้อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว" in page and 'type="file"' not in page
    again = preview(staff, fill(workbook(staff), WORKS, **{"สรุปผลการดำเนินงาน": "หลังเสนอ"}))
    assert "รายงานรอบนี้อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว จึงแก้ไขไม่ได้" in again.content.decode()
    approve_all(submission, [approver])  # approved: still refused, nothing written
    assert "รายงานรอบนี้อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว" in staff.get(round_url("round_import")).content.decode()
    assert results(document) == before


# --- The round page ------------------------------------------------------------------------------


def test_the_round_page_offers_the_units_workbook_and_the_import(
    staff, client, round_town, contributor, finance, works
):
    page = staff.get(round_url("round_detail")).content.decode()
    assert "ส่งออก Excel ของหน่วยงาน" in page and "นำเข้าผลจาก Excel" in page
    assert f'<option value="{works.pk}">กองช่าง</option>' in page and '<option value="all">' in page
    client.force_login(contributor)
    mine = client.get(round_url("round_detail")).content.decode()
    assert f'<option value="{finance.pk}">กองคลัง</option>' in mine
    assert "กองช่าง</option>" not in mine and '<option value="all">' not in mine


def test_the_import_form_says_it_is_reading_the_file(staff, round_town):
    page = staff.get(round_url("round_import")).content.decode()
    assert 'data-busy="กำลังอ่านไฟล์…"' in page and 'accept=".xlsx"' in page


def test_a_second_contributor_of_the_same_unit_sees_the_first_ones_import(client, round_town, contributor, finance):
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, organisation=finance.organisation, role=Membership.Role.CONTRIBUTOR, unit=finance)
    client.force_login(contributor)
    assert (
        confirm(
            client, preview(client, fill(workbook(client, unit=finance.pk), FINANCE_PLAN, **{"สรุปผลการดำเนินงาน": "ก"}))
        ).status_code
        == 302
    )
    client.force_login(colleague)
    assert workbook(client, unit=finance.pk).worksheets[0]["F3"].value == "ก"


# --- Bounds ----------------------------------------------------------------------------------------


def test_what_a_preview_keeps_in_the_session_is_bounded(staff, round_town, document, monkeypatch):
    from measures.tabular import rounds

    monkeypatch.setattr(rounds, "PENDING_MAX_CHARS", 1000)
    book = fill(workbook(staff), WORKS, **{"สรุปผลการดำเนินงาน": "ก" * 600, "ข้อเสนอแนะ": "ข" * 401})
    before = results(document)
    assert preview(staff, book).context["problems"] == ["ข้อความที่จะนำเข้ารวมกันยาวเกินไป กรุณาแบ่งนำเข้าเป็นหลายไฟล์"]
    assert "round_imports" not in staff.session and results(document) == before


def more_measures(document, officer, works, count: int) -> None:
    theme = document.themes.get(number=2)
    for number in range(2, count + 2):
        services.measure_create(  # a started round gets its entry
            document=document,
            by=officer,
            data=MeasureData(title=f"มาตรการเพิ่ม {number}", number=number, theme=theme, units=[works]),
        )


def test_the_workbook_and_the_preview_cost_the_same_queries_for_more_measures(
    staff, round_town, document, officer, works
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def costs() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as taking:
            book = workbook(staff)
        rows.append(book.worksheets[0].max_row - 1)
        fill(book, WORKS, **{"สรุปผลการดำเนินงาน": "ผล"})
        with CaptureQueriesContext(connection) as previewing:
            assert preview(staff, book).status_code == 200
        return len(taking), len(previewing)

    rows: list[int] = []
    few = costs()
    more_measures(document, officer, works, 20)
    assert costs() == few
    assert rows == [5, 25]
