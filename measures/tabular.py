"""Spreadsheets of the measures: export (XLSX or CSV), the import template, and the import.

The columns of a measures spreadsheet are declared once, in ``MEASURE_COLUMNS``: the export of
a document writes them, the template offers them and the import reads them, so a file exported
from one document imports into another unchanged. Dates are written in the Buddhist Era
("01/10/2565"); the import also reads months ("ต.ค. 2565"), Thai digits and real Excel dates.

The import is all rows or none. Every row is read and checked first; any problem, each named
by its row and column in Thai, refuses the whole file and nothing is written. Otherwise the
themes and measures are created in one transaction through ``measures.services`` (so the audit
trail records them). An import appends to the document: a theme number already in the
document is reused (its title must match when the file gives one), and a measure number
already used in the same theme is an error naming the row.
"""

import calendar
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import django_tables2 as tables
from django import forms
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2.export import TableExport
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import services, thai
from .forms import IMPORT_EXTENSIONS, IMPORT_MAX_BYTES, TEXT_MAX_LENGTH, parse_item_codes, split_steps
from .models import Indicator, Measure, MeasuresDocument, ProgressEntry, ProgressReport, Theme, Unit
from .services import MeasureData, ServiceError
from .tables import period_text, units_text

FORMATS = ("xlsx", "csv")
YES = gettext_lazy("ใช่")
IMPORT_MAX_ROWS = 500  # a document has about 20 measures; more is a wrong file
_MAX_SCANNED_ROWS = 5000  # blank rows included: stop reading a sheet whose size is absurd
_MAX_COLUMNS = 60
_MAX_UNZIPPED_BYTES = 40 * 1024 * 1024  # an .xlsx is a zip: refuse a small file that unpacks huge
_MAX_NUMBER = 999


