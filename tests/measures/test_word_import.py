"""Last year's Word document imported (issue 20): the measures tables of the three seed documents and of
hand-made variants, previewed row by row, then imported all or nothing; a report's results into a round.

The .docx files are written by tests/word_files.py. The helpers at the top (seed_town, send, preview,
confirm) are shared with tests/bad_input/test_word_import.py and tests/e2e/test_word_import.py.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from measures import numbering, services, workflow
from measures.models import Measure, Membership, Organisation, ProgressEntry, Theme
from measures.services import MeasureData
from measures.tabular.docx_import import plan_measures
from measures.tabular.docx_read import read_word
from measures.tabular.docx_tables import find_rows
from tests import word_files
from tests.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _units(organisation: Organisation, nodes: list[dict], parent=None) -> None:
    for node in nodes:
        unit = UnitFactory(organisation=organisation, name=node["name"], parent=parent)
        _units(organisation, node.get("children", []), unit)


def seed_town(name: str, officer_name: str = "seed-officer"):
    """An organisation with the units of a seed's demo data, its officer and an empty draft of its year."""
    data = word_files.demo(name)
    organisation = OrganisationFactory(name=data["organisation"]["name"], slug=name)
    _units(organisation, data["units"])
    officer = UserFactory(username=officer_name)
    MembershipFactory(user=officer, organisation=organisation, role=Membership.Role.OFFICER)
    year = data["documents"][0]["fiscal_year"]
    document = services.document_create(organisation=organisation, fiscal_year=year, by=officer)
    return document, officer


def import_url(document, round_months=None) -> str:
    args = [document.organisation.slug, document.fiscal_year]
    if round_months:
        return reverse("measures:round_word_import", args=[*args, round_months])
    return reverse("measures:document_word_import", args=args)


def send(client, document, content: bytes, name="measures.docx", round_months=None):
    return client.post(import_url(document, round_months), {"file": word_files.upload(content, name)})


def preview(client, document, content: bytes, round_months=None):
    """The upload, then the preview it leads to (its address, its response)."""
    sent = send(client, document, content, round_months=round_months)
    assert sent.status_code == 302, sent.context and sent.context.get("problems")
    return sent.url, client.get(sent.url)


def page_text(response) -> str:
    """The page's HTML with its runs of white space as one space."""
    return re.sub(r"\s+", " ", response.text)


def confirm(client, url: str):
    return client.post(url, {"confirm": "1"})


def facts(document) -> list[tuple]:
    measures = document.measures.select_related("theme").prefetch_related("units", "steps")
    return [
        (
            m.theme.number if m.theme else None,
            m.number,
            m.number_text,
            m.title,
            sorted(u.name for u in m.units.all()),
            m.all_units,
        )
        for m in measures.in_print_order()
    ]


def plan_of(content: bytes, document):
    return plan_measures(find_rows(read_word(word_files.upload(content))), document)


# --- The seed documents ----------------------------------------------------------------------------


def test_the_12_month_report_of_seed_000_imports_its_themes_measures_units_and_periods(client):
    document, officer = seed_town("khao-hua-chang")
    client.force_login(officer)
    url, shown = preview(client, document, word_files.seed_docx("khao-hua-chang"))
    assert Measure.objects.count() == 0  # previewed, nothing written
    confirm(client, url)
    data = word_files.demo("khao-hua-chang")["documents"][0]
    assert list(document.themes.values_list("number", "title")) == [(t["number"], t["title"]) for t in data["themes"]]
    expected = [(m["theme"], m["number"], "", m["title"], sorted(m["units"]), m["all_units"]) for m in data["measures"]]
    assert facts(document) == expected
    assert set(document.measures.values_list("period_start", "period_end", "period_precision")) == {
        (date(2022, 10, 1), date(2023, 9, 30), "month")
    }


def test_the_steps_of_seed_000_keep_their_typed_thai_numbers(client):
    document, officer = seed_town("khao-hua-chang")
    client.force_login(officer)
    confirm(client, preview(client, document, word_files.seed_docx("khao-hua-chang"))[0])
    measure = document.measures.get(theme__number=1, number=2)
    steps = list(measure.steps.values_list("text", flat=True))
    assert [numbering.split_marker(s) for s in steps] == [
        (f"{m}.", s)
        for m, s in zip("๑๒", word_files.demo("khao-hua-chang")["documents"][0]["measures"][1]["steps"], strict=True)
    ]


