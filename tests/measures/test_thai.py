"""Tests for measures.thai: Thai digits, Buddhist-era dates, fiscal years, numbers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from measures.thai import (
    MONTHS_LONG,
    MONTHS_SHORT,
    ThaiInputError,
    be_year,
    digits,
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
    format_date_long,
    format_date_numeric,
    format_date_short,
    format_month,
    format_month_range,
    format_number,
    parse_date,
    parse_decimal,
    round_bounds,
    round_label,
    round_period_label,
    to_arabic_digits,
    to_thai_digits,
)

MARCH_25 = date(2022, 3, 25)
any_date = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))


def parse_error(text: str) -> str:
    with pytest.raises(ThaiInputError) as excinfo:
        parse_date(text)
    return str(excinfo.value)


# --- Digits ------------------------------------------------------------------


def test_to_thai_digits_replaces_every_arabic_digit():
    assert to_thai_digits("0123456789") == "๐๑๒๓๔๕๖๗๘๙"


def test_to_thai_digits_accepts_non_strings():
    assert to_thai_digits(2566) == "๒๕๖๖"


def test_to_arabic_digits_leaves_other_characters_alone():
    assert to_arabic_digits("ปี ๒๕๖๖ (FY)") == "ปี 2566 (FY)"


def test_digits_can_keep_arabic_digits():
    assert digits(2566, thai_digits=False) == "2566"


@given(st.text(alphabet="0123456789"))
def test_thai_digits_round_trip_to_arabic(text):
    assert to_arabic_digits(to_thai_digits(text)) == text


# --- Dates -------------------------------------------------------------------


def test_month_tables_are_indexed_from_one():
    assert (MONTHS_LONG[0], MONTHS_LONG[1], MONTHS_LONG[12]) == ("", "มกราคม", "ธันวาคม")
    assert (MONTHS_SHORT[0], MONTHS_SHORT[3], MONTHS_SHORT[10]) == ("", "มี.ค.", "ต.ค.")


def test_be_year_adds_543_to_a_year_or_a_date():
    assert (be_year(2022), be_year(MARCH_25)) == (2565, 2565)


def test_format_date_long_writes_day_month_and_buddhist_year():
    assert format_date_long(MARCH_25) == "๒๕ มีนาคม พ.ศ. ๒๕๖๕"


def test_format_date_long_can_use_arabic_digits():
    assert format_date_long(MARCH_25, thai_digits=False) == "25 มีนาคม พ.ศ. 2565"


def test_format_date_short_uses_the_abbreviated_month():
    assert format_date_short(MARCH_25) == "๒๕ มี.ค. ๒๕๖๕"


def test_format_month_keeps_month_and_year_together_with_a_no_break_space():
    assert format_month(date(2022, 10, 1)) == "ต.ค.\u00a0๒๕๖๕"


def test_format_month_range_joins_two_months_with_an_en_dash():
    text = format_month_range(date(2022, 10, 1), date(2023, 9, 30))
    assert text == "ต.ค.\u00a0๒๕๖๕ – ก.ย.\u00a0๒๕๖๖"


def test_format_month_range_within_one_month_shows_that_month_once():
    assert format_month_range(date(2022, 10, 1), date(2022, 10, 31)) == "ต.ค.\u00a0๒๕๖๕"


def test_format_date_numeric_is_dd_mm_buddhist_year_in_arabic_digits():
    assert format_date_numeric(date(2022, 3, 5)) == "05/03/2565"


@pytest.mark.parametrize(
    "formatter",
    [
        format_date_long,
        format_date_short,
        format_month,
        format_date_numeric,
        format_number,
    ],
)
def test_formatters_return_an_empty_string_for_none(formatter):
    assert formatter(None) == ""


def test_format_month_range_of_nothing_is_empty():
    assert format_month_range(None, None) == ""


# --- Fiscal years and rounds -----------------------------------------------


def test_fiscal_year_starts_on_the_first_of_october():
    assert (fiscal_year_of(date(2022, 9, 30)), fiscal_year_of(date(2022, 10, 1))) == (
        2565,
        2566,
    )


def test_fiscal_year_2566_runs_from_october_2022_to_september_2023():
    assert fiscal_year_bounds(2566) == (date(2022, 10, 1), date(2023, 9, 30))


def test_fiscal_year_label_names_the_buddhist_year():
    assert fiscal_year_label(2566) == "ปีงบประมาณ พ.ศ. ๒๕๖๖"


def test_six_month_round_ends_on_the_last_of_march():
    assert round_bounds(2566, 6) == (date(2022, 10, 1), date(2023, 3, 31))


def test_twelve_month_round_covers_the_whole_fiscal_year():
    assert round_bounds(2566, 12) == fiscal_year_bounds(2566)


def test_round_label_names_the_number_of_months():
    assert (round_label(6), round_label(12, thai_digits=False)) == (
        "รอบ ๖ เดือน",
        "รอบ 12 เดือน",
    )


def test_round_period_label_spells_out_first_and_last_month():
    assert round_period_label(2566, 6) == "เดือนตุลาคม ๒๕๖๕ ถึงเดือนมีนาคม ๒๕๖๖"


@pytest.mark.parametrize("months", [0, 3, 9, 24])
def test_rounds_other_than_six_or_twelve_months_are_rejected(months):
    with pytest.raises(ValueError):
        round_bounds(2566, months)


@given(any_date)
def test_every_date_lies_inside_its_fiscal_year(d):
    start, end = fiscal_year_bounds(fiscal_year_of(d))
    assert start <= d <= end


@given(st.integers(min_value=2450, max_value=2700))
def test_fiscal_years_follow_each_other_without_gaps(fy):
    assert fiscal_year_bounds(fy + 1)[0] == fiscal_year_bounds(fy)[1] + timedelta(days=1)


# --- Numbers -----------------------------------------------------------------


def test_format_number_pads_to_two_decimal_places():
    assert format_number(Decimal("79.5")) == "๗๙.๕๐"


def test_format_number_rounds_half_up():
    assert format_number(Decimal("79.125"), thai_digits=False) == "79.13"


def test_format_number_groups_thousands():
    assert format_number(1234567, 0, thai_digits=False) == "1,234,567"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("๙๗.๕๐", Decimal("97.50")),
        (" 1,234.5 ", Decimal("1234.5")),
        ("-3", Decimal(-3)),
        (".5", Decimal("0.5")),
    ],
)
def test_parse_decimal_reads_thai_digits_and_thousands_commas(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "NaN", "Infinity", "1e5", "1,5", "1,23,456", "12 34"])
def test_parse_decimal_rejects_what_is_not_a_plain_number(text):
    with pytest.raises(ThaiInputError, match="กรุณากรอกตัวเลข"):
        parse_decimal(text)


@given(st.decimals(places=2, allow_nan=False, allow_infinity=False))
def test_parse_decimal_reads_back_thai_digit_decimals(x):
    assert parse_decimal(to_thai_digits(str(x))) == x


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_parse_decimal_reads_back_formatted_numbers(x):
    assert parse_decimal(format_number(x)) == x


# --- Parsing dates -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "25/03/2565",
        "25-03-2565",
        "25.03.2565",
        "๒๕/๐๓/๒๕๖๕",
        "  25/03/2565  ",
        "25/03/65",
        "25 มี.ค. 2565",
        "25 มี.ค.65",
        "25 มีค 2565",
        "25มี.ค.2565",
        "25 มีนาคม 2565",
        "25 มีนาคม พ.ศ. 2565",
        "๒๕ มีนาคม พ.ศ. ๒๕๖๕",
        "25 มี.ค. พ.ศ.2565",
        "2022-03-25",
        "2565-03-25",
    ],
)
def test_parse_date_reads_what_thai_users_type(text):
    assert parse_date(text) == MARCH_25


def test_parse_date_reads_single_digit_day_and_month():
    assert parse_date("1/3/2565") == date(2022, 3, 1)


def test_parse_date_reads_the_last_day_of_march():
    assert parse_date("31/03/2566") == date(2023, 3, 31)


def test_parse_date_rejects_a_christian_era_year_and_suggests_the_buddhist_one():
    message = parse_error("25/03/2022")
    assert "พุทธศักราช" in message
    assert "2565" in message


def test_parse_date_rejects_a_christian_era_year_after_a_month_name():
    assert "พุทธศักราช" in parse_error("25 มีนาคม 2022")


def test_parse_date_rejects_a_year_out_of_range():
    assert "3000" in parse_error("25/03/3000")


def test_parse_date_rejects_an_impossible_day():
    assert parse_error("31/02/2566").startswith("วันที่ไม่ถูกต้อง")


def test_parse_date_rejects_an_impossible_month():
    assert parse_error("01/13/2566").startswith("วันที่ไม่ถูกต้อง")


@pytest.mark.parametrize("text", ["abc", "25/03", "25/03-2565", "2565/03", "25/x/2565"])
def test_parse_date_explains_the_expected_format(text):
    assert parse_error(text).startswith("รูปแบบวันที่ไม่ถูกต้อง กรุณากรอกเป็น วว/ดด/ปปปป")


def test_parse_date_names_an_unknown_month():
    assert "มีนา" in parse_error("25 มีนา 2565")


@pytest.mark.parametrize("text", ["", "   "])
def test_parse_date_rejects_empty_input(text):
    assert parse_error(text) == "กรุณากรอกวันที่"


def test_thai_input_error_carries_its_message():
    error = ThaiInputError("ข้อความ")
    assert (str(error), error.message, isinstance(error, ValueError)) == (
        "ข้อความ",
        "ข้อความ",
        True,
    )


@given(any_date)
def test_parse_date_reads_back_numeric_dates(d):
    assert parse_date(format_date_numeric(d)) == d


@given(any_date)
def test_parse_date_reads_back_numeric_dates_in_thai_digits(d):
    assert parse_date(to_thai_digits(format_date_numeric(d))) == d


@given(any_date)
def test_parse_date_reads_back_long_dates(d):
    assert parse_date(format_date_long(d)) == d


@given(any_date)
def test_parse_date_reads_back_short_dates(d):
    assert parse_date(format_date_short(d)) == d
