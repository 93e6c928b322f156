"""Reading a spreadsheet and importing its measures: every row checked first, then all rows or none."""

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .. import services, texts
from ..models import Indicator, MeasuresDocument, Theme, Unit
from ..parsing import period_precision, plain_date
from ..services import MeasureData
from .cells import BLANK_RUN, CellError, ImportProblem, ImportRefused, cell_text, is_blank, name_key
from .columns import COLUMNS_BY_KEY, MEASURE_COLUMNS

IMPORT_EXTENSIONS = ("xlsx", "csv")
IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 500  # a document has about 20 measures; more is a wrong file
_MAX_SCANNED_ROWS = 5000  # blank rows included: stop reading a sheet whose size is absurd
_MAX_COLUMNS = 60
_MAX_UNZIPPED_BYTES = 20 * 1024 * 1024  # an .xlsx is a zip: refuse a small file that unpacks huge
# A workbook of IMPORT_MAX_ROWS rows of _MAX_COLUMNS texts has at most 30,000 different texts;
# openpyxl reads every shared string before the first row (a 90 KB file can hold millions).
_MAX_SHARED_STRINGS = 50_000
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")


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
        elif any(not is_blank(v) for v in cells):
            data.append((number, cells))
    return _Sheet(header=header or [], rows=data)


def _read_xlsx(content: bytes) -> _Sheet:
    unreadable = ImportRefused([_("เปิดไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหาย กรุณาบันทึกเป็น .xlsx จาก Excel อีกครั้ง")])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > _MAX_UNZIPPED_BYTES:
                raise ImportRefused([_("ไฟล์ใหญ่เกินไปเมื่อแตกไฟล์ กรุณาลบแผ่นงานหรือรูปภาพที่ไม่ใช้ออก")])
            check_shared_strings(archive)
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


def check_shared_strings(archive: zipfile.ZipFile) -> None:
    """Count the workbook's shared texts in a streaming pass, before openpyxl reads them all."""
    names = [name for name in archive.namelist() if name.lower().endswith("sharedstrings.xml")]
    count = 0
    for name in names:
        with archive.open(name) as stream:
            # A tag cut in two by a chunk's end is missed: at most one a megabyte, nothing for a bound.
            while chunk := stream.read(1 << 20):
                count += len(_SHARED_STRING.findall(chunk))
                if count > _MAX_SHARED_STRINGS:
                    raise ImportRefused(
                        [
                            _("ไฟล์มีข้อความมากเกินกว่าที่ไฟล์นำเข้าจะมีได้ (เกิน %(max)s ข้อความ) กรุณาใช้แม่แบบของระบบ")
                            % {"max": f"{_MAX_SHARED_STRINGS:,}"}
                        ]
                    )


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
    return BLANK_RUN.sub(" ", cell_text(value).replace("\n", " ").replace("*", "")).strip().casefold()


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
        problems.insert(
            0,
            _("แถวแรกของไฟล์ต้องเป็นชื่อคอลัมน์ตามแม่แบบ ไม่พบคอลัมน์ %(columns)s กรุณาดาวน์โหลดแม่แบบจากหน้านี้แล้วกรอกข้อมูลใหม่")
            % {"columns": ", ".join(missing)},
        )
    if problems:
        raise ImportRefused(problems)
    return positions


# --- Checking and writing ------------------------------------------------------------------