def test_the_measures_of_seed_004_are_read_after_its_analysis_table_and_across_its_two_tables(client):
    document, officer = seed_town("bo-phloi")
    client.force_login(officer)
    confirm(client, preview(client, document, word_files.seed_docx("bo-phloi"))[0])
    data = word_files.demo("bo-phloi")["documents"][0]["measures"]
    typed = {1: "๑.", 2: "๒.", 3: "๓.", 4: "๔.", 6: "๖.", 7: "๗."}
    assert facts(document) == [(None, m["number"], typed[m["number"]], m["title"], m["units"], False) for m in data]
    first = document.measures.get(number=1)
    assert [numbering.split_marker(s)[1] for s in first.steps.values_list("text", flat=True)] == data[0]["steps"]
    assert (first.period_start, first.period_end) == (date(2022, 2, 1), date(2022, 4, 30))
    assert first.monitoring == "๑.กำกับติดตามโดยผู้บังคับบัญชา และปลัดเทศบาล"


def test_the_issue_layout_of_seed_002_names_each_measure_by_its_question_and_links_it(client):
    document, officer = seed_town("thawon")
    client.force_login(officer)
    confirm(client, preview(client, document, word_files.seed_docx("thawon"))[0])
    data = word_files.demo("thawon")["documents"][0]["measures"]
    measures = list(document.measures.in_print_order().prefetch_related("units", "items", "indicators"))
    assert len(measures) == len(data) == 42
    for measure, source in zip(measures, data, strict=True):
        assert measure.issue == source["issue"]
        assert (sorted(u.name for u in measure.units.all()), measure.all_units) == (
            sorted(source["units"]),
            source["all_units"],
        )
        assert [i.code for i in measure.items.all()] == source["items"]
        assert measure.owner == source["owner"]
    assert [i.number for i in measures[0].indicators.all()] == [3]
    assert measures[0].title == "I13 ท่านได้รับมอบหมายงานจากผู้บังคับบัญชา อย่างเป็นธรรม อย่างน้อยเพียงใด"
    assert measures[4].title == (  # the question, its options ticked in the issue after it
        "I28 หน่วยงานของท่าน มีการดำเนินการดังต่อไปนี้ ต่อการทุจริตในหน่วยงาน มากน้อยเพียงใด "
        "(ฝ้าระวังการทุจริต, ตรวจสอบการทุจริต, ลงโทษทางวินัย เมื่อมีการทุจริต)"
    )
    assert measures[10].title == "ตัวชี้วัดที่ ๒ การใช้งบประมาณ"  # no question: the indicator, without its tool


def test_the_results_of_seed_000_go_into_the_12_month_round_its_split_summary_joined(client):
    document, officer = seed_town("khao-hua-chang")
    client.force_login(officer)
    content = word_files.seed_docx("khao-hua-chang")
    confirm(client, preview(client, document, content)[0])
    report = services.report_start(document=document, round_months=12, by=officer)
    url, shown = preview(client, document, content, round_months=12)
    assert "ไฟล์ไม่มีคอลัมน์สถานะ สถานะของแต่ละมาตรการจะคงเดิม" in shown.text
    assert ProgressEntry.objects.exclude(summary="").count() == 0
    response = confirm(client, url)
    assert response.status_code == 302
    data = {
        (m["theme"], m["number"]): m["progress"]["12"]
        for m in word_files.demo("khao-hua-chang")["documents"][0]["measures"]
    }
    for entry in report.entries.select_related("measure__theme"):
        result = data[(entry.measure.theme.number, entry.measure.number)]
        assert entry.summary == result["summary"]
        assert entry.outcome == (f"- {result['outcome']}" if result["outcome"] else "")
        assert entry.status == "not_started"


def test_the_6_month_results_of_seed_002_go_into_the_6_month_round(client):
    document, officer = seed_town("thawon")
    client.force_login(officer)
    content = word_files.seed_docx("thawon")
    confirm(client, preview(client, document, content)[0])
    report = services.report_start(document=document, round_months=6, by=officer)
    confirm(client, preview(client, document, content, round_months=6)[0])
    data = word_files.demo("thawon")["documents"][0]["measures"]
    summaries = [e.summary for e in report.entries.order_by("measure__number")]
    assert summaries == [m["progress"]["6"]["summary"] for m in data]


# --- Hand-made variants -------------------------------------------------------------------------------


@pytest.fixture
def staff(client, officer, finance, works):
    client.force_login(officer)
    return client


