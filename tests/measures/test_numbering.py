"""Numbering as typed: steps keep their markers and introductory lines, measures their own numbers."""

import re

import pytest

from measures import editions, services, workflow
from measures.forms import MeasureForm
from measures.models import Measure
from measures.numbering import StepLine, parse_number_text, split_marker, step_lines
from measures.services import MeasureData
from reports import rendering
from tests.measures.spreadsheets import export, import_file, row, sheet_rows, xlsx_upload

# --- step_lines: what each typed line prints as ----------------------------------------------


def test_an_introductory_line_stays_unnumbered_and_the_typed_numbers_are_kept():
    lines = step_lines(["จัดประชุมคณะทำงาน ดังนี้", "๑) แต่งตั้งคณะทำงาน", "๒) ประชุมชี้แจง"])
    assert lines == [
        StepLine("", "จัดประชุมคณะทำงาน ดังนี้", "intro"),
        StepLine("๑)", "แต่งตั้งคณะทำงาน"),
        StepLine("๒)", "ประชุมชี้แจง"),
    ]


@pytest.mark.parametrize("marker", ["1.", "1)", "(1)", "๑.", "๑)", "(๑)", "ก.", "ก)", "(ก)", "a)", "-", "•", "*", "□"])
def test_every_kind_of_marker_is_printed_as_typed(marker):
    assert step_lines([f"{marker} ประชุม", f"{marker} รายงาน"])[0] == StepLine(marker, "ประชุม")


def test_bullets_stay_bullets_and_are_not_numbered():
    assert [line.marker for line in step_lines(["- ประชุม", "- ประกาศ", "- รายงาน"])] == ["-", "-", "-"]


def test_steps_typed_without_markers_are_numbered_as_before_but_not_their_introduction():
    assert [str(line) for line in step_lines(["ประชุม", "ประกาศ", "รายงาน"])] == ["1. ประชุม", "2. ประกาศ", "3. รายงาน"]
    assert [str(line) for line in step_lines(["ขั้นตอน:", "ประชุม", "รายงาน"])] == ["ขั้นตอน:", "1. ประชุม", "2. รายงาน"]


def test_a_lone_step_is_not_numbered():
    assert step_lines(["จัดประชุมชี้แจง"]) == [StepLine("", "จัดประชุมชี้แจง", "intro")]


def test_sub_items_are_one_level_down_and_a_line_without_marker_continues_its_item():
    lines = step_lines(["1. จัดประชุม", "- ชี้แจงแนวทาง", "- แจกเอกสาร", "2. รายงานผล", "ภายในเดือนมีนาคม"])
    assert [(line.marker, line.kind, line.level) for line in lines] == [
        ("1.", "item", 0),
        ("-", "item", 1),
        ("-", "item", 1),
        ("2.", "item", 0),
        ("", "more", 0),
    ]
    assert step_lines(["1. ประชุม", "1.1 ชี้แจง"])[1].level == 1


@pytest.mark.parametrize("text", ["ก.พ. 2566 จัดประชุม", "E-Service ของหน่วยงาน", "15 วันหลังอนุมัติแผน", "O1 โครงสร้าง"])
def test_text_that_only_looks_like_a_marker_is_text(text):
    assert split_marker(text) == ("", text)


def test_a_number_touching_its_text_is_a_marker_as_the_seeds_type_it():
    assert split_marker("๑.เจ้าหน้าที่ที่เกี่ยวข้องรายงาน") == ("๑.", "เจ้าหน้าที่ที่เกี่ยวข้องรายงาน")


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("2", ("2", "")),
        ("๒", ("๒", "")),
        ("2)", ("2", "2)")),
        ("(๒)", ("๒", "(๒)")),
        ("๒.", ("๒", "๒.")),
        (" ( 3 ) ", ("3", "(3)")),
        ("(3", None),
        ("3.)", None),
        ("1.2", None),
        ("ก)", None),
    ],
)
def test_a_measure_number_is_read_with_its_typed_form(typed, read):
    assert parse_number_text(typed) == read


# --- The measure form ---------------------------------------------------------------------


def measure_form(document, **overrides) -> MeasureForm:
    unit = document.organisation.units.get(name="กองคลัง")
    data = {"title": "เผยแพร่ข้อมูล", "units": [unit.pk]} | overrides
    return MeasureForm(data, document=document)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "number", "text"), [("1)", 1, "1)"), ("(๒)", 2, "(๒)"), ("๓.", 3, "๓."), ("4", 4, "")]
)
def test_the_form_orders_by_the_number_and_keeps_its_typed_form(document, finance, typed, number, text):
    form = measure_form(document, number=typed)
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["number"], form.measure_data(number).number_text) == (number, text)


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1.2", "(1", "ก)", "หนึ่ง"])
def test_a_number_of_another_kind_is_refused_in_thai(document, finance, typed):
    form = measure_form(document, number=typed)
    assert not form.is_valid()
    assert form.errors["number"] == ["กรุณากรอกลำดับเป็นตัวเลข เช่น 2 หรือ 2) หรือ (๒)"]