# --- Problems ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """One reason to refuse a file: where (row and column, when known) and what, in Thai."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("แถวที่ %(row)s คอลัมน์ ‘%(column)s’: %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message,
            }
        if self.row is not None:
            return _("แถวที่ %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


class ImportRefused(ServiceError):
    """The file was refused as a whole; ``problems`` lists every reason. Nothing was written."""

    def __init__(self, problems: Iterable[ImportProblem | str]):
        self.problems = [p if isinstance(p, ImportProblem) else ImportProblem(p) for p in problems]
        super().__init__(
            _("นำเข้าไม่สำเร็จ พบข้อผิดพลาด %(n)s รายการ จึงยังไม่ได้บันทึกข้อมูลใดเลย") % {"n": len(self.problems)}
        )

    @property
    def errors(self) -> list[str]:
        return [str(p) for p in self.problems]


class CellError(ValueError):
    """A cell that cannot be read; the message is Thai."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Reading cell values -------------------------------------------------------------------

_FORMULA_START = re.compile(r"^(?:[=@\t\r]|[+-](?!\s))")
_BLANK_RUN = re.compile(r"[ \t\u00a0]+")


def _guard_formula(text: str) -> str:
    """A CSV cell that Excel would run as a formula gets a leading apostrophe (shown as text)."""
    return "'" + text if _FORMULA_START.match(text) else text


def _text(value) -> str:
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


def _is_blank(value) -> bool:
    return _text(value) == ""


def _name_key(name: str) -> str:
    """Unit names compare without case, extra spaces, or a decomposed sara am (ํา) from a PDF."""
    return _BLANK_RUN.sub(" ", name.replace("\u0e4d\u0e32", "\u0e33")).strip().casefold()


def _parse_text(max_length: int | None = None) -> Callable:
    def parse(value, context) -> str:
        text = _text(value)
        if max_length is not None and len(text) > max_length:
            raise CellError(
                _("ข้อความยาวเกิน %(max)s ตัวอักษร (มี %(n)s ตัวอักษร)") % {"max": max_length, "n": len(text)}
            )
        return text

    return parse


# The long texts of a measure have the limit the staff forms give them (a CSV cell has none).
_parse_long_text = _parse_text(TEXT_MAX_LENGTH)


_DISPLAY_NUMBER = re.compile(r"[0-9]+\s*\.\s*[0-9]+")


def _parse_number(value, context) -> int | None:
    """A whole number 1–999, typed with Arabic or Thai digits."""
    if _is_blank(value):
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
        text = thai.to_arabic_digits(_text(value))
        if len(text) > 12:  # int() of a number of a million digits takes minutes: refuse it unread
            raise CellError(_("ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง %(max)s") % {"max": _MAX_NUMBER})
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
    if not 1 <= number <= _MAX_NUMBER:
        raise CellError(_("ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง %(max)s") % {"max": _MAX_NUMBER})
    return number


_YES_WORDS = {"ใช่", "ใช", "x", "✓", "✔", "/", "1", "true", "yes", "y", "มี", "ทุกกอง/สำนัก", "ตลอดปีงบประมาณ"}
_NO_WORDS = {"", "ไม่", "ไม่ใช่", "0", "false", "no", "n", "-"}


def _parse_flag(value, context) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in _YES_WORDS:
        return True
    if text in _NO_WORDS:
        return False
    raise CellError(_("กรอก “ใช่” หรือเว้นว่าง"))


# "ต.ค. 2565", "ตุลาคม พ.ศ. 2565", "ต.ค.65": a month without a day.
_MONTH_ONLY = re.compile(r"[\u0e00-\u0e7f.\s]+?\s*[0-9]{2,4}")


def _parse_date(*, end_of_month: bool) -> Callable:
    """A Buddhist-Era date or month; a month is its first day, or its last for an end date."""

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
        if _is_blank(value):
            return None
        if isinstance(value, int | float | Decimal):
            raise CellError(_("กรุณากรอกวันที่ พ.ศ. เช่น 01/10/2566 หรือเดือน เช่น ต.ค. 2566"))
        text = _text(value)
        try:
            if _MONTH_ONLY.fullmatch(thai.to_arabic_digits(text)):
                first = thai.parse_date(f"1 {text}")
                if not end_of_month:
                    return first
                return first.replace(day=calendar.monthrange(first.year, first.month)[1])
            return thai.parse_date(text)
        except thai.ThaiInputError as exc:
            raise CellError(exc.message) from exc

    return parse


def _parse_budget(value, context) -> Decimal | None:
    if _is_blank(value):
        return None
    invalid = CellError(_("กรุณากรอกงบประมาณเป็นตัวเลข เช่น 15,000 หรือ ๑๕,๐๐๐"))
    if isinstance(value, bool):
        raise invalid
    try:
        amount = Decimal(repr(value)) if isinstance(value, float) else thai.parse_decimal(_text(value))
    except (thai.ThaiInputError, ArithmeticError) as exc:
        raise invalid from exc
    if amount < 0 or -amount.as_tuple().exponent > 2 or amount >= Decimal(10) ** 12:
        raise CellError(_("งบประมาณต้องไม่ติดลบ มีทศนิยมไม่เกิน 2 ตำแหน่ง และไม่เกิน 12 หลัก"))
    return amount


def _parse_steps(value, context) -> list[str]:
    return split_steps(_parse_long_text(value, context))


def _parse_units(value, context: "_Context") -> tuple[list[Unit], bool]:
    """Unit names, one per line or separated by commas; "ทุกกอง/สำนัก" sets the all-units flag."""
    units: list[Unit] = []
    all_units = False
    unknown: list[str] = []

    def take(name: str) -> bool:
        nonlocal all_units
        key = _name_key(name)
        if key in context.all_units_words:
            all_units = True
        elif key in context.units:
            units.append(context.units[key])
        else:
            return False
        return True

    for line in _parse_long_text(value, context).split("\n"):
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


def _parse_indicators(value, context: "_Context") -> list[Indicator]:
    text = thai.to_arabic_digits(_parse_long_text(value, context))
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


def _parse_items(value, context: "_Context") -> list:
    try:
        return parse_item_codes(_parse_long_text(value, context), context.document.basis_framework)
    except forms.ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from exc


# --- Writing cell values (export) ----------------------------------------------------------


def _date_text(value: date | None) -> str:
    return thai.format_date_numeric(value)


def _flag_text(value: bool) -> str:
    return str(YES) if value else ""


def _steps_text(measure: Measure) -> str:
    # Numbered as in the printed table; the import drops the numbers again (split_steps).
    return "\n".join(f"{n}. {step.text}" for n, step in enumerate(measure.steps.all(), start=1))


# --- The column set ------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetColumn:
    """One column of the measures spreadsheet: its header, how to fill it, export and import."""

    key: str
    header: str
    help: str
    export: Callable[[Measure], object]
    parse: Callable[[object, "_Context"], object]
    required: bool = False


THEME_NUMBER_HEADER = gettext_lazy("ลำดับด้าน")

MEASURE_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn(
        "theme_number", THEME_NUMBER_HEADER,
        gettext_lazy("เลขของด้าน เช่น 1 หรือ ๑ เว้นว่างถ้าไม่จัดกลุ่มมาตรการเป็นด้าน"),
        lambda m: m.theme.number if m.theme_id else None, _parse_number,
    ),
    SheetColumn(
        "theme_title", gettext_lazy("ชื่อด้าน"),
        gettext_lazy("เช่น ด้านการเปิดเผยข้อมูล ด้านที่มีอยู่แล้วในเอกสารหรือกรอกชื่อไว้ในแถวอื่นแล้วเว้นว่างได้"),
        lambda m: m.theme.title if m.theme_id else "", _parse_text(300),
    ),
    SheetColumn(
        "number", gettext_lazy("ลำดับมาตรการ"),
        gettext_lazy("ลำดับของมาตรการในด้าน เช่น 2 สำหรับมาตรการ 1.2 ห้ามซ้ำกับมาตรการที่มีอยู่แล้ว"),
        lambda m: m.number, _parse_number, required=True,
    ),
    SheetColumn(
        "title", gettext_lazy("มาตรการ/แนวทาง"), gettext_lazy("ชื่อมาตรการ โครงการ หรือกิจกรรม"),
        lambda m: m.title, _parse_text(2000), required=True,
    ),
    SheetColumn(
        "issue", gettext_lazy("ประเด็นที่ต้องปรับปรุงแก้ไข/พัฒนา"), gettext_lazy("ประเด็นจากผลการวิเคราะห์ที่มาตรการนี้แก้ไข"),
        lambda m: m.issue, _parse_long_text,
    ),
    SheetColumn(
        "indicators", gettext_lazy("ตัวชี้วัด"), gettext_lazy("เลขตัวชี้วัด ITA คั่นด้วยจุลภาค เช่น 1, 9"),
        lambda m: ", ".join(str(i.number) for i in sorted(m.indicators.all(), key=lambda i: i.number)),
        _parse_indicators,
    ),
    SheetColumn(
        "items", gettext_lazy("ข้อคำถาม"), gettext_lazy("รหัสข้อคำถามคั่นด้วยจุลภาค เช่น I13, E5, O35"),
        lambda m: ", ".join(i.code for i in m.items.all()), _parse_items,
    ),
    SheetColumn(
        "steps", gettext_lazy("ขั้นตอน/วิธีการปฏิบัติ"),
        gettext_lazy("บรรทัดละหนึ่งขั้นตอน (ใน Excel กด Alt+Enter เพื่อขึ้นบรรทัดใหม่ในช่องเดียวกัน)"),
        _steps_text, _parse_steps,
    ),
    SheetColumn(
        "units", gettext_lazy("หน่วยงานผู้รับผิดชอบ"),
        gettext_lazy("ชื่อกอง/สำนัก/งานตามที่ตั้งไว้ในระบบ หลายหน่วยให้ขึ้นบรรทัดใหม่หรือคั่นด้วยจุลภาค"),
        lambda m: "\n".join(u.name for u in m.units.all()), _parse_units,
    ),
    SheetColumn(
        "all_units", gettext_lazy("ทุกกอง/สำนัก"), gettext_lazy("ใส่ “ใช่” ถ้าทุกกอง/สำนักรับผิดชอบร่วมกัน"),
        lambda m: _flag_text(m.all_units), _parse_flag,
    ),
    SheetColumn(
        "owner", gettext_lazy("ผู้รับผิดชอบ (บุคคล/ตำแหน่ง)"), gettext_lazy("เช่น นิติกร หรือ ปลัดเทศบาล"),
        lambda m: m.owner, _parse_text(300),
    ),
    SheetColumn(
        "period_start", gettext_lazy("ระยะเวลา: เริ่ม"),
        gettext_lazy("วันที่ พ.ศ. เช่น 01/10/2566 หรือเดือน เช่น ต.ค. 2566 (นับจากวันแรกของเดือน)"),
        lambda m: _date_text(m.period_start), _parse_date(end_of_month=False),
    ),
    SheetColumn(
        "period_end", gettext_lazy("ระยะเวลา: สิ้นสุด"),
        gettext_lazy("วันที่ พ.ศ. เช่น 30/09/2567 หรือเดือน เช่น ก.ย. 2567 (นับถึงวันสุดท้ายของเดือน)"),
        lambda m: _date_text(m.period_end), _parse_date(end_of_month=True),
    ),
    SheetColumn(
        "whole_year", gettext_lazy("ตลอดปีงบประมาณ"), gettext_lazy("ใส่ “ใช่” ถ้าดำเนินการตลอดปีงบประมาณ"),
        lambda m: _flag_text(m.whole_year), _parse_flag,
    ),
    SheetColumn(
        "monitoring", gettext_lazy("การติดตามและรายงานผล"), gettext_lazy("วิธีกำกับติดตามและรายงานผล"),
        lambda m: m.monitoring, _parse_long_text,
    ),
    SheetColumn(
        "target", gettext_lazy("เป้าหมาย/ตัวชี้วัดความสำเร็จ"), gettext_lazy("เป้าหมายที่วัดได้"),
        lambda m: m.target, _parse_long_text,
    ),
    SheetColumn(
        "budget", gettext_lazy("งบประมาณ (บาท)"), gettext_lazy("ตัวเลข เช่น 15000 หรือ ๑๕,๐๐๐ เว้นว่างถ้าไม่ใช้งบประมาณ"),
        lambda m: m.budget, _parse_budget,
    ),
    SheetColumn(
        "deadline", gettext_lazy("กำหนดแล้วเสร็จ"), gettext_lazy("วันที่ พ.ศ. เช่น 31/03/2567"),
        lambda m: _date_text(m.deadline), _parse_date(end_of_month=True),
    ),
)
COLUMNS_BY_KEY = {column.key: column for column in MEASURE_COLUMNS}


# --- Export (django-tables2) ---------------------------------------------------------------


class _ValueColumn(tables.Column):
    """A column whose export value comes from a function of the row's record."""

    def __init__(self, header, get: Callable):
        super().__init__(verbose_name=header, accessor="pk", empty_values=(), orderable=False)
        self.get = get

    def value(self, record, **kwargs):
        return self.get(record)

    def render(self, record, **kwargs):
        return self.get(record)


def _table_class(name: str, columns: Iterable[tuple[str, str, Callable]]) -> type[tables.Table]:
    return type(name, (tables.Table,), {key: _ValueColumn(header, get) for key, header, get in columns})


MeasureExportTable = _table_class(
    "MeasureExportTable", [(c.key, c.header, c.export) for c in MEASURE_COLUMNS]
)


def _for_measure(key: str) -> Callable[[ProgressEntry], object]:
    export = COLUMNS_BY_KEY[key].export
    return lambda entry: export(entry.measure)


def _evidence_text(entry: ProgressEntry) -> str:
    lines = []
    for evidence in entry.evidence.all():
        where = evidence.url or evidence.filename
        lines.append(f"{evidence.title} — {where}" if where and where != evidence.title else evidence.title)
    return "\n".join(lines)


EntryExportTable = _table_class("EntryExportTable", [
    *((key, COLUMNS_BY_KEY[key].header, _for_measure(key)) for key in ("theme_number", "theme_title", "number", "title")),
    ("units", gettext_lazy("หน่วยงานผู้รับผิดชอบ"), lambda e: units_text(e.measure)),
    ("period", gettext_lazy("ระยะเวลาดำเนินการ"), lambda e: period_text(e.measure).replace("\u00a0", " ")),
    ("status", gettext_lazy("สถานะ"), lambda e: str(e.get_status_display())),
    ("percent", gettext_lazy("ความก้าวหน้า (ร้อยละ)"), lambda e: e.percent),
    ("summary", gettext_lazy("สรุปผลการดำเนินงาน"), lambda e: e.summary),
    ("outcome", gettext_lazy("ผลลัพธ์/ความสำเร็จ"), lambda e: e.outcome),
    ("problems", gettext_lazy("ปัญหาอุปสรรค"), lambda e: e.problems),
    ("suggestions", gettext_lazy("ข้อเสนอแนะ"), lambda e: e.suggestions),
    ("completed_on", gettext_lazy("วันที่แล้วเสร็จ"), lambda e: _date_text(e.completed_on)),
    ("evidence", gettext_lazy("หลักฐาน"), _evidence_text),
])


class SpreadsheetExport(TableExport):
    """django-tables2's export, written the way Thai offices open it.

    CSV is UTF-8 with a byte-order mark (without it Excel reads Thai as mojibake), and a text
    that Excel would run as a formula is prefixed with an apostrophe. XLSX has a bold frozen
    header, wrapped cells and columns wide enough for Thai; a text starting with "=" stays text.
    """

    def export(self):
        rows = [list(self.dataset.headers or []), *(list(row) for row in self.dataset)]
        if self.format == self.CSV:
            return csv_text(rows)
        return xlsx_bytes([(self.dataset.title, rows)])


def export_response(table: tables.Table, fmt: str, *, sheet_title: str, filename: str):
    exporter = SpreadsheetExport(fmt, table, dataset_kwargs={"title": sheet_title})
    response = exporter.response(filename=f"{filename}.{fmt}")
    response["Cache-Control"] = "private, no-store"
    return response


def csv_text(rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else _guard_formula(v) if isinstance(v, str) else str(v) for v in row])
    return "\ufeff" + buffer.getvalue()