@dataclass
class Context:
    """What the rows are checked against: the document's units, framework, themes and numbers."""

    document: MeasuresDocument
    units: dict[str, Unit]
    indicators: dict[int, Indicator]
    themes: dict[int, Theme]
    taken: set[tuple[int | None, int]]
    all_units_words: frozenset[str] = frozenset({name_key(texts.ALL_UNITS), name_key("ทุกกอง"), name_key("ทุกส่วนราชการ")})

    @classmethod
    def for_document(cls, document: MeasuresDocument) -> "Context":
        framework = document.basis_framework
        # The organisation's own wording of "every unit" (Organisation.all_units_text) reads as it too.
        wording = document.organisation.all_units_text
        return cls(
            document=document,
            all_units_words=cls.all_units_words | ({name_key(wording)} if wording else set()),
            units={name_key(u.name): u for u in document.organisation.units.all()},
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


def _check_row(row: int, cells: dict[str, object], context: Context) -> tuple[_Row | None, list[ImportProblem]]:
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
    number, number_text = values.get("number") or (None, "")
    if values.get("theme_title") and "theme_number" in values and values["theme_number"] is None:
        problem("theme_number", _("กรุณากรอกลำดับด้านของ “%(title)s”") % {"title": values["theme_title"]})
    units, all_units = values.get("units", ([], False))
    all_units = all_units or values.get("all_units", False)
    if "units" in values and "all_units" in values and not units and not all_units:
        problem(
            "units",
            _("กรุณาระบุหน่วยงานผู้รับผิดชอบอย่างน้อยหนึ่งหน่วย หรือใส่ “ใช่” ในคอลัมน์ ‘%(column)s’")
            % {"column": COLUMNS_BY_KEY["all_units"].header},
        )
    start, end = values.get("period_start"), values.get("period_end")
    if start and end and end < start:
        problem("period_end", _("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"))
    if problems:
        return None, problems
    fields = {
        key: values[key]
        for key in (
            "title",
            "issue",
            "steps",
            "indicators",
            "items",
            "owner",
            "whole_year",
            "monitoring",
            "target",
            "budget",
            "deadline",
        )
    }
    fields |= {"units": units, "all_units": all_units, "number": number, "number_text": number_text}
    # Stored as plain dates, printed as precisely as they were typed (months, or days).
    fields |= {
        "period_start": plain_date(start),
        "period_end": plain_date(end),
        "deadline": plain_date(fields["deadline"]),
    }
    fields["period_precision"] = period_precision(start, end)
    return _Row(row=row, theme_number=values["theme_number"], theme_title=values["theme_title"], fields=fields), []


def _check_rows(sheet: _Sheet, context: Context) -> tuple[list[_Row], dict[int, str], list[ImportProblem]]:
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
        if existing is not None and name_key(existing.title) != name_key(row.theme_title):
            problems.append(
                ImportProblem(
                    _("ด้านที่ %(n)s ในเอกสารนี้ชื่อ “%(title)s” ไม่ตรงกับชื่อในไฟล์")
                    % {"n": row.theme_number, "title": existing.title},
                    row=row.row,
                    column=header["theme_title"],
                )
            )
        elif row.theme_number in named and name_key(named[row.theme_number][0]) != name_key(row.theme_title):
            title, first = named[row.theme_number]
            problems.append(
                ImportProblem(
                    _("ชื่อด้านที่ %(n)s ไม่ตรงกับแถวที่ %(first)s (“%(title)s”)")
                    % {"n": row.theme_number, "first": first, "title": title},
                    row=row.row,
                    column=header["theme_title"],
                )
            )
        else:
            named.setdefault(row.theme_number, (row.theme_title, row.row))
    reported: set[int] = set()
    seen: dict[tuple[int | None, int], int] = {}
    for row in rows:
        theme = row.theme_number
        if theme is not None and theme not in context.themes and theme not in named and theme not in reported:
            reported.add(theme)
            problems.append(
                ImportProblem(
                    _("ด้านที่ %(n)s ยังไม่มีในเอกสาร กรุณากรอกชื่อด้านอย่างน้อยในหนึ่งแถว") % {"n": theme},
                    row=row.row,
                    column=header["theme_title"],
                )
            )
        key = (theme, row.fields["number"])
        shown = _display(*key)
        if key in context.taken:
            problems.append(
                ImportProblem(
                    _("เอกสารนี้มีมาตรการลำดับ %(n)s อยู่แล้ว (การนำเข้าเพิ่มมาตรการต่อจากที่มีอยู่ ไม่แทนที่)") % {"n": shown},
                    row=row.row,
                    column=header["number"],
                )
            )
        elif key in seen:
            problems.append(
                ImportProblem(
                    _("มาตรการลำดับ %(n)s ซ้ำกับแถวที่ %(first)s") % {"n": shown, "first": seen[key]},
                    row=row.row,
                    column=header["number"],
                )
            )
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
        services.require_draft(document)
        context = Context.for_document(document)
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
