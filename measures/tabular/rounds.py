"""The workbook of a progress round that a unit fills in and sends back, and its import.

``round_workbook``: one row per entry (one unit's measures, or all) in print order; number, title
and units grey and locked, the result to fill in, the completion date a real date cell shown in
the Buddhist Era, and a hidden reference naming the round and the measure. ``read_round_import``
checks every row (any problem, by row and column in Thai, refuses the file) and previews what
would change; ``apply_round_import`` writes the ``PendingImport`` in one transaction, or nothing
if an entry changed since the preview.
"""

import io
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from .. import services, texts, thai
from ..models import Measure, ProgressEntry, ProgressReport, Unit
from ..services import ENTRY_FIELDS, ServiceError
from .cells import BLANK_RUN, CellError, ImportProblem, ImportRefused, cell_text, is_blank, parse_long_text
from .columns import COLUMNS_BY_KEY
from .export import BE_DATE_FORMAT, HEADER_FILL, HEADER_FONT, WRAP_TOP
from .imports import read_upload

Status = ProgressEntry.Status
PENDING_MAX_CHARS = 200_000  # the texts a preview keeps in the session (JSON: up to 6 bytes a Thai letter)
STALE = gettext_lazy(
    "ผลการดำเนินการของมาตรการ %(numbers)s ถูกแก้ไขหลังจากที่ตรวจไฟล์ (หรือมาตรการถูกลบ) จึงยังไม่ได้นำเข้าข้อมูลใดเลย "
    "กรุณานำเข้าไฟล์อีกครั้งเพื่อตรวจสิ่งที่จะเปลี่ยนใหม่"
)
NOT_A_ROUND_FILE = gettext_lazy(
    "ไฟล์นี้ไม่ใช่แบบรายงานผลของรอบการรายงาน ไม่พบคอลัมน์ %(columns)s "
    "กรุณาส่งออก Excel ของหน่วยงานจากหน้ารอบการรายงานแล้วกรอกผลในไฟล์นั้น"
)
NOT_YOURS = gettext_lazy("มาตรการ %(numbers)s ไม่ใช่มาตรการของหน่วยงานของคุณ จึงยังไม่ได้นำเข้าข้อมูลใดเลย")
_field = ProgressEntry._meta.get_field


@dataclass(frozen=True)
class RoundColumn:
    key: str
    header: str
    width: int
    editable: bool = False


ROUND_COLUMNS: tuple[RoundColumn, ...] = (
    RoundColumn("number", gettext_lazy("ลำดับ"), 9),
    RoundColumn("title", COLUMNS_BY_KEY["title"].header, 48),  # the measures import's sheet finder reads it
    RoundColumn("units", gettext_lazy("หน่วยงานผู้รับผิดชอบ"), 22),
    RoundColumn("status", _field("status").verbose_name, 22, editable=True),
    RoundColumn("percent", _field("percent").verbose_name, 13, editable=True),
    RoundColumn("summary", _field("summary").verbose_name, 40, editable=True),
    RoundColumn("outcome", _field("outcome").verbose_name, 32, editable=True),
    RoundColumn("problems", _field("problems").verbose_name, 28, editable=True),
    RoundColumn("suggestions", _field("suggestions").verbose_name, 28, editable=True),
    RoundColumn("completed_on", _field("completed_on").verbose_name, 15, editable=True),
    RoundColumn("reference", gettext_lazy("รหัสอ้างอิง (ห้ามแก้ไข)"), 14),  # "R<report>-M<measure>"
)
COLUMN = {column.key: column for column in ROUND_COLUMNS}
REQUIRED = ("number", *ENTRY_FIELDS, "reference")
_REFERENCE = re.compile(r"R([0-9]{1,12})-M([0-9]{1,12})")


def printed_number(measure: Measure) -> str:
    """The measure's number as its document prints it: as typed ("2)"), else "1.2"."""
    return measure.number_text or measure.display_number


