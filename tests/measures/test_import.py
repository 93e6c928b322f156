"""Import of measures from an XLSX or CSV file: what it accepts, and what it refuses (then nothing changes).

The spreadsheet helpers are in tests/measures/spreadsheets.py; the `staff`, `rich` and `second_town`
fixtures in tests/measures/conftest.py.
"""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from measures import services, workflow
from measures.models import Measure, Membership, Theme
from measures.services import MeasureData
from tests.factories import MembershipFactory, UserFactory
from tests.measures.spreadsheets import HEADERS, csv_upload, import_file, problems, row, sheet_rows, xlsx_upload

pytestmark = pytest.mark.django_db


# --- Import: what it accepts ---------------------------------------------------------------


def test_importing_creates_themes_and_measures_and_says_how_many(staff, document, finance, works):
    upload = xlsx_upload(
        [
            row(c0=1, c1="ด้านการเปิดเผยข้อมูล", c2=1, c8="กองคลัง, กองช่าง", c7="ประชุม\nประกาศ"),
            row(c0=1, c2=2, c3="เผยแพร่รายงานการเงิน"),
        ]
    )
    response = import_file(staff, upload)
    assert response.status_code == 302
    assert [m.display_number for m in document.measures.in_print_order()] == ["1.1", "1.2"]
    first = document.measures.get(number=1)
    assert set(first.units.values_list("name", flat=True)) == {"กองคลัง", "กองช่าง"}
    assert list(first.steps.values_list("text", flat=True)) == ["ประชุม", "ประกาศ"]
    followed = staff.get(response.url)
    assert "นำเข้ามาตรการ 2 รายการและด้านใหม่ 1 ด้านจากไฟล์ measures.xlsx แล้ว" in followed.text


def test_thai_digits_are_accepted_in_numbers_dates_and_budgets(staff, document, finance):
    upload = xlsx_upload(
        [row(c0="๒", c1="ด้านการใช้งบประมาณ", c2="๓", c11="๐๑/๑๐/๒๕๖๕", c12="๓๑ มี.ค. ๒๕๖๖", c16="๑๕,๐๐๐")]
    )
    assert import_file(staff, upload).status_code == 302
    measure = document.measures.get()
    assert (measure.display_number, measure.period_start, measure.period_end) == (
        "2.3",
        date(2022, 10, 1),
        date(2023, 3, 31),
    )
    assert measure.budget == Decimal("15000")


def test_a_month_is_read_from_its_first_day_to_the_last_day_of_the_end_month(staff, document, finance):
    assert import_file(staff, xlsx_upload([row(c11="ต.ค. 2565", c12="กุมภาพันธ์ พ.ศ. 2566")])).status_code == 302
    measure = document.measures.get()
    assert (measure.period_start, measure.period_end) == (date(2022, 10, 1), date(2023, 2, 28))


def test_a_real_excel_date_is_taken_as_it_is_and_a_be_year_typed_into_it_is_converted(staff, document, finance):
    upload = xlsx_upload([row(c11=date(2022, 10, 1), c12=date(2566, 9, 30))])
    assert import_file(staff, upload).status_code == 302
    measure = document.measures.get()
    assert (measure.period_start, measure.period_end) == (date(2022, 10, 1), date(2023, 9, 30))


def test_every_unit_can_be_named_in_the_units_column_or_flagged(staff, document):
    upload = csv_upload([row(c8="ทุกกอง/สำนัก"), row(c2=2, c8="", c9="ใช่")])
    assert import_file(staff, upload).status_code == 302
    assert list(document.measures.values_list("all_units", flat=True)) == [True, True]


def test_the_measures_sheet_is_found_when_another_sheet_comes_first(staff, document, finance):
    workbook = Workbook()
    workbook.active.append(["หมายเหตุของผู้กรอก"])
    measures = workbook.create_sheet("มาตรการ")
    for values in [HEADERS, row(c3="มาตรการในแผ่นงานที่สอง")]:
        measures.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert import_file(staff, SimpleUploadedFile("two-sheets.xlsx", buffer.getvalue())).status_code == 302
    assert document.measures.get().title == "มาตรการในแผ่นงานที่สอง"