def test_merged_cells_give_their_text_to_every_row_and_a_title_merged_down_continues_its_measure(staff, document):
    confirm(staff, preview(staff, document, word_files.merged_cells())[0])
    assert list(Theme.objects.values_list("number", "title")) == [(1, "ด้านการเปิดเผยข้อมูล"), (2, "ด้านการใช้ทรัพย์สิน")]
    second = document.measures.get(theme__number=1, number=2)
    assert [u.name for u in second.units.all()] == ["กองคลัง"]  # merged down from the measure above
    assert list(second.steps.values_list("text", flat=True)) == ["สรุปผลทุกเดือน", "เสนอผู้บริหารทราบ"]
    assert (second.period_start, second.period_end) == (date(2022, 10, 1), date(2023, 9, 30))
    assert [u.name for u in document.measures.get(theme__number=2).units.all()] == ["กองช่าง"]


def test_a_heading_over_two_rows_reads_its_start_and_end_columns(staff, document):
    confirm(staff, preview(staff, document, word_files.two_row_heading())[0])
    first, second = document.measures.order_by("number")
    assert (first.period_start, first.period_end, first.period_precision) == (
        date(2022, 10, 1),
        date(2022, 12, 31),
        "month",
    )
    assert (second.period_start, second.period_end, second.period_precision) == (
        date(2023, 1, 1),
        date(2023, 3, 31),
        "day",
    )
    assert second.all_units


def test_headings_typed_over_two_rows_without_merged_cells_are_one_heading(staff, document):
    url, shown = preview(staff, document, word_files.heading_typed_over_two_rows())
    assert "มาตรการ/ แนวทาง" in page_text(shown)
    confirm(staff, url)
    assert facts(document) == [(None, 1, "1.", "จัดทำคู่มือการปฏิบัติงาน", ["กองคลัง"], False)]


def test_a_table_continued_on_new_pages_with_and_without_its_heading_is_one_table(staff, document):
    url, shown = preview(staff, document, word_files.continued_on_new_page())
    assert "ตารางที่ 2 แถวที่ 2 ต่อตารางที่ 3 แถวที่ 1" in shown.text
    confirm(staff, url)
    measures = list(document.measures.order_by("number"))
    assert [m.title for m in measures] == ["จัดทำคู่มือการปฏิบัติงาน", "เผยแพร่คู่มือ", "ประเมินผลการใช้คู่มือ", "ปรับปรุงคู่มือ"]
    assert list(measures[2].steps.values_list("text", flat=True)) == ["สำรวจความเห็น", "สรุปผลเสนอผู้บริหาร"]
    assert measures[2].whole_year
    assert (measures[3].period_start, measures[3].deadline) == (None, date(2023, 9, 30))


def test_numbers_typed_in_the_cells_are_kept_as_typed(staff, document):
    confirm(staff, preview(staff, document, word_files.typed_numbers())[0])
    measures = list(document.measures.order_by("number").prefetch_related("steps"))
    assert [(m.number, m.number_text) for m in measures] == [(1, "1."), (2, "๒)"), (3, "(3)"), (4, "")]
    assert [[s.text for s in m.steps.all()] for m in measures] == [
        ["1) ตรวจเอกสาร", "2) รายงานผล"],
        ["(๑) รวบรวมข้อมูล", "(๒) เผยแพร่"],
        ["ดำเนินการดังนี้", "ก. เปิดช่องทาง", "ข. ตอบกลับ"],
        ["1. จัดอบรม", "2. ประเมินผล"],  # numbered by Word itself: its numbers as Word shows them
    ]


def test_a_file_with_one_bad_row_is_refused_whole_naming_table_row_and_column(staff, document):
    response = send(staff, document, word_files.refused_whole())
    assert response.status_code == 200
    assert response.context["problems"] == [
        "ตารางที่ 1 แถวที่ 3 (มาตรการ 2) คอลัมน์ ‘หน่วยงานผู้รับผิดชอบ’: ไม่พบส่วนราชการชื่อ “กองสวัสดิการสังคม” ในหน่วยงานนี้ "
        "กรุณาแก้ชื่อในไฟล์ให้ตรงกับรายชื่อส่วนราชการในหน้านำเข้า",
        "ตารางที่ 1 แถวที่ 3 (มาตรการ 2) คอลัมน์ ‘ระยะเวลาดำเนินการ’: ปี 2023 เป็นปีคริสต์ศักราช กรุณากรอกปีพุทธศักราช เช่น 2566",
    ]
    assert "นำเข้าไม่สำเร็จ — ยังไม่ได้บันทึกข้อมูลใดเลย" in response.text
    assert Measure.objects.count() == 0  # the good row was not imported either
    assert "word_imports" not in staff.session


