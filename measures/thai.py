"""Thai formatting and parsing: digits, Buddhist-era dates, fiscal years, numbers.

This is the one place in the project that knows how Thai dates and numbers are
written and read. Everything here is a pure function on ``date``, ``int``,
``Decimal`` and ``str``; nothing depends on Django.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

__all__ = [
    "BE_OFFSET",
    "MONTHS_LONG",
    "MonthDate",
    "MONTHS_SHORT",
    "ROUND_MONTHS",
    "THAI_DIGITS",
    "ThaiInputError",
    "be_year",
    "digits",
    "fiscal_year_bounds",
    "fiscal_year_label",
    "fiscal_year_of",
    "format_date_long",
    "format_date_numeric",
    "format_date_short",
    "format_datetime_short",
    "format_day",
    "format_day_range",
    "format_month",
    "format_month_input",
    "format_month_range",
    "format_number",
    "parse_date",
    "parse_date_or_month",
    "parse_decimal",
    "round_bounds",
    "round_label",
    "round_period_label",
    "to_arabic_digits",
    "to_thai_digits",
]

# --- Digits -----------------------------------------------------------------

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")


def to_thai_digits(value: object) -> str:
    """Return ``str(value)`` with the digits 0-9 replaced by ๐-๙."""
    return str(value).translate(_TO_THAI)


def to_arabic_digits(text: str) -> str:
    """Replace Thai digits ๐-๙ with 0-9, leaving every other character alone."""
    return text.translate(_TO_ARABIC)


_TOKEN = re.compile(r"\S+")
_KEEP_LATIN = re.compile(r"[A-Za-z@]")


def prose_thai_digits(text: str) -> str:
    """Thai digits in running text, except in words with Latin letters.

    "ภายใน 15 วัน" and "1. จัดประชุม" become Thai; item codes (I13, O40), web addresses and
    e-mail addresses keep their digits, since they must be typed back as printed.
    """
    return _TOKEN.sub(lambda m: m[0] if _KEEP_LATIN.search(m[0]) else m[0].translate(_TO_THAI), text)


def digits(value: object, *, thai_digits: bool = True) -> str:
    """Return ``str(value)``, in Thai digits unless ``thai_digits`` is false."""
    return to_thai_digits(value) if thai_digits else str(value)


# --- Months and years -------------------------------------------------------

MONTHS_LONG: tuple[str, ...] = (
    "",
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTHS_SHORT: tuple[str, ...] = (
    "",
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)

BE_OFFSET = 543
NBSP = "\u00a0"
EN_DASH = "\u2013"


def be_year(value: date | int) -> int:
    """Convert a Christian-era year (or the year of a date) to Buddhist era."""
    year = value.year if isinstance(value, date) else int(value)
    return year + BE_OFFSET


# --- Date formatting --------------------------------------------------------


def format_date_long(d: date | None, *, thai_digits: bool = True) -> str:
    """Format as "๒๕ มีนาคม พ.ศ. ๒๕๖๕"; "" for None."""
    if d is None:
        return ""
    text = f"{d.day} {MONTHS_LONG[d.month]} พ.ศ. {be_year(d)}"
    return digits(text, thai_digits=thai_digits)


def format_date_short(d: date | None, *, thai_digits: bool = True) -> str:
    """Format as "๒๕ มี.ค. ๒๕๖๕"; "" for None."""
    if d is None:
        return ""
    text = f"{d.day} {MONTHS_SHORT[d.month]} {be_year(d)}"
    return digits(text, thai_digits=thai_digits)


def format_datetime_short(value: date | None, *, thai_digits: bool = False) -> str:
    """ "7 ธ.ค. 2569 10:32 น." for a date-time (in local time), "7 ธ.ค. 2569" for a date; "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return digits(f"{format_date_short(local.date(), thai_digits=False)} {local:%H:%M} น.", thai_digits=thai_digits)
    return format_date_short(value, thai_digits=thai_digits)