def round_entries(report: ProgressReport, measures: QuerySet[Measure]) -> QuerySet[ProgressEntry]:
    """The round's entries of these measures, in print order (measures without a theme first)."""
    return (
        report.entries.filter(measure__in=measures)
        .select_related("measure__theme")
        .prefetch_related("measure__units")
        .order_by(F("measure__theme__number").asc(nulls_first=True), "measure__number", "measure__pk")
    )


# --- The export ------------------------------------------------------------------------------

_GREY_FILL = PatternFill("solid", fgColor="E4E4E4")
_GREY_FONT = Font(color="404040")
_GREY_HEADER_FONT = Font(bold=True, color="404040")
_UNLOCKED = Protection(locked=False)


def _values(entry: ProgressEntry, report: ProgressReport) -> dict:
    measure = entry.measure
    wording = report.document.organisation.all_units_text or None
    return {name: getattr(entry, name) for name in ENTRY_FIELDS} | {
        "number": printed_number(measure),
        "title": measure.title,
        "units": texts.units_text(measure, all_units_text=wording),
        "status": str(entry.get_status_display()),
        "reference": f"R{report.pk}-M{measure.pk}",
    }


def _notes(report: ProgressReport, unit: Unit | None) -> list[list]:
    document = report.document
    grey = ", ".join(f"‘{c.header}’" for c in ROUND_COLUMNS if not c.editable)
    return [
        [_("แบบรายงานผลการดำเนินการตามมาตรการ")],
        [_("หน่วยงาน"), document.organisation.name],
        [_("เอกสาร"), document.title],
        [_("รอบการรายงาน"), str(report.get_round_display())],
        [_("ส่วนราชการ"), unit.name if unit else _("ทุกหน่วยงาน")],
        [_("ส่งออกเมื่อ"), thai.format_date_short(timezone.localdate(), thai_digits=False)],
        [],
        [_("วิธีกรอก")],
        [_("1. กรอกผลในคอลัมน์สีขาว แถวละหนึ่งมาตรการ คอลัมน์สีเทา (%(grey)s) ห้ามแก้ไข") % {"grey": grey}],
        [_("2. ‘สถานะ’ เลือกจากรายการ: %(labels)s") % {"labels": ", ".join(str(label) for label in Status.labels)}],
        [_("3. ‘ความก้าวหน้า (ร้อยละ)’ เป็นจำนวนเต็ม 0 ถึง 100 สถานะ ‘ดำเนินการแล้วเสร็จ’ จะบันทึกเป็นร้อยละ 100")],
        [_("4. ‘วันที่แล้วเสร็จ’ เป็นวันที่ พ.ศ. เช่น 01/10/2566 หรือ 1 ต.ค. 2566 กรอกเมื่อดำเนินการแล้วเสร็จเท่านั้น")],
        [_("5. นำเข้าที่หน้ารอบการรายงาน ‘นำเข้าผลจาก Excel’ ระบบจะแสดงสิ่งที่จะเปลี่ยนให้ตรวจก่อนบันทึก")],
        [_("ถ้ามีข้อผิดพลาดแม้แถวเดียว จะไม่นำเข้าข้อมูลใดเลย และแจ้งแถวและคอลัมน์ที่ต้องแก้ไข")],
    ]