# --- The preview, the confirmation ------------------------------------------------------------------------


def test_the_preview_shows_every_row_and_what_each_cell_becomes(staff, document):
    url, shown = preview(staff, document, word_files.merged_cells())
    assert shown.status_code == 200
    text = page_text(shown)
    assert "จะเพิ่มมาตรการ <strong>3</strong> รายการ และด้านใหม่ 2 ด้าน" in text
    assert "ตารางที่ 1 แถวที่ 2 · ด้านที่ 1 ด้านการเปิดเผยข้อมูล" in text
    assert "ตารางที่ 1 แถวที่ 4 ต่อแถวที่ 5 · มาตรการ 1.2" in text
    assert "ลำดับ 1.1 · เผยแพร่แผนการจัดซื้อจัดจ้าง" in text
    assert "ต.ค. 2565 – ก.ย. 2566" in text  # what the period cell becomes (no-break spaces collapsed)
    assert "ช่องที่รวมไว้กับแถวบน" in text
    assert Measure.objects.count() == 0


def test_confirming_imports_all_and_says_how_many_then_the_token_is_spent(staff, document):
    url, _shown = preview(staff, document, word_files.merged_cells())
    response = confirm(staff, url)
    assert response.url == reverse("measures:measure_list", args=["test-town", 2566])
    followed = staff.get(response.url)
    assert "นำเข้ามาตรการ 3 รายการและด้านใหม่ 2 ด้านจากไฟล์ measures.docx แล้ว" in followed.text
    again = confirm(staff, url)
    assert "ไม่พบข้อมูลที่ตรวจไว้" in again.text
    assert document.measures.count() == 3


def test_cancelling_writes_nothing(staff, document):
    url, _shown = preview(staff, document, word_files.merged_cells())
    response = staff.post(url, {"cancel": "1"})
    assert response.status_code == 302
    assert Measure.objects.count() == Theme.objects.count() == 0
    assert "ไม่พบข้อมูลที่ตรวจไว้" in staff.get(url).text


def test_a_document_changed_after_the_preview_is_refused_whole(staff, document, officer, finance):
    url, _shown = preview(staff, document, word_files.typed_numbers())
    services.measure_create(
        document=document, by=officer, data=MeasureData(title="มาตรการที่เพิ่มระหว่างนั้น", number=9, units=[finance])
    )
    response = confirm(staff, url)
    assert "เอกสารถูกแก้ไขหลังจากที่ตรวจไฟล์" in response.text
    assert list(document.measures.values_list("number", flat=True)) == [9]


def test_a_document_sent_for_sign_off_after_the_preview_is_refused(staff, document, officer, chain):
    url, _shown = preview(staff, document, word_files.typed_numbers())
    services.measure_create(document=document, by=officer, data=MeasureData(title="ก่อนเสนอ", number=9, all_units=True))
    workflow.submit(target=document, by=officer)
    response = confirm(staff, url)
    assert "เอกสารนี้อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว จึงแก้ไขไม่ได้" in response.text
    assert document.measures.count() == 1


def test_a_number_already_in_the_document_or_twice_in_the_file_is_named(staff, document, officer, finance):
    services.measure_create(
        document=document, by=officer, data=MeasureData(title="มาตรการเดิม", number=1, units=[finance])
    )
    content = word_files.docx_bytes(
        word_files.Table(
            [
                word_files.HEADINGS,
                ["1. ซ้ำกับที่มีอยู่", "ขั้นตอน", "กองคลัง", "ต.ค. 2565 - ก.ย. 2566"],
                ["2. มาตรการใหม่", "ขั้นตอน", "กองคลัง", "ต.ค. 2565 - ก.ย. 2566"],
                ["2. ซ้ำในไฟล์", "ขั้นตอน", "กองคลัง", "ต.ค. 2565 - ก.ย. 2566"],
            ]
        )
    )
    assert send(staff, document, content).context["problems"] == [
        "ตารางที่ 1 แถวที่ 2 (มาตรการ 1) คอลัมน์ ‘มาตรการ/แนวทาง’: เอกสารนี้มีมาตรการลำดับ 1 อยู่แล้ว "
        "(การนำเข้าเพิ่มมาตรการต่อจากที่มีอยู่ ไม่แทนที่)",
        "ตารางที่ 1 แถวที่ 4 (มาตรการ 2) คอลัมน์ ‘มาตรการ/แนวทาง’: มาตรการลำดับ 2 ซ้ำกับตารางที่ 1 แถวที่ 3",
    ]