def format_day(d: date | None, *, thai_digits: bool = True) -> str:
    """Format as "๑ ต.ค. ๒๕๖๔" with no-break spaces, so a date never wraps apart; "" for None."""
    if d is None:
        return ""
    return digits(f"{d.day}{NBSP}{MONTHS_SHORT[d.month]}{NBSP}{be_year(d)}", thai_digits=thai_digits)


def format_day_range(start: date | None, end: date | None, *, thai_digits: bool = True) -> str:
    """Format as "๑ ต.ค. ๒๕๖๔ – ๓๑ มี.ค. ๒๕๖๕" (a period typed with its days); one date if both are the same."""
    if start is None or end is None or start == end:
        return format_day(start or end, thai_digits=thai_digits)
    # The dash stays with the first date: a narrow column breaks after it, never before.
    return f"{format_day(start, thai_digits=thai_digits)}{NBSP}{EN_DASH} {format_day(end, thai_digits=thai_digits)}"


def format_month(d: date | None, *, thai_digits: bool = True) -> str:
    """Format as "ต.ค. ๒๕๖๕" with a no-break space, so month and year never wrap apart."""
    if d is None:
        return ""
    text = f"{MONTHS_SHORT[d.month]}{NBSP}{be_year(d)}"
    return digits(text, thai_digits=thai_digits)


def format_month_range(start: date | None, end: date | None, *, thai_digits: bool = True) -> str:
    """Format as "ต.ค. ๒๕๖๕ – ก.ย. ๒๕๖๖"; a single month if both fall in the same one."""
    if start is None or end is None:
        return format_month(start or end, thai_digits=thai_digits)
    first = format_month(start, thai_digits=thai_digits)
    if (start.year, start.month) == (end.year, end.month):
        return first
    return f"{first} {EN_DASH} {format_month(end, thai_digits=thai_digits)}"


def format_month_input(d: date | None) -> str:
    """Format as "ต.ค. 2565" (Arabic digits), a month as a form shows it back for editing."""
    if d is None:
        return ""
    return f"{MONTHS_SHORT[d.month]} {be_year(d)}"


def format_date_numeric(d: date | None) -> str:
    """Format as "25/03/2565" (Arabic digits, dd/mm/BE), the form-input representation."""
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{be_year(d)}"


# --- Fiscal years and reporting rounds --------------------------------------


def fiscal_year_of(d: date) -> int:
    """Return the Thai fiscal year (BE) containing ``d``; it starts on 1 October."""
    return be_year(d) + (1 if d.month >= 10 else 0)


def fiscal_year_bounds(fy_be: int) -> tuple[date, date]:
    """Return the first and last day of fiscal year ``fy_be`` (1 Oct to 30 Sep)."""
    year_ce = fy_be - BE_OFFSET
    return date(year_ce - 1, 10, 1), date(year_ce, 9, 30)


def fiscal_year_label(fy_be: int, *, thai_digits: bool = True) -> str:
    """Return "ปีงบประมาณ พ.ศ. ๒๕๖๖"."""
    return digits(f"ปีงบประมาณ พ.ศ. {fy_be}", thai_digits=thai_digits)


ROUND_MONTHS = (6, 12)


def _check_round(months: int) -> None:
    if months not in ROUND_MONTHS:
        raise ValueError(f"A reporting round is 6 or 12 months, not {months!r}")


def round_bounds(fy_be: int, months: int) -> tuple[date, date]:
    """Return the period covered by the 6- or 12-month progress report of ``fy_be``."""
    _check_round(months)
    start, end = fiscal_year_bounds(fy_be)
    if months == 6:
        end = date(end.year, 3, 31)
    return start, end


def round_label(months: int, *, thai_digits: bool = True) -> str:
    """Return "รอบ ๖ เดือน" or "รอบ ๑๒ เดือน"."""
    _check_round(months)
    return digits(f"รอบ {months} เดือน", thai_digits=thai_digits)


def round_period_label(fy_be: int, months: int, *, thai_digits: bool = True) -> str:
    """Return e.g. "เดือนตุลาคม ๒๕๖๕ ถึงเดือนมีนาคม ๒๕๖๖"."""
    start, end = round_bounds(fy_be, months)
    text = f"เดือน{MONTHS_LONG[start.month]} {be_year(start)} ถึงเดือน{MONTHS_LONG[end.month]} {be_year(end)}"
    return digits(text, thai_digits=thai_digits)


