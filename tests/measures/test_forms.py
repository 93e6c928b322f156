"""The staff forms read Thai input (digits, BE dates, item codes) and answer in Thai."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from measures import services
from measures.forms import (
    AssessmentForm,
    DocumentCopyForm,
    DocumentCreateForm,
    EntryForm,
    EvidenceForm,
    FindingForm,
    MeasureForm,
    split_steps,
)
from measures.selectors import framework_with_structure
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

SCORE_RANGE = "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"


def assessment_form(**overrides) -> AssessmentForm:
    data = {f"indicator_{n}": "90" for n in range(1, 11)} | overrides
    return AssessmentForm({k: v for k, v in data.items() if v is not None}, framework=framework_with_structure(2565))


@pytest.fixture
def document(organisation, finance, works):
    return services.document_create(organisation=organisation, fiscal_year=2566, by=None)


def measure_form(document, **overrides) -> MeasureForm:
    unit = document.organisation.units.get(name="กองคลัง")
    data = {"title": "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง", "units": [unit.pk]} | overrides
    return MeasureForm({k: v for k, v in data.items() if v is not None}, document=document)


# --- Assessment scores -------------------------------------------------------------------


def test_an_assessment_score_may_be_typed_in_thai_digits():
    form = assessment_form(indicator_1="๘๕.๕๙")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["indicator_1"] == Decimal("85.59")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("100.01", SCORE_RANGE),
        ("-1", SCORE_RANGE),
        ("abc", "กรุณากรอกคะแนนเป็นตัวเลข เช่น 85.59 หรือ ๘๕.๕๙"),
        ("85.555", "คะแนนมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
    ],
)
def test_an_assessment_score_outside_0_to_100_or_not_a_number_is_refused_in_thai(typed, message):
    form = assessment_form(indicator_4=typed)
    assert not form.is_valid()
    assert form.errors["indicator_4"] == [message]


@pytest.mark.parametrize("number", range(1, 11))
def test_every_one_of_the_ten_indicator_scores_is_required(number):
    form = assessment_form(**{f"indicator_{number}": None})
    assert not form.is_valid()
    assert form.errors == {f"indicator_{number}": ["กรุณากรอกคะแนน"]}


def test_the_published_tool_scores_and_total_are_optional():
    form = assessment_form()
    assert form.is_valid(), form.errors
    assert form.cleaned_data["official_total"] is None
    assert set(form.tool_scores().values()) == {None}


# --- Measures ----------------------------------------------------------------------------


def test_a_measure_end_date_is_read_as_a_buddhist_era_date(document):
    form = measure_form(document, period_end="31/03/2566")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["period_end"] == date(2023, 3, 31)


def test_a_measure_date_typed_in_the_christian_era_is_refused_with_a_hint(document):
    form = measure_form(document, period_end="31/03/2023")
    assert not form.is_valid()
    assert "พุทธศักราช" in form.errors["period_end"][0]
    assert "2566" in form.errors["period_end"][0]


def test_a_measure_ending_before_it_starts_is_refused(document):
    form = measure_form(document, period_start="01/04/2566", period_end="31/03/2566")
    assert not form.is_valid()
    assert form.errors["period_end"] == ["วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"]


def test_a_measure_without_a_unit_and_not_for_every_unit_is_refused(document):
    form = measure_form(document, units=[])
    assert not form.is_valid()
    assert "หน่วยงานผู้รับผิดชอบ" in form.errors["units"][0]


def test_a_measure_for_every_unit_needs_no_unit(document):
    form = measure_form(document, units=[], all_units="on")
    assert form.is_valid(), form.errors


def test_a_measure_unit_of_another_organisation_is_not_a_choice(document):
    stranger = UnitFactory(name="กองคลัง")
    form = measure_form(document, units=[stranger.pk])
    assert not form.is_valid()
    assert "units" in form.errors


def test_item_codes_are_resolved_against_the_basis_framework(document):
    form = measure_form(document, item_codes="I13, o35")
    assert form.is_valid(), form.errors
    assert [(i.framework.year, i.code) for i in form.cleaned_data["item_codes"]] == [(2565, "I13"), (2565, "O35")]


def test_item_codes_may_be_typed_in_thai_digits_and_repeated(document):
    form = measure_form(document, item_codes="E๕ / e5; O๓๕")
    assert form.is_valid(), form.errors
    assert [i.code for i in form.cleaned_data["item_codes"]] == ["E5", "O35"]


def test_an_unknown_item_code_is_refused_naming_the_code(document):
    form = measure_form(document, item_codes="I13, I99")
    assert not form.is_valid()
    assert form.errors["item_codes"] == ["ไม่พบข้อ I99 ในกรอบการประเมิน ITA 2565"]


def test_item_codes_mixed_with_other_text_are_refused(document):
    form = measure_form(document, item_codes="I13 และ O35")
    assert not form.is_valid()
    assert "คั่นด้วยจุลภาค" in form.errors["item_codes"][0]


def test_a_finding_resolves_item_codes_against_the_basis_framework(document):
    form = FindingForm({"kind": "improve", "text": "ผลการวิเคราะห์", "item_codes": "o10"}, document=document)
    assert form.is_valid(), form.errors
    assert [(i.framework.year, i.code) for i in form.cleaned_data["item_codes"]] == [(2565, "O10")]


def test_split_steps_keeps_the_numbers_and_bullets_users_type_and_drops_blank_lines():
    text = "ดำเนินการดังนี้\n1. แต่งตั้งคณะทำงาน\n๒) จัดประชุมชี้แจง\n- ติดประกาศ\n\n   \n  (3) รายงานผล  \n• สรุปผล"
    assert split_steps(text) == [
        "ดำเนินการดังนี้",
        "1. แต่งตั้งคณะทำงาน",
        "๒) จัดประชุมชี้แจง",
        "- ติดประกาศ",
        "(3) รายงานผล",
        "• สรุปผล",
    ]


def test_a_measure_form_hands_the_service_its_steps_one_per_line_as_typed(document):
    form = measure_form(document, steps="1. ขั้นแรก\n2. ขั้นที่สอง\n๓. ขั้นสุดท้าย")
    assert form.is_valid(), form.errors
    assert form.measure_data(number=4).steps == ["1. ขั้นแรก", "2. ขั้นที่สอง", "๓. ขั้นสุดท้าย"]


# --- Documents ---------------------------------------------------------------------------


def test_a_fiscal_year_in_the_christian_era_is_refused_suggesting_the_buddhist_year():
    form = DocumentCreateForm({"fiscal_year": "2023"})
    assert not form.is_valid()
    assert "2566" in form.errors["fiscal_year"][0]
    assert "พุทธศักราช" in form.errors["fiscal_year"][0]


def test_a_fiscal_year_may_be_typed_in_thai_digits():
    form = DocumentCreateForm({"fiscal_year": "๒๕๖๗"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["fiscal_year"] == 2567


def test_copying_into_a_year_that_already_has_a_document_is_refused(document):
    form = DocumentCopyForm({"fiscal_year": "2566"}, organisation=document.organisation)
    assert not form.is_valid()
    assert form.errors["fiscal_year"] == ["มีเอกสารมาตรการของปีงบประมาณนี้แล้ว"]


# --- Progress ----------------------------------------------------------------------------


def test_an_entry_percent_above_100_is_refused():
    form = EntryForm({"status": "in_progress", "percent": "101"})
    assert not form.is_valid()
    assert form.errors["percent"] == ["ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"]


def test_a_not_started_entry_with_progress_is_refused():
    form = EntryForm({"status": "not_started", "percent": "50"})
    assert not form.is_valid()
    assert form.errors["percent"] == ["สถานะ ยังไม่ดำเนินการ ต้องมีความก้าวหน้าร้อยละ 0"]


def test_a_completion_date_is_only_accepted_for_a_done_entry():
    assert EntryForm({"status": "done", "percent": "100", "completed_on": "15/03/2566"}).is_valid()
    form = EntryForm({"status": "in_progress", "percent": "80", "completed_on": "15/03/2566"})
    assert not form.is_valid()
    assert "completed_on" in form.errors


def upload(name: str, size: int = 10) -> dict:
    """A file of `size` bytes that starts as a PDF does (the form checks the content, not only the name)."""
    return {"file": SimpleUploadedFile(name, (b"%PDF-1.4\n" + b"x" * size)[:size])}


def test_evidence_of_a_type_that_is_not_accepted_is_refused():
    form = EvidenceForm({"title": "โปรแกรม"}, upload("setup.exe"))
    assert not form.is_valid()
    assert form.errors["file"][0].startswith("ไม่รับไฟล์ประเภทนี้")


def test_evidence_extensions_are_compared_without_case():
    form = EvidenceForm({"title": "สแกน"}, upload("SCAN.PDF"))
    assert form.is_valid(), form.errors


def test_evidence_larger_than_the_limit_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    assert EvidenceForm({"title": "พอดี"}, upload("ok.pdf", 1024)).is_valid()
    form = EvidenceForm({"title": "ใหญ่"}, upload("big.pdf", 1025))
    assert not form.is_valid()
    assert form.errors["file"][0].startswith("ไฟล์ใหญ่เกินไป")


def test_evidence_without_a_file_or_a_link_is_refused():
    form = EvidenceForm({"title": "ว่างเปล่า"})
    assert not form.is_valid()
    assert form.non_field_errors() == ["กรุณาแนบไฟล์หรือใส่ลิงก์อย่างน้อยหนึ่งอย่าง"]


def test_evidence_may_be_only_a_link():
    form = EvidenceForm({"title": "ข่าวบนเว็บไซต์", "url": "https://example.go.th/news/1"})
    assert form.is_valid(), form.errors
