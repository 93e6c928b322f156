"""The measures of last year's Word document imported into a draft: previewed, then all of them or none.

``read_word_measures`` reads the upload (docx_read: every cap before python-docx opens it),
finds its measures tables (docx_tables) and checks every row against the document
(``plan_measures``): any problem, named by table, row and column in Thai, refuses the whole
file. The rows found (texts only, no database object) are what a preview keeps in the session
with ``document_state``; ``apply_word_measures`` checks them again under the document's row
lock, refuses if the document changed since the preview, and creates the themes and measures
through measures.services (the audit trail records them), in one transaction.

A report's table (ผลการดำเนินการ, ข้อเสนอแนะ …) imports its measures here too; its results go
into a round through docx_results.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import services
from ..models import MeasuresDocument
from ..parsing import MAX_MEASURES, MAX_NUMBER, period_precision, plain_date, too_many_steps
from ..services import MeasureData, ServiceError
from .cells import (
    CellError,
    ImportRefused,
    name_key,
    parse_budget,
    parse_date,
    parse_flag,
    parse_indicators,
    parse_items,
    parse_long_text,
    parse_text,
)
from .docx_cells import (
    Number,
    Period,
    UnitMatcher,
    WordProblem,
    measure_parts,
    named_in_issue,
    parse_period,
    step_texts,
    theme_parts,
    title_of_issue,
)
from .docx_preview import MEASURE_KEYS, PlannedRow, Shown, shown_cells
from .docx_read import read_word
from .docx_tables import Found, SourceRow, find_rows
from .imports import IMPORT_MAX_ROWS, Context, ImportResult

PENDING_MAX_CHARS = 300_000  # the texts a preview keeps in the session
STALE = gettext_lazy(
    "เอกสารถูกแก้ไขหลังจากที่ตรวจไฟล์ (มีการเพิ่ม แก้ไข หรือลบมาตรการ ด้าน หรือส่วนราชการ) จึงยังไม่ได้นำเข้าข้อมูลใดเลย "
    "กรุณานำเข้าไฟล์อีกครั้งเพื่อตรวจใหม่"
)
NO_TABLE = gettext_lazy(
    "ไม่พบตารางมาตรการในไฟล์ ระบบอ่านตารางที่มีแถวหัวตาราง เช่น ‘มาตรการ/แนวทาง’ ‘ขั้นตอน/วิธีการปฏิบัติ’ "
    "‘ผู้รับผิดชอบ’ ‘ระยะเวลาดำเนินการ’ (ตารางที่วางเป็นรูปภาพอ่านไม่ได้)"
)


@dataclass
class WordPlan:
    rows: list[PlannedRow]
    found: Found

    @property
    def measures(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.kind == "measure"]

    @property
    def new_themes(self) -> list[PlannedRow]:
        seen: set[int] = set()
        return [r for r in self.rows if r.kind == "theme" and r.new and not (r.theme in seen or seen.add(r.theme))]


# --- Reading and checking ----------------------------------------------------------------------


def read_word_measures(*, document: MeasuresDocument, upload) -> tuple[Found, WordPlan]:
    """The measures tables of the file and the plan of what they would create, or ImportRefused."""
    found = find_rows(read_word(upload))
    if len(json.dumps(found.data, ensure_ascii=False)) > PENDING_MAX_CHARS:  # before any row is checked
        raise ImportRefused([_("ข้อความในตารางมาตรการรวมกันยาวเกินไป กรุณาแบ่งตารางเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์")])
    return found, plan_measures(found, document)


def document_state(document: MeasuresDocument) -> str:
    """What a preview was checked against: the document's state, themes, measures and units."""
    state = [
        list(MeasuresDocument.objects.filter(pk=document.pk).values_list("status", "revision", "basis_framework_id")),
        list(document.themes.order_by("pk").values_list("pk", "number", "title")),
        list(document.measures.order_by("pk").values_list("pk", "theme_id", "number", "revision")),
        list(document.organisation.units.order_by("pk").values_list("pk", "name", "is_active")),
    ]
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()


def table_problems(found: Found, keys: tuple[str, ...]) -> list[WordProblem]:
    """A kind of column given twice in a table, when the import reads that kind."""
    problems = []
    for table in found.tables:
        if not table.header_rows:
            continue
        for column in table.columns:
            base, _sep, n = column.key.partition("~")
            if n and base in keys:
                first = table.heading(base)
                problems.append(
                    WordProblem(
                        _("คอลัมน์ ‘%(a)s’ และ ‘%(b)s’ เป็นข้อมูลเดียวกัน กรุณาเหลือไว้คอลัมน์เดียว")
                        % {"a": first, "b": column.heading},
                        table=table.table,
                        row=table.header_rows,
                    )
                )
    return problems


