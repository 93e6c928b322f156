"""Tests for the Thai form fields and the ``{% load thai %}`` template filters."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import Context, Engine
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from measures.thai import format_date_long, format_date_numeric, to_thai_digits
from measures.thai_fields import (
    ThaiDateField,
    ThaiDateInput,
    ThaiDecimalField,
    ThaiIntegerField,
)

pytestmark = []  # Plain form and template tests: no database needed.

MARCH_25 = date(2022, 3, 25)


class ProgressForm(forms.Form):
    done_on = ThaiDateField(required=False)
    score = ThaiDecimalField(required=False, min_value=0, max_value=100, max_digits=5, decimal_places=2)
    percent = ThaiIntegerField(required=False, min_value=0, max_value=100)


def errors_of(data: dict[str, str]) -> dict[str, list[str]]:
    form = ProgressForm(data)
    form.is_valid()
    return form.errors


def cleaned(field: str, text: str):
    form = ProgressForm({field: text})
    assert form.is_valid(), form.errors
    return form.cleaned_data[field]


def render(source: str, **context) -> str:
    engine = Engine(libraries={"thai": "measures.templatetags.thai"})
    return engine.from_string("{% load thai %}" + source).render(Context(context))


# --- ThaiDateField -----------------------------------------------------------


@pytest.mark.parametrize("text", ["25/03/2565", "๒๕/๐๓/๒๕๖๕", "25 มี.ค. 65"])
def test_date_field_reads_thai_input(text):
    assert cleaned("done_on", text) == MARCH_25


def test_date_field_turns_empty_input_into_none():
    assert cleaned("done_on", "  ") is None


@pytest.mark.parametrize("text", ["", "   "])
def test_date_field_required_uses_djangos_required_error(text):
    with pytest.raises(forms.ValidationError) as excinfo:
        ThaiDateField().clean(text)
    assert excinfo.value.code == "required"


def test_date_field_shows_the_thai_parse_message():
    assert "พุทธศักราช" in errors_of({"done_on": "25/03/2022"})["done_on"][0]


def test_date_field_reports_invalid_input_with_the_invalid_code():
    with pytest.raises(forms.ValidationError) as excinfo:
        ThaiDateField().clean("31/02/2566")
    assert excinfo.value.code == "invalid"


def test_date_field_accepts_a_date_object():
    assert ThaiDateField().clean(MARCH_25) == MARCH_25


def test_date_field_accepts_a_datetime_as_its_date():
    assert ThaiDateField().clean(datetime(2022, 3, 25, 14, 30)) == MARCH_25


def test_date_field_is_unchanged_when_the_same_date_is_typed_again():
    assert not ThaiDateField().has_changed(MARCH_25, "๒๕ มีนาคม ๒๕๖๕")


def test_date_input_shows_an_initial_date_as_dd_mm_buddhist_year():
    form = ProgressForm(initial={"done_on": MARCH_25})
    assert 'value="25/03/2565"' in str(form["done_on"])


def test_date_input_redisplays_what_the_user_typed():
    form = ProgressForm({"done_on": "๓๑/๐๒/๒๕๖๖"})
    assert 'value="๓๑/๐๒/๒๕๖๖"' in str(form["done_on"])


def test_date_input_has_a_thai_placeholder_and_no_numeric_keyboard():
    attrs = ThaiDateInput().attrs
    assert attrs["placeholder"] == "วว/ดด/ปปปป"
    assert "inputmode" not in attrs


def test_date_input_keeps_extra_attrs():
    assert ThaiDateInput(attrs={"class": "form-control"}).attrs["class"] == "form-control"


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31)))
def test_date_field_reads_back_every_way_a_date_is_shown(d):
    field = ThaiDateField()
    shown = [
        format_date_numeric(d),
        to_thai_digits(format_date_numeric(d)),
        format_date_long(d),
    ]
    assert [field.clean(text) for text in shown] == [d, d, d]


# --- ThaiDecimalField --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("๙๗.๕๐", Decimal("97.50")), ("79.5", Decimal("79.5")), (" 100 ", Decimal(100))],
)
def test_decimal_field_reads_thai_and_arabic_digits(text, expected):
    assert cleaned("score", text) == expected


def test_decimal_field_accepts_thousands_commas():
    assert ThaiDecimalField().clean("1,234.50") == Decimal("1234.50")


def test_decimal_field_turns_empty_input_into_none():
    assert cleaned("score", "") is None


@pytest.mark.parametrize("text", ["abc", "NaN", "1,5"])
def test_decimal_field_rejects_non_numbers_in_thai(text):
    assert errors_of({"score": text})["score"] == ["กรุณากรอกตัวเลข"]


def test_decimal_field_rejects_a_value_above_the_maximum_in_thai():
    assert errors_of({"score": "๑๐๐.๕"})["score"] == ["ต้องไม่เกิน 100"]


def test_decimal_field_rejects_a_value_below_the_minimum_in_thai():
    assert errors_of({"score": "-1"})["score"] == ["ต้องไม่น้อยกว่า 0"]


def test_decimal_field_keeps_the_decimal_places_limit():
    assert "ทศนิยม" in errors_of({"score": "79.555"})["score"][0]


def test_decimal_field_lets_the_caller_override_messages():
    field = ThaiDecimalField(max_value=100, error_messages={"max_value": "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"})
    with pytest.raises(forms.ValidationError, match="คะแนนต้องอยู่ระหว่าง 0 ถึง 100"):
        field.clean("101")


def test_decimal_field_uses_a_text_input_with_a_decimal_keyboard():
    html = str(ProgressForm()["score"])
    assert 'type="text"' in html
    assert 'inputmode="decimal"' in html


# --- ThaiIntegerField --------------------------------------------------------


def test_integer_field_reads_thai_digits():
    assert cleaned("percent", "๘๐") == 80


def test_integer_field_rejects_a_fraction():
    assert errors_of({"percent": "80.5"})["percent"] == ["กรุณากรอกจำนวนเต็ม"]


def test_integer_field_rejects_more_than_one_hundred_percent():
    assert errors_of({"percent": "๑๐๑"})["percent"] == ["ต้องไม่เกิน 100"]


def test_integer_field_uses_a_text_input_with_a_numeric_keyboard():
    html = str(ProgressForm()["percent"])
    assert 'type="text"' in html
    assert 'inputmode="numeric"' in html


# --- Template filters --------------------------------------------------------


def test_thai_digits_filter_converts_digits():
    assert render("{{ v|thai_digits }}", v="ข้อ 12") == "ข้อ ๑๒"


def test_thai_digits_filter_keeps_autoescaping():
    assert render("{{ v|thai_digits }}", v="<b>1</b>") == "&lt;b&gt;๑&lt;/b&gt;"


def test_thai_date_filter_writes_the_long_date():
    assert render("{{ d|thai_date }}", d=MARCH_25) == "๒๕ มีนาคม พ.ศ. ๒๕๖๕"


def test_thai_date_filter_can_use_arabic_digits():
    assert render('{{ d|thai_date:"arabic" }}', d=MARCH_25) == "25 มีนาคม พ.ศ. 2565"


def test_date_filters_take_a_false_flag_as_arabic_digits():
    assert render("{{ d|thai_date_short:flag }}", d=MARCH_25, flag=False) == "25 มี.ค. 2565"


def test_date_filters_take_a_true_flag_as_thai_digits():
    assert render("{{ d|thai_date_short:flag }}", d=MARCH_25, flag=True) == "๒๕ มี.ค. ๒๕๖๕"


def test_thai_date_filter_uses_the_local_day_of_an_aware_datetime():
    late_utc = datetime(2022, 3, 24, 20, 0, tzinfo=ZoneInfo("UTC"))
    with timezone.override("Asia/Bangkok"):
        assert render("{{ d|thai_date_short }}", d=late_utc) == "๒๕ มี.ค. ๒๕๖๕"


def test_thai_month_filter_keeps_month_and_year_together():
    assert render("{{ d|thai_month }}", d=date(2022, 10, 1)) == "ต.ค.\u00a0๒๕๖๕"


def test_fiscal_year_label_filter_names_the_fiscal_year():
    assert render("{{ fy|fiscal_year_label }}", fy=2566) == "ปีงบประมาณ พ.ศ. ๒๕๖๖"


def test_round_label_filter_names_the_round():
    assert render('{{ m|round_label:"arabic" }}', m=12) == "รอบ 12 เดือน"


def test_thai_number_filter_shows_two_decimal_places():
    assert render("{{ x|thai_number }}", x=Decimal("79.5")) == "๗๙.๕๐"


@pytest.mark.parametrize(
    "source",
    [
        "{{ v|thai_digits }}",
        "{{ v|thai_date }}",
        "{{ v|thai_date_short }}",
        "{{ v|thai_month }}",
        "{{ v|fiscal_year_label }}",
        "{{ v|round_label }}",
        "{{ v|thai_number }}",
    ],
)
@pytest.mark.parametrize("value", [None, ""])
def test_filters_show_nothing_for_missing_values(source, value):
    assert render(source, v=value) == ""


def test_thai_number_filter_shows_nothing_for_text_that_is_not_a_number():
    assert render("{{ x|thai_number }}", x="n/a") == ""


def test_thai_month_range_tag_joins_two_months():
    text = render("{% thai_month_range a b %}", a=date(2022, 10, 1), b=date(2023, 9, 30))
    assert text == "ต.ค.\u00a0๒๕๖๕ – ก.ย.\u00a0๒๕๖๖"


def test_thai_month_range_tag_can_use_arabic_digits():
    text = render(
        '{% thai_month_range a b digits="arabic" %}',
        a=date(2022, 10, 1),
        b=date(2022, 12, 1),
    )
    assert text == "ต.ค.\u00a02565 – ธ.ค.\u00a02565"
