"""Build the data of the official documents: plain structures that templates print.

Step one of two (STYLE.md "Documents"): assemble everything a document shows, with the
organisation's layout and digit style decided here; step two renders it to HTML and, with the
same HTML, to PDF (reports.pdf).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from measures import selectors, thai
from measures.models import Measure, MeasuresDocument, Organisation, ProgressEntry, ProgressReport
from measures.scoring import ScoreCard, scorecard_for

from .charts import Series, indicator_bars_svg, trend_svg

Layout = Organisation.Layout


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # per cent of the table width


# Column sets of ITA-DOMAIN.md §4, per layout: (measures document, progress report).
COLUMNS: dict[str, tuple[list[Column], list[Column]]] = {
    Layout.THEMES_12M: (
        [Column("title", "มาตรการ/แนวทาง", 22), Column("steps", "ขั้นตอน/วิธีการปฏิบัติ", 30),
         Column("units", "หน่วยงานผู้รับผิดชอบ", 14), Column("period", "ระยะเวลาดำเนินการ", 12),
         Column("monitoring", "การติดตามและรายงานผล", 22)],
        [Column("title", "มาตรการ/แนวทาง", 17), Column("steps", "ขั้นตอน/วิธีการปฏิบัติ", 19),
         Column("units", "หน่วยงานผู้รับผิดชอบ", 11), Column("period", "ระยะเวลาดำเนินการ", 10),
         Column("summary", "สรุปผลการดำเนินงาน", 24), Column("outcome", "ผลลัพธ์/ความสำเร็จ", 19)],
    ),
    Layout.QUESTION_CODES: (
        [Column("issue", "ประเด็นที่ต้องปรับปรุงแก้ไข/ ประเด็นที่ต้องพัฒนา", 24), Column("units", "ผู้รับผิดชอบ", 14),
         Column("steps", "ขั้นตอนหรือวิธีการ/มาตรการ", 34),
         Column("monitoring", "การรายงานผลและการกำกับติดตาม กำหนดเวลาแล้วเสร็จ", 28)],
        [Column("issue", "ประเด็นที่ต้องปรับปรุงแก้ไข/ ประเด็นที่ต้องพัฒนา", 20), Column("units", "ผู้รับผิดชอบ", 12),
         Column("steps", "ขั้นตอนหรือวิธีการ/มาตรการ", 26),
         Column("monitoring", "การรายงานผลและการกำกับติดตาม กำหนดเวลาแล้วเสร็จ", 22),
         Column("summary", "การดำเนินการ", 20)],
    ),
    Layout.BO_PHLOI_2565: (
        [Column("title", "มาตรการ/แนวทาง", 22), Column("steps", "วิธีการดำเนินการ", 36),
         Column("units", "ผู้รับผิดชอบ", 12), Column("period", "ระยะเวลาดำเนินการ", 12),
         Column("monitoring", "การติดตามผล", 18)],
        [Column("title", "มาตรการ", 18), Column("steps", "วิธีการดำเนินการ", 24), Column("units", "ผู้รับผิดชอบ", 11),
         Column("period", "ระยะเวลา", 10), Column("summary", "ผลการดำเนินการ", 22),
         Column("suggestions", "ข้อเสนอแนะ", 15)],
    ),
    Layout.SAO_SIX_COLUMNS: (
        [Column("title", "มาตรการ", 22), Column("steps", "วิธีการดำเนินการ", 34), Column("units", "ผู้รับผิดชอบ", 14),
         Column("period", "ระยะเวลา", 12), Column("monitoring", "การติดตามผล", 18)],
        [Column("title", "มาตรการ", 18), Column("steps", "วิธีการดำเนินการ", 24), Column("units", "ผู้รับผิดชอบ", 11),
         Column("period", "ระยะเวลา", 10), Column("summary", "ผลการดำเนินการ", 22),
         Column("suggestions", "ข้อเสนอแนะ", 15)],
    ),
}


@dataclass
class Row:
    """One printed row: a theme heading (cells empty) or a measure."""

    number: str
    cells: dict[str, object]
    is_theme: bool = False
    may_split: bool = False  # too tall to move whole to the next page (see estimated_lines)


@dataclass
class DocumentData:
    kind: str  # "measures" | "report"
    organisation: Organisation
    thai_digits: bool
    title_lines: list[str]
    introduction: str
    columns: list[Column]
    rows: list[Row]
    fiscal_year: int
    scores: ScoreCard | None = None
    analysed_year: int | None = None
    chart_svg: str = ""
    indicator_chart_svg: str = ""
    findings: list[dict] = field(default_factory=list)
    part_scores: dict[int, list[tuple[object, Decimal | None]]] = field(default_factory=dict)  # tool id → parts
    cover_lines: list[str] = field(default_factory=list)  # the cover page, as the seeds open


def _d(value, thai_digits: bool) -> str:
    return thai.to_thai_digits(value) if thai_digits else str(value)


def _period(measure: Measure, thai_digits: bool) -> str:
    if measure.whole_year:
        return "ตลอด" + thai.fiscal_year_label(measure.document.fiscal_year, thai_digits=thai_digits)
    if measure.period_start and measure.period_end:
        return thai.format_month_range(measure.period_start, measure.period_end, thai_digits=thai_digits)
    if measure.deadline:
        return "ภายใน " + thai.format_date_short(measure.deadline, thai_digits=thai_digits)
    return ""


def _units(measure: Measure) -> list[str]:
    return (["ทุกกอง/สำนัก"] if measure.all_units else []) + [u.name for u in measure.units.all()]


def _measure_cells(measure: Measure, number: str, thai_digits: bool, entry: ProgressEntry | None) -> dict:
    issue = measure.issue
    codes = ", ".join(i.code for i in measure.items.all())
    if codes and codes not in issue:
        issue = f"{issue}\n({codes})".strip()
    cells = {
        "title": f"{number} {measure.title}",
        "issue": issue or f"{number} {measure.title}",
        "steps": [s.text for s in measure.steps.all()],
        "units": _units(measure) + ([measure.owner] if measure.owner else []),
        "period": _period(measure, thai_digits),
        "monitoring": measure.monitoring,
    }
    if entry is not None:
        summary = entry.summary
        if entry.completed_on and entry.status == ProgressEntry.Status.DONE:
            done = thai.format_date_long(entry.completed_on, thai_digits=thai_digits)
            summary = f"{summary}\n(แล้วเสร็จ {done})".strip()
        cells |= {
            "summary": summary or entry.get_status_display(),
            "outcome": entry.outcome,
            "suggestions": "\n".join(x for x in (entry.problems, entry.suggestions) if x),
            "status": entry.get_status_display(),
        }
    return cells


# A row is kept on one page (tr {break-inside: avoid}) unless it is taller than this many lines:
# WeasyPrint cannot move a row taller than the page, and would then print that page without
# the table header (PDF-NOTES). A landscape page holds about 28 lines of 11 pt under the header.
SPLIT_ROW_LINES = 22
CHARACTERS_PER_PERCENT = 1.45  # Thai at 11 pt: characters per line per per cent of 273 mm


def estimated_lines(cells: dict, columns: list[Column]) -> int:
    """The printed height of a row in lines: its tallest cell, by a rough count of characters."""
    tallest = 0
    for column in columns:
        value = cells.get(column.key) or ""
        paragraphs = value if isinstance(value, list) else str(value).splitlines()
        per_line = max(1, int(column.width * CHARACTERS_PER_PERCENT))
        # Thai marks above and below take no width: count base characters only.
        lines = sum(-(-len([c for c in p if not _is_mark(c)]) // per_line) or 1 for p in paragraphs)
        tallest = max(tallest, lines)
    return tallest


def _is_mark(char: str) -> bool:
    return char in "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"


def _rows(measures: list[Measure], thai_digits: bool, entries: dict[int, ProgressEntry] | None,
          columns: list[Column]) -> list[Row]:
    rows: list[Row] = []
    theme_id = object()
    for measure in measures:
        if measure.theme_id != theme_id and measure.theme_id is not None:
            theme = measure.theme
            rows.append(Row(number=_d(theme.number, thai_digits), cells={"title": f"{_d(theme.number, thai_digits)}. {theme.title}"}, is_theme=True))
        theme_id = measure.theme_id
        number = _d(measure.display_number, thai_digits)
        entry = entries.get(measure.pk) if entries is not None else None
        cells = _measure_cells(measure, number, thai_digits, entry)
        rows.append(Row(number=number, cells=cells, may_split=estimated_lines(cells, columns) > SPLIT_ROW_LINES))
    return rows


def _measures(document: MeasuresDocument) -> list[Measure]:
    return list(
        document.measures.select_related("theme", "document")
        .prefetch_related("units", "items", "steps")
        .in_print_order()
    )


def _columns(organisation: Organisation, index: int) -> list[Column]:
    return COLUMNS.get(organisation.report_layout, COLUMNS[Layout.THEMES_12M])[index]


def trend_charts(organisation: Organisation, *, thai_digits: bool, assessments: list | None = None) -> tuple[str, str]:
    """SVG charts of the years on record: totals and tools over the years, and the indicators.

    `assessments`: the organisation's, as selectors.assessments_for gives them, when the caller
    has them already.
    """
    if assessments is None:
        assessments = list(selectors.assessments_for(organisation))
    if not assessments:
        return "", ""
    cards = [(a.framework.year, scorecard_for(a)) for a in assessments]
    series = [Series("คะแนนรวม", [(year, card.total) for year, card in cards])]
    for code in ("IIT", "EIT", "OIT"):
        points = [(year, next((t.score for t in card.tools if t.tool.code == code), None)) for year, card in cards]
        if any(score is not None for _, score in points):
            series.append(Series(code, points))
    pass_mark = assessments[-1].framework.pass_mark
    trend = trend_svg(series, title=f"ผลการประเมิน ITA ของ{organisation.name}", thai_digits=thai_digits,
                      pass_mark=pass_mark)
    # Indicators by number: the ten indicators keep their numbers across the years on record.
    names: dict[int, str] = {}
    scores: dict[int, list[tuple[int, object]]] = {}
    for year, card in cards:
        for tool in card.tools:
            for indicator, score in tool.indicators:
                names[indicator.number] = indicator.name
                scores.setdefault(indicator.number, []).append((year, score))
    rows = [Series(f"{_d(n, thai_digits)}. {names[n]}", scores[n]) for n in sorted(names)]
    bars = indicator_bars_svg(rows, years=[year for year, _ in cards], title="คะแนนรายตัวชี้วัด",
                              thai_digits=thai_digits, pass_mark=pass_mark)
    return trend, bars


def measures_document_data(document: MeasuresDocument) -> DocumentData:
    organisation = document.organisation
    digits = organisation.thai_digits
    assessments = list(selectors.assessments_for(organisation))  # once: the scores and the charts
    assessment = next((a for a in assessments if a.framework.year == document.analysed_year), None)
    scores = None
    part_scores: dict[int, list] = {}
    if assessment is not None:
        scores = scorecard_for(assessment)
        entered = {s.part_id: s.score for s in assessment.part_scores.all()}
        for tool in assessment.framework.tools.all():
            if tool.parts.all():
                part_scores[tool.pk] = [(part, entered.get(part.pk)) for part in tool.parts.all()]
    findings = [
        {"kind": f.get_kind_display(), "tool": f.tool.code if f.tool else "",
         "indicators": [i.number for i in f.indicators.all()], "text": f.text}
        for f in document.findings.select_related("tool").prefetch_related("indicators")
    ]
    charts = trend_charts(organisation, thai_digits=digits, assessments=assessments)
    return DocumentData(
        kind="measures",
        organisation=organisation,
        thai_digits=digits,
        title_lines=[document.title, f"{organisation.name} {organisation.place}".strip()],
        cover_lines=[
            "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
            "(Integrity and Transparency Assessment : ITA)",
            thai.fiscal_year_label(document.fiscal_year, thai_digits=digits).replace("ปี", "ประจำปี", 1),
        ],
        introduction=document.introduction,
        columns=(columns := _columns(organisation, 0)),
        rows=_rows(_measures(document), digits, None, columns),
        fiscal_year=document.fiscal_year,
        scores=scores,
        analysed_year=document.analysed_year,
        chart_svg=charts[0],
        indicator_chart_svg=charts[1],
        findings=findings,
        part_scores=part_scores,
    )


def progress_report_data(report: ProgressReport) -> DocumentData:
    document = report.document
    organisation = document.organisation
    digits = organisation.thai_digits
    entries = {e.measure_id: e for e in report.entries.all()}
    round_label = thai.round_label(report.round, thai_digits=digits)
    period = thai.round_period_label(document.fiscal_year, report.round, thai_digits=digits)
    return DocumentData(
        kind="report",
        organisation=organisation,
        thai_digits=digits,
        title_lines=[
            "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
            f"{organisation.name} {thai.fiscal_year_label(document.fiscal_year, thai_digits=digits)}",
            f"{round_label} ({period})",
        ],
        cover_lines=[
            "รายงานผลการดำเนินการ",
            "ตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
            "(Integrity and Transparency Assessment : ITA)",
            thai.fiscal_year_label(document.fiscal_year, thai_digits=digits).replace("ปี", "ประจำปี", 1),
            f"{round_label} ({period})",
        ],
        introduction=report.introduction,
        columns=(columns := _columns(organisation, 1)),
        rows=_rows(_measures(document), digits, entries, columns),
        fiscal_year=document.fiscal_year,
    )


def score_rows(card: ScoreCard, thai_digits: bool, part_scores: dict | None = None) -> list[dict]:
    """Rows of the scores table: each tool, its parts where reported (EIT from 2567), then its
    indicators, with the weak ones marked."""
    rows = []
    for tool in card.tools:
        rows.append({"label": f"{tool.tool.code} {tool.tool.name}", "score": _fmt(tool.score, thai_digits),
                     "is_tool": True, "weak": False})
        for part, score in (part_scores or {}).get(tool.tool.pk, []):
            rows.append({"label": part.name, "score": _fmt(score, thai_digits), "is_tool": False,
                         "is_part": True, "weak": False})
        for indicator, score in tool.indicators:
            rows.append({
                "label": f"{_d(indicator.number, thai_digits)}. {indicator.name}",
                "score": _fmt(score, thai_digits), "is_tool": False,
                "weak": score is not None and score < card.framework.pass_mark,
            })
    return rows


def _fmt(value: Decimal | None, thai_digits: bool) -> str:
    return thai.format_number(value, 2, thai_digits=thai_digits) if value is not None else "—"