_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def _display_width(value) -> int:
    """Width of the longest line in characters, not counting Thai vowel and tone marks."""
    if value is None:
        return 0
    lines = str(value).split("\n")
    return max(sum(1 for ch in line if unicodedata.category(ch) != "Mn") for line in lines)


def xlsx_bytes(sheets: Iterable[tuple[str, list[list]]]) -> bytes:
    """A workbook with one sheet per (title, rows); the first row of each is its header."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=re.sub(r"[\\*?:/\[\]]", "-", str(title))[:31])
        widths: dict[int, int] = {}
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell = sheet.cell(row=r, column=c, value=value)
                if cell.data_type == "f":
                    cell.data_type = "s"  # user text, never a formula
                cell.alignment = _WRAP_TOP
                if r == 1:
                    cell.font, cell.fill = _BOLD, _HEADER_FILL
                widths[c] = max(widths.get(c, 0), _display_width(value))
        for c, width in widths.items():
            sheet.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 10), 60)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def document_export_response(document: MeasuresDocument, fmt: str, measures):
    table = MeasureExportTable(measures)
    return export_response(
        table, fmt,
        sheet_title=_("มาตรการ %(year)s") % {"year": document.fiscal_year},
        filename=f"ita-measures-{document.organisation.slug}-{document.fiscal_year}",
    )


def report_export_response(report: ProgressReport, fmt: str, entries):
    document = report.document
    table = EntryExportTable(entries)
    return export_response(
        table, fmt,
        sheet_title=_("ผลการดำเนินการ รอบ %(months)s เดือน") % {"months": report.round},
        filename=f"ita-progress-{document.organisation.slug}-{document.fiscal_year}-{report.round}m",
    )


# --- The template --------------------------------------------------------------------------


def _example_row(document: MeasuresDocument) -> list:
    framework = document.basis_framework
    indicator = framework.indicators.filter(name__contains="เปิดเผยข้อมูล").first() if framework else None
    item = indicator.items.order_by("order").first() if indicator else None
    unit_names = list(document.organisation.units.order_by("order", "name").values_list("name", flat=True)[:2])
    year = document.fiscal_year
    example = {
        "theme_number": 1,
        "theme_title": _("ด้านการเปิดเผยข้อมูล"),
        "number": 1,
        "title": _("เผยแพร่ข้อมูลการจัดซื้อจัดจ้างและผลการดำเนินงานบนเว็บไซต์ของหน่วยงานทุกเดือน"),
        "issue": _("ข้อมูลบนเว็บไซต์ไม่เป็นปัจจุบัน"),
        "indicators": str(indicator.number) if indicator else "",
        "items": item.code if item else "",
        "steps": _("1. แต่งตั้งผู้รับผิดชอบการเผยแพร่ข้อมูล\n2. รวบรวมข้อมูลจากทุกกอง/สำนักทุกสิ้นเดือน\n"
                   "3. เผยแพร่บนเว็บไซต์และรายงานผู้บริหาร"),
        "units": "\n".join(unit_names),
        "all_units": "",
        "owner": _("นักวิเคราะห์นโยบายและแผน"),
        "period_start": f"{thai.MONTHS_SHORT[10]} {year - 1}",
        "period_end": f"{thai.MONTHS_SHORT[9]} {year}",
        "whole_year": "",
        "monitoring": _("รายงานผลต่อผู้บริหารทุก 6 เดือน"),
        "target": _("เผยแพร่ข้อมูลครบทุกเดือน"),
        "budget": None,
        "deadline": "",
    }
    return [example[column.key] for column in MEASURE_COLUMNS]


def unit_names(document: MeasuresDocument) -> list[str]:
    return list(document.organisation.units.order_by("order", "name").values_list("name", flat=True))


def template_bytes(document: MeasuresDocument) -> bytes:
    """The import template: headers and one example row, how to fill each column, the unit names."""
    headers = [str(c.header) for c in MEASURE_COLUMNS]
    notes = [
        [_("คอลัมน์"), _("จำเป็น"), _("วิธีกรอก")],
        *([str(c.header), _("จำเป็น") if c.required else "", str(c.help)] for c in MEASURE_COLUMNS),
        [],
        [_("หมายเหตุ"), "", _("แถวแรกของแผ่นงาน ‘มาตรการ’ คือชื่อคอลัมน์ ห้ามแก้ไขหรือลบ")],
        ["", "", _("หนึ่งแถวต่อหนึ่งมาตรการ แถวที่ 2 เป็นตัวอย่าง ให้แก้ไขหรือลบก่อนนำเข้า")],
        ["", "", _("วันที่และปีเป็นพุทธศักราช ตัวเลขไทยหรืออารบิกก็ได้")],
        ["", "", _("การนำเข้าจะเพิ่มมาตรการต่อจากที่มีอยู่ในเอกสาร ถ้ามีข้อผิดพลาดแม้แถวเดียว จะไม่นำเข้าข้อมูลใดเลย")],
    ]
    return xlsx_bytes([
        (_("มาตรการ"), [headers, _example_row(document)]),
        (_("คำอธิบาย"), notes),
        (_("ส่วนราชการ"), [[_("ชื่อส่วนราชการที่ใช้ได้")], *([name] for name in unit_names(document))]),
    ])


# --- Reading a file ------------------------------------------------------------------------


@dataclass
class _Sheet:
    header: list
    rows: list[tuple[int, list]]  # (row number as the spreadsheet shows it, cells); blank rows left out


def check_upload(upload) -> None:
    """The checks a file passes before it is opened: type by name, not empty, not too big."""
    extension = Path(upload.name or "").suffix.lower().lstrip(".")
    if extension not in IMPORT_EXTENSIONS:
        raise ImportRefused([_("รับเฉพาะไฟล์ Excel (.xlsx) หรือ CSV (.csv) ถ้าเป็นไฟล์ .xls ให้บันทึกเป็น .xlsx ก่อน")])
    if not upload.size:
        raise ImportRefused([_("ไฟล์ว่างเปล่า")])
    if upload.size > IMPORT_MAX_BYTES:
        raise ImportRefused([_("ไฟล์ใหญ่เกินไป ขนาดไม่เกิน %(size)s") % {"size": filesizeformat(IMPORT_MAX_BYTES)}])


def read_upload(upload) -> _Sheet:
    check_upload(upload)
    upload.seek(0)
    content = upload.read(IMPORT_MAX_BYTES + 1)
    is_zip = content.startswith(b"PK\x03\x04")
    if upload.name.lower().endswith(".xlsx"):
        if not is_zip:
            raise ImportRefused([_("ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) ที่ถูกต้อง")])
        sheet = _read_xlsx(content)
    else:
        if is_zip:
            raise ImportRefused([_("ไฟล์นี้เป็นไฟล์ Excel แต่ใช้นามสกุล .csv กรุณาเปลี่ยนนามสกุลเป็น .xlsx")])
        sheet = _read_csv(content)
    if not sheet.rows:
        raise ImportRefused([_("ไม่มีมาตรการในไฟล์ (มีแต่แถวชื่อคอลัมน์หรือไฟล์ว่าง)")])
    if len(sheet.rows) > IMPORT_MAX_ROWS:
        raise ImportRefused([_("ไฟล์มีมาตรการเกิน %(max)s แถว") % {"max": IMPORT_MAX_ROWS}])
    return sheet


def _collect(rows: Iterable[Iterable]) -> _Sheet:
    header: list | None = None
    data: list[tuple[int, list]] = []
    for number, row in enumerate(rows, start=1):
        if number > _MAX_SCANNED_ROWS or len(data) > IMPORT_MAX_ROWS:
            break
        cells = list(row)[:_MAX_COLUMNS]
        if header is None:
            header = cells
        elif any(not _is_blank(v) for v in cells):
            data.append((number, cells))
    return _Sheet(header=header or [], rows=data)


def _read_xlsx(content: bytes) -> _Sheet:
    unreadable = ImportRefused([_("เปิดไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหาย กรุณาบันทึกเป็น .xlsx จาก Excel อีกครั้ง")])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > _MAX_UNZIPPED_BYTES:
                raise ImportRefused([_("ไฟล์ใหญ่เกินไปเมื่อแตกไฟล์ กรุณาลบแผ่นงานหรือรูปภาพที่ไม่ใช้ออก")])
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except ImportRefused:
        raise
    except Exception as exc:  # an uploaded file can break the reader in many ways; all mean the same
        raise unreadable from exc
    try:
        sheet = _pick_sheet(workbook.worksheets)
        if sheet is None:
            raise unreadable
        return _collect(sheet.iter_rows(values_only=True, max_col=_MAX_COLUMNS))
    except ImportRefused:
        raise
    except Exception as exc:
        raise unreadable from exc
    finally:
        workbook.close()


def _pick_sheet(worksheets):
    """The first sheet whose first row names the measure column (users save on another tab)."""
    title = _header_key(COLUMNS_BY_KEY["title"].header)
    for sheet in worksheets:
        first = next(sheet.iter_rows(max_row=1, max_col=_MAX_COLUMNS, values_only=True), ())
        if title in {_header_key(v) for v in first}:
            return sheet
    return worksheets[0] if worksheets else None


def _read_csv(content: bytes) -> _Sheet:
    # UTF-16 is Excel's "Unicode text"; cp874 is its plain "CSV" on a Thai Windows.
    utf16 = content.startswith((b"\xff\xfe", b"\xfe\xff"))
    encodings = ("utf-16",) if utf16 else ("utf-8-sig", "cp874")
    for encoding in encodings:
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused([_("อ่านไฟล์ CSV ไม่ได้ กรุณาบันทึกเป็น CSV UTF-8 หรือใช้ไฟล์ .xlsx")])
    if "\x00" in text:
        raise ImportRefused([_("ไฟล์นี้ไม่ใช่ไฟล์ CSV ที่ถูกต้อง")])
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return _collect(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportRefused([_("อ่านไฟล์ CSV ไม่ได้ กรุณาบันทึกเป็น CSV UTF-8 หรือใช้ไฟล์ .xlsx")]) from exc


def _header_key(value) -> str:
    return _BLANK_RUN.sub(" ", _text(value).replace("\n", " ").replace("*", "")).strip().casefold()


def _column_positions(header: list) -> dict[str, int]:
    keys = [_header_key(v) for v in header]
    problems = []
    positions: dict[str, int] = {}
    for column in MEASURE_COLUMNS:
        key = _header_key(column.header)
        found = [i for i, k in enumerate(keys) if k == key]
        if len(found) > 1:
            problems.append(_("คอลัมน์ ‘%(column)s’ ซ้ำกัน %(n)s คอลัมน์") % {"column": column.header, "n": len(found)})
        elif found:
            positions[column.key] = found[0]
    missing = [f"‘{c.header}’" for c in MEASURE_COLUMNS if _header_key(c.header) not in keys]
    if missing:
        problems.insert(0, _(
            "แถวแรกของไฟล์ต้องเป็นชื่อคอลัมน์ตามแม่แบบ ไม่พบคอลัมน์ %(columns)s "
            "กรุณาดาวน์โหลดแม่แบบจากหน้านี้แล้วกรอกข้อมูลใหม่"
        ) % {"columns": ", ".join(missing)})
    if problems:
        raise ImportRefused(problems)
    return positions


# --- Checking and writing ------------------------------------------------------------------


@dataclass
class _Context:
    """What the rows are checked against: the document's units, framework, themes and numbers."""

    document: MeasuresDocument
    units: dict[str, Unit]
    indicators: dict[int, Indicator]
    themes: dict[int, Theme]
    taken: set[tuple[int | None, int]]
    all_units_words: frozenset[str] = frozenset({_name_key("ทุกกอง/สำนัก"), _name_key("ทุกกอง"), _name_key("ทุกส่วนราชการ")})

    @classmethod
    def for_document(cls, document: MeasuresDocument) -> "_Context":
        framework = document.basis_framework
        return cls(
            document=document,
            units={_name_key(u.name): u for u in document.organisation.units.all()},
            indicators={i.number: i for i in framework.indicators.all()} if framework else {},
            themes={t.number: t for t in document.themes.all()},
            taken=set(document.measures.values_list("theme__number", "number")),
        )


