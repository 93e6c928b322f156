"""Malformed workbooks of a round's results (issue 18): what tests/measures/test_round_import.py
does not cover.

Already there, and not repeated here: one bad row among good ones, every problem in row and
column order, a workbook of another round or organisation, an empty workbook, a contributor's
row of another unit, an entry changed between the preview and the confirmation, a round sent
for approval.

Each case here is refused as a whole (before the preview: nothing is kept in the session either),
names its row and column when it has one, and leaves every table (history included) as it was.
"""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from measures.parsing import TEXT_MAX_LENGTH
from tests.bad_input.conftest import assert_inert
from tests.bad_input.test_imports import zipped
from tests.measures.spreadsheets import HEADERS as MEASURE_HEADERS
from tests.measures.test_round_import import (
    EVERYONE,
    FINANCE_PLAN,
    HEADERS,
    WORKS,
    build_round,
    entry,
    fill,
    preview,
    round_url,
    upload,
    workbook,
)

pytestmark = pytest.mark.django_db

UNREADABLE = "เปิดไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหาย กรุณาบันทึกเป็น .xlsx จาก Excel อีกครั้ง"
STATUS = "สถานะ"
PERCENT = "ความก้าวหน้า (ร้อยละ)"
DATE = "วันที่แล้วเสร็จ"
ASK_DATE = "กรุณากรอกวันที่ พ.ศ. ระหว่างปี 2543 ถึง 2642 เช่น 01/10/2566 หรือ 1 ต.ค. 2566"
PERCENT_INVALID = "กรุณากรอกร้อยละเป็นจำนวนเต็ม 0 ถึง 100 เช่น 50 (ไม่ต้องใส่ %)"


@pytest.fixture
def round_town(document, officer, finance, works):
    return build_round(document, officer, finance, works)


def refused(client, file, nothing_changes) -> list[str]:
    with nothing_changes():
        response = preview(client, file)
    assert response.status_code == 200
    assert response.templates[0].name == "measures/round_import.html"
    assert "round_imports" not in client.session
    return response.context["problems"]


def form_error(client, file, nothing_changes) -> list[str]:
    with nothing_changes():
        response = preview(client, file)
    assert response.status_code == 200
    return response.context["form"].errors["file"]


def sheet_of(rows) -> Workbook:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    return book


# --- Not the round's workbook ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["results.csv", "results.xls", "results.ods", "results"])
def test_a_file_that_is_not_xlsx_is_refused_before_it_is_read(staff, round_town, nothing_changes, name):
    assert form_error(staff, SimpleUploadedFile(name, b"a,b\n1,2\n"), nothing_changes) == [
        "รับเฉพาะไฟล์ Excel (.xlsx) ที่ส่งออกจากหน้ารอบการรายงาน ถ้าเป็นไฟล์ .xls ให้บันทึกเป็น .xlsx ก่อน"
    ]


def test_a_file_over_2_mb_is_refused_unread(staff, round_town, nothing_changes):
    big = SimpleUploadedFile("results.xlsx", b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024))
    assert form_error(staff, big, nothing_changes) == ["ไฟล์ใหญ่เกินไป ขนาดไม่เกิน 2.0\xa0MB"]


def test_an_empty_file_is_refused(staff, round_town, nothing_changes):
    assert form_error(staff, SimpleUploadedFile("results.xlsx", b""), nothing_changes) == ["ไฟล์ว่างเปล่า"]


