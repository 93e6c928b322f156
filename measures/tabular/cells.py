"""Cells of the measures spreadsheet: the problems an import reports, reading values and writing them."""

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .. import numbering, texts, thai
from ..models import Indicator, Measure, PeriodPrecision, Unit
from ..parsing import MAX_NUMBER, TEXT_MAX_LENGTH, parse_item_codes, split_steps, too_many_steps
from ..services import ServiceError

if TYPE_CHECKING:
    from .imports import Context

YES = gettext_lazy("ใช่")


@dataclass(frozen=True)
class ImportProblem:
    """One reason to refuse a file: where (row and column, when known) and what, in Thai."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("แถวที่ %(row)s คอลัมน์ ‘%(column)s’: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row is not None:
            return _("แถวที่ %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


class ImportRefused(ServiceError):
    """The file was refused as a whole; ``problems`` lists every reason. Nothing was written."""

    def __init__(self, problems: Iterable[ImportProblem | str]):
        self.problems = [p if isinstance(p, ImportProblem) else ImportProblem(p) for p in problems]
        super().__init__(_("นำเข้าไม่สำเร็จ พบข้อผิดพลาด %(n)s รายการ จึงยังไม่ได้บันทึกข้อมูลใดเลย") % {"n": len(self.problems)})

    @property
    def errors(self) -> list[str]:
        return [str(p) for p in self.problems]


class CellError(ValueError):
    """A cell that cannot be read; the message is Thai."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


THEME_NUMBER_HEADER = gettext_lazy("ลำดับด้าน")


# --- Reading cell values -------------------------------------------------------------------

_FORMULA_START = re.compile(r"^(?:[=@\t\r]|[+-](?!\s))")
BLANK_RUN = re.compile(r"[ \t\u00a0]+")


def guard_formula(text: str) -> str:
    """A CSV cell that Excel would run as a formula gets a leading apostrophe (shown as text)."""
    return "'" + text if _FORMULA_START.match(text) else text