@dataclass
class _Row:
    row: int
    theme_number: int | None
    theme_title: str
    fields: dict = field(default_factory=dict)


def _display(theme_number: int | None, number: int) -> str:
    return f"{theme_number}.{number}" if theme_number else str(number)


def _check_row(row: int, cells: dict[str, object], context: _Context) -> tuple[_Row | None, list[ImportProblem]]:
    values: dict[str, object] = {}
    problems: list[ImportProblem] = []

    def problem(key: str, message: str) -> None:
        problems.append(ImportProblem(message, row=row, column=str(COLUMNS_BY_KEY[key].header)))

    for column in MEASURE_COLUMNS:
        try:
            values[column.key] = column.parse(cells.get(column.key), context)
        except CellError as error:
            problem(column.key, error.message)
    if "title" in values and not values["title"]:
        problem("title", _("กรุณากรอกชื่อมาตรการ"))
    if "number" in values and values["number"] is None:
        problem("number", _("กรุณากรอกลำดับมาตรการ"))
    if values.get("theme_title") and "theme_number" in values and values["theme_number"] is None:
        problem("theme_number", _("กรุณากรอกลำดับด้านของ “%(title)s”") % {"title": values["theme_title"]})
    units, all_units = values.get("units", ([], False))
    all_units = all_units or values.get("all_units", False)
    if "units" in values and "all_units" in values and not units and not all_units:
        problem("units", _("กรุณาระบุหน่วยงานผู้รับผิดชอบอย่างน้อยหนึ่งหน่วย หรือใส่ “ใช่” ในคอลัมน์ ‘%(column)s’")
                % {"column": COLUMNS_BY_KEY["all_units"].header})
    start, end = values.get("period_start"), values.get("period_end")
    if start and end and end < start:
        problem("period_end", _("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"))
    if problems:
        return None, problems
    fields = {
        key: values[key]
        for key in ("number", "title", "issue", "steps", "indicators", "items", "owner", "period_start",
                    "period_end", "whole_year", "monitoring", "target", "budget", "deadline")
    }
    fields |= {"units": units, "all_units": all_units}
    return _Row(row=row, theme_number=values["theme_number"], theme_title=values["theme_title"], fields=fields), []


