"""Export of the measures and of a round to XLSX and CSV.

The spreadsheet helpers are in tests/measures/spreadsheets.py; the `staff`, `rich` and `second_town`
fixtures in tests/measures/conftest.py.
"""

import csv
import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from measures import services
from measures.services import MeasureData
from tests.measures.spreadsheets import HEADERS, export, import_file, row_of, sheet_rows

pytestmark = pytest.mark.django_db


# --- Export --------------------------------------------------------------------------------


def test_the_xlsx_export_has_the_template_columns_and_one_row_per_measure_in_print_order(staff, rich):
    response = export(staff)
    rows = sheet_rows(response.content)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="ita-measures-test-town-2566.xlsx"'
    assert rows[0] == HEADERS
    # Print order; where the measure without a theme goes is the database's NULL order.
    assert [(r[0], r[2]) for r in rows[1:]] == [
        (m.theme.number if m.theme else None, m.number) for m in rich.measures.in_print_order()
    ]
    assert [(r[0], r[2], r[3]) for r in rows[1:] if r[0]] == [
        (1, 1, "เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี"),
        (1, 2, "ประกาศเจตจำนงสุจริตของผู้บริหาร"),
        (2, 1, "ตรวจสอบการเบิกจ่ายงบประมาณ"),
    ]


def test_the_export_writes_buddhist_era_months_and_dates_and_one_step_and_one_unit_per_line(staff, rich):
    first = row_of(sheet_rows(export(staff).content), "เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี")
    # A period typed as months (the default) is written as months; the deadline is a day.
    assert (first["ระยะเวลา: เริ่ม"], first["ระยะเวลา: สิ้นสุด"], first["กำหนดแล้วเสร็จ"]) == (
        "ต.ค. 2565",
        "ก.ย. 2566",
        "31/03/2566",
    )
    # The steps as typed, one per line (these were typed without numbers: documents number them).
    assert first["ขั้นตอน/วิธีการปฏิบัติ"] == "แต่งตั้งคณะทำงาน\n15 วันหลังอนุมัติแผน ประกาศบนเว็บไซต์\nรายงานผู้บริหาร"
    assert first["หน่วยงานผู้รับผิดชอบ"] == "กองคลัง\nกองช่าง"
    assert (first["ตัวชี้วัด"], first["ข้อคำถาม"], first["งบประมาณ (บาท)"]) == ("3, 9", "I13", 15000.5)


def test_the_csv_export_is_utf8_with_a_byte_order_mark_for_excel(staff, rich):
    response = export(staff, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ita-measures-test-town-2566.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADERS
    assert row_of(rows, "เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี")["ระยะเวลา: เริ่ม"] == "ต.ค. 2565"


def test_text_that_looks_like_a_formula_stays_text_in_both_formats(staff, document, finance, officer):
    services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(title='=HYPERLINK("http://example.org")', number=1, units=[finance]),
    )
    workbook = load_workbook(io.BytesIO(export(staff).content))
    cell = workbook.active.cell(row=2, column=HEADERS.index("มาตรการ/แนวทาง") + 1)
    csv_rows = list(csv.reader(io.StringIO(export(staff, "csv").content.decode("utf-8-sig"))))
    assert (cell.data_type, cell.value) == ("s", '=HYPERLINK("http://example.org")')
    assert csv_rows[1][3] == '\'=HYPERLINK("http://example.org")'


def test_a_formula_like_title_comes_back_unchanged_from_the_csv_export(
    staff, document, finance, officer, second_town, client
):
    title = "=1+1 ไม่ใช่สูตร"
    services.measure_create(document=document, by=officer, data=MeasureData(title=title, number=1, units=[finance]))
    content = export(staff, "csv").content
    client.force_login(second_town["officer"])
    import_file(client, SimpleUploadedFile("formula.csv", content), org="second-town")
    assert second_town["document"].measures.get().title == title


def test_an_unknown_export_format_answers_404(staff, document):
    assert export(staff, "pdf").status_code == 404


def test_exporting_does_not_cost_more_queries_with_more_measures(
    staff, document, finance, officer, django_assert_max_num_queries
):
    for number in range(1, 21):
        services.measure_create(
            document=document,
            by=officer,
            data=MeasureData(title=f"มาตรการที่ {number}", number=number, units=[finance], steps=["ขั้นที่หนึ่ง", "ขั้นที่สอง"]),
        )
    with django_assert_max_num_queries(15):
        assert len(sheet_rows(export(staff).content)) == 21


def test_the_round_export_has_one_row_per_measure_with_its_results_and_be_completion_date(staff, rich, officer):
    report = services.report_start(document=rich, round_months=6, by=officer)
    entry = report.entries.get(measure__title="เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี")
    services.entry_update(
        entry=entry,
        by=officer,
        revision=None,
        status="done",
        percent=100,
        summary="เผยแพร่ครบแล้ว",
        outcome="ประชาชนเข้าถึงข้อมูล",
        problems="บุคลากรน้อย",
        suggestions="เพิ่มผู้ช่วย",
        completed_on=date(2023, 3, 15),
    )
    response = staff.get(reverse("measures:round_export", args=["test-town", 2566, 6, "xlsx"]))
    rows = sheet_rows(response.content)
    done = row_of(rows, "เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี")
    assert response["Content-Disposition"] == 'attachment; filename="ita-progress-test-town-2566-6m.xlsx"'
    assert len(rows) == 1 + rich.measures.count()
    assert (done["สถานะ"], done["ความก้าวหน้า (ร้อยละ)"]) == ("ดำเนินการแล้วเสร็จ", 100)
    # A real date (Excel sorts it), shown in the Buddhist Era by its number format.
    assert done["วันที่แล้วเสร็จ"] == datetime(2023, 3, 15)
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    (cell,) = [c for c in sheet[rows.index(list(done.values())) + 1] if c.value == datetime(2023, 3, 15)]
    assert cell.is_date and cell.number_format == "[$-1070000]dd/mm/yyyy;@"
    csv_response = staff.get(reverse("measures:round_export", args=["test-town", 2566, 6, "csv"]))
    assert "15/03/2566" in csv_response.content.decode("utf-8-sig")
    assert (done["สรุปผลการดำเนินงาน"], done["ผลลัพธ์/ความสำเร็จ"]) == ("เผยแพร่ครบแล้ว", "ประชาชนเข้าถึงข้อมูล")
    assert (done["ปัญหาอุปสรรค"], done["ข้อเสนอแนะ"]) == ("บุคลากรน้อย", "เพิ่มผู้ช่วย")
    assert done["ระยะเวลาดำเนินการ"] == "ต.ค. 2565 – ก.ย. 2566"


def test_the_round_csv_export_has_a_byte_order_mark(staff, rich, officer):
    services.report_start(document=rich, round_months=12, by=officer)
    response = staff.get(reverse("measures:round_export", args=["test-town", 2566, 12, "csv"]))
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "สรุปผลการดำเนินงาน" in response.content.decode("utf-8-sig").splitlines()[0]


def test_exporting_a_round_that_has_not_started_answers_404(staff, document):
    response = staff.get(reverse("measures:round_export", args=["test-town", 2566, 6, "xlsx"]))
    assert response.status_code == 404