def test_a_csv_saved_by_excel_on_thai_windows_imports(staff, document, finance):
    response = import_file(staff, csv_upload([row(c3="ทดสอบรหัส cp874")], encoding="cp874"))
    assert response.status_code == 302
    assert document.measures.get().title == "ทดสอบรหัส cp874"


def test_blank_rows_are_skipped_and_rows_are_numbered_as_the_spreadsheet_shows_them(staff, document, finance):
    upload = xlsx_upload([row(), [None] * len(HEADERS), row(c2=2, c8="กองสวัสดิการ")])
    response = import_file(staff, upload)
    assert problems(response) == [
        "แถวที่ 4 คอลัมน์ ‘หน่วยงานผู้รับผิดชอบ’: ไม่พบส่วนราชการชื่อ “กองสวัสดิการ” ในหน่วยงานนี้ "
        "กรุณาใช้ชื่อตามรายชื่อส่วนราชการในหน้านำเข้าหรือในแม่แบบ"
    ]


def test_the_import_is_recorded_in_the_history_as_the_officers_change(staff, document, finance, officer):
    import_file(staff, xlsx_upload([row(c0=1, c1="ด้านการเปิดเผยข้อมูล")]))
    measure = document.measures.get()
    assert set(measure.history.values_list("history_user", flat=True)) == {officer.pk}
    assert set(Theme.history.filter(number=1).values_list("history_user", flat=True)) == {officer.pk}


def test_importing_appends_and_reuses_a_theme_already_in_the_document(staff, theme, finance, officer):
    services.measure_create(
        document=theme.document,
        by=officer,
        data=MeasureData(title="มาตรการเดิม", number=1, theme=theme, units=[finance]),
    )
    response = import_file(staff, xlsx_upload([row(c0=1, c2=2, c3="มาตรการใหม่")]))
    assert response.status_code == 302
    assert list(theme.measures.order_by("number").values_list("title", flat=True)) == ["มาตรการเดิม", "มาตรการใหม่"]
    assert theme.document.themes.count() == 1


def test_the_template_has_the_import_columns_and_an_example_row_that_imports(staff, document, finance, works):
    response = staff.get(reverse("measures:document_import_template", args=["test-town", 2566]))
    rows = sheet_rows(response.content)
    units = [r[0] for r in sheet_rows(response.content, sheet=2)]
    assert response["Content-Disposition"] == 'attachment; filename="ita-measures-template-test-town-2566.xlsx"'
    assert (rows[0], len(rows)) == (HEADERS, 2)
    assert set(units[1:]) == {"กองคลัง", "กองช่าง"}
    assert import_file(staff, SimpleUploadedFile("template.xlsx", response.content)).status_code == 302
    assert document.measures.get().display_number == "1.1"


# --- Import: what it refuses (and then nothing changes) ------------------------------------


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row_and_the_column(staff, document, finance):
    upload = xlsx_upload([row(c2=1), row(c2=2), row(c2=3, c8="กองคลัง\nกองการประปา")])
    response = import_file(staff, upload)
    assert response.status_code == 200
    assert problems(response) == [
        "แถวที่ 4 คอลัมน์ ‘หน่วยงานผู้รับผิดชอบ’: ไม่พบส่วนราชการชื่อ “กองการประปา” ในหน่วยงานนี้ "
        "กรุณาใช้ชื่อตามรายชื่อส่วนราชการในหน้านำเข้าหรือในแม่แบบ"
    ]
    assert "นำเข้าไม่สำเร็จ — ยังไม่ได้บันทึกข้อมูลใดเลย" in response.text
    assert not document.measures.exists()


def test_a_christian_era_year_is_refused_with_the_thai_hint_and_nothing_is_imported(staff, document, finance):
    response = import_file(staff, csv_upload([row(c2=1), row(c2=2), row(c2=3, c12="31/03/2023")]))
    assert problems(response) == ["แถวที่ 4 คอลัมน์ ‘ระยะเวลา: สิ้นสุด’: ปี 2023 เป็นปีคริสต์ศักราช กรุณากรอกปีพุทธศักราช เช่น 2566"]
    assert not document.measures.exists()


def test_a_christian_era_year_in_a_month_is_refused_too(staff, document, finance):
    response = import_file(staff, csv_upload([row(c11="ต.ค. 2022")]))
    assert problems(response) == ["แถวที่ 2 คอลัมน์ ‘ระยะเวลา: เริ่ม’: ปี 2022 เป็นปีคริสต์ศักราช กรุณากรอกปีพุทธศักราช เช่น 2565"]


