"""Build the data of the official documents: plain structures that templates print.

Step one of two (STYLE.md "Documents"): assemble everything a document shows, with the
organisation's layout and digit style decided here; step two renders it to HTML and, with the
same HTML, to PDF (reports.pdf).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from measures import analysis, editions, numbering, texts, thai
from measures.models import Organisation
from measures.organisations import logo_data_uri

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
        [
            Column("title", "มาตรการ/แนวทาง", 22),
            Column("steps", "ขั้นตอน/วิธีการปฏิบัติ", 30),
            Column("units", "หน่วยงานผู้รับผิดชอบ", 14),
            Column("period", "ระยะเวลาดำเนินการ", 12),
            Column("monitoring", "การติดตามและรายงานผล", 22),
        ],
        [
            Column("title", "มาตรการ/แนวทาง", 17),
            Column("steps", "ขั้นตอน/วิธีการปฏิบัติ", 19),
            Column("units", "หน่วยงานผู้รับผิดชอบ", 11),
            Column("period", "ระยะเวลาดำเนินการ", 10),
            Column("summary", "สรุปผลการดำเนินงาน", 24),
            Column("outcome", "ผลลัพธ์/ความสำเร็จ", 19),
        ],
    ),
    Layout.QUESTION_CODES: (
        [
            Column("issue", "ประเด็นที่ต้องปรับปรุงแก้ไข/ ประเด็นที่ต้องพัฒนา", 24),
            Column("units", "ผู้รับผิดชอบ", 14),
            Column("steps", "ขั้นตอนหรือวิธีการ/มาตรการ", 34),
            Column("monitoring", "การรายงานผลและการกำกับติดตาม กำหนดเวลาแล้วเสร็จ", 28),
        ],
        [
            Column("issue", "ประเด็นที่ต้องปรับปรุงแก้ไข/ ประเด็นที่ต้องพัฒนา", 20),
            Column("units", "ผู้รับผิดชอบ", 12),
            Column("steps", "ขั้นตอนหรือวิธีการ/มาตรการ", 26),
            Column("monitoring", "การรายงานผลและการกำกับติดตาม กำหนดเวลาแล้วเสร็จ", 22),
            Column("summary", "การดำเนินการ", 20),
        ],
    ),
    Layout.BO_PHLOI_2565: (
        [
            Column("title", "มาตรการ/แนวทาง", 22),
            Column("steps", "วิธีการดำเนินการ", 36),
            Column("units", "ผู้รับผิดชอบ", 12),
            Column("period", "ระยะเวลาดำเนินการ", 12),
            Column("monitoring", "การติดตามผล", 18),
        ],
        [
            Column("title", "มาตรการ", 18),
            Column("steps", "วิธีการดำเนินการ", 24),
            Column("units", "ผู้รับผิดชอบ", 11),
            Column("period", "ระยะเวลา", 10),
            Column("summary", "ผลการดำเนินการ", 22),
            Column("suggestions", "ข้อเสนอแนะ", 15),
        ],
    ),
    Layout.SAO_SIX_COLUMNS: (
        [
            Column("title", "มาตรการ", 22),
            Column("steps", "วิธีการดำเนินการ", 34),
            Column("units", "ผู้รับผิดชอบ", 14),
            Column("period", "ระยะเวลา", 12),
            Column("monitoring", "การติดตามผล", 18),
        ],
        [
            Column("title", "มาตรการ", 18),
            Column("steps", "วิธีการดำเนินการ", 24),
            Column("units", "ผู้รับผิดชอบ", 11),
            Column("period", "ระยะเวลา", 10),
            Column("summary", "ผลการดำเนินการ", 22),
            Column("suggestions", "ข้อเสนอแนะ", 15),
        ],
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
    """What the templates print, made from an edition's data (measures.editions) alone."""

    kind: str  # "measures" | "report"
    organisation: dict  # name, place, … as frozen with the edition
    thai_digits: bool
    title_lines: list[str]
    introduction: str
    columns: list[Column]
    rows: list[Row]
    fiscal_year: int
    assessment: dict | None = None
    analysed_year: int | None = None
    chart_svg: str = ""
    indicator_chart_svg: str = ""
    findings: list[dict] = field(default_factory=list)  # each with the "heading" it prints under
    analysis_introduction: str = ""  # under the heading of the analysis
    limitations: list[dict] = field(default_factory=list)  # each tool's, with its "heading"
    limitations_heading: str = analysis.LIMITATIONS_HEADING
    measures_introduction: str = ""  # before the measures table
    cover_lines: list[str] = field(default_factory=list)  # the cover page, as the seeds open
    logo: str = ""  # the emblem frozen with the edition, as a data: URL ("" without one)