class _Checker:
    """The rows of the file checked one by one against the document, in order."""

    def __init__(self, found: Found, document: MeasuresDocument):
        self.found = found
        self.document = document
        self.context = Context.for_document(document)
        self.matcher = UnitMatcher.of(self.context.units, self.context.all_units_words)
        framework = document.basis_framework
        self.items = {i.code.upper(): i for i in framework.items.all()} if framework else {}
        self.problems: list[WordProblem] = table_problems(found, MEASURE_KEYS)
        self.theme: int | None = None
        self.theme_text = ""
        self.theme_titles: dict[int, tuple[str, SourceRow]] = {}
        self.last: dict[int | None, int] = {}
        self.seen: dict[tuple[int | None, int], SourceRow] = {}

    def check(self) -> WordPlan:
        for table in self.found.tables:
            if table.header_rows and "units" not in table.keys:
                self.problems.append(
                    WordProblem(
                        _("ไม่มีคอลัมน์ผู้รับผิดชอบหรือหน่วยงานผู้รับผิดชอบ ระบบจึงไม่รู้ว่ามาตรการเป็นของส่วนราชการใด"),
                        table=table.table,
                        row=table.header_rows,
                    )
                )
        measures = [r for r in self.found.rows if r.kind == "measure"]
        if len(measures) > IMPORT_MAX_ROWS:
            raise ImportRefused([_("ไฟล์มีมาตรการเกิน %(max)s แถว") % {"max": IMPORT_MAX_ROWS}])
        if len(measures) + len(self.context.taken) > MAX_MEASURES:
            self.problems.append(WordProblem(_("เอกสารหนึ่งมีมาตรการได้ไม่เกิน %(max)s มาตรการ") % {"max": MAX_MEASURES}))
        rows: list[PlannedRow] = []
        for row in self.found.rows:
            named = row.cells.get("theme", "").strip() if row.kind == "measure" else ""
            if named and named != self.theme_text:  # a theme column: each new theme as a theme row
                rows.append(self._theme(SourceRow(row.table, row.row, "theme", {"theme": named})))
            rows.append(self._theme(row) if row.kind == "theme" else self._measure(row))
        if self.problems:
            self.problems.sort(key=lambda p: (p.table or 0, p.row or 0))
            raise ImportRefused(self.problems)
        return WordPlan(rows=rows, found=self.found)

    def _problem(self, row: SourceRow, key: str, message: str, label: str = "") -> None:
        heading = self.found.map_of(row.table).heading(key) if key else ""
        self.problems.append(WordProblem(message, row=row.row, column=heading or None, table=row.table, label=label))

    def _theme(self, row: SourceRow) -> PlannedRow:
        text = row.cells["theme"]
        number, title = theme_parts(text)
        if number is None:  # the theme of the same name, else the next number
            named = {name_key(t.title): n for n, t in self.context.themes.items()}
            named |= {name_key(t): n for n, (t, _row) in self.theme_titles.items()}
            number = named.get(name_key(title)) or max([*self.context.themes, *self.theme_titles], default=0) + 1
        existing = self.context.themes.get(number)
        planned = PlannedRow(
            "theme", row.table, row.row, row.more, _("ด้านที่ %(n)s") % {"n": number}, title, theme=number
        )
        planned.cells.append(Shown(_("แถวชื่อด้าน"), text, f"{number}. {title}"))
        planned.new = existing is None
        if not title:
            self._problem(row, "", _("แถวชื่อด้านไม่มีชื่อด้าน"))
        elif len(title) > 300:
            self._problem(row, "", _("ชื่อด้านยาวเกิน 300 ตัวอักษร"))
        elif existing is not None and name_key(existing.title) != name_key(title):
            self._problem(
                row, "", _("ด้านที่ %(n)s ในเอกสารนี้ชื่อ “%(title)s” ไม่ตรงกับชื่อในไฟล์") % {"n": number, "title": existing.title}
            )
        elif number in self.theme_titles and name_key(self.theme_titles[number][0]) != name_key(title):
            first = self.theme_titles[number][1]
            message = _("ด้านที่ %(n)s ชื่อไม่ตรงกับตารางที่ %(table)s แถวที่ %(row)s (“%(title)s”)")
            self._problem(
                row,
                "",
                message % {"n": number, "table": first.table, "row": first.row, "title": self.theme_titles[number][0]},
            )
        else:
            self.theme_titles.setdefault(number, (title, row))
        self.theme, self.theme_text = number, text.strip()
        return planned

    def _number(self, row: SourceRow) -> tuple[Number | None, str, str]:
        """The typed number, and the title and issue without it."""
        number, title, issue, unreadable = measure_parts(row.cells)
        if unreadable:
            message = _("อ่านลำดับ “%(text)s” ไม่ได้ กรุณาพิมพ์เป็นตัวเลข เช่น 1 หรือ ๑.๒ หรือ (๑)")
            self._problem(row, "number", message % {"text": row.cells["number"][:30]})
        return number, title, issue

    def _measure(self, row: SourceRow) -> PlannedRow:
        cells, table = row.cells, self.found.map_of(row.table)
        values: dict = {}
        number, title, issue = self._number(row)
        theme = self.theme
        if number is not None and number.theme is not None:
            shown_number = f"{number.theme}.{number.number}"
            if theme is None and number.theme in self.context.themes:
                theme = number.theme
            elif theme is None:
                message = _("ลำดับ %(n)s อ้างถึงด้านที่ %(theme)s แต่ไม่มีแถวชื่อด้านเหนือมาตรการนี้ และเอกสารยังไม่มีด้านที่ %(theme)s")
                self._problem(
                    row,
                    "number" if "number" in cells else "title",
                    message % {"n": shown_number, "theme": number.theme},
                )
            elif number.theme != theme:
                message = _("ลำดับ %(n)s ไม่ตรงกับด้านที่ %(theme)s ที่อยู่เหนือแถวนี้")
                self._problem(
                    row, "number" if "number" in cells else "title", message % {"n": shown_number, "theme": theme}
                )
        auto = number is None
        if auto:
            taken = [n for t, n in self.context.taken if t == theme]
            value = max([*taken, self.last.get(theme, 0)], default=0) + 1
            number = Number(theme, value, "")
        label = _("มาตรการ %(n)s") % {"n": f"{theme}.{number.number}" if theme else number.number}
        if not 1 <= number.number <= MAX_NUMBER:
            self._problem(row, "number", _("ลำดับต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง %(max)s") % {"max": MAX_NUMBER}, label)
        self.last[theme] = max(self.last.get(theme, 0), number.number)
        from_issue = "title" not in cells
        if from_issue:
            title = title_of_issue(issue)
        planned = PlannedRow("measure", row.table, row.row, row.more, label, title, theme=theme)

        def read(key: str, parse, text=None):
            try:
                values[key] = parse(cells.get(key, "") if text is None else text, self.context)
            except CellError as error:
                self._problem(row, key, error.message, label)

        if not title:
            self._problem(
                row, "title" if "title" in cells or not from_issue else "issue", _("ไม่มีชื่อมาตรการในแถวนี้"), label
            )
        read("title", parse_text(2000), title)
        read("issue", parse_long_text, issue)
        read("monitoring", parse_long_text)
        read("target", parse_long_text)
        read("budget", parse_budget)
        read("whole_year", parse_flag)
        read("owner", parse_text(300))
        if "indicators" in cells or "items" in cells:
            read("indicators", parse_indicators)
            read("items", parse_items)
        else:
            named, codes = named_in_issue(issue)
            values["indicators"] = [self.context.indicators[n] for n in named if n in self.context.indicators]
            values["items"] = [self.items[c] for c in codes if c in self.items]
        steps = step_texts(cells.get("steps", ""))
        if too_many := too_many_steps(steps):
            self._problem(row, "steps", str(too_many), label)
        read("steps", parse_long_text, "\n".join(steps))
        units_text = cells.get("units", "")
        if len(units_text) > 2000:  # a pasted paragraph, not names: not searched for unit names
            self._problem(row, "units", _("ข้อความในช่องผู้รับผิดชอบยาวเกิน 2000 ตัวอักษร"), label)
            units_text = ""
        units, every, rest, unknown = self.matcher.read(units_text)
        if unknown:
            message = _("ไม่พบส่วนราชการชื่อ %(names)s ในหน่วยงานนี้ กรุณาแก้ชื่อในไฟล์ให้ตรงกับรายชื่อส่วนราชการในหน้านำเข้า")
            self._problem(row, "units", message % {"names": ", ".join(f"“{n}”" for n in unknown)}, label)
        elif not units and not every:
            text = cells.get("units", "")
            message = _("ไม่พบชื่อส่วนราชการของหน่วยงานนี้ในช่องนี้ (อ่านได้ “%(text)s”) กรุณาระบุชื่อกอง/สำนัก หรือ “ทุกกอง/สำนัก”") % {
                "text": text[:80]
            }
            self._problem(row, "units", message if text else _("กรุณาระบุหน่วยงานผู้รับผิดชอบ"), label)
        owner = " ".join(x for x in (values.get("owner", ""), rest) if x)
        if len(owner) > 300:
            self._problem(row, "units", _("ข้อความผู้รับผิดชอบ (บุคคล/ตำแหน่ง) ยาวเกิน 300 ตัวอักษร"), label)
        period = Period()
        try:
            period = parse_period(cells.get("period", "")) or period
        except CellError as error:
            self._problem(row, "period", error.message, label)
        read("period_start", parse_date(end_of_month=False))
        read("period_end", parse_date(end_of_month=True))
        read("deadline", parse_date(end_of_month=True))
        start = values.get("period_start") or period.start
        end = values.get("period_end") or period.end
        if start and end and end < start:
            self._problem(row, "period_end" if "period_end" in cells else "period", _("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"), label)
        key = (theme, number.number)
        if key in self.context.taken:
            message = _("เอกสารนี้มีมาตรการลำดับ %(n)s อยู่แล้ว (การนำเข้าเพิ่มมาตรการต่อจากที่มีอยู่ ไม่แทนที่)")
            self._problem(row, "number" if "number" in cells else "title", message % {"n": _shown_key(key)}, label)
        elif key in self.seen:
            first = self.seen[key]
            message = _("มาตรการลำดับ %(n)s ซ้ำกับตารางที่ %(table)s แถวที่ %(row)s")
            self._problem(
                row,
                "number" if "number" in cells else "title",
                message % {"n": _shown_key(key), "table": first.table, "row": first.row},
                label,
            )
        else:
            self.seen[key] = row
        planned.fields = {
            "title": title,
            "number": number.number,
            "number_text": number.typed,
            "issue": values.get("issue", ""),
            "steps": steps,
            "units": units,
            "all_units": every,
            "owner": owner,
            "indicators": values.get("indicators", []),
            "items": values.get("items", []),
            "period_start": plain_date(start),
            "period_end": plain_date(end),
            "period_precision": period_precision(start, end),
            "whole_year": bool(values.get("whole_year")) or period.whole_year,
            "deadline": plain_date(values.get("deadline") or period.deadline),
            "monitoring": values.get("monitoring", ""),
            "target": values.get("target", ""),
            "budget": values.get("budget"),
        }
        planned.cells = shown_cells(planned, row, table, auto, from_issue, self.document.fiscal_year)
        return planned


