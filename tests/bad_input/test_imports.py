"""Malformed measure imports (XLSX/CSV): what tests/measures/test_import.py does not cover.

Already there, and not repeated here: a file of the wrong type, empty or over 2 MB
(test_a_file_of_the_wrong_type_or_size_is_refused_before_it_is_read); text that is not an
xlsx, a broken zip, a zip named .csv, only the header row
(test_a_file_that_cannot_be_read_is_refused_with_a_thai_message); missing columns
(test_a_file_without_the_template_columns_names_the_missing_ones); one bad row among good ones
(test_a_file_with_one_bad_row_imports_nothing_and_names_the_row_and_the_column); every
problem in row and column order (test_every_problem_of_the_file_is_reported_in_row_and_column_order);
Christian-era years (test_a_christian_era_year_is_refused_with_the_thai_hint_and_nothing_is_imported).

Each case here is refused as a whole, names its row and column when it has one, and leaves
every table (history included) as it was.
"""

import codecs
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.forms import TEXT_MAX_LENGTH
from measures.models import Measure
from tests.measures.spreadsheets import HEADERS, csv_upload, row, xlsx_upload

pytestmark = pytest.mark.django_db

UNREADABLE_XLSX = "เปิดไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหาย กรุณาบันทึกเป็น .xlsx จาก Excel อีกครั้ง"
UNREADABLE_CSV = "อ่านไฟล์ CSV ไม่ได้ กรุณาบันทึกเป็น CSV UTF-8 หรือใช้ไฟล์ .xlsx"
NOT_CSV = "ไฟล์นี้ไม่ใช่ไฟล์ CSV ที่ถูกต้อง"
NO_HEADER = "แถวแรกของไฟล์ต้องเป็นชื่อคอลัมน์ตามแม่แบบ ไม่พบคอลัมน์ {} กรุณาดาวน์โหลดแม่แบบจากหน้านี้แล้วกรอกข้อมูลใหม่"
ALL_COLUMNS = ", ".join(f"‘{h}’" for h in HEADERS)


def import_file(client, upload):
    return client.post(reverse("measures:document_import", args=["test-town", 2566]), {"file": upload})


def refused(client, upload, nothing_changes) -> list[str]:
    with nothing_changes():
        response = import_file(client, upload)
    assert response.status_code == 200
    assert "นำเข้าไม่สำเร็จ — ยังไม่ได้บันทึกข้อมูลใดเลย" in response.text
    return response.context["problems"]


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def existing(document, measure):
    """The document already holds a measure: a refused import must leave it (and its history) alone."""
    return measure


# --- Not a spreadsheet ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        zipped({"hello.txt": b"not a workbook"}),
        zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
        zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}),
        zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<not really xml"}),
    ],
    ids=["any-zip", "docx", "ods", "broken-workbook"],
)
def test_a_zip_that_is_not_an_xlsx_is_refused(staff, existing, nothing_changes, content):
    assert refused(staff, SimpleUploadedFile("measures.xlsx", content), nothing_changes) == [UNREADABLE_XLSX]


def test_an_encrypted_or_old_excel_file_named_xlsx_is_refused(staff, existing, nothing_changes):
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
    assert refused(staff, SimpleUploadedFile("measures.xlsx", ole2), nothing_changes) == [
        "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) ที่ถูกต้อง"
    ]


def test_an_xlsx_that_unpacks_to_more_than_40_mb_is_refused_unread(staff, existing, nothing_changes):
    bomb = zipped({"[Content_Types].xml": b"<Types/>", "xl/padding.bin": b"\0" * (41 * 1024 * 1024)})
    assert len(bomb) < 2 * 1024 * 1024
    assert refused(staff, SimpleUploadedFile("measures.xlsx", bomb), nothing_changes) == [
        "ไฟล์ใหญ่เกินไปเมื่อแตกไฟล์ กรุณาลบแผ่นงานหรือรูปภาพที่ไม่ใช้ออก"
    ]


# --- CSV in a wrong encoding -----------------------------------------------------------------------


def csv_bytes(rows, encoding: str) -> bytes:
    return csv_upload(rows, encoding=encoding).read()


def test_a_csv_in_an_encoding_that_is_neither_utf8_nor_thai_windows_is_refused(staff, existing, nothing_changes):
    content = "機能,名前,番号\n1,計画,2\n".encode("shift_jis")
    assert refused(staff, SimpleUploadedFile("measures.csv", content), nothing_changes) == [UNREADABLE_CSV]


def test_a_utf16_csv_without_its_byte_order_mark_is_refused(staff, existing, nothing_changes):
    content = csv_bytes([row()], "utf-16-le")
    assert refused(staff, SimpleUploadedFile("measures.csv", content), nothing_changes) == [NOT_CSV]


def test_a_csv_with_mixed_encodings_is_refused(staff, existing, nothing_changes):
    """UTF-8 headers and a row pasted from a Thai-Windows (cp874) file: neither reading fits the whole file."""
    content = csv_bytes([], "utf-8") + "\r\n,,2,มาตรการที่วางจากไฟล์อื่น,,,,,กองคลัง\r\n".encode("cp874")
    assert refused(staff, SimpleUploadedFile("measures.csv", content), nothing_changes) == [UNREADABLE_CSV]