def _d(value, thai_digits: bool) -> str:
    return thai.to_thai_digits(value) if thai_digits else str(value)


def period_text(measure: dict, fiscal_year: int, thai_digits: bool) -> str:
    """A measure's period as documents print it: the whole fiscal year by name, months, or a deadline."""
    return texts.period_text(measure, fiscal_year=fiscal_year, thai_digits=thai_digits, or_deadline=True)


def logo_src(organisation: dict) -> str:
    """The emblem an edition prints (its organisation block's "logo"), as a data: URL, or ""."""
    return logo_data_uri(organisation.get("logo") or "")


def _measure_cells(
    measure: dict, number: str, fiscal_year: int, thai_digits: bool, report: bool, all_units_text: str
) -> dict:
    issue = measure["issue"]
    codes = ", ".join(measure["items"])
    if codes and codes not in issue:
        issue = f"{issue}\n({codes})".strip()
    cells = {
        "title": f"{number} {measure['title']}",
        "issue": issue or f"{number} {measure['title']}",
        "steps": numbering.step_lines(measure["steps"]),  # each with its marker, as typed or given
        "units": texts.unit_names(measure, all_units_text=all_units_text)
        + ([measure["owner"]] if measure["owner"] else []),
        "period": period_text(measure, fiscal_year, thai_digits),
        "monitoring": measure["monitoring"],
    }
    result = measure.get("result")
    if report:
        result = result or {
            "status_label": "ยังไม่ดำเนินการ",
            "summary": "",
            "outcome": "",
            "problems": "",
            "suggestions": "",
            "completed_on": None,
            "status": "not_started",
        }
        summary = result["summary"]
        completed = editions.parse_date(result["completed_on"])
        if completed and result["status"] == "done":
            done = thai.format_date_long(completed, thai_digits=thai_digits)
            summary = f"{summary}\n(แล้วเสร็จ {done})".strip()
        cells |= {
            "summary": summary or result["status_label"],
            "outcome": result["outcome"],
            "suggestions": "\n".join(x for x in (result["problems"], result["suggestions"]) if x),
            "status": result["status_label"],
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
        paragraphs = [str(p) for p in value] if isinstance(value, list) else str(value).splitlines()
        per_line = max(1, int(column.width * CHARACTERS_PER_PERCENT))
        # Thai marks above and below take no width: count base characters only.
        lines = sum(-(-len([c for c in p if not _is_mark(c)]) // per_line) or 1 for p in paragraphs)
        tallest = max(tallest, lines)
    return tallest


def _is_mark(char: str) -> bool:
    return char in "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"


def _rows(data: dict, columns: list[Column]) -> list[Row]:
    digits = data["organisation"]["thai_digits"]
    themes = {t["number"]: t["title"] for t in data["themes"]}
    report = data["kind"] == "report"
    all_units_text = texts.all_units_wording(data)
    rows: list[Row] = []
    theme = object()
    for measure in data["measures"]:
        if measure["theme"] != theme and measure["theme"] is not None:
            label = _d(measure["theme"], digits)
            rows.append(
                Row(number=label, cells={"title": f"{label}. {themes.get(measure['theme'], '')}"}, is_theme=True)
            )
        theme = measure["theme"]
        # The number as typed ("1)", "(๑)"); "๑.๒" made from the theme without one (or in an
        # edition frozen before numbers were kept as typed).
        number = _d(measure.get("number_text") or measure["number"], digits)
        cells = _measure_cells(measure, number, data["fiscal_year"], digits, report, all_units_text)
        rows.append(Row(number=number, cells=cells, may_split=estimated_lines(cells, columns) > SPLIT_ROW_LINES))
    return rows


def columns_for(layout: str, kind: str) -> list[Column]:
    return COLUMNS.get(layout, COLUMNS[Layout.THEMES_12M])[0 if kind == "measures" else 1]


def _number(value: str | None):
    return None if value is None else Decimal(value)


def trend_charts(trend: list[dict], *, organisation_name: str, thai_digits: bool) -> tuple[str, str]:
    """SVG charts of the years on record (measures.editions.trend_data): totals and tools over the
    years, and the indicators."""
    if not trend:
        return "", ""
    series = [Series("คะแนนรวม", [(year["year"], _number(year["total"])) for year in trend])]
    for code in ("IIT", "EIT", "OIT"):
        points = [(year["year"], _number(year["tools"].get(code))) for year in trend]
        if any(score is not None for _, score in points):
            series.append(Series(code, points))
    pass_mark = _number(trend[-1]["pass_mark"])
    chart = trend_svg(
        series, title=f"ผลการประเมิน ITA ของ{organisation_name}", thai_digits=thai_digits, pass_mark=pass_mark
    )
    # Indicators by number: the ten indicators keep their numbers across the years on record.
    names: dict[int, str] = {}
    scores: dict[int, list[tuple[int, object]]] = {}
    for year in trend:
        for indicator in year["indicators"]:
            names[indicator["number"]] = indicator["name"]
            scores.setdefault(indicator["number"], []).append((year["year"], _number(indicator["score"])))
    rows = [Series(f"{_d(n, thai_digits)}. {names[n]}", scores[n]) for n in sorted(names)]
    bars = indicator_bars_svg(
        rows,
        years=[year["year"] for year in trend],
        title="คะแนนรายตัวชี้วัด",
        thai_digits=thai_digits,
        pass_mark=pass_mark,
    )
    return chart, bars


def live_trend_charts(organisation: Organisation, *, assessments: list) -> tuple[str, str]:
    """The charts of an organisation's public page, from its scores on record now."""
    return trend_charts(
        editions.trend_data(assessments), organisation_name=organisation.name, thai_digits=organisation.thai_digits
    )


def printed_findings(data: dict) -> list[dict]:
    """The findings of an edition, each with the heading it prints under (measures.analysis).

    "headed": the heading prints on a line of its own, once for findings in a row under the same
    heading and tool ("new_heading"); an edition frozen before findings had headings of their own
    prints each finding's kind in bold before its text, as it was approved."""
    printed, previous = [], None
    for finding in data.get("findings", []):
        heading = analysis.finding_heading(finding)
        headed = "indicator_names" in finding
        printed.append(
            finding | {"heading": heading, "headed": headed, "new_heading": (heading, finding["tool"]) != previous}
        )
        previous = (heading, finding["tool"]) if headed else None
    return printed


def printed_limitations(data: dict) -> list[dict]:
    """The limitations of each tool, with their headings ("ข้อจำกัดของเครื่องมือ IIT"); none in an
    edition frozen before they were printed."""
    return [
        limitation | {"heading": analysis.limitation_heading(limitation)}
        for limitation in data.get("limitations", [])
        if limitation["text"].strip()
    ]


def measures_document_data(data: dict) -> DocumentData:
    organisation = data["organisation"]
    digits = organisation["thai_digits"]
    charts = trend_charts(data["trend"], organisation_name=organisation["name"], thai_digits=digits)
    columns = columns_for(organisation["layout"], "measures")
    return DocumentData(
        kind="measures",
        organisation=organisation,
        thai_digits=digits,
        title_lines=prose(
            [data["title"], f"{organisation['name']} {organisation['place']}".strip()], thai_digits=digits
        ),
        cover_lines=[
            "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
            "(Integrity and Transparency Assessment : ITA)",
            thai.fiscal_year_label(data["fiscal_year"], thai_digits=digits).replace("ปี", "ประจำปี", 1),
        ],
        introduction=data["introduction"],
        columns=columns,
        rows=_rows(data, columns),
        fiscal_year=data["fiscal_year"],
        assessment=data["assessment"],
        analysed_year=data["analysed_year"],
        chart_svg=charts[0],
        indicator_chart_svg=charts[1],
        findings=printed_findings(data),
        analysis_introduction=data.get("analysis_introduction", "").strip(),
        limitations=printed_limitations(data),
        measures_introduction=data.get("measures_introduction", "").strip(),
        logo=logo_src(organisation),
    )


def progress_report_data(data: dict) -> DocumentData:
    organisation = data["organisation"]
    digits = organisation["thai_digits"]
    fiscal_year = data["fiscal_year"]
    round_label = thai.round_label(data["round"], thai_digits=digits)
    period = thai.round_period_label(fiscal_year, data["round"], thai_digits=digits)
    columns = columns_for(organisation["layout"], "report")
    return DocumentData(
        kind="report",
        organisation=organisation,
        thai_digits=digits,
        title_lines=[
            "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
            f"{organisation['name']} {thai.fiscal_year_label(fiscal_year, thai_digits=digits)}",
            f"{round_label} ({period})",
        ],
        cover_lines=[
            "รายงานผลการดำเนินการ",
            "ตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
            "(Integrity and Transparency Assessment : ITA)",
            thai.fiscal_year_label(fiscal_year, thai_digits=digits).replace("ปี", "ประจำปี", 1),
            f"{round_label} ({period})",
        ],
        introduction=data["introduction"],
        columns=columns,
        rows=_rows(data, columns),
        fiscal_year=fiscal_year,
        logo=logo_src(organisation),
    )


def document_data(data: dict) -> DocumentData:
    return measures_document_data(data) if data["kind"] == "measures" else progress_report_data(data)


def prose(lines: list[str], *, thai_digits: bool) -> list[str]:
    """Lines of text in the organisation's digits (item codes keep theirs: thai.prose_thai_digits):
    the title a Thai-digit document prints (and names its HTML page and PDF with) was typed, or made
    by the portal ("… พ.ศ. 2566"), with Arabic digits."""
    return [thai.prose_thai_digits(line) for line in lines] if thai_digits else list(lines)


def score_rows(assessment: dict, thai_digits: bool) -> list[dict]:
    """Rows of the scores table: each tool, its parts where reported (EIT from 2567), then its
    indicators, with the weak ones marked. Labels are in the document's digits ("EIT ส่วนที่ ๑")."""
    rows = []
    for tool in assessment["tools"]:
        rows.append(
            {
                "label": prose([f"{tool['code']} {tool['name']}"], thai_digits=thai_digits)[0],
                "score": fmt(tool["score"], thai_digits),
                "is_tool": True,
                "weak": False,
            }
        )
        for part in tool["parts"]:
            rows.append(
                {
                    "label": prose([part["name"]], thai_digits=thai_digits)[0],
                    "score": fmt(part["score"], thai_digits),
                    "is_tool": False,
                    "is_part": True,
                    "weak": False,
                }
            )
        for indicator in tool["indicators"]:
            rows.append(
                {
                    "label": prose([f"{indicator['number']}. {indicator['name']}"], thai_digits=thai_digits)[0],
                    "score": fmt(indicator["score"], thai_digits),
                    "is_tool": False,
                    "weak": indicator["weak"],
                }
            )
    return rows


def fmt(value: str | Decimal | None, thai_digits: bool) -> str:
    if value is None:
        return "—"
    return thai.format_number(Decimal(value), 2, thai_digits=thai_digits)