def _shown_key(key: tuple[int | None, int]) -> str:
    return f"{key[0]}.{key[1]}" if key[0] else str(key[1])


def plan_measures(found: Found, document: MeasuresDocument) -> WordPlan:
    """Every row checked against the document: the plan, or ImportRefused with every problem."""
    if not found.tables or not any(r.kind == "measure" for r in found.rows):
        raise ImportRefused([str(NO_TABLE)])
    return _Checker(found, document).check()


# --- Writing -----------------------------------------------------------------------------------


def apply_word_measures(*, document: MeasuresDocument, by, found: Found, state: str) -> ImportResult:
    """Create the themes and measures of a previewed file in one transaction: all or nothing.

    Refused (ServiceError in Thai) when the document is no longer a draft or changed since the
    preview, ImportRefused if a row no longer passes the checks.
    """
    with transaction.atomic():
        services.require_draft(document)  # the row lock: nothing below can change before the writes
        if document_state(document) != state:
            raise ServiceError(str(STALE))
        plan = plan_measures(found, document)
        themes = {t.number: t for t in document.themes.all()}
        for row in plan.new_themes:
            themes[row.theme] = services.theme_save(document=document, by=by, number=row.theme, title=row.title)
        for row in plan.measures:
            theme = themes.get(row.theme) if row.theme is not None else None
            services.measure_create(document=document, by=by, data=MeasureData(theme=theme, **row.fields))
    return ImportResult(measures=len(plan.measures), themes=len(plan.new_themes))


def measures_summary(plan: WordPlan) -> dict[str, int]:
    return {"measures": len(plan.measures), "themes": len(plan.new_themes), "tables": len(plan.found.tables)}


__all__ = [
    "MEASURE_KEYS",
    "PlannedRow",
    "Shown",
    "WordPlan",
    "apply_word_measures",
    "document_state",
    "measures_summary",
    "plan_measures",
    "read_word_measures",
    "table_problems",
]