def round_workbook(report: ProgressReport, entries, unit: Unit | None = None) -> bytes:
    """The workbook a unit fills in: the entries' rows on the first sheet, how to fill on the second."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("ผลการดำเนินการ")
    for c, column in enumerate(ROUND_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=c, value=str(column.header))
        cell.font = HEADER_FONT if column.editable else _GREY_HEADER_FONT
        cell.fill = HEADER_FILL if column.editable else _GREY_FILL
        cell.alignment = WRAP_TOP
        sheet.column_dimensions[get_column_letter(c)].width = column.width
    rows = 1
    for rows, entry in enumerate(entries, start=2):
        values = _values(entry, report)
        for c, column in enumerate(ROUND_COLUMNS, start=1):
            cell = sheet.cell(row=rows, column=c, value=values[column.key])
            if cell.data_type == "f":
                cell.data_type = "s"  # a text starting with "=" stays text
            cell.alignment = WRAP_TOP
            if column.editable:
                cell.protection = _UNLOCKED
            else:
                cell.fill, cell.font = _GREY_FILL, _GREY_FONT
            if column.key == "completed_on":
                cell.number_format = BE_DATE_FORMAT  # also when empty: a date typed later shows in B.E.
            elif column.key == "percent":
                cell.number_format = "0"
    if rows > 1:
        _validations(sheet, rows)
    sheet.column_dimensions[get_column_letter(len(ROUND_COLUMNS))].hidden = True
    sheet.freeze_panes = "C2"
    protection = sheet.protection
    protection.sheet = True  # no password: a unit that must may lift it, the reference is only kept from slips
    protection.formatColumns = protection.formatRows = protection.formatCells = False
    notes = workbook.create_sheet(_("คำอธิบาย"))
    for values in _notes(report, unit):
        notes.append(values)
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 18, 70
    notes["A1"].font, notes["A8"].font = Font(bold=True, size=13), HEADER_FONT
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _validations(sheet, last: int) -> None:
    letter = {c.key: get_column_letter(i) for i, c in enumerate(ROUND_COLUMNS, start=1)}
    labels = ",".join(str(label) for label in Status.labels)
    status = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=False, showErrorMessage=True)
    status.errorTitle, status.error = _("สถานะ"), _("กรุณาเลือกสถานะจากรายการ")
    percent = DataValidation(
        type="whole", operator="between", formula1="0", formula2="100", allow_blank=True, showErrorMessage=True
    )
    percent.errorTitle, percent.error = _("ความก้าวหน้า (ร้อยละ)"), _("ร้อยละต้องเป็นจำนวนเต็ม 0 ถึง 100")
    for validation, key in ((status, "status"), (percent, "percent")):
        validation.add(f"{letter[key]}2:{letter[key]}{last}")
        sheet.add_data_validation(validation)


# --- Reading the cells of a row ---------------------------------------------------------------

_STATUS_WORDS = {BLANK_RUN.sub("", str(w)).casefold(): value for value, label in Status.choices for w in (value, label)}


def parse_status(value) -> str:
    text = BLANK_RUN.sub("", cell_text(value)).casefold()  # "อยู่ระหว่าง ดำเนินการ" is the label too
    if not text:
        raise CellError(_("กรุณาเลือกสถานะ"))
    if text not in _STATUS_WORDS:
        raise CellError(
            _("ไม่รู้จักสถานะ “%(value)s” กรุณาเลือกจากรายการ: %(labels)s")
            % {"value": cell_text(value)[:50], "labels": ", ".join(str(label) for label in Status.labels)}
        )
    return _STATUS_WORDS[text]


def parse_percent(value) -> int | None:
    """A whole number 0–100 in Arabic or Thai digits ("๕๐", "50%"); None when blank."""
    if is_blank(value):
        return None
    invalid = CellError(_("กรุณากรอกร้อยละเป็นจำนวนเต็ม 0 ถึง 100 เช่น 50 (ไม่ต้องใส่ %)"))
    if isinstance(value, str):
        try:
            number = thai.parse_decimal(cell_text(value).rstrip("%").strip()[:12])
        except thai.ThaiInputError as exc:
            raise invalid from exc
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = value
    else:
        raise invalid
    if (isinstance(number, float) and not number.is_integer()) or number != int(number):
        raise invalid
    if not 0 <= number <= 100:
        raise CellError(_("ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"))
    return int(number)


_SERIAL_DAYS = (36526, 73051)  # Excel's day numbers of 2000-01-01 and 2099-12-31: a date cell that lost its format
ASK_DATE = gettext_lazy("กรุณากรอกวันที่ พ.ศ. ระหว่างปี 2543 ถึง 2642 เช่น 01/10/2566 หรือ 1 ต.ค. 2566")


def parse_completion_date(value) -> date | None:
    """A date cell, a day number of Excel, a Thai text ("1 ต.ค. 2566", "01/10/2566"), or blank;
    in 2000–2099 (2566 typed into a date cell would be 9 January 1907)."""
    if isinstance(value, datetime):
        value = value.date()
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not (_SERIAL_DAYS[0] <= value <= _SERIAL_DAYS[1] and value == int(value)):
            raise CellError(str(ASK_DATE))
        value = from_excel(int(value)).date()
    if not isinstance(value, date):
        try:
            value = thai.parse_date(cell_text(value)[:100])
        except thai.ThaiInputError as exc:
            raise CellError(exc.message) from exc
    elif value.year >= 2400:  # "01/10/2566" typed into an Excel set to the Gregorian calendar
        try:
            value = value.replace(year=value.year - thai.BE_OFFSET)
        except ValueError as exc:  # 29 February of a year not leap once converted
            raise CellError(_("วันที่ไม่ถูกต้อง")) from exc
    if not 2000 <= value.year <= 2099:
        raise CellError(str(ASK_DATE))
    return value


_PARSERS: dict[str, Callable] = {
    "status": parse_status,
    "percent": parse_percent,
    "completed_on": parse_completion_date,
    **{name: lambda value: parse_long_text(value, None) for name in ("summary", "outcome", "problems", "suggestions")},
}


def shown(name: str, value) -> str:
    """A value of an entry as the preview shows it."""
    if name == "status":
        return str(Status(value).label)
    if name == "completed_on":
        return thai.format_date_short(value, thai_digits=False) if value else ""
    return "" if value is None else str(value)


# --- The import ----------------------------------------------------------------------------------


@dataclass
class RowPreview:
    """A row of the file as the preview shows it: its measure and each change (header, old, new)."""

    row: int
    number: str
    title: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class PendingImport:
    """What a confirmed preview writes: each entry's new values (JSON: a date as ISO text), and
    the revision of every entry of the file when it was previewed. ``data`` goes in the session."""

    report_id: int
    filename: str
    revisions: dict[int, int]
    values: dict[int, dict]

    @property
    def data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> "PendingImport":
        """Raises (KeyError, TypeError, ValueError) for data that is not a pending import."""
        values = {int(pk): dict(fields) for pk, fields in data["values"].items()}
        if any(set(fields) - set(ENTRY_FIELDS) for fields in values.values()):
            raise ValueError("unknown fields")
        revisions = {int(pk): int(revision) for pk, revision in data["revisions"].items()}
        return cls(report_id=int(data["report_id"]), filename=str(data["filename"]), revisions=revisions, values=values)

    def fields(self, pk: int) -> dict:
        """The new values of an entry, ready for services.entry_update."""
        fields = dict(self.values[pk])
        if "completed_on" in fields:
            fields["completed_on"] = date.fromisoformat(fields["completed_on"]) if fields["completed_on"] else None
        return fields


@dataclass
class RoundImport:
    """The preview of a file: every row with what it would change, and what to write on confirmation."""

    rows: list[RowPreview]
    pending: PendingImport

    @property
    def changed(self) -> list[RowPreview]:
        return [row for row in self.rows if row.changes]

    @property
    def unchanged(self) -> list[RowPreview]:
        return [row for row in self.rows if not row.changes]


def _header_key(value) -> str:
    return BLANK_RUN.sub(" ", cell_text(value).replace("\n", " ").replace("*", "")).strip().casefold()


def _positions(header: list) -> dict[str, int]:
    keys = [_header_key(v) for v in header]
    positions: dict[str, int] = {}
    problems: list[str] = []
    for column in ROUND_COLUMNS:
        found = [i for i, key in enumerate(keys) if key == _header_key(column.header)]
        if len(found) > 1:
            problems.append(_("คอลัมน์ ‘%(column)s’ ซ้ำกัน %(n)s คอลัมน์") % {"column": column.header, "n": len(found)})
        elif found:
            positions[column.key] = found[0]
    missing = [f"‘{COLUMN[k].header}’" for k in REQUIRED if _header_key(COLUMN[k].header) not in keys]
    if missing:
        problems.insert(0, NOT_A_ROUND_FILE % {"columns": ", ".join(missing)})
    if problems:
        raise ImportRefused(problems)
    return positions


def _other_round(report: ProgressReport, other_pk: int) -> ImportRefused:
    organisation = report.document.organisation_id
    other = ProgressReport.objects.filter(pk=other_pk, document__organisation_id=organisation).first()
    names = {"round": report.get_round_display(), "year": report.fiscal_year}
    if other is not None:
        names |= {"other": other.get_round_display(), "other_year": other.fiscal_year}
        text = _("ไฟล์นี้เป็นแบบรายงานผลของ%(other)s ปีงบประมาณ %(other_year)s ไม่ใช่ของ%(round)s ปีงบประมาณ %(year)s")
    else:
        text = _("ไฟล์นี้ไม่ใช่แบบรายงานผลของ%(round)s ปีงบประมาณ %(year)s ของหน่วยงานนี้ (ส่งออกจากเอกสารหรือหน่วยงานอื่น)")
    return ImportRefused([(text + " " + _("กรุณาส่งออก Excel จากหน้ารอบการรายงานนี้แล้วกรอกผลในไฟล์นั้น")) % names])


def _find(entries: dict[int, ProgressEntry], reference: str, number: str) -> ProgressEntry:
    """The entry a row's reference names (the reference says which round: checked before)."""
    match = _REFERENCE.fullmatch(reference.replace(" ", ""))
    if not match:
        raise CellError(_("ไม่มีรหัสอ้างอิงของมาตรการในแถวนี้หรือรหัสถูกแก้ไข กรุณาส่งออก Excel จากหน้ารอบการรายงานแล้วคัดลอกผลลงไป"))
    if int(match[2]) not in entries:
        raise CellError(_("ไม่พบมาตรการ %(number)s ในรอบการรายงานนี้ (อาจถูกลบแล้ว)") % {"number": number or "-"})
    return entries[int(match[2])]