def cell_text(value) -> str:
    """A cell as clean text: "" for empty, newlines as \\n, no control characters."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(YES) if value else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return thai.format_date_numeric(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = ILLEGAL_CHARACTERS_RE.sub("", text).replace("\x00", "").strip()
    if text.startswith("'") and _FORMULA_START.match(text[1:]):
        text = text[1:]  # the apostrophe our CSV export put before a formula-like text
    return text


def is_blank(value) -> bool:
    return cell_text(value) == ""


def name_key(name: str) -> str:
    """Unit names compare without case, extra spaces, or a decomposed sara am (ํา) from a PDF."""
    return BLANK_RUN.sub(" ", name.replace("\u0e4d\u0e32", "\u0e33")).strip().casefold()


def parse_text(max_length: int | None = None) -> Callable:
    def parse(value, context) -> str:
        text = cell_text(value)
        if max_length is not None and len(text) > max_length:
            raise CellError(_("ข้อความยาวเกิน %(max)s ตัวอักษร (มี %(n)s ตัวอักษร)") % {"max": max_length, "n": len(text)})
        return text

    return parse


# The long texts of a measure have the limit the staff forms give them (a CSV cell has none).
parse_long_text = parse_text(TEXT_MAX_LENGTH)


_DISPLAY_NUMBER = re.compile(r"[0-9]+\s*\.\s*[0-9]+")


def parse_typed_number(value, context) -> tuple[int, str] | None:
    """A measure's number as typed, "2", "2)", "(๒)": (2, "") for bare digits, (2, "2)") otherwise
    (the form documents print, measures.numbering.parse_number_text)."""
    typed = numbering.parse_number_text(cell_text(value)) if isinstance(value, str) else None
    number = parse_number(typed[0] if typed else value, context)
    return None if number is None else (number, typed[1] if typed else "")


def parse_number(value, context) -> int | None:
    """A whole number 1–999, typed with Arabic or Thai digits."""
    if is_blank(value):
        return None
    invalid = CellError(_("กรุณากรอกเป็นจำนวนเต็ม เช่น 1 หรือ ๑"))
    if isinstance(value, bool):
        raise invalid
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise invalid
        number = int(value)
    else:
        text = thai.to_arabic_digits(cell_text(value))
        if len(text) > 12:  # int() of a number of a million digits takes minutes: refuse it unread
            raise CellError(_("ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง %(max)s") % {"max": MAX_NUMBER})
        if _DISPLAY_NUMBER.fullmatch(text):
            raise CellError(
                _("กรอกเฉพาะลำดับของมาตรการในด้าน เช่น 2 สำหรับมาตรการ 1.2 และกรอกลำดับด้านในคอลัมน์ ‘%(theme)s’")
                % {"theme": THEME_NUMBER_HEADER}
            )
        try:
            decimal = thai.parse_decimal(text)
        except thai.ThaiInputError as exc:
            raise invalid from exc
        if decimal != decimal.to_integral_value():
            raise invalid
        number = int(decimal)
    if not 1 <= number <= MAX_NUMBER:
        raise CellError(_("ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง %(max)s") % {"max": MAX_NUMBER})
    return number


_YES_WORDS = {"ใช่", "ใช", "x", "✓", "✔", "/", "1", "true", "yes", "y", "มี", texts.ALL_UNITS, texts.WHOLE_YEAR}
_NO_WORDS = {"", "ไม่", "ไม่ใช่", "0", "false", "no", "n", "-"}


def parse_flag(value, context) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).casefold()
    if text in _YES_WORDS:
        return True
    if text in _NO_WORDS:
        return False
    raise CellError(_("กรอก “ใช่” หรือเว้นว่าง"))


def parse_date(*, end_of_month: bool) -> Callable:
    """A Buddhist-Era date or month ("ต.ค. 2565", "10/2565"); a month is its first day, or its
    last for an end date, as a thai.MonthDate (the import keeps how precisely a period was typed)."""

    def parse(value, context) -> date | None:
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            # A real Excel date. Excel set to the Gregorian calendar takes "01/10/2565" typed by
            # a Thai user as the year 2565 AD: such a year is the Buddhist Era.
            if value.year >= 2400:
                try:
                    return value.replace(year=value.year - thai.BE_OFFSET)
                except ValueError as exc:  # 29 February of a year that is not leap once converted
                    raise CellError(_("วันที่ไม่ถูกต้อง")) from exc
            return value
        if is_blank(value):
            return None
        if isinstance(value, int | float | Decimal):
            raise CellError(_("กรุณากรอกวันที่ พ.ศ. เช่น 01/10/2566 หรือเดือน เช่น ต.ค. 2566"))
        try:
            return thai.parse_date_or_month(cell_text(value), end=end_of_month)
        except thai.ThaiInputError as exc:
            raise CellError(exc.message) from exc

    return parse


def parse_budget(value, context) -> Decimal | None:
    if is_blank(value):
        return None
    invalid = CellError(_("กรุณากรอกงบประมาณเป็นตัวเลข เช่น 15,000 หรือ ๑๕,๐๐๐"))
    if isinstance(value, bool):
        raise invalid
    try:
        amount = Decimal(repr(value)) if isinstance(value, float) else thai.parse_decimal(cell_text(value))
    except (thai.ThaiInputError, ArithmeticError) as exc:
        raise invalid from exc
    if amount < 0 or -amount.as_tuple().exponent > 2 or amount >= Decimal(10) ** 12:
        raise CellError(_("งบประมาณต้องไม่ติดลบ มีทศนิยมไม่เกิน 2 ตำแหน่ง และไม่เกิน 12 หลัก"))
    return amount


def parse_steps(value, context) -> list[str]:
    steps = split_steps(parse_long_text(value, context))
    if too_many := too_many_steps(steps):
        raise CellError(str(too_many))
    return steps


def parse_units(value, context: "Context") -> tuple[list[Unit], bool]:
    """Unit names, one per line or separated by commas; "ทุกกอง/สำนัก" sets the all-units flag."""
    units: list[Unit] = []
    all_units = False
    unknown: list[str] = []

    def take(name: str) -> bool:
        nonlocal all_units
        key = name_key(name)
        if key in context.all_units_words:
            all_units = True
        elif key in context.units:
            units.append(context.units[key])
        else:
            return False
        return True

    for line in parse_long_text(value, context).split("\n"):
        if not line.strip() or take(line):
            continue
        for part in re.split(r"[,;]", line):
            if part.strip() and not take(part):
                unknown.append(part.strip())
    if unknown:
        raise CellError(
            _("ไม่พบส่วนราชการชื่อ %(names)s ในหน่วยงานนี้ กรุณาใช้ชื่อตามรายชื่อส่วนราชการในหน้านำเข้าหรือในแม่แบบ")
            % {"names": ", ".join(f"“{name}”" for name in unknown)}
        )
    return list(dict.fromkeys(units)), all_units


def parse_indicators(value, context: "Context") -> list[Indicator]:
    text = thai.to_arabic_digits(parse_long_text(value, context))
    if not text:
        return []
    if re.search(r"[^0-9\s,;/]", text):
        raise CellError(_("กรอกเลขตัวชี้วัดคั่นด้วยจุลภาค เช่น 1, 9"))
    numbers = [int(n) for n in re.findall(r"[0-9]+", text)]
    framework = context.document.basis_framework
    if framework is None:
        raise CellError(_("ยังไม่มีกรอบการประเมิน ITA ของปีที่วิเคราะห์ จึงอ้างอิงตัวชี้วัดไม่ได้"))
    missing = [str(n) for n in numbers if n not in context.indicators]
    if missing:
        raise CellError(
            _("ไม่พบตัวชี้วัดที่ %(numbers)s ในกรอบการประเมิน ITA %(year)s")
            % {"numbers": ", ".join(missing), "year": framework.year}
        )
    return list(dict.fromkeys(context.indicators[n] for n in numbers))


def parse_items(value, context: "Context") -> list:
    try:
        return parse_item_codes(parse_long_text(value, context), context.document.basis_framework)
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from exc


# --- Writing cell values (export) ----------------------------------------------------------


def date_text(value: date | None) -> str:
    return thai.format_date_numeric(value)


def period_date_text(measure: Measure, name: str) -> str:
    """A period's start or end as typed: "ต.ค. 2565" for a period typed as months (when the stored
    day is the month's first, or its last for the end), "01/10/2565" otherwise."""
    value = getattr(measure, name)
    if value is None or measure.period_precision == PeriodPrecision.DAY:
        return date_text(value)
    edge = 1 if name == "period_start" else calendar.monthrange(value.year, value.month)[1]
    return thai.format_month_input(value) if value.day == edge else date_text(value)


def flag_text(value: bool) -> str:
    return str(YES) if value else ""


def steps_text(measure: Measure) -> str:
    # One step per line as typed, with the officer's own numbers or bullets (none for steps the
    # portal numbers): the import reads them back unchanged (split_steps).
    return "\n".join(step.text for step in measure.steps.all())
