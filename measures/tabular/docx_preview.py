"""What the preview of a Word import shows: each row of the file (a theme or a measure) with
every cell, its heading and text as in the file, and what it becomes."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import thai
from .docx_tables import SourceRow, TableMap

IGNORED = gettext_lazy("ไม่นำเข้า")
MEASURE_KEYS = (
    "number", "theme", "title", "issue", "indicators", "items", "steps", "units", "owner", "period",
    "period_start", "period_end", "whole_year", "deadline", "monitoring", "target", "budget",
)  # fmt: skip


@dataclass
class Shown:
    """A cell as the preview shows it: the file's heading and text, and what it becomes."""

    heading: str
    text: str
    value: str = ""
    steps: list[str] | None = None
    note: str = ""
    imported: bool = True


@dataclass
class PlannedRow:
    """A theme or a measure of the file: where it is, what it is called, each cell as it becomes."""

    kind: str  # "theme" or "measure"
    table: int
    row: int
    more: list[list[int]]
    label: str
    title: str
    cells: list[Shown] = field(default_factory=list)
    fields: dict = field(default_factory=dict)  # a measure's MeasureData fields, its theme by number
    theme: int | None = None
    new: bool = False  # a theme not yet in the document

    @property
    def where(self) -> str:
        place = _("ตารางที่ %(table)s แถวที่ %(row)s") % {"table": self.table, "row": self.row}
        for table, row in self.more:
            if table == self.table:
                place += " " + _("ต่อแถวที่ %(row)s") % {"row": row}
            else:
                place += " " + _("ต่อตารางที่ %(table)s แถวที่ %(row)s") % {"table": table, "row": row}
        return place


def period_shown(fields: dict, fiscal_year: int) -> tuple[str, str]:
    start, end, deadline = fields["period_start"], fields["period_end"], fields["deadline"]
    parts = []
    if fields["whole_year"]:
        parts.append(_("ตลอดปีงบประมาณ"))
    if start or end:
        by_day = fields["period_precision"] == "day"
        formatter = thai.format_day_range if by_day else thai.format_month_range
        parts.append(formatter(start, end, thai_digits=False))
    if deadline:
        parts.append(_("ภายใน %(date)s") % {"date": thai.format_date_short(deadline, thai_digits=False)})
    first, last = thai.fiscal_year_bounds(fiscal_year)
    dates = [d for d in (start, end, deadline) if d]
    note = ""
    if any(not first <= d <= last for d in dates):
        note = _("อยู่นอกปีงบประมาณ %(year)s ของเอกสารนี้ แก้ไขได้หลังนำเข้า") % {"year": fiscal_year}
    return " · ".join(parts), note


def shown_cells(
    planned: PlannedRow, row: SourceRow, table: TableMap, auto: bool, from_issue: bool, year: int
) -> list[Shown]:
    fields = planned.fields
    shown: list[Shown] = []
    if auto:
        shown.append(Shown(_("ลำดับ"), "", _("ระบบกำหนดลำดับ %(n)s (ไม่พบเลขลำดับในไฟล์)") % {"n": fields["number"]}))
    units = [u.name for u in fields["units"]] + ([_("ทุกกอง/สำนัก")] if fields["all_units"] else [])
    period, period_note = period_shown(fields, year)
    linked = [str(i.number) for i in fields["indicators"]], [i.code for i in fields["items"]]
    for column in table.columns:
        text = row.cells.get(column.key, "")
        cell = Shown(column.heading, text)
        key = column.key
        if key not in MEASURE_KEYS:
            cell.imported, cell.value = False, str(IGNORED)
        elif key == "number" or (key == "title" and not auto and "number" not in row.cells):
            typed = f" (พิมพ์ “{fields['number_text']}”)" if fields["number_text"] else ""
            number = f"{planned.theme}.{fields['number']}" if planned.theme else str(fields["number"])
            cell.value = _("ลำดับ %(n)s%(typed)s") % {"n": number, "typed": typed}
            if key == "title":
                cell.value += " · " + fields["title"]
        elif key == "title":
            cell.value = fields["title"]
        elif key == "issue":
            cell.value = fields["issue"]
            if linked[0] or linked[1]:
                cell.note = _("ตัวชี้วัด %(i)s ข้อคำถาม %(q)s") % {
                    "i": ", ".join(linked[0]) or "-",
                    "q": ", ".join(linked[1]) or "-",
                }
            if from_issue:
                cell.note = " · ".join(x for x in (cell.note, _("ชื่อมาตรการนำมาจากประเด็น (ข้อคำถาม หรือบรรทัดสุดท้าย)")) if x)
        elif key == "steps":
            cell.steps = fields["steps"]
        elif key in ("units", "owner"):
            cell.value = ", ".join(units) if key == "units" else fields["owner"]
            if key == "units" and fields["owner"] and "owner" not in table.keys:
                cell.note = _("ผู้รับผิดชอบ (บุคคล/ตำแหน่ง): %(owner)s") % {"owner": fields["owner"]}
        elif key in ("period", "period_start", "period_end", "deadline", "whole_year"):
            cell.value, cell.note = period, period_note
        elif key == "budget":
            cell.value = thai.format_number(fields["budget"], thai_digits=False) if fields["budget"] is not None else ""
        elif key in ("indicators", "items"):
            cell.value = ", ".join(linked[0] if key == "indicators" else linked[1])
        else:
            cell.value = fields.get(key, "")
        if key in row.shared:
            cell.note = " · ".join(x for x in (cell.note, _("ช่องที่รวมไว้กับแถวบน")) if x)
        shown.append(cell)
    return shown
