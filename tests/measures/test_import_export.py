"""Export of the measures and of a round to XLSX and CSV; import of measures from such a file."""

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from measures import editions, services, workflow
from measures.devdata.seeds import load_demo_organisation
from measures.loaders import read_json
from measures.models import Item, Measure, MeasuresDocument, Membership, Theme
from measures.services import MeasureData
from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

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


@pytest.fixture
def staff(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def rich(document, officer, finance, works):
    """Test-town's 2566 document: two themes, a measure without one, every field filled somewhere."""
    i13 = Item.objects.select_related("indicator").get(framework__year=2565, code="I13")
    disclosure = services.theme_save(document=document, by=officer, number=1, title="ด้านการเปิดเผยข้อมูล")
    budget = services.theme_save(document=document, by=officer, number=2, title="ด้านการใช้งบประมาณ")
    services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(
            title="เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี",
            number=1,
            theme=disclosure,
            issue="ข้อมูลไม่เป็นปัจจุบัน",
            steps=["แต่งตั้งคณะทำงาน", "15 วันหลังอนุมัติแผน ประกาศบนเว็บไซต์", "รายงานผู้บริหาร"],
            units=[finance, works],
            items=[i13],
            indicators=list(document.basis_framework.indicators.filter(number=9)),
            owner="นิติกร",
            period_start=date(2022, 10, 1),
            period_end=date(2023, 9, 30),
            monitoring="๑. รายงานทุกเดือน\n๒. สรุปผลทุก 6 เดือน",
            target="ครบ 12 เดือน",
            budget=Decimal("15000.50"),
            deadline=date(2023, 3, 31),
        ),
    )
    services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(
            title="ประกาศเจตจำนงสุจริตของผู้บริหาร", number=2, theme=disclosure, all_units=True, whole_year=True
        ),
    )
    services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(
            title="ตรวจสอบการเบิกจ่ายงบประมาณ", number=1, theme=budget, units=[finance], period_start=date(2022, 11, 1)
        ),
    )
    services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(
            title="อบรมเจ้าหน้าที่เรื่องผลประโยชน์ทับซ้อน",
            number=3,
            units=[works],
            period_start=date(2023, 1, 1),
            period_end=date(2023, 1, 31),
        ),
    )
    return document


@pytest.fixture
def second_town(db):
    """Another organisation with units of the same names, its officer and an empty 2566 document."""
    organisation = OrganisationFactory(name="เทศบาลตำบลปลายทาง", slug="second-town")
    for name in ("กองคลัง", "กองช่าง"):
        UnitFactory(organisation=organisation, name=name)
    officer = UserFactory(username="second-officer")
    MembershipFactory(user=officer, organisation=organisation, role=Membership.Role.OFFICER)
    document = services.document_create(organisation=organisation, fiscal_year=2566, by=officer)
    return {"officer": officer, "document": document}


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


def test_the_export_writes_buddhist_era_dates_and_one_step_and_one_unit_per_line(staff, rich):
    first = row_of(sheet_rows(export(staff).content), "เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี")
    assert (first["ระยะเวลา: เริ่ม"], first["ระยะเวลา: สิ้นสุด"], first["กำหนดแล้วเสร็จ"]) == (
        "01/10/2565",
        "30/09/2566",
        "31/03/2566",
    )
    assert first["ขั้นตอน/วิธีการปฏิบัติ"] == "1. แต่งตั้งคณะทำงาน\n2. 15 วันหลังอนุมัติแผน ประกาศบนเว็บไซต์\n3. รายงานผู้บริหาร"
    assert first["หน่วยงานผู้รับผิดชอบ"] == "กองคลัง\nกองช่าง"
    assert (first["ตัวชี้วัด"], first["ข้อคำถาม"], first["งบประมาณ (บาท)"]) == ("3, 9", "I13", 15000.5)