def _check_row(row: int, cells: dict, entry: ProgressEntry) -> tuple[dict, list[ImportProblem]]:
    values: dict = {}
    problems: list[ImportProblem] = []

    def problem(key: str, message: str) -> None:
        problems.append(ImportProblem(message, row=row, column=str(COLUMN[key].header)))

    for name in ENTRY_FIELDS:
        try:
            values[name] = _PARSERS[name](cells.get(name))
        except CellError as error:
            problem(name, error.message)
    status = values.get("status")
    if status == Status.NOT_STARTED and values.get("percent"):
        problem("percent", _("สถานะ ยังไม่ดำเนินการ ต้องมีความก้าวหน้าร้อยละ 0"))
    if status and status != Status.DONE and values.get("completed_on"):
        problem("completed_on", _("ใส่วันที่แล้วเสร็จเมื่อสถานะเป็น ดำเนินการแล้วเสร็จ เท่านั้น"))
    if problems:
        return {}, problems
    if values["percent"] is None:
        values["percent"] = 0
    if status == Status.DONE:
        values["percent"] = 100  # the rule of services.entry_update, shown in the preview
    return {name: value for name, value in values.items() if not _same(getattr(entry, name), value)}, []


def _same(old, new) -> bool:
    """A text read back from a cell equals the stored one but for its line ends and outer spaces."""
    if isinstance(old, str) and isinstance(new, str):
        return old.replace("\r\n", "\n").replace("\r", "\n").strip() == new
    return old == new