# --- Numbers ----------------------------------------------------------------


def format_number(value: Decimal | float | str | None, places: int = 2, *, thai_digits: bool = True) -> str:
    """Format with ``places`` decimals (half up) and thousands commas: "๑,๒๓๔.๕๐"; "" for None."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return digits(f"{number:,.{places}f}", thai_digits=thai_digits)


# --- Parsing ----------------------------------------------------------------


class ThaiInputError(ValueError):
    """User input that could not be read; ``message`` is a Thai text for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\ufeff")
_MIN_BE, _MAX_BE = 2400, 2700
_MIN_CE, _MAX_CE = 1900, 2200

_DATE_FORMAT_ERROR = "รูปแบบวันที่ไม่ถูกต้อง กรุณากรอกเป็น วว/ดด/ปปปป (พ.ศ.) เช่น 25/03/2565"
_DATE_OR_MONTH_ERROR = (
    "รูปแบบวันที่ไม่ถูกต้อง กรุณากรอกวันที่ (พ.ศ.) เช่น 25/03/2565 หรือ 25 มี.ค. 2565 หรือกรอกเฉพาะเดือน เช่น มี.ค. 2565"
)

# "25/03/2565", "25-03-65", "25.03.2565" (the two separators must match).
_NUMERIC_DMY = re.compile(r"([0-9]{1,2})\s*([/.\-])\s*([0-9]{1,2})\s*\2\s*([0-9]+)")
# "2022-03-25" or "2565-03-25".
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
# "25 มี.ค. 2565", "25มีนาคม พ.ศ.65": day, Thai letters/dots/spaces, year.
_NAMED_MONTH = re.compile(r"([0-9]{1,2})\s*([\u0e00-\u0e7f.\s]+?)\s*([0-9]+)")
_ERA_SUFFIX = re.compile(r"([พค])\.?\s*ศ\.?$")
_MONTH_NUMBERS: dict[str, int] = {
    name.replace(".", ""): number for names in (MONTHS_LONG, MONTHS_SHORT) for number, name in enumerate(names) if name
}


def _christian_era_error(year_ce: int) -> ThaiInputError:
    return ThaiInputError(f"ปี {year_ce} เป็นปีคริสต์ศักราช กรุณากรอกปีพุทธศักราช เช่น {year_ce + BE_OFFSET}")


def _year_range_error(year: int) -> ThaiInputError:
    return ThaiInputError(f"ปี {year} ไม่อยู่ในช่วงที่รับได้ กรุณากรอกปีพุทธศักราช (พ.ศ.) ระหว่าง {_MIN_BE} ถึง {_MAX_BE} เช่น 2565")


def _be_year_from_text(text: str) -> int:
    """Read the year of a day-month-year input: two digits are 25xx, four are BE."""
    if len(text) == 2:
        return 2500 + int(text)
    year = int(text)
    if _MIN_CE <= year <= _MAX_CE:
        raise _christian_era_error(year)
    if not _MIN_BE <= year <= _MAX_BE:
        raise _year_range_error(year)
    return year


def _make_date(day: int, month: int, year_be: int) -> date:
    if not 1 <= month <= 12:
        raise ThaiInputError("วันที่ไม่ถูกต้อง เดือนต้องอยู่ระหว่าง 1 ถึง 12")
    year_ce = year_be - BE_OFFSET
    days_in_month = calendar.monthrange(year_ce, month)[1]
    if not 1 <= day <= days_in_month:
        raise ThaiInputError(f"วันที่ไม่ถูกต้อง เดือน{MONTHS_LONG[month]} พ.ศ. {year_be} มี {days_in_month} วัน")
    return date(year_ce, month, day)