def test_every_problem_of_the_file_is_reported_in_row_and_column_order(staff, document, finance):
    upload = xlsx_upload(
        [
            row(c2="1.2", c3=""),
            row(c2=2, c8="", c11="01/10/2566", c12="30/09/2565"),
            row(c2=3, c14="x", c9="บางกอง", c16="หนึ่งหมื่น"),
        ]
    )
    assert problems(import_file(staff, upload)) == [
        "แถวที่ 2 คอลัมน์ ‘ลำดับมาตรการ’: กรอกเฉพาะลำดับของมาตรการในด้าน เช่น 2 สำหรับมาตรการ 1.2 "
        "และกรอกลำดับด้านในคอลัมน์ ‘ลำดับด้าน’",
        "แถวที่ 2 คอลัมน์ ‘มาตรการ/แนวทาง’: กรุณากรอกชื่อมาตรการ",
        "แถวที่ 3 คอลัมน์ ‘หน่วยงานผู้รับผิดชอบ’: กรุณาระบุหน่วยงานผู้รับผิดชอบอย่างน้อยหนึ่งหน่วย หรือใส่ “ใช่” ในคอลัมน์ ‘ทุกกอง/สำนัก’",
        "แถวที่ 3 คอลัมน์ ‘ระยะเวลา: สิ้นสุด’: วันสิ้นสุดต้องไม่ก่อนวันเริ่ม",
        "แถวที่ 4 คอลัมน์ ‘ทุกกอง/สำนัก’: กรอก “ใช่” หรือเว้นว่าง",
        "แถวที่ 4 คอลัมน์ ‘งบประมาณ (บาท)’: กรุณากรอกงบประมาณเป็นตัวเลข เช่น 15,000 หรือ ๑๕,๐๐๐",
    ]
    assert not document.measures.exists()


def test_an_unknown_item_code_or_indicator_is_refused(staff, document, finance):
    response = import_file(staff, xlsx_upload([row(c5="11", c6="I13, X99")]))
    assert problems(response) == [
        "แถวที่ 2 คอลัมน์ ‘ตัวชี้วัด’: ไม่พบตัวชี้วัดที่ 11 ในกรอบการประเมิน ITA 2565",
        "แถวที่ 2 คอลัมน์ ‘ข้อคำถาม’: ไม่พบข้อ X99 ในกรอบการประเมิน ITA 2565",
    ]


def test_a_number_twice_in_the_file_names_the_first_row(staff, document, finance):
    response = import_file(staff, xlsx_upload([row(c0=1, c1="ด้านแรก"), row(c0=1, c1="ด้านแรก", c3="อีกมาตรการ")]))
    assert problems(response) == ["แถวที่ 3 คอลัมน์ ‘ลำดับมาตรการ’: มาตรการลำดับ 1.1 ซ้ำกับแถวที่ 2"]


def test_a_number_already_in_the_document_is_an_error_naming_the_row(staff, theme, finance, officer):
    services.measure_create(
        document=theme.document,
        by=officer,
        data=MeasureData(title="มาตรการเดิม", number=1, theme=theme, units=[finance]),
    )
    response = import_file(staff, xlsx_upload([row(c0=1, c2=2), row(c0=1, c2=1, c3="มาตรการซ้ำ")]))
    assert problems(response) == [
        "แถวที่ 3 คอลัมน์ ‘ลำดับมาตรการ’: เอกสารนี้มีมาตรการลำดับ 1.1 อยู่แล้ว (การนำเข้าเพิ่มมาตรการต่อจากที่มีอยู่ ไม่แทนที่)"
    ]
    assert theme.measures.count() == 1