def test_a_theme_number_that_does_not_match_the_theme_above_is_named(staff, document):
    content = word_files.docx_bytes(
        word_files.Table(
            [
                word_files.HEADINGS,
                [word_files.Span("๑. ด้านการเปิดเผยข้อมูล", 4)],
                ["๒.๑ เผยแพร่ข้อมูล", "ประกาศ", "กองคลัง", "ต.ค. 2565 - ก.ย. 2566"],
            ]
        )
    )
    assert send(staff, document, content).context["problems"] == [
        "ตารางที่ 1 แถวที่ 3 คอลัมน์ ‘มาตรการ/แนวทาง’: ลำดับ 2.1 ไม่ตรงกับด้านที่ 1 ที่อยู่เหนือแถวนี้"
    ]


def test_a_theme_column_groups_the_measures_as_theme_rows_do(staff, document):
    content = word_files.docx_bytes(
        word_files.Table(
            [
                ["ด้าน", *word_files.HEADINGS],
                ["๑. ด้านการเปิดเผยข้อมูล", "๑.๑ เผยแพร่ข้อมูล", "ประกาศ", "กองคลัง", "ต.ค. 2565 - ก.ย. 2566"],
                [word_files.UP, "๑.๒ รายงานผล", "สรุป", "กองคลัง", "ต.ค. 2565 - ก.ย. 2566"],
                ["๒. ด้านการใช้งบประมาณ", "๒.๑ ตรวจสอบการเบิกจ่าย", "ตรวจ", "กองช่าง", "ต.ค. 2565 - ก.ย. 2566"],
            ]
        )
    )
    confirm(staff, preview(staff, document, content)[0])
    assert [(m[0], m[1], m[3]) for m in facts(document)] == [
        (1, 1, "เผยแพร่ข้อมูล"),
        (1, 2, "รายงานผล"),
        (2, 1, "ตรวจสอบการเบิกจ่าย"),
    ]
    assert list(Theme.objects.values_list("number", "title")) == [(1, "ด้านการเปิดเผยข้อมูล"), (2, "ด้านการใช้งบประมาณ")]


def test_a_report_imported_as_measures_leaves_its_result_columns_out_and_says_so(staff, document):
    content = word_files.docx_bytes(
        word_files.Table(
            [
                [*word_files.HEADINGS, "ผลการดำเนินการ"],
                ["1. จัดทำคู่มือ", "ยกร่าง", "กองคลัง", "ต.ค. 2565 - ก.ย. 2566", "ดำเนินการแล้ว"],
            ]
        )
    )
    url, shown = preview(staff, document, content)
    assert "ไม่นำเข้า" in shown.text
    confirm(staff, url)
    assert document.measures.get().title == "จัดทำคู่มือ"


def test_the_preview_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    document, officer = seed_town("thawon")
    client.force_login(officer)
    sent = send(client, document, word_files.seed_docx("thawon"))
    with django_assert_max_num_queries(17):  # 42 measures: the count does not grow with the rows
        assert client.get(sent.url).status_code == 200


# --- A round's results --------------------------------------------------------------------------------


@pytest.fixture
def round_town(staff, document, officer, finance, works):
    """The merged_cells file imported, and the 6-month round started."""
    confirm(staff, preview(staff, document, word_files.merged_cells())[0])
    return services.report_start(document=document, round_months=6, by=officer)


def results_docx(*rows) -> bytes:
    heading = ["มาตรการ/แนวทาง", "ผลการดำเนินการ", "ปัญหา/อุปสรรค", "ข้อเสนอแนะ", "สถานะ"]
    return word_files.docx_bytes(word_files.Table([heading, *rows]))


def test_a_reports_results_are_matched_by_number_and_title_previewed_then_written(staff, document, round_town):
    content = results_docx(
        ["๑.๑ เผยแพร่แผนการจัดซื้อจัดจ้าง", "ประกาศแผนแล้ว", "", "ควรประกาศเร็วขึ้น", "ดำเนินการแล้วเสร็จ"],
        ["๒.๑ คู่มือการยืมทรัพย์สินของราชการ", "ยกร่างคู่มือ", "บุคลากรไม่พอ", "", "อยู่ระหว่างดำเนินการ"],
    )
    url, shown = preview(staff, document, content, round_months=6)
    assert "จะปรับปรุง <strong>2</strong> มาตรการ ไม่เปลี่ยนแปลง 0 มาตรการ" in page_text(shown)
    assert ProgressEntry.objects.filter(status="done").count() == 0
    confirm(staff, url)
    done = round_town.entries.get(measure__theme__number=1, measure__number=1)
    assert (done.status, done.percent, done.summary, done.suggestions) == (
        "done",
        100,
        "ประกาศแผนแล้ว",
        "ควรประกาศเร็วขึ้น",
    )
    assert round_town.entries.get(measure__theme__number=2).problems == "บุคลากรไม่พอ"