def test_the_csv_export_is_utf8_with_a_byte_order_mark_for_excel(staff, rich):
    response = export(staff, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ita-measures-test-town-2566.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADERS
    assert row_of(rows, "เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี")["ระยะเวลา: เริ่ม"] == "01/10/2565"


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
    assert (done["สถานะ"], done["ความก้าวหน้า (ร้อยละ)"], done["วันที่แล้วเสร็จ"]) == ("ดำเนินการแล้วเสร็จ", 100, "15/03/2566")
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


# --- Round trips ---------------------------------------------------------------------------


def test_an_xlsx_exported_from_one_organisation_imports_into_another_and_gives_the_same_table(
    staff, rich, second_town, client
):
    content = export(staff).content
    client.force_login(second_town["officer"])
    response = import_file(client, SimpleUploadedFile("from-test-town.xlsx", content), org="second-town")
    assert response.status_code == 302
    same_table(rich, second_town["document"])
    assert sheet_rows(export(client, org="second-town").content) == sheet_rows(content)


def test_a_csv_export_with_its_byte_order_mark_imports_into_another_organisation(staff, rich, second_town, client):
    content = export(staff, "csv").content
    client.force_login(second_town["officer"])
    response = import_file(client, SimpleUploadedFile("from-test-town.csv", content), org="second-town")
    assert response.status_code == 302
    same_table(rich, second_town["document"])


DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"


@pytest.mark.parametrize("seed", ["khao-hua-chang", "thawon", "bo-phloi"])
def test_a_demo_document_exported_to_xlsx_imports_into_a_new_organisation_unchanged(seed, second_town, client):
    data = read_json(DEMO / f"{seed}.json")
    source = load_demo_organisation(data, by=second_town["officer"])
    MembershipFactory(user=second_town["officer"], organisation=source, role=Membership.Role.OFFICER)
    original = source.documents.get()
    target = OrganisationFactory(slug="target-town")
    for unit in source.units.all():
        UnitFactory(organisation=target, name=unit.name, order=unit.order)
    MembershipFactory(user=second_town["officer"], organisation=target, role=Membership.Role.OFFICER)
    copy = services.document_create(organisation=target, fiscal_year=original.fiscal_year, by=second_town["officer"])
    client.force_login(second_town["officer"])
    content = export(client, org=source.slug, year=original.fiscal_year).content
    response = import_file(
        client, SimpleUploadedFile("seed.xlsx", content), org="target-town", year=original.fiscal_year
    )
    assert response.status_code == 302, response.context and problems(response)
    same_table(original, copy)


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


# --- Pages and rights ----------------------------------------------------------------------


def test_the_document_page_offers_export_and_import(staff, document):
    text = staff.get(reverse("measures:document_detail", args=["test-town", 2566])).text
    assert reverse("measures:document_export", args=["test-town", 2566, "xlsx"]) in text
    assert reverse("measures:document_export", args=["test-town", 2566, "csv"]) in text
    assert reverse("measures:document_import", args=["test-town", 2566]) in text


def test_the_import_page_links_the_template_and_lists_the_unit_names(staff, document, finance, works):
    response = staff.get(reverse("measures:document_import", args=["test-town", 2566]))
    assert reverse("measures:document_import_template", args=["test-town", 2566]) in response.text
    assert "<li>กองคลัง</li>" in response.text and "<li>กองช่าง</li>" in response.text


def test_an_approver_sees_the_export_buttons_but_not_the_import(client, approver, document):
    client.force_login(approver)
    text = client.get(reverse("measures:document_detail", args=["test-town", 2566])).text
    assert "ส่งออก Excel" in text
    assert "นำเข้ามาตรการจากไฟล์" not in text


def test_a_contributor_sees_no_export_button(client, contributor, document):
    client.force_login(contributor)
    text = client.get(reverse("measures:document_detail", args=["test-town", 2566])).text
    assert "ส่งออก Excel" not in text


@pytest.fixture
def round_six(document, officer):
    return services.report_start(document=document, round_months=6, by=officer)


EXPORTS = [
    ("document_export", ["test-town", 2566, "xlsx"]),
    ("document_export", ["test-town", 2566, "csv"]),
    ("round_export", ["test-town", 2566, 6, "xlsx"]),
    ("document_import_template", ["test-town", 2566]),
]


@pytest.mark.parametrize(("name", "args"), EXPORTS)
def test_a_contributor_may_not_download_a_spreadsheet(name, args, client, contributor, round_six):
    client.force_login(contributor)
    assert client.get(reverse(f"measures:{name}", args=args)).status_code == 403


@pytest.mark.parametrize(("name", "args"), EXPORTS)
def test_an_officer_of_another_organisation_gets_404_for_a_spreadsheet(name, args, client, outsider, round_six):
    client.force_login(outsider)
    assert client.get(reverse(f"measures:{name}", args=args)).status_code == 404


@pytest.mark.parametrize(("name", "args"), EXPORTS)
def test_an_anonymous_visitor_is_sent_to_the_login_page(name, args, client, round_six):
    response = client.get(reverse(f"measures:{name}", args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_approver_may_export_the_document_and_the_round(client, approver, round_six):
    client.force_login(approver)
    assert export(client).status_code == 200
    assert client.get(reverse("measures:round_export", args=["test-town", 2566, 6, "csv"])).status_code == 200


def test_oversight_may_not_export_a_document_or_a_round(client, oversight, round_six):
    client.force_login(oversight)
    assert export(client).status_code == 403
    assert client.get(reverse("measures:round_export", args=["test-town", 2566, 6, "csv"])).status_code == 403


@pytest.mark.parametrize("persona", ["approver", "oversight", "contributor"])
def test_a_persona_without_the_edit_right_cannot_import_and_nothing_changes(
    persona, client, request, document, finance
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("measures:document_import", args=["test-town", 2566])).status_code == 403
    assert import_file(client, xlsx_upload([row()])).status_code == 403
    assert not document.measures.exists()


def test_an_outsider_cannot_import_into_another_organisation(client, outsider, document, finance):
    client.force_login(outsider)
    assert import_file(client, xlsx_upload([row()])).status_code == 404
    assert not document.measures.exists()


def test_an_organisation_administrator_may_import(client, org_admin, document, finance):
    client.force_login(org_admin)
    assert import_file(client, xlsx_upload([row()])).status_code == 302
    assert document.measures.count() == 1
