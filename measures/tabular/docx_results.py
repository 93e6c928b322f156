"""A report's results table from Word, imported into a round's entries: previewed, then all or none.

The rows are the measures tables of the file (docx_tables), each matched to a measure of the
document: by its number ("๑.๒", "๓." before the title, or a number column) and the same title,
or by its title alone. Each row's results become the entry's values: the summary
(ผลการดำเนินการ, สรุปผลการดำเนินงาน, การดำเนินการ), outcome, problems, suggestions; the status from
a status column, from ticks under "ดำเนินการแล้ว / อยู่ระหว่างดำเนินการ / ยังไม่ดำเนินการ", or
from a summary that is only a status or ends "(แล้วเสร็จ <date>)" as the portal prints it;
without any, the status is left as it is. A table with the results of both rounds takes the
column whose heading names the round ("๖ เดือน").

Any row that cannot be matched or read refuses the file (by table, row and column, in Thai).
What the rows change is written by rounds.apply_round_import (entry revisions as previewed).
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import thai
from ..models import Measure, ProgressEntry, ProgressReport
from ..services import ServiceError
from .cells import CellError, ImportRefused, parse_long_text
from .docx_cells import Number, WordProblem, measure_parts, theme_parts, title_of_issue
from .docx_read import read_word
from .docx_tables import Found, SourceRow, compact, find_rows
from .rounds import (
    PendingImport,
    apply_round_import,
    parse_completion_date,
    parse_percent,
    parse_status,
    printed_number,
    shown,
)

Status = ProgressEntry.Status
RESULT_KEYS = ("status", "percent", "summary", "outcome", "problems", "suggestions", "completed_on")
TEXTS = ("summary", "outcome", "problems", "suggestions")
PENDING_MAX_CHARS = 300_000
NO_RESULTS = gettext_lazy(
    "ไม่พบคอลัมน์ผลการดำเนินการในตารางมาตรการของไฟล์ (เช่น ‘ผลการดำเนินการ’ ‘สรุปผลการดำเนินงาน’ ‘ข้อเสนอแนะ’) "
    "ถ้าไฟล์นี้เป็นเอกสารมาตรการ ให้นำเข้าที่หน้าเอกสารมาตรการ"
)
STALE = gettext_lazy("ผลการดำเนินการถูกแก้ไขหลังจากที่ตรวจไฟล์ จึงยังไม่ได้นำเข้าข้อมูลใดเลย กรุณานำเข้าไฟล์อีกครั้ง")
_DONE_LINE = re.compile(r"^\(\s*แล้วเสร็จ\s*(?P<date>[^()]+)\)$")
_MARKED = re.compile(r"\S")
_LABELS = {compact(str(label)): value for value, label in Status.choices}


@dataclass
class ResultRow:
    """A row of the file as the preview shows it: where, its measure, each change (heading, old, new)."""

    where: str
    number: str
    title: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class ResultPlan:
    rows: list[ResultRow]
    values: dict[int, dict]  # entry pk → changed values (JSON: dates as ISO text)
    revisions: dict[int, int]  # entry pk → revision, of every entry the file names
    status_kept: bool  # no status in the file: each entry keeps its own

    @property
    def changed(self) -> list[ResultRow]:
        return [row for row in self.rows if row.changes]

    @property
    def unchanged(self) -> list[ResultRow]:
        return [row for row in self.rows if not row.changes]


def read_word_results(*, report: ProgressReport, upload, may_edit) -> tuple[Found, ResultPlan]:
    found = find_rows(read_word(upload))
    if len(json.dumps(found.data, ensure_ascii=False)) > PENDING_MAX_CHARS:  # before any row is checked
        raise ImportRefused([_("ข้อความในตารางรวมกันยาวเกินไป กรุณาแบ่งตารางเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์")])
    return found, plan_results(found, report, may_edit)


def _columns(found: Found, report: ProgressReport) -> tuple[dict[int, dict[str, str]], list[WordProblem]]:
    """Per table, the column each result is read from ("summary~2" when the round's is the second)."""
    chosen: dict[int, dict[str, str]] = {}
    problems: list[WordProblem] = []
    for table in found.tables:
        keys: dict[str, str] = {}
        for base in (*RESULT_KEYS, *(k for k in table.keys if k.startswith("status:"))):
            columns = [c for c in table.columns if c.key.partition("~")[0] == base]
            if len(columns) > 1:
                months = [
                    c
                    for c in columns
                    if re.search(rf"(?<![0-9]){report.round}(?![0-9])", thai.to_arabic_digits(c.heading))
                ]
                if len(months) != 1:
                    headings = ", ".join(f"‘{c.heading}’" for c in columns)
                    message = _("มีคอลัมน์ %(headings)s เป็นข้อมูลเดียวกัน ระบุไม่ได้ว่าคอลัมน์ใดเป็นของ%(round)s กรุณาเหลือไว้คอลัมน์เดียว")
                    problems.append(
                        WordProblem(
                            message % {"headings": headings, "round": report.get_round_display()},
                            table=table.table,
                            row=table.header_rows,
                        )
                    )
                    continue
                columns = months
            if columns:
                keys[base] = columns[0].key
        chosen[table.table] = keys
    return chosen, problems


class _Matcher:
    def __init__(self, report: ProgressReport):
        query = report.entries.select_related("measure__theme").prefetch_related("measure__units")
        self.entries = {entry.measure_id: entry for entry in query}
        measures = [entry.measure for entry in self.entries.values()]
        self.by_number = {(m.theme.number if m.theme_id else None, m.number): m for m in measures}
        self.by_title: dict[str, list[Measure]] = {}
        for measure in measures:
            self.by_title.setdefault(compact(measure.title), []).append(measure)

    def find(self, number: Number | None, theme: int | None, title: str) -> tuple[Measure | None, str]:
        """The measure a row names, or None and why, in Thai."""
        wanted = compact(title)
        if number is not None:
            key = (number.theme if number.theme is not None else theme, number.number)
            measure = self.by_number.get(key) or self.by_number.get((None, number.number))
            if measure is not None:
                if not wanted or _same_title(compact(measure.title), wanted):
                    return measure, ""
                return None, _("มาตรการ %(n)s ในเอกสารนี้ชื่อ “%(title)s” ไม่ตรงกับชื่อในไฟล์") % {
                    "n": printed_number(measure),
                    "title": measure.title[:120],
                }
        found = self.by_title.get(wanted, [])
        if len(found) == 1:
            return found[0], ""
        return None, _("ไม่พบมาตรการ “%(title)s” ในเอกสารนี้ (จับคู่ด้วยลำดับและชื่อมาตรการ)") % {"title": title[:120]}


def _same_title(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 20 and (a.startswith(b) or b.startswith(a)))


def _read_status(row: SourceRow, keys: dict[str, str], values: dict) -> str | None:
    """The status a row gives (None: none given): a status column, a tick under a status, or a
    summary that is only a status or ends "(แล้วเสร็จ <date>)"."""
    if "status" in keys and row.cells.get(keys["status"], "").strip():
        return parse_status(row.cells[keys["status"]])
    ticked = [
        k.partition(":")[2] for k in keys if k.startswith("status:") and _MARKED.search(row.cells.get(keys[k], ""))
    ]
    if len(ticked) > 1:
        raise CellError(_("เลือกสถานะได้ช่องเดียว (ในแถวนี้มีเครื่องหมายมากกว่าหนึ่งช่อง)"))
    if ticked:
        return ticked[0]
    summary = values.get("summary", "")
    if compact(summary) in _LABELS:
        values["summary"] = ""
        return _LABELS[compact(summary)]
    lines = summary.splitlines()
    if lines and (match := _DONE_LINE.match(lines[-1].strip())):
        values["summary"] = "\n".join(lines[:-1]).strip()
        values.setdefault("completed_on", parse_completion_date(match["date"]))
        return Status.DONE
    return None


def plan_results(found: Found, report: ProgressReport, may_edit) -> ResultPlan:
    """Every row matched and checked; what it would change, or ImportRefused with every problem."""
    chosen, problems = _columns(found, report)
    if not any(keys for keys in chosen.values()) or not any(r.kind == "measure" for r in found.rows):
        raise ImportRefused([str(NO_RESULTS)])
    matcher = _Matcher(report)
    theme: int | None = None
    seen: dict[int, SourceRow] = {}
    rows: list[ResultRow] = []
    values_of: dict[int, dict] = {}
    for row in found.rows:
        if row.kind == "theme":
            theme = theme_parts(row.cells["theme"])[0] or theme
            continue
        table, keys = found.map_of(row.table), chosen.get(row.table, {})

        def problem(key: str, message: str, label: str = "", row=row, table=table) -> None:
            heading = table.heading(key) if key else ""
            problems.append(WordProblem(message, row=row.row, column=heading or None, table=row.table, label=label))

        number, title, issue, _unreadable = measure_parts(row.cells)
        title = title if "title" in row.cells else title_of_issue(issue)
        measure, why = matcher.find(number, theme, title)
        if measure is None:
            problem("title" if "title" in row.cells else "issue", why)
            continue
        label = _("มาตรการ %(n)s") % {"n": printed_number(measure)}
        entry = matcher.entries[measure.pk]
        if entry.pk in seen:
            first = seen[entry.pk]
            problem(
                "", _("มาตรการนี้ซ้ำกับตารางที่ %(table)s แถวที่ %(row)s") % {"table": first.table, "row": first.row}, label
            )
            continue
        seen[entry.pk] = row
        if not may_edit(measure):
            problem("", _("มาตรการนี้ไม่ใช่มาตรการของหน่วยงานของคุณ จึงนำเข้าผลไม่ได้"), label)
            continue
        values, count = _read_values(row, keys, entry, problem, label)
        if count:
            continue
        changes = {k: v for k, v in values.items() if not _same(getattr(entry, k), v)}
        result = ResultRow(where=_where(row), number=printed_number(measure), title=measure.title)
        for name, value in changes.items():
            result.changes.append(
                (
                    str(ProgressEntry._meta.get_field(name).verbose_name),
                    shown(name, getattr(entry, name)),
                    shown(name, value),
                )
            )
        rows.append(result)
        if changes:
            values_of[entry.pk] = {k: v.isoformat() if isinstance(v, date) else v for k, v in changes.items()}
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: (p.table or 0, p.row or 0)))
    revisions = {entry.pk: entry.revision for entry in matcher.entries.values() if entry.pk in seen}
    status_kept = not any("status" in k for keys in chosen.values() for k in keys)
    return ResultPlan(rows=rows, values=values_of, revisions=revisions, status_kept=status_kept)