def test_no_file_at_all_asks_for_one(staff, round_town, nothing_changes):
    with nothing_changes():
        response = staff.post(round_url("round_import"))
    assert response.context["form"].errors["file"] == ["กรุณาเลือกไฟล์ที่จะนำเข้า"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a spreadsheet", "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) ที่ถูกต้อง"),
        (b"PK\x03\x04broken zip", UNREADABLE),
        (zipped({"hello.txt": b"not a workbook"}), UNREADABLE),
        (zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<not really xml"}), UNREADABLE),
        (
            zipped({"[Content_Types].xml": b"<Types/>", "xl/padding.bin": b"\0" * (41 * 1024 * 1024)}),
            "ไฟล์ใหญ่เกินไปเมื่อแตกไฟล์ กรุณาลบแผ่นงานหรือรูปภาพที่ไม่ใช้ออก",
        ),
    ],
    ids=["text", "broken-zip", "any-zip", "broken-workbook", "zip-bomb"],
)
def test_a_file_that_cannot_be_read_is_refused(staff, round_town, nothing_changes, content, message):
    assert refused(staff, SimpleUploadedFile("results.xlsx", content), nothing_changes) == [message]


def test_the_measures_spreadsheet_is_not_taken_for_a_rounds_workbook(staff, round_town, nothing_changes):
    book = sheet_of([MEASURE_HEADERS, [1, "ด้าน", 1, "มาตรการ"]])
    assert refused(staff, book, nothing_changes) == [
        "ไฟล์นี้ไม่ใช่แบบรายงานผลของรอบการรายงาน ไม่พบคอลัมน์ ‘ลำดับ’, ‘สถานะ’, ‘ความก้าวหน้า (ร้อยละ)’, "
        "‘สรุปผลการดำเนินงาน’, ‘ผลลัพธ์/ความสำเร็จ’, ‘ปัญหาอุปสรรค’, ‘ข้อเสนอแนะ’, ‘วันที่แล้วเสร็จ’, "
        "‘รหัสอ้างอิง (ห้ามแก้ไข)’ กรุณาส่งออก Excel ของหน่วยงานจากหน้ารอบการรายงานแล้วกรอกผลในไฟล์นั้น"
    ]


def test_a_column_deleted_by_the_unit_is_named(staff, round_town, nothing_changes):
    book = workbook(staff)
    book.worksheets[0].delete_cols(8)  # ปัญหาอุปสรรค
    problems = refused(staff, book, nothing_changes)
    assert len(problems) == 1 and "ไม่พบคอลัมน์ ‘ปัญหาอุปสรรค’" in problems[0]


def test_a_column_given_twice_is_refused(staff, round_town, nothing_changes):
    book = workbook(staff)
    book.worksheets[0].cell(row=1, column=12, value="สถานะ")
    assert refused(staff, book, nothing_changes) == ["คอลัมน์ ‘สถานะ’ ซ้ำกัน 2 คอลัมน์"]


def test_a_workbook_of_more_than_500_rows_is_refused(staff, round_town, nothing_changes):
    book = sheet_of([HEADERS, *([str(n), "x", "", "ล่าช้า", 1, "", "", "", "", None, ""] for n in range(501))])
    assert refused(staff, book, nothing_changes) == ["ไฟล์มีมาตรการเกิน 500 แถว"]


# --- Which measure -------------------------------------------------------------------------------


def test_a_row_given_twice_is_refused_naming_both_rows(staff, round_town, nothing_changes):
    book = workbook(staff)
    sheet = book.worksheets[0]
    for c, cell in enumerate(sheet[3], start=1):
        sheet.cell(row=7, column=c, value=cell.value)
    sheet.cell(row=7, column=6, value="ผลที่กรอกซ้ำ")
    assert refused(staff, book, nothing_changes) == ["แถวที่ 7 คอลัมน์ ‘ลำดับ’: มาตรการ 1.1 ซ้ำกับแถวที่ 3"]


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("", "ไม่มีรหัสอ้างอิงของมาตรการในแถวนี้หรือรหัสถูกแก้ไข"),
        ("R1-Mabc", "ไม่มีรหัสอ้างอิงของมาตรการในแถวนี้หรือรหัสถูกแก้ไข"),
        ("R{report}-M" + "9" * 30, "ไม่มีรหัสอ้างอิงของมาตรการในแถวนี้หรือรหัสถูกแก้ไข"),
        ("R{report}-M999999", "ไม่พบมาตรการ 1.3 ในรอบการรายงานนี้ (อาจถูกลบแล้ว)"),
        ('=HYPERLINK("https://example.org")', "ไม่มีรหัสอ้างอิงของมาตรการในแถวนี้หรือรหัสถูกแก้ไข"),
    ],
    ids=["blank", "letters", "huge", "unknown-measure", "formula"],
)
def test_a_row_whose_reference_was_changed_is_refused_and_named(
    staff, round_town, document, nothing_changes, reference, message
):
    report = document.reports.get()
    book = fill(workbook(staff), WORKS, **{"รหัสอ้างอิง (ห้ามแก้ไข)": reference.format(report=report.pk)})
    problems = refused(staff, book, nothing_changes)
    assert len(problems) == 1
    assert problems[0].startswith("แถวที่ 5 คอลัมน์ ‘ลำดับ’: " + message)