def _parse_named_month(day: str, month_text: str, year: str) -> date:
    month_text = month_text.strip()
    era = _ERA_SUFFIX.search(month_text)
    if era:
        month_text = month_text[: era.start()]
        if era.group(1) == "ค" and len(year) == 4:
            raise _christian_era_error(int(year))
    key = re.sub(r"[.\s]", "", month_text)
    if key not in _MONTH_NUMBERS:
        raise ThaiInputError(f"ไม่รู้จักชื่อเดือน “{month_text}” กรุณาใช้ชื่อเดือนเต็มหรือชื่อย่อ เช่น มีนาคม หรือ มี.ค.")
    return _make_date(int(day), _MONTH_NUMBERS[key], _be_year_from_text(year))


def parse_date(text: str) -> date:
    """Read a date as Thai users type it; raise ThaiInputError with a Thai message.

    Accepted: "25/03/2565" (also "-" or "." separators, Thai digits, two-digit
    BE years), "25 มี.ค. 2565", "25 มีนาคม พ.ศ. 2565" and ISO "2022-03-25"
    (year first: Christian era if 1900-2200, Buddhist era if 2400-2700).
    """
    cleaned = to_arabic_digits(str(text).translate(_INVISIBLE)).strip()
    if not cleaned:
        raise ThaiInputError("กรุณากรอกวันที่")
    if match := _ISO.fullmatch(cleaned):
        year, month, day = (int(part) for part in match.groups())
        if _MIN_CE <= year <= _MAX_CE:
            year += BE_OFFSET
        elif not _MIN_BE <= year <= _MAX_BE:
            raise _year_range_error(year)
        return _make_date(day, month, year)
    if match := _NUMERIC_DMY.fullmatch(cleaned):
        day, _, month, year = match.groups()
        return _make_date(int(day), int(month), _be_year_from_text(year))
    if match := _NAMED_MONTH.fullmatch(cleaned):
        return _parse_named_month(*match.groups())
    raise ThaiInputError(_DATE_FORMAT_ERROR)


class MonthDate(date):
    """A day that stands for its month: the first (or last) day of a month typed without a day."""


# "ต.ค. 2564", "ต.ค.64", "ตุลาคม พ.ศ. 2564": a month name and a year; "10/2564", "10-64": numbers.
_NAMED_MONTH_ONLY = re.compile(r"([\u0e00-\u0e7f.\s]+?)\s*([0-9]+)")
_NUMERIC_MONTH_ONLY = re.compile(r"([0-9]{1,2})\s*[/.\-]\s*([0-9]{2}|[0-9]{4})")


def parse_date_or_month(text: str, *, end: bool = False) -> date:
    """A date as parse_date reads it, or a month typed without a day ("ต.ค. 2564", "ต.ค.64",
    "ตุลาคม 2564", "10/2564"): its first day, or its last when ``end``, as a MonthDate."""
    cleaned = to_arabic_digits(str(text).translate(_INVISIBLE)).strip()
    month = None
    if match := _NAMED_MONTH_ONLY.fullmatch(cleaned):
        month = _parse_named_month("1", match[1], match[2])
    elif match := _NUMERIC_MONTH_ONLY.fullmatch(cleaned):
        month = _make_date(1, int(match[1]), _be_year_from_text(match[2]))
    if month is None:
        try:
            return parse_date(cleaned)
        except ThaiInputError as exc:
            if exc.message == _DATE_FORMAT_ERROR:
                raise ThaiInputError(_DATE_OR_MONTH_ERROR) from exc
            raise
    day = calendar.monthrange(month.year, month.month)[1] if end else 1
    return MonthDate(month.year, month.month, day)


_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|[+-]?\.[0-9]+")


def parse_decimal(text: str) -> Decimal:
    """Read a number typed with Arabic or Thai digits and optional thousands commas."""
    cleaned = to_arabic_digits(str(text).translate(_INVISIBLE)).strip()
    if not _DECIMAL.fullmatch(cleaned):
        raise ThaiInputError("กรุณากรอกตัวเลข เช่น 79.50 หรือ ๗๙.๕๐")
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern rules this out
        raise ThaiInputError("กรุณากรอกตัวเลข") from exc