def _read_values(row: SourceRow, keys: dict[str, str], entry: ProgressEntry, problem, label: str) -> tuple[dict, int]:
    values: dict = {}
    count = 0
    for name in TEXTS:
        if name in keys:
            try:
                values[name] = parse_long_text(row.cells.get(keys[name], ""), None)
            except CellError as error:
                problem(keys[name], error.message, label)
                count += 1
    for name, parse in (("percent", parse_percent), ("completed_on", parse_completion_date)):
        if name in keys and row.cells.get(keys[name], "").strip():
            try:
                values[name] = parse(row.cells[keys[name]])
            except CellError as error:
                problem(keys[name], error.message, label)
                count += 1
    try:
        status = _read_status(row, keys, values)
    except CellError as error:
        problem(keys.get("status") or keys.get("summary", ""), error.message, label)
        return values, count + 1
    if status is not None:
        values["status"] = status
    effective = status or entry.status
    if effective == Status.NOT_STARTED and values.get("percent"):
        problem(keys.get("percent", ""), _("สถานะ ยังไม่ดำเนินการ ต้องมีความก้าวหน้าร้อยละ 0"), label)
        count += 1
    if effective != Status.DONE and values.get("completed_on"):
        problem(keys.get("completed_on", ""), _("ใส่วันที่แล้วเสร็จเมื่อสถานะเป็น ดำเนินการแล้วเสร็จ เท่านั้น"), label)
        count += 1
    if status == Status.DONE:
        values["percent"] = 100  # the rule of services.entry_update, shown in the preview
    return values, count


def _same(old, new) -> bool:
    if isinstance(old, str) and isinstance(new, str):
        return old.replace("\r\n", "\n").replace("\r", "\n").strip() == new.strip()
    return old == new


def _where(row: SourceRow) -> str:
    place = _("ตารางที่ %(table)s แถวที่ %(row)s") % {"table": row.table, "row": row.row}
    if row.more:
        place += " " + _("(ต่อ %(n)s แถว)") % {"n": len(row.more)}
    return place


def apply_word_results(*, report: ProgressReport, by, found: Found, revisions: dict[int, int], may_edit) -> int:
    """Write a previewed file into the round's entries (rounds.apply_round_import: one transaction,
    refused if an entry changed since the preview). Returns how many entries changed."""
    plan = plan_results(found, report, may_edit)
    if set(plan.revisions) != set(revisions):
        raise ServiceError(str(STALE))
    pending = PendingImport(report_id=report.pk, filename="", revisions=revisions, values=plan.values)
    return apply_round_import(report=report, by=by, pending=pending, may_edit=may_edit)