def read_round_import(*, report: ProgressReport, upload, may_edit: Callable[[Measure], bool]) -> RoundImport:
    """Read and check every row of the file; the preview of what it would change, or ImportRefused."""
    if Path(upload.name or "").suffix.lower() != ".xlsx":
        raise ImportRefused([_("รับเฉพาะไฟล์ Excel (.xlsx) ที่ส่งออกจากหน้ารอบการรายงาน ถ้าเป็นไฟล์ .xls ให้บันทึกเป็น .xlsx ก่อน")])
    sheet = read_upload(upload)
    positions = _positions(sheet.header)
    rows = [(n, {key: cells[i] if i < len(cells) else None for key, i in positions.items()}) for n, cells in sheet.rows]
    for _n, cells in rows:
        match = _REFERENCE.fullmatch(cell_text(cells.get("reference")).replace(" ", ""))
        if match and int(match[1]) != report.pk:
            raise _other_round(report, int(match[1]))
    query = report.entries.select_related("measure__theme").prefetch_related("measure__units")
    entries = {entry.measure_id: entry for entry in query}
    number_header = str(COLUMN["number"].header)
    problems: list[ImportProblem] = []
    previews: list[RowPreview] = []
    values: dict[int, dict] = {}
    seen: dict[int, int] = {}
    for n, cells in rows:
        try:
            entry = _find(entries, cell_text(cells.get("reference")), cell_text(cells.get("number")))
        except CellError as error:
            problems.append(ImportProblem(error.message, row=n, column=number_header))
            continue
        shown_number = printed_number(entry.measure)
        if entry.pk in seen:
            message = _("มาตรการ %(number)s ซ้ำกับแถวที่ %(first)s") % {"number": shown_number, "first": seen[entry.pk]}
            problems.append(ImportProblem(message, row=n, column=number_header))
            continue
        seen[entry.pk] = n
        if not may_edit(entry.measure):
            message = _("มาตรการ %(number)s ไม่ใช่มาตรการของหน่วยงานของคุณ จึงนำเข้าผลไม่ได้") % {"number": shown_number}
            problems.append(ImportProblem(message, row=n, column=number_header))
            continue
        changed, row_problems = _check_row(n, cells, entry)
        problems += row_problems
        preview = RowPreview(row=n, number=shown_number, title=entry.measure.title)
        for name, value in changed.items():
            preview.changes.append((str(COLUMN[name].header), shown(name, getattr(entry, name)), shown(name, value)))
        previews.append(preview)
        if changed:
            values[entry.pk] = {k: v.isoformat() if isinstance(v, date) else v for k, v in changed.items()}
    if problems:
        order = {str(c.header): i for i, c in enumerate(ROUND_COLUMNS)}
        raise ImportRefused(sorted(problems, key=lambda p: (p.row or 0, order.get(p.column or "", -1))))
    revisions = {entry.pk: entry.revision for entry in entries.values() if entry.pk in seen}
    pending = PendingImport(report_id=report.pk, filename=upload.name[:200], revisions=revisions, values=values)
    size = sum(len(str(v)) for fields in values.values() for v in fields.values())
    if size > PENDING_MAX_CHARS:
        raise ImportRefused([_("ข้อความที่จะนำเข้ารวมกันยาวเกินไป กรุณาแบ่งนำเข้าเป็นหลายไฟล์")])
    return RoundImport(rows=previews, pending=pending)