def _check_rows(sheet: _Sheet, context: _Context) -> tuple[list[_Row], dict[int, str], list[ImportProblem]]:
    """Every row, then what only the rows together can tell: duplicates and theme names."""
    positions = _column_positions(sheet.header)
    rows: list[_Row] = []
    problems: list[ImportProblem] = []
    for number, cells in sheet.rows:
        values = {key: cells[i] if i < len(cells) else None for key, i in positions.items()}
        row, row_problems = _check_row(number, values, context)
        problems += row_problems
        if row is not None:
            rows.append(row)

    header = {key: str(COLUMNS_BY_KEY[key].header) for key in ("theme_number", "theme_title", "number")}
    named: dict[int, tuple[str, int]] = {}  # theme number → (title, first row naming it)
    for row in rows:
        if row.theme_number is None or not row.theme_title:
            continue
        existing = context.themes.get(row.theme_number)
        if existing is not None and _name_key(existing.title) != _name_key(row.theme_title):
            problems.append(ImportProblem(
                _("ด้านที่ %(n)s ในเอกสารนี้ชื่อ “%(title)s” ไม่ตรงกับชื่อในไฟล์")
                % {"n": row.theme_number, "title": existing.title},
                row=row.row, column=header["theme_title"],
            ))
        elif row.theme_number in named and _name_key(named[row.theme_number][0]) != _name_key(row.theme_title):
            title, first = named[row.theme_number]
            problems.append(ImportProblem(
                _("ชื่อด้านที่ %(n)s ไม่ตรงกับแถวที่ %(first)s (“%(title)s”)")
                % {"n": row.theme_number, "first": first, "title": title},
                row=row.row, column=header["theme_title"],
            ))
        else:
            named.setdefault(row.theme_number, (row.theme_title, row.row))
    reported: set[int] = set()
    seen: dict[tuple[int | None, int], int] = {}
    for row in rows:
        theme = row.theme_number
        if theme is not None and theme not in context.themes and theme not in named and theme not in reported:
            reported.add(theme)
            problems.append(ImportProblem(
                _("ด้านที่ %(n)s ยังไม่มีในเอกสาร กรุณากรอกชื่อด้านอย่างน้อยในหนึ่งแถว") % {"n": theme},
                row=row.row, column=header["theme_title"],
            ))
        key = (theme, row.fields["number"])
        shown = _display(*key)
        if key in context.taken:
            problems.append(ImportProblem(
                _("เอกสารนี้มีมาตรการลำดับ %(n)s อยู่แล้ว (การนำเข้าเพิ่มมาตรการต่อจากที่มีอยู่ ไม่แทนที่)") % {"n": shown},
                row=row.row, column=header["number"],
            ))
        elif key in seen:
            problems.append(ImportProblem(
                _("มาตรการลำดับ %(n)s ซ้ำกับแถวที่ %(first)s") % {"n": shown, "first": seen[key]},
                row=row.row, column=header["number"],
            ))
        else:
            seen[key] = row.row
    order = {str(c.header): i for i, c in enumerate(MEASURE_COLUMNS)}
    problems.sort(key=lambda p: (p.row or 0, order.get(p.column or "", -1)))
    new_themes = {n: title for n, (title, _row) in named.items() if n not in context.themes}
    return rows, new_themes, problems


@dataclass(frozen=True)
class ImportResult:
    measures: int
    themes: int


def import_measures(*, document: MeasuresDocument, by, upload) -> ImportResult:
    """Read the file, check every row, then create its themes and measures: all or nothing.

    Raises ImportRefused (with every problem) or ServiceError (the document is not a draft).
    """
    sheet = read_upload(upload)
    with transaction.atomic():
        # The same refusal, and the same row lock, as every write into a document: the numbers
        # checked below cannot change before the measures are written.
        services._require_draft(document)
        context = _Context.for_document(document)
        rows, new_themes, problems = _check_rows(sheet, context)
        if problems:
            raise ImportRefused(problems)
        themes = dict(context.themes)
        for number in sorted(new_themes):
            themes[number] = services.theme_save(document=document, by=by, number=number, title=new_themes[number])
        for row in rows:
            theme = themes.get(row.theme_number) if row.theme_number is not None else None
            services.measure_create(document=document, by=by, data=MeasureData(theme=theme, **row.fields))
    return ImportResult(measures=len(rows), themes=len(new_themes))