def test_a_row_typed_below_the_exported_ones_is_refused(staff, round_town, nothing_changes):
    book = workbook(staff)
    book.worksheets[0].append(["9", "มาตรการที่พิมพ์เพิ่ม", "", "ล่าช้า", 10])
    problems = refused(staff, book, nothing_changes)
    assert problems == [
        "แถวที่ 7 คอลัมน์ ‘ลำดับ’: ไม่มีรหัสอ้างอิงของมาตรการในแถวนี้หรือรหัสถูกแก้ไข กรุณาส่งออก Excel จากหน้ารอบการรายงานแล้วคัดลอกผลลงไป"
    ]


# --- Cells -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (None, "กรุณาเลือกสถานะ"),
        ("   ", "กรุณาเลือกสถานะ"),
        (
            "เสร็จ",
            "ไม่รู้จักสถานะ “เสร็จ” กรุณาเลือกจากรายการ: ยังไม่ดำเนินการ, อยู่ระหว่างดำเนินการ, ดำเนินการแล้วเสร็จ, ล่าช้า",
        ),
        (100, "ไม่รู้จักสถานะ “100” กรุณาเลือกจากรายการ: ยังไม่ดำเนินการ, อยู่ระหว่างดำเนินการ, ดำเนินการแล้วเสร็จ, ล่าช้า"),
    ],
)
def test_a_wrong_status_is_named(staff, round_town, nothing_changes, typed, message):
    book = fill(workbook(staff), FINANCE_PLAN, **{STATUS: typed})
    assert refused(staff, book, nothing_changes) == [f"แถวที่ 3 คอลัมน์ ‘{STATUS}’: {message}"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (101, "ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
        (-1, "ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
        ("๑๐๑", "ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
        ("9" * 40, "ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
        (1e308, "ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
        (50.5, PERCENT_INVALID),
        (0.5, PERCENT_INVALID),  # "50%" typed into a cell Excel then formats as a percentage
        ("ห้าสิบ", PERCENT_INVALID),
        ("50 - 60", PERCENT_INVALID),
        ("1e3", PERCENT_INVALID),
        (True, PERCENT_INVALID),
    ],
)
def test_a_percent_outside_0_100_or_not_a_number_is_named(staff, round_town, nothing_changes, typed, message):
    book = fill(workbook(staff), FINANCE_PLAN, **{STATUS: "อยู่ระหว่างดำเนินการ", PERCENT: typed})
    assert refused(staff, book, nothing_changes) == [f"แถวที่ 3 คอลัมน์ ‘{PERCENT}’: {message}"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2566", "วันที่ไม่ถูกต้อง เดือนกุมภาพันธ์ พ.ศ. 2566 มี 28 วัน"),
        ("01/10/2023", "ปี 2023 เป็นปีคริสต์ศักราช กรุณากรอกปีพุทธศักราช เช่น 2566"),
        ("ต.ค. 2566", "รูปแบบวันที่ไม่ถูกต้อง กรุณากรอกเป็น วว/ดด/ปปปป (พ.ศ.) เช่น 25/03/2565"),
        ("เมื่อวานนี้", "รูปแบบวันที่ไม่ถูกต้อง กรุณากรอกเป็น วว/ดด/ปปปป (พ.ศ.) เช่น 25/03/2565"),
        (2566, ASK_DATE),  # in a date cell: 9 January 1907
        ("2566", "รูปแบบวันที่ไม่ถูกต้อง กรุณากรอกเป็น วว/ดด/ปปปป (พ.ศ.) เช่น 25/03/2565"),
        ("01/10/2450", ASK_DATE),
        (datetime(1990, 1, 1), ASK_DATE),
        ("1" * 5000, "รูปแบบวันที่ไม่ถูกต้อง กรุณากรอกเป็น วว/ดด/ปปปป (พ.ศ.) เช่น 25/03/2565"),
    ],
)
def test_a_bad_completion_date_is_named(staff, round_town, nothing_changes, typed, message):
    book = fill(workbook(staff), FINANCE_PLAN, **{STATUS: "ดำเนินการแล้วเสร็จ", DATE: typed})
    assert refused(staff, book, nothing_changes) == [f"แถวที่ 3 คอลัมน์ ‘{DATE}’: {message}"]


@pytest.mark.parametrize("column", ["สรุปผลการดำเนินงาน", "ผลลัพธ์/ความสำเร็จ", "ปัญหาอุปสรรค", "ข้อเสนอแนะ"])
def test_a_text_longer_than_the_form_allows_is_named(staff, round_town, nothing_changes, column):
    book = fill(workbook(staff), EVERYONE, **{column: "ก" * (TEXT_MAX_LENGTH + 1)})
    assert refused(staff, book, nothing_changes) == [
        f"แถวที่ 2 คอลัมน์ ‘{column}’: ข้อความยาวเกิน {TEXT_MAX_LENGTH} ตัวอักษร (มี {TEXT_MAX_LENGTH + 1} ตัวอักษร)"
    ]


# --- Accepted as text, shown inert ---------------------------------------------------------------


def test_markup_in_a_cell_is_previewed_escaped_and_saved_as_text(staff, round_town):
    payload = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    response = preview(staff, fill(workbook(staff), WORKS, **{"สรุปผลการดำเนินงาน": payload}))
    page = response.content.decode()
    assert_inert(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    staff.post(round_url("round_import"), {"token": response.context["token"], "confirm": "1"})
    assert entry(round_town[WORKS]).summary == payload
    assert_inert(staff.get(round_url("round_detail")).content.decode())


def test_a_forged_token_writes_nothing(staff, round_town, nothing_changes):
    with nothing_changes():
        response = staff.post(round_url("round_import"), {"token": "x" * 5000, "confirm": "1"})
    assert response.status_code == 200
    assert "ไม่พบข้อมูลที่ตรวจไว้" in response.context["error"]


def test_a_tampered_query_of_the_units_workbook_answers_404(staff, round_town):
    for value in ("abc", "9" * 30, "-1", "๑", "999999", ""):
        assert staff.get(round_url("round_export", "xlsx"), {"unit": value}).status_code == 404
    assert staff.get(round_url("round_export", "csv"), {"unit": "all"}).status_code == 404


def test_a_workbook_unprotected_and_stripped_of_its_lists_is_still_read(staff, round_town):
    """The protection and the status list only help the unit: the import checks every cell itself."""
    book = workbook(staff)
    sheet = book.worksheets[0]
    sheet.protection.sheet = False
    sheet.data_validations.dataValidation = []
    fill(book, WORKS, **{STATUS: "ล่าช้า", PERCENT: 5})
    response = preview(staff, upload(book))
    assert (
        staff.post(round_url("round_import"), {"token": response.context["token"], "confirm": "1"}).status_code == 302
    )
    assert entry(round_town[WORKS]).status == "delayed"
