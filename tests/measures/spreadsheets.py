"""The measures spreadsheet of the export and the import: its columns, and helpers to write, send and read one.

Used by tests/measures/test_export.py, test_import.py, test_import_export.py and tests/bad_input.
"""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from measures import editions
from measures.models import MeasuresDocument

# The columns of the template, in order: users' files depend on these names.
HEADERS = [
    "ลำดับด้าน",
    "ชื่อด้าน",
    "ลำดับมาตรการ",
    "มาตรการ/แนวทาง",
    "ประเด็นที่ต้องปรับปรุงแก้ไข/พัฒนา",
    "ตัวชี้วัด",
    "ข้อคำถาม",
    "ขั้นตอน/วิธีการปฏิบัติ",
    "หน่วยงานผู้รับผิดชอบ",
    "ทุกกอง/สำนัก",
    "ผู้รับผิดชอบ (บุคคล/ตำแหน่ง)",
    "ระยะเวลา: เริ่ม",
    "ระยะเวลา: สิ้นสุด",
    "ตลอดปีงบประมาณ",
    "การติดตามและรายงานผล",
    "เป้าหมาย/ตัวชี้วัดความสำเร็จ",
    "งบประมาณ (บาท)",
    "กำหนดแล้วเสร็จ",
]


# --- Helpers -------------------------------------------------------------------------------


def row(**values) -> list:
    """One data row in template order; a valid measure unless the caller says otherwise."""
    base = {"ลำดับมาตรการ": 1, "มาตรการ/แนวทาง": "จัดทำคู่มือการปฏิบัติงาน", "หน่วยงานผู้รับผิดชอบ": "กองคลัง"}
    base |= {HEADERS[int(k[1:])] if k.startswith("c") and k[1:].isdigit() else k: v for k, v in values.items()}
    return [base.get(header) for header in HEADERS]


def xlsx_upload(rows, header=HEADERS, name="measures.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for values in [header, *rows]:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_upload(rows, header=HEADERS, encoding="utf-8-sig", name="measures.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for values in [header, *rows]:
        writer.writerow(["" if v is None else v for v in values])
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding))


def sheet_rows(content: bytes, sheet: int = 0) -> list[list]:
    workbook = load_workbook(io.BytesIO(content))
    return [list(r) for r in workbook.worksheets[sheet].iter_rows(values_only=True)]


def row_of(rows: list[list], title: str) -> dict:
    """The row of the measure with this title, as {header: value}."""
    column = rows[0].index("มาตรการ/แนวทาง")
    return next(dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[column] == title)


def export(client, fmt="xlsx", org="test-town", year=2566):
    return client.get(reverse("measures:document_export", args=[org, year, fmt]))


def import_file(client, upload, org="test-town", year=2566):
    return client.post(reverse("measures:document_import", args=[org, year]), {"file": upload})


def problems(response) -> list[str]:
    return response.context["problems"]


def measure_facts(document: MeasuresDocument) -> list[tuple]:
    """Everything a measure holds, read from the models (not through the spreadsheet code)."""
    measures = document.measures.select_related("theme").prefetch_related("indicators", "items", "steps", "units")
    return [
        (
            m.theme.number if m.theme else None,
            m.theme.title if m.theme else "",
            m.number,
            m.title,
            m.issue,
            sorted(i.number for i in m.indicators.all()),
            sorted(i.code for i in m.items.all()),
            [s.text for s in m.steps.all()],
            sorted(u.name for u in m.units.all()),
            m.all_units,
            m.owner,
            m.period_start,
            m.period_end,
            m.whole_year,
            m.monitoring,
            m.target,
            m.budget,
            m.deadline,
        )
        for m in measures.in_print_order()
    ]


def same_table(a: MeasuresDocument, b: MeasuresDocument) -> None:
    assert measure_facts(b) == measure_facts(a)
    assert editions.document_data(b)["measures"] == editions.document_data(a)["measures"]