@pytest.mark.django_db
def test_a_number_left_blank_gets_the_next_one_without_a_typed_form(document, finance):
    form = measure_form(document, number="")
    assert form.is_valid(), form.errors
    assert form.measure_data(7).number_text == ""


@pytest.mark.django_db
def test_the_form_shows_the_number_back_as_typed(document, finance, officer):
    measure = services.measure_create(
        document=document, by=officer, data=MeasureData(title="ก", number=1, number_text="1)", units=[finance])
    )
    assert MeasureForm.initial_for(measure)["number"] == "1)"


# --- Printed ------------------------------------------------------------------------------


def table_of(html: str) -> str:
    """The measures table, without the spans that keep names and words whole at line ends."""
    table = html.split('<table class="grid measures">', 1)[1].split("</table>", 1)[0].replace("&nbsp;", "\xa0")
    return re.sub(r'<span class="keep">(.*?)</span>', r"\1", table)


@pytest.fixture
def typed(document, finance, officer) -> Measure:
    return services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(
            title="ประชุมชี้แจง",
            number=1,
            number_text="1)",
            units=[finance],
            steps=["จัดประชุมคณะทำงาน ดังนี้", "๑) แต่งตั้งคณะทำงาน", "๒) ประชุมชี้แจง", "- แจกเอกสาร"],
        ),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("thai_digits", [True, False])
def test_the_document_prints_the_markers_and_numbers_as_typed(organisation, typed, document, thai_digits):
    organisation.thai_digits = thai_digits
    organisation.save()
    table = table_of(rendering.target_html(document))
    one = "๑" if thai_digits else "1"
    assert f"{one}) ประชุมชี้แจง" in table  # the measure, not "๑ ประชุมชี้แจง"
    assert '<li class="intro">จัดประชุมคณะทำงาน ดังนี้</li>' in table
    assert '<li class="item"><span class="marker">๑)\xa0</span>แต่งตั้งคณะทำงาน</li>' in table
    assert '<li class="item level-1"><span class="marker">-\xa0</span>แจกเอกสาร</li>' in table
    assert not re.search(r"[๓3]\.", table)  # nothing numbered by the portal


@pytest.mark.django_db
def test_steps_stored_before_markers_were_kept_print_numbered_as_before(document, finance, officer):
    services.measure_create(
        document=document, by=officer, data=MeasureData(title="ก", number=1, units=[finance], steps=["ประชุม", "รายงาน"])
    )
    table = table_of(rendering.target_html(document))
    assert (
        '<span class="marker">๑.\xa0</span>ประชุม</li><li class="item"><span class="marker">๒.\xa0</span>รายงาน' in table
    )


@pytest.mark.django_db
def test_the_number_as_typed_is_frozen_and_an_edition_without_it_prints_the_display_number(typed, document):
    data = editions.edition_data(document)
    assert data["measures"][0]["number_text"] == "1)"
    del data["measures"][0]["number_text"]  # frozen before numbers were kept as typed
    assert "๑ ประชุมชี้แจง" in table_of(rendering.edition_html(data, draft=False))


@pytest.mark.django_db
def test_a_copied_document_keeps_the_typed_numbers(typed, document, officer):
    copy = services.document_copy(source=document, fiscal_year=2567, by=officer)
    assert copy.measures.get().number_text == "1)"


@pytest.mark.django_db
def test_submission_freezes_the_steps_as_typed(typed, document, officer, chain):
    submission = workflow.submit(target=document, by=officer)
    assert submission.snapshot["measures"][0]["steps"][1] == "๑) แต่งตั้งคณะทำงาน"


# --- The spreadsheet ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_spreadsheet_keeps_the_typed_number_and_steps_both_ways(staff, document, finance):
    upload = xlsx_upload([row(c2="(๒)", c7="ดำเนินการดังนี้\n1) ประชุม\n2) รายงาน")])
    assert import_file(staff, upload).status_code == 302
    measure = document.measures.get()
    assert (measure.number, measure.number_text) == (2, "(๒)")
    assert list(measure.steps.values_list("text", flat=True)) == ["ดำเนินการดังนี้", "1) ประชุม", "2) รายงาน"]
    exported = sheet_rows(export(staff).content)[1]
    assert (exported[2], exported[7]) == ("(๒)", "ดำเนินการดังนี้\n1) ประชุม\n2) รายงาน")