def test_a_result_row_whose_title_differs_from_the_measure_of_its_number_is_refused(staff, document, round_town):
    content = results_docx(["๑.๑ มาตรการที่ไม่มีในเอกสาร", "ทำแล้ว", "", "", "ดำเนินการแล้วเสร็จ"])
    problems = send(staff, document, content, round_months=6).context["problems"]
    assert problems == [
        "ตารางที่ 1 แถวที่ 2 คอลัมน์ ‘มาตรการ/แนวทาง’: มาตรการ 1.1 ในเอกสารนี้ชื่อ “เผยแพร่แผนการจัดซื้อจัดจ้าง” ไม่ตรงกับชื่อในไฟล์"
    ]
    assert ProgressEntry.objects.exclude(summary="").count() == 0


def test_an_entry_changed_after_the_preview_refuses_the_whole_file(staff, document, round_town, officer):
    content = results_docx(["๑.๑ เผยแพร่แผนการจัดซื้อจัดจ้าง", "ประกาศแผนแล้ว", "", "", "ดำเนินการแล้วเสร็จ"])
    url, _shown = preview(staff, document, content, round_months=6)
    entry = round_town.entries.get(measure__theme__number=1, measure__number=1)
    services.entry_update(entry=entry, by=officer, revision=entry.revision, summary="แก้ไขในระหว่างนั้น")
    response = confirm(staff, url)
    assert "ถูกแก้ไขหลังจากที่ตรวจไฟล์" in response.text
    entry.refresh_from_db()
    assert (entry.summary, entry.status) == ("แก้ไขในระหว่างนั้น", "not_started")


def test_a_contributor_may_not_import_the_results_of_another_units_measure(client, document, round_town, contributor):
    client.force_login(contributor)  # กองคลัง's: measure 2.1 belongs to กองช่าง
    content = results_docx(["๒.๑ คู่มือการยืมทรัพย์สินของราชการ", "ยกร่างคู่มือ", "", "", "อยู่ระหว่างดำเนินการ"])
    problems = send(client, document, content, round_months=6).context["problems"]
    assert problems == ["ตารางที่ 1 แถวที่ 2 (มาตรการ 2.1): มาตรการนี้ไม่ใช่มาตรการของหน่วยงานของคุณ จึงนำเข้าผลไม่ได้"]


def test_ticks_under_a_heading_over_two_rows_give_the_status(staff, document, round_town):
    content = word_files.docx_bytes(
        word_files.Table(
            [
                ["มาตรการ/แนวทาง", word_files.Span("ผลการดำเนินงาน", 3)],
                [word_files.UP, "ดำเนินการแล้ว", "อยู่ระหว่างดำเนินการ", "ยังไม่ดำเนินการ"],
                ["๑.๑ เผยแพร่แผนการจัดซื้อจัดจ้าง", "✓", "", ""],
                ["๑.๒ รายงานผลการจัดซื้อจัดจ้างรายเดือน", "", "/", ""],
            ]
        )
    )
    confirm(staff, preview(staff, document, content, round_months=6)[0])
    statuses = dict(round_town.entries.values_list("measure__number", "status").filter(measure__theme__number=1))
    assert statuses == {1: "done", 2: "in_progress"}


def test_the_round_of_a_table_with_both_rounds_results_is_taken_from_its_heading(staff, document, round_town):
    content = word_files.docx_bytes(
        word_files.Table(
            [
                ["มาตรการ/แนวทาง", "ผลการดำเนินงาน รอบ ๖ เดือน", "ผลการดำเนินงาน รอบ ๑๒ เดือน"],
                ["๑.๑ เผยแพร่แผนการจัดซื้อจัดจ้าง", "ผลหกเดือน", "ผลสิบสองเดือน"],
            ]
        )
    )
    confirm(staff, preview(staff, document, content, round_months=6)[0])
    assert round_town.entries.get(measure__theme__number=1, measure__number=1).summary == "ผลหกเดือน"
