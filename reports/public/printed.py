"""What a published version prints, field by field, as open data (the "printed" part of its JSON
and the rows of its CSV), from ``Publication.data`` alone.

Every field the print shows, worded as the print words it (reports.documents and
measures.analysis), with Arabic digits whatever the organisation prints:

- the introductions (of the document, of its analysis, of its measures);
- each finding: the heading it prints under, its kind, tool, indicators (number and name),
  items and text;
- the limitations of each tool, with their headings;
- each measure: its number as printed, theme, title, issue, indicators, items, steps, units,
  person responsible, period as printed, deadline, monitoring, target and budget; in a report,
  its result (status, progress, summary, outcome, problems, suggestions, date completed).

Versions published before editions carried these keys keep working: what they lack is left
empty (a finding then prints under its kind, as it did), and versions published before
editions carried their whole data give their measures' rows as they were stored.
"""

from datetime import date

from django.utils.translation import gettext_lazy as _

from measures import editions, texts, thai

from .. import documents

__all__ = ["CSV_COLUMNS", "LEAD_COLUMNS", "printed_fields", "publication_table"]

LEAD_COLUMNS = [_("หน่วยงาน"), _("ปีงบประมาณ (พ.ศ.)"), _("เอกสาร"), _("ฉบับเผยแพร่ที่"), _("วันที่เผยแพร่ (พ.ศ.)")]

# The columns after the lead: which part of the document a row is, then every printed field.
MEASURE_COLUMNS = [
    ("section", _("ส่วนของเอกสาร")),
    ("number", _("ลำดับ")),
    ("theme", _("ด้าน")),
    ("title", _("มาตรการ/แนวทาง")),
    ("issue", _("ประเด็นที่ต้องแก้ไข/ปรับปรุง")),
    ("indicators", _("ตัวชี้วัดที่เกี่ยวข้อง")),
    ("items", _("ข้อคำถามที่เกี่ยวข้อง")),
    ("steps", _("ขั้นตอน/วิธีการดำเนินการ")),
    ("units", _("ผู้รับผิดชอบ")),
    ("owner", _("ผู้รับผิดชอบ (บุคคล)")),
    ("period", _("ระยะเวลาดำเนินการ")),
    ("deadline", _("กำหนดแล้วเสร็จ (พ.ศ.)")),
    ("monitoring", _("การติดตามผล")),
    ("target", _("เป้าหมาย")),
    ("budget", _("งบประมาณ (บาท)")),
]
RESULT_COLUMNS = [
    ("status", _("สถานะ")),
    ("percent", _("ร้อยละความก้าวหน้า")),
    ("summary", _("สรุปผลการดำเนินงาน")),
    ("outcome", _("ผลลัพธ์/ความสำเร็จ")),
    ("problems", _("ปัญหาอุปสรรค")),
    ("suggestions", _("ข้อเสนอแนะ")),
    ("completed_on", _("วันที่แล้วเสร็จ (พ.ศ.)")),
]
# Introductions, findings and limitations: a heading, a kind, a tool and a text.
TEXT_COLUMNS = [
    ("heading", _("หัวข้อ")),
    ("kind", _("ประเภท")),
    ("tool", _("เครื่องมือ")),
    ("text", _("ข้อความ")),
]
CSV_COLUMNS = {
    "measures": MEASURE_COLUMNS + TEXT_COLUMNS,
    "report": MEASURE_COLUMNS + RESULT_COLUMNS + TEXT_COLUMNS,
}

SECTIONS = {
    "introduction": _("บทนำ"),
    "analysis_introduction": _("บทนำของผลการวิเคราะห์"),
    "findings": _("ผลการวิเคราะห์"),
    "limitations": _("ข้อจำกัดของการประเมิน"),
    "measures_introduction": _("บทนำของมาตรการ"),
    "measures": _("มาตรการ"),
    "results": _("ผลการดำเนินการ"),
}
DATE_KEYS = {"deadline", "completed_on"}


# --- The printed fields --------------------------------------------------------------------


def _arabic(data: dict) -> dict:
    """The edition as an organisation printing Arabic digits would print it (no charts, no emblem)."""
    return data | {"organisation": data["organisation"] | {"thai_digits": False, "logo": ""}, "trend": []}


# What the print adds to keep words whole at line ends: plain spaces and nothing in open data.
PLAIN = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2060": None, "\u200b": None, "\ufeff": None})


def _plain(value):
    """Texts as a program reads them: no-break spaces as spaces, word joiners dropped."""
    if isinstance(value, str):
        return value.translate(PLAIN)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _step_lines(steps) -> list[str]:
    """A measure's steps as its cell prints them, one line each with its marker as printed."""
    return [str(step) for step in steps or []]


def _finding(finding: dict) -> dict:
    names = finding.get("indicator_names", [])
    return {
        "heading": finding["heading"],
        "kind": finding["kind"],
        "kind_label": finding["kind_label"],
        "tool": finding["tool"],
        "indicators": [
            {"number": number, "name": names[n] if n < len(names) else ""}
            for n, number in enumerate(finding["indicators"])
        ],
        "items": finding["items"],
        "issue_area": finding.get("issue_area", ""),
        "text": finding["text"],
    }


