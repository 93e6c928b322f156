"""Export of measures and progress (XLSX or CSV, through django-tables2) and the import template."""

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date

import django_tables2 as tables
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2.export import TableExport
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import texts, thai
from ..models import MeasuresDocument, ProgressEntry, ProgressReport
from .cells import date_text, guard_formula
from .columns import COLUMNS_BY_KEY, MEASURE_COLUMNS

FORMATS = ("xlsx", "csv")


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


MeasureExportTable = _table_class("MeasureExportTable", [(c.key, c.header, c.export) for c in MEASURE_COLUMNS])


def _for_measure(key: str) -> Callable[[ProgressEntry], object]:
    export = COLUMNS_BY_KEY[key].export
    return lambda entry: export(entry.measure)


def _evidence_text(entry: ProgressEntry) -> str:
    lines = []
    for evidence in entry.evidence.all():
        where = evidence.url or evidence.filename
        lines.append(f"{evidence.title} — {where}" if where and where != evidence.title else evidence.title)
    return "\n".join(lines)


EntryExportTable = _table_class(
    "EntryExportTable",
    [
        *(
            (key, COLUMNS_BY_KEY[key].header, _for_measure(key))
            for key in ("theme_number", "theme_title", "number", "title")
        ),
        ("units", gettext_lazy("หน่วยงานผู้รับผิดชอบ"), lambda e: texts.units_text(e.measure)),
        ("period", gettext_lazy("ระยะเวลาดำเนินการ"), lambda e: texts.period_text(e.measure).replace("\u00a0", " ")),
        ("status", gettext_lazy("สถานะ"), lambda e: str(e.get_status_display())),
        ("percent", gettext_lazy("ความก้าวหน้า (ร้อยละ)"), lambda e: e.percent),
        ("summary", gettext_lazy("สรุปผลการดำเนินงาน"), lambda e: e.summary),
        ("outcome", gettext_lazy("ผลลัพธ์/ความสำเร็จ"), lambda e: e.outcome),
        ("problems", gettext_lazy("ปัญหาอุปสรรค"), lambda e: e.problems),
        ("suggestions", gettext_lazy("ข้อเสนอแนะ"), lambda e: e.suggestions),
        ("completed_on", gettext_lazy("วันที่แล้วเสร็จ"), lambda e: e.completed_on),  # a date cell (xlsx_bytes)
        ("evidence", gettext_lazy("หลักฐาน"), _evidence_text),
    ],
)


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


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return guard_formula(value)
    if isinstance(value, date):
        return date_text(value)  # "30/09/2566", as Thai offices type dates
    return str(value)


def csv_text(rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return "\ufeff" + buffer.getvalue()


# A date cell shown in the Buddhist Era ("30/09/2566"): calendar 07 (Thai Buddhist) of Excel's
# number formats, which LibreOffice reads too. The cell holds a real date: Excel sorts and
# filters it as one.
BE_DATE_FORMAT = "[$-1070000]dd/mm/yyyy;@"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")


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
                if isinstance(value, date):
                    cell.number_format = BE_DATE_FORMAT
                    value = date_text(value)  # its width
                cell.alignment = WRAP_TOP
                if r == 1:
                    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
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
        table,
        fmt,
        sheet_title=_("มาตรการ %(year)s") % {"year": document.fiscal_year},
        filename=f"ita-measures-{document.organisation.slug}-{document.fiscal_year}",
    )


def report_export_response(report: ProgressReport, fmt: str, entries):
    document = report.document
    table = EntryExportTable(entries)
    return export_response(
        table,
        fmt,
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
        "steps": _(
            "1. แต่งตั้งผู้รับผิดชอบการเผยแพร่ข้อมูล\n2. รวบรวมข้อมูลจากทุกกอง/สำนักทุกสิ้นเดือน\n3. เผยแพร่บนเว็บไซต์และรายงานผู้บริหาร"
        ),
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
    return xlsx_bytes(
        [
            (_("มาตรการ"), [headers, _example_row(document)]),
            (_("คำอธิบาย"), notes),
            (_("ส่วนราชการ"), [[_("ชื่อส่วนราชการที่ใช้ได้")], *([name] for name in unit_names(document))]),
        ]
    )
