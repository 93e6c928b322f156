"""Whole numbers and amounts: progress percent, theme and measure numbers, budgets; a number
of a million digits is refused before it is converted (int() of it takes minutes of CPU)."""

import pytest
from django.urls import reverse

from measures import thai_fields
from tests.measures.spreadsheets import row, xlsx_upload

pytestmark = pytest.mark.django_db

MILLION_DIGITS = "9" * 1_000_000
PERCENT = "ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"


@pytest.fixture
def unread(monkeypatch):
    """Fails the test if a number of more than 30 characters reaches the digit parser."""
    parse = thai_fields.parse_decimal

    def guarded(text):
        assert len(text) <= 30, "a huge number was parsed"
        return parse(text)

    monkeypatch.setattr(thai_fields, "parse_decimal", guarded)


def entry_url(measure) -> str:
    return reverse("measures:entry_edit", args=["test-town", 2566, 6, measure.pk])


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("101", PERCENT),
        ("๑๐๑", PERCENT),
        ("-1", PERCENT),
        ("1" + "0" * 1_000_000, PERCENT),
        ("50%", "กรุณากรอกร้อยละเป็นตัวเลข 0 ถึง 100"),
        ("ห้าสิบ", "กรุณากรอกร้อยละเป็นตัวเลข 0 ถึง 100"),
        ("50.5", "กรุณากรอกร้อยละเป็นตัวเลข 0 ถึง 100"),
        ("", "ฟิลด์นี้จำเป็น"),
    ],
)
def test_a_progress_percent_outside_0_to_100_or_not_a_whole_number_is_refused(
    staff, report, measure, unread, nothing_changes, typed, message
):
    entry = report.entries.get()
    with nothing_changes():
        response = staff.post(
            entry_url(measure), {"revision": entry.revision, "status": "in_progress", "percent": typed}
        )
    assert response.status_code == 200
    assert response.context["form"].errors["percent"] == [message]


def test_a_progress_status_that_is_not_one_of_the_four_is_refused(staff, report, measure, nothing_changes):
    entry = report.entries.get()
    with nothing_changes():
        response = staff.post(entry_url(measure), {"revision": entry.revision, "status": "approved", "percent": "1"})
    assert response.context["form"].errors["status"] == ["เลือกตัวเลือกที่ถูกต้อง. approved ไม่ใช่ตัวเลือกที่ใช้ได้."]


def test_a_fiscal_year_of_a_million_digits_is_refused_unread(staff, document, unread, nothing_changes):
    with nothing_changes():
        response = staff.post(reverse("measures:document_new", args=["test-town"]), {"fiscal_year": MILLION_DIGITS})
    assert response.context["form"].errors["fiscal_year"] == ["กรุณากรอกปีงบประมาณเป็นตัวเลข เช่น 2567"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "ต้องไม่น้อยกว่า 1"),
        ("-3", "ต้องไม่น้อยกว่า 1"),
        ("๑.๕", "กรุณากรอกจำนวนเต็ม"),
        ("1000", "ต้องไม่เกิน 999"),
        ("1" + "0" * 20, "ต้องไม่เกิน 999"),
        (MILLION_DIGITS, "ต้องไม่เกิน 999"),
    ],
)
def test_a_theme_number_that_is_not_a_positive_whole_number_is_refused(
    staff, document, unread, nothing_changes, typed, message
):
    with nothing_changes():
        response = staff.post(
            reverse("measures:theme_new", args=["test-town", 2566]), {"number": typed, "title": "ด้านใหม่"}
        )
    assert response.context["form"].errors["number"] == [message]


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("number", "0", "ต้องไม่น้อยกว่า 1"),
        ("number", "๑๐๐๐", "ต้องไม่เกิน 999"),
        ("number", "1" + "0" * 20, "ต้องไม่เกิน 999"),  # was a server error: too large for the database column
        ("number", MILLION_DIGITS, "ต้องไม่เกิน 999"),
        ("budget", "-1", "ต้องไม่น้อยกว่า 0"),
        ("budget", "15,000.505", "กรุณากรอกทศนิยมไม่เกิน 2 ตำแหน่ง"),
        ("budget", "หนึ่งหมื่น", "กรุณากรอกตัวเลข"),
        ("budget", MILLION_DIGITS, "กรุณากรอกตัวเลขไม่เกิน 14 หลัก"),
    ],
)
def test_a_measure_number_or_budget_out_of_range_is_refused(
    staff, measure, finance, nothing_changes, field, typed, message
):
    data = {
        "revision": measure.revision,
        "theme": measure.theme_id,
        "number": "1",
        "title": measure.title,
        "units": [finance.pk],
    } | {field: typed}
    with nothing_changes():
        response = staff.post(reverse("measures:measure_edit", args=["test-town", 2566, measure.pk]), data)
    assert response.context["form"].errors[field] == [message]


def test_an_ita_score_of_a_million_digits_is_refused_as_out_of_range(staff, organisation, nothing_changes):
    data = {f"indicator_{n}": "80" for n in range(1, 11)} | {"indicator_1": MILLION_DIGITS}
    with nothing_changes():
        response = staff.post(reverse("measures:assessment_edit", args=["test-town", 2565]), data)
    assert set(response.context["form"].errors["indicator_1"]) == {"คะแนนต้องอยู่ระหว่าง 0 ถึง 100"}


def test_an_imported_measure_number_of_a_million_digits_is_refused_naming_the_cell(
    staff, document, finance, nothing_changes
):
    with nothing_changes():
        response = staff.post(
            reverse("measures:document_import", args=["test-town", 2566]),
            {"file": xlsx_upload([row(c2="1" * 1_000_000)])},
        )
    assert response.context["problems"] == ["แถวที่ 2 คอลัมน์ ‘ลำดับมาตรการ’: ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 999"]