def test_theme_names_must_agree_with_the_document_and_between_rows(staff, theme, finance):
    response = import_file(
        staff,
        xlsx_upload(
            [
                row(c0=1, c1="ด้านอื่น"),
                row(c0=2, c1="ด้านใหม่", c2=1),
                row(c0=2, c1="ด้านใหม่อีกชื่อ", c2=2),
                row(c0=3, c2=1),
            ]
        ),
    )
    assert problems(response) == [
        "แถวที่ 2 คอลัมน์ ‘ชื่อด้าน’: ด้านที่ 1 ในเอกสารนี้ชื่อ “ด้านการเปิดเผยข้อมูล” ไม่ตรงกับชื่อในไฟล์",
        "แถวที่ 4 คอลัมน์ ‘ชื่อด้าน’: ชื่อด้านที่ 2 ไม่ตรงกับแถวที่ 3 (“ด้านใหม่”)",
        "แถวที่ 5 คอลัมน์ ‘ชื่อด้าน’: ด้านที่ 3 ยังไม่มีในเอกสาร กรุณากรอกชื่อด้านอย่างน้อยในหนึ่งแถว",
    ]
    assert list(theme.document.themes.values_list("number", flat=True)) == [1]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("measures.pdf", b"%PDF-1.4"),
            "รับเฉพาะไฟล์ Excel (.xlsx) หรือ CSV (.csv) ถ้าเป็นไฟล์ .xls ให้บันทึกเป็น .xlsx ก่อน",
        ),
        (
            SimpleUploadedFile("measures.xls", b"\xd0\xcf\x11\xe0"),
            "รับเฉพาะไฟล์ Excel (.xlsx) หรือ CSV (.csv) ถ้าเป็นไฟล์ .xls ให้บันทึกเป็น .xlsx ก่อน",
        ),
        (SimpleUploadedFile("measures.csv", b""), "ไฟล์ว่างเปล่า"),
        (SimpleUploadedFile("measures.xlsx", b"x" * (2 * 1024 * 1024 + 1)), "ไฟล์ใหญ่เกินไป ขนาดไม่เกิน 2.0"),
    ],
)
def test_a_file_of_the_wrong_type_or_size_is_refused_before_it_is_read(staff, document, upload, message):
    response = import_file(staff, upload)
    assert response.status_code == 200
    assert response.context["form"].errors["file"][0].startswith(message)
    assert not document.measures.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("measures.xlsx", b"this is not a spreadsheet"), "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) ที่ถูกต้อง"),
        (
            SimpleUploadedFile("measures.xlsx", b"PK\x03\x04broken zip"),
            "เปิดไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหาย กรุณาบันทึกเป็น .xlsx จาก Excel อีกครั้ง",
        ),
        (
            SimpleUploadedFile("measures.csv", b"PK\x03\x04zip"),
            "ไฟล์นี้เป็นไฟล์ Excel แต่ใช้นามสกุล .csv กรุณาเปลี่ยนนามสกุลเป็น .xlsx",
        ),
        (csv_upload([]), "ไม่มีมาตรการในไฟล์ (มีแต่แถวชื่อคอลัมน์หรือไฟล์ว่าง)"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_thai_message(staff, document, upload, message):
    assert problems(import_file(staff, upload)) == [message]


def test_a_file_without_the_template_columns_names_the_missing_ones(staff, document, finance):
    header = [h for h in HEADERS if h not in ("มาตรการ/แนวทาง", "ระยะเวลา: เริ่ม")]
    response = import_file(staff, xlsx_upload([["x"] * len(header)], header=header))
    assert problems(response) == [
        "แถวแรกของไฟล์ต้องเป็นชื่อคอลัมน์ตามแม่แบบ ไม่พบคอลัมน์ ‘มาตรการ/แนวทาง’, ‘ระยะเวลา: เริ่ม’ "
        "กรุณาดาวน์โหลดแม่แบบจากหน้านี้แล้วกรอกข้อมูลใหม่"
    ]
    assert not document.measures.exists()


def test_a_document_under_review_refuses_the_import_with_the_service_message(staff, document, finance, officer):
    services.measure_create(
        document=document, by=officer, data=MeasureData(title="มาตรการเดิม", number=1, units=[finance])
    )
    chief = UserFactory(username="chief")
    MembershipFactory(user=chief, organisation=document.organisation, role=Membership.Role.APPROVER)
    workflow.chain_save(
        organisation=document.organisation,
        by=officer,
        rows=[{"title": "ปลัดเทศบาล", "acting_for": "", "approvers": [chief]}],
    )
    workflow.submit(target=document, by=officer)
    response = import_file(staff, xlsx_upload([row()]))
    assert response.context["form"].non_field_errors() == ["เอกสารนี้อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว จึงแก้ไขไม่ได้"]
    assert list(Measure.objects.values_list("title", flat=True)) == ["มาตรการเดิม"]