def apply_round_import(
    *, report: ProgressReport, by, pending: PendingImport, may_edit: Callable[[Measure], bool]
) -> int:
    """Write a previewed import in one transaction: all its entries or none. Returns how many changed.

    Refused (ServiceError, in Thai) when the round is no longer a draft, or when an entry of the
    file was changed (or its measure deleted) since the preview: the user previews the file again.
    """
    if pending.report_id != report.pk:
        raise ServiceError(_("ข้อมูลที่ตรวจไว้ไม่ใช่ของรอบการรายงานนี้ กรุณานำเข้าไฟล์อีกครั้ง"))
    with transaction.atomic():
        services.require_draft(report)
        current = dict(
            ProgressEntry.objects.select_for_update(of=("self",))
            .filter(report=report, pk__in=pending.revisions)
            .order_by()  # the default order joins the nullable theme: PostgreSQL locks no outer join
            .values_list("pk", "revision")
        )
        entries = {
            e.pk: e
            for e in report.entries.filter(pk__in=current)
            .select_related("report", "measure__theme")
            .prefetch_related("measure__units")
        }
        changed = [pk for pk, revision in pending.revisions.items() if current.get(pk) != revision]
        if changed:
            numbers = ", ".join(sorted(printed_number(entries[pk].measure) if pk in entries else "-" for pk in changed))
            raise ServiceError(STALE % {"numbers": numbers})
        refused = [printed_number(e.measure) for e in entries.values() if not may_edit(e.measure)]
        if refused:
            raise ServiceError(NOT_YOURS % {"numbers": ", ".join(sorted(refused))})
        for pk in pending.values:
            services.entry_update(entry=entries[pk], by=by, revision=pending.revisions[pk], **pending.fields(pk))
    return len(pending.values)
