"""The analysis of a measures document as its edition freezes and prints it: the findings, each
under the heading the officer gave it, and the limitations of each ITA tool.

Pure parts of `editions.edition_data` (the national data generator builds the same rows from
rows in memory), and the wording of the headings that the print, the public page and the open
data share.

A finding's heading is, in this order:

1. its issue area as the officer typed it, her own words and numbering ("ประเด็นที่ 1 การเปิดเผยข้อมูล");
2. without one, its indicators, numbered and named as in the framework ("ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล");
3. without either, the label of its kind ("ประเด็นที่ต้องพัฒนาให้ดีขึ้น").

An edition frozen before findings carried their indicators' names (no "indicator_names") prints
every finding under the label of its kind, as it did when it was approved.
"""

from collections.abc import Mapping

from .models import Finding, MeasuresDocument, ToolLimitation

__all__ = [
    "LIMITATIONS_HEADING",
    "finding_heading",
    "finding_row",
    "findings_data",
    "heading_of",
    "indicator_heading",
    "limitation_heading",
    "limitation_row",
    "limitations_data",
]

LIMITATIONS_HEADING = "ข้อจำกัดของการประเมิน"


def finding_row(
    finding: Finding, *, tool: str, indicators: list[int], items: list[str], indicator_names: list[str] = ()
) -> dict:
    """One finding: its own fields, with its tool's code ("" without one), the numbers and names of
    its indicators (in the same order) and the codes of its items."""
    return {
        "kind": finding.kind,
        "kind_label": str(finding.get_kind_display()),
        "tool": tool,
        "indicators": indicators,
        "indicator_names": list(indicator_names),
        "items": items,
        "issue_area": finding.issue_area,
        "text": finding.text,
    }


def findings_data(document: MeasuresDocument) -> list[dict]:
    """The document's findings in print order (one query for them, one each for indicators and items)."""
    rows = []
    for f in document.findings.select_related("tool").prefetch_related("indicators", "items"):
        indicators = list(f.indicators.all())
        rows.append(
            finding_row(
                f,
                tool=f.tool.code if f.tool else "",
                indicators=[i.number for i in indicators],
                items=[i.code for i in f.items.all()],
                indicator_names=[i.name for i in indicators],
            )
        )
    return rows


def indicator_heading(numbers: list[int], names: list[str]) -> str:
    """ "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล", or several joined "…, … และ…"; "" without indicators."""
    parts = [
        " ".join(x for x in (f"ตัวชี้วัดที่ {number}", (names[n] if n < len(names) else "").strip()) if x)
        for n, number in enumerate(numbers)
    ]
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} และ{parts[-1]}"


def finding_heading(finding: Mapping) -> str:
    """The heading a finding of an edition prints under (Arabic digits; the print turns them Thai)."""
    if "indicator_names" not in finding:  # frozen before headings: as it was approved
        return finding["kind_label"]
    return (
        finding["issue_area"].strip()
        or indicator_heading(finding["indicators"], finding["indicator_names"])
        or finding["kind_label"]
    )


def heading_of(finding: Finding) -> str:
    """The heading a finding prints under now (its indicators prefetched: no query)."""
    indicators = list(finding.indicators.all())
    row = finding_row(
        finding,
        tool="",
        indicators=[i.number for i in indicators],
        items=[],
        indicator_names=[i.name for i in indicators],
    )
    return finding_heading(row)


def limitation_row(limitation: ToolLimitation, *, tool: str, tool_name: str) -> dict:
    """The limitations of one tool: its code, its name and the text."""
    return {"tool": tool, "tool_name": tool_name, "text": limitation.text}


def limitations_data(document: MeasuresDocument) -> list[dict]:
    """The document's limitations in the order of their tools (one query)."""
    return [
        limitation_row(limitation, tool=limitation.tool.code, tool_name=limitation.tool.name)
        for limitation in document.limitations.select_related("tool")
    ]


def limitation_heading(limitation: Mapping) -> str:
    """ "ข้อจำกัดของเครื่องมือ IIT"."""
    return f"ข้อจำกัดของเครื่องมือ {limitation['tool']}"