def test_a_binary_file_named_csv_is_refused(staff, existing, nothing_changes):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    assert refused(staff, SimpleUploadedFile("measures.csv", png), nothing_changes) in ([UNREADABLE_CSV], [NOT_CSV])


def test_a_csv_saved_with_a_byte_order_mark_in_utf16_is_read(staff, document, finance):
    content = codecs.BOM_UTF16_LE + csv_bytes([row()], "utf-16-le")
    response = import_file(staff, SimpleUploadedFile("measures.csv", content))
    assert response.status_code == 302
    assert document.measures.count() == 1


# --- Wrong or missing headers ----------------------------------------------------------------------


def test_a_file_without_a_header_row_is_refused(staff, existing, nothing_changes):
    assert refused(staff, xlsx_upload([row(c2=2)], header=row(c2=1)), nothing_changes) == [
        NO_HEADER.format(ALL_COLUMNS)
    ]


def test_headers_in_english_are_not_guessed(staff, existing, nothing_changes):
    english = ["Theme", "Theme title", "No.", "Measure", *HEADERS[4:]]
    problems = refused(staff, csv_upload([row(c2=2)], header=english), nothing_changes)
    assert problems == [NO_HEADER.format("‘ลำดับด้าน’, ‘ชื่อด้าน’, ‘ลำดับมาตรการ’, ‘มาตรการ/แนวทาง’")]


def test_a_column_given_twice_is_refused(staff, existing, nothing_changes):
    header = [*HEADERS, "มาตรการ/แนวทาง"]
    problems = refused(staff, xlsx_upload([[*row(c2=2), "อีกชื่อ"]], header=header), nothing_changes)
    assert problems == ["คอลัมน์ ‘มาตรการ/แนวทาง’ ซ้ำกัน 2 คอลัมน์"]


# --- Half-valid files: all rows or none ------------------------------------------------------------


def test_a_half_valid_csv_imports_nothing_and_names_each_bad_row_and_column(staff, existing, nothing_changes):
    upload = csv_upload(
        [
            row(c2=2),
            row(c2=3, c12="31/02/2566"),
            row(c2=4),
            row(c2=5, c3=""),
            row(c2=6),
            row(c2=7, c8="กองที่ไม่มี", c16="-5"),
        ]
    )
    assert refused(staff, upload, nothing_changes) == [
        "แถวที่ 3 คอลัมน์ ‘ระยะเวลา: สิ้นสุด’: วันที่ไม่ถูกต้อง เดือนกุมภาพันธ์ พ.ศ. 2566 มี 28 วัน",
        "แถวที่ 5 คอลัมน์ ‘มาตรการ/แนวทาง’: กรุณากรอกชื่อมาตรการ",
        "แถวที่ 7 คอลัมน์ ‘หน่วยงานผู้รับผิดชอบ’: ไม่พบส่วนราชการชื่อ “กองที่ไม่มี” ในหน่วยงานนี้ "
        "กรุณาใช้ชื่อตามรายชื่อส่วนราชการในหน้านำเข้าหรือในแม่แบบ",
        "แถวที่ 7 คอลัมน์ ‘งบประมาณ (บาท)’: งบประมาณต้องไม่ติดลบ มีทศนิยมไม่เกิน 2 ตำแหน่ง และไม่เกิน 12 หลัก",
    ]
    assert list(Measure.objects.values_list("number", flat=True)) == [1]


def test_a_file_of_more_than_500_measures_is_refused(staff, existing, nothing_changes):
    upload = csv_upload([row(c2=n + 1) for n in range(501)])
    assert refused(staff, upload, nothing_changes) == ["ไฟล์มีมาตรการเกิน 500 แถว"]


@pytest.mark.parametrize(
    ("column", "key"),
    [
        ("ขั้นตอน/วิธีการปฏิบัติ", "c7"),
        ("ประเด็นที่ต้องปรับปรุงแก้ไข/พัฒนา", "c4"),
        ("การติดตามและรายงานผล", "c14"),
        ("เป้าหมาย/ตัวชี้วัดความสำเร็จ", "c15"),
        ("ข้อคำถาม", "c6"),
    ],
)
def test_a_cell_longer_than_the_forms_allow_is_refused(staff, existing, nothing_changes, column, key):
    text = "ก" * (TEXT_MAX_LENGTH + 1)
    assert refused(staff, csv_upload([row(c2=2, **{key: text})]), nothing_changes) == [
        f"แถวที่ 2 คอลัมน์ ‘{column}’: ข้อความยาวเกิน {TEXT_MAX_LENGTH} ตัวอักษร (มี {TEXT_MAX_LENGTH + 1} ตัวอักษร)"
    ]


def test_markup_in_an_imported_cell_is_kept_as_text_and_shown_escaped(staff, document, finance):
    payload = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    assert import_file(staff, csv_upload([row(c3=payload, c7=payload)])).status_code == 302
    assert Measure.objects.get().title == payload
    html = staff.get(reverse("measures:measure_list", args=["test-town", 2566])).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