def _measure(measure: dict, row: documents.Row, data: dict, themes: dict) -> dict:
    printed = {
        "number": row.number,
        "theme": measure["theme"],
        "theme_title": themes.get(measure["theme"], "") if measure["theme"] is not None else "",
        "title": measure["title"],
        "issue": measure["issue"],
        "indicators": measure["indicators"],
        "items": measure["items"],
        "steps": _step_lines(row.cells.get("steps")),
        "units": texts.unit_names(measure, all_units_text=texts.all_units_wording(data)),
        "owner": measure["owner"],
        "period": row.cells.get("period", ""),
        "deadline": measure.get("deadline"),
        "monitoring": measure["monitoring"],
        "target": measure.get("target", ""),
        "budget": measure.get("budget"),
    }
    if data["kind"] == "report":
        result = measure.get("result") or {}
        printed["result"] = {
            "status": result.get("status", "not_started"),
            "status_label": row.cells.get("status", ""),
            "percent": result.get("percent"),
            "summary": result.get("summary", ""),
            "outcome": result.get("outcome", ""),
            "problems": result.get("problems", ""),
            "suggestions": result.get("suggestions", ""),
            "completed_on": result.get("completed_on"),
        }
    return printed


def printed_fields(data: dict) -> dict | None:
    """Every field the version prints (the JSON's "printed"); None for a version published before
    editions carried their whole data (its "data" is all there is)."""
    if data.get("schema") != editions.SCHEMA:
        return None
    doc = documents.document_data(_arabic(data))
    themes = {t["number"]: t["title"] for t in data["themes"]}
    rows = [row for row in doc.rows if not row.is_theme]
    measures = [_measure(m, row, data, themes) for m, row in zip(data["measures"], rows, strict=True)]
    if data["kind"] != "measures":
        return _plain({"introduction": doc.introduction, "measures": measures})
    return _plain(
        {
            "introduction": doc.introduction,
            "analysis_introduction": doc.analysis_introduction,
            "findings": [_finding(f) for f in doc.findings],
            "limitations_heading": doc.limitations_heading,
            "limitations": [
                {"tool": x["tool"], "tool_name": x.get("tool_name", ""), "heading": x["heading"], "text": x["text"]}
                for x in doc.limitations
            ],
            "measures_introduction": doc.measures_introduction,
            "measures": measures,
        }
    )


# --- The CSV -------------------------------------------------------------------------------


def _cell(key: str, value) -> str:
    if isinstance(value, list):
        separator = "\n" if key == "steps" else ", "
        return separator.join(str(v["number"] if isinstance(v, dict) else v) for v in value)
    if key in DATE_KEYS:
        return thai.format_date_numeric(date.fromisoformat(value)) if value else ""
    return "" if value is None else str(value)


def _text_rows(printed: dict) -> tuple[list[dict], list[dict]]:
    """The rows before the measures (introductions, findings, limitations) and the measures'
    introduction, each a dict of the CSV's keys."""
    before = [
        {"section": SECTIONS[key], "text": printed[key]}
        for key in ("introduction", "analysis_introduction")
        if printed.get(key)
    ]
    before += [{"section": SECTIONS["findings"], **f, "kind": f["kind_label"]} for f in printed.get("findings", [])]
    before += [{"section": SECTIONS["limitations"], **x} for x in printed.get("limitations", [])]
    after = []
    if printed.get("measures_introduction"):
        after.append({"section": SECTIONS["measures_introduction"], "text": printed["measures_introduction"]})
    return before, after


def publication_table(data: dict, lead: list, kind: str) -> list[list]:
    """The frozen data as one table with Thai headers: a row per introduction, finding,
    limitation and measure (or measure's result), in print order, each after the lead cells."""
    kind = data.get("kind", "measures" if kind == "measures" else "report")
    columns = CSV_COLUMNS[kind]
    header = [*LEAD_COLUMNS, *(label for _key, label in columns)]
    section = SECTIONS["measures" if kind == "measures" else "results"]
    printed = printed_fields(data)
    if printed is None:  # published before editions carried their whole data
        records = [{"section": section, **row} for row in _legacy_rows(data, kind)]
    else:
        before, after = _text_rows(printed)
        measures = [
            {"section": section, **m, "theme": m["theme_title"], **(m.get("result") or {})}
            | ({"status": m["result"]["status_label"]} if "result" in m else {})
            for m in printed["measures"]
        ]
        records = before + after + measures
    return [header, *([*lead, *(_cell(key, record.get(key)) for key, _label in columns)] for record in records)]


def _legacy_rows(data: dict, kind: str) -> list[dict]:
    """The rows of a version published before editions carried their whole data."""
    if kind != "measures":
        return list(data.get("entries", []))
    themes = {str(t["number"]): t["title"] for t in data.get("themes", [])}
    rows = []
    for measure in data.get("measures", []):
        number = str(measure.get("number", ""))
        rows.append(
            measure
            | {
                "theme": themes.get(number.partition(".")[0], "") if "." in number else "",
                "steps": list(measure.get("steps") or []),
            }
        )
    return rows
