"""Word (.docx) files for the Word import's tests, written with python-docx as officers lay them out.

`seed_docx(name)`: the measures table of one of the three seed documents (shared/seeds), built from
its demo data (fixtures/demo/<name>.json) in the seed's own layout: its headings, Thai digits,
themes merged across the row, numbers typed before the titles, the table split across pages
as the seed splits it. `docx_bytes(...)`: any file from paragraphs and tables, with cells merged
across (`Span`) or down (`UP`), Word's own numbered lists (`Listed`) and line breaks in cells.
The variants (merged cells, a heading over two rows, a table continued on a new page, numbers
typed in the cells, a file to refuse) are built from it at the end.
"""

import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from measures import thai

DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"


@dataclass(frozen=True)
class Span:
    """A cell merged across `columns` places of the grid."""

    text: str | list[str]
    columns: int


@dataclass(frozen=True)
class Listed:
    """Paragraphs numbered by Word itself (the "List Number" style): no number typed in the text."""

    lines: list[str]


UP = object()  # merged down with the cell above


@dataclass
class Table:
    rows: list[list]


def _fill(cell, value) -> None:
    lines = value.lines if isinstance(value, Listed) else value if isinstance(value, list) else [value]
    style = "List Number" if isinstance(value, Listed) else None
    for n, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        if style:
            paragraph.style = style
        parts = str(line).split("\v")  # a line break (Shift+Enter) inside one paragraph
        for k, part in enumerate(parts):
            run = paragraph.add_run(part)
            if k < len(parts) - 1:
                run.add_break()


def _borders(table) -> None:
    edges = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        edges.append(element)
    table._tbl.tblPr.append(edges)


def _add_table(doc, spec: Table) -> None:
    width = max(sum(c.columns if isinstance(c, Span) else 1 for c in row) for row in spec.rows)
    table = doc.add_table(rows=len(spec.rows), cols=width)
    _borders(table)
    for r, row in enumerate(spec.rows):
        place = 0
        for value in row:
            if value is UP:
                top = r - 1
                while spec.rows[top][_index(spec.rows[top], place)] is UP:
                    top -= 1
                table.cell(top, place).merge(table.cell(r, place))
                place += 1
                continue
            span = value.columns if isinstance(value, Span) else 1
            cell = table.cell(r, place)
            if span > 1:
                cell = cell.merge(table.cell(r, place + span - 1))
            _fill(cell, value.text if isinstance(value, Span) else value)
            place += span


def _index(row: list, place: int) -> int:
    """The index in a row spec of the value that starts at `place` of the grid."""
    at = 0
    for index, value in enumerate(row):
        if at == place:
            return index
        at += value.columns if isinstance(value, Span) else 1
    raise IndexError(place)


def docx_bytes(*blocks) -> bytes:
    """A .docx of paragraphs (str) and tables (Table), in order."""
    doc = Document()
    for block in blocks:
        if isinstance(block, Table):
            _add_table(doc, block)
        else:
            doc.add_paragraph(block)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "measures.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


# --- The three seed documents ------------------------------------------------------------------


def demo(name: str) -> dict:
    return json.loads((DEMO / f"{name}.json").read_text(encoding="utf-8"))


def _t(value) -> str:
    return thai.to_thai_digits(value)


def _period(measure: dict) -> str:
    start, end = measure["period_start"], measure["period_end"]
    if measure["whole_year"]:
        return "ตลอดปีงบประมาณ"
    if not start:
        return ""
    return thai.format_month_range(date.fromisoformat(start), date.fromisoformat(end))


def _units(measure: dict) -> list[str]:
    return (
        (["ทุกกอง/สำนัก"] if measure["all_units"] else [])
        + measure["units"]
        + ([measure["owner"]] if measure["owner"] else [])
    )


def _steps(steps: list[str]) -> list[str]:
    return [f"{_t(n)}. {s}" for n, s in enumerate(steps, 1)] if len(steps) > 1 else steps


KHAO_HUA_CHANG = [
    "มาตรการ/แนวทาง",
    "ขั้นตอน/วิธีการปฏิบัติ",
    "หน่วยงานผู้รับผิดชอบ",
    "ระยะเวลาดำเนินการ",
    "สรุปผลการดำเนินงาน",
    "ผลลัพธ์/ความสำเร็จ",
]
BO_PHLOI = ["มาตรการ/แนวทาง", "วิธีการดำเนินการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ", "การติดตามผล"]
THAWON = [
    "ประเด็นที่ต้องปรับปรุงแก้ไข/ ประเด็นที่ต้องพัฒนา",
    "ผู้รับผิดชอบ",
    "ขั้นตอนหรือวิธีการ/มาตรการ",
    "การรายงานผลและการกำกับติดตาม กำหนดเวลาแล้วเสร็จ",
    "การดำเนินการ",
]


def _khao_hua_chang(data: dict) -> list:
    """The 12-month report (seed 000): themes merged across the row, "๑.๑ …" before each title, a new
    table with its heading repeated on each page, and one page whose table has no heading: the
    end of the summary of measure ๔.๒ that did not fit on the page before."""
    document = data["documents"][0]
    themes = {t["number"]: t["title"] for t in document["themes"]}
    blocks: list = [document["title"], document["introduction"]]
    rows: list[list] = [KHAO_HUA_CHANG]
    tail: list[list] = []
    theme = None
    for measure in document["measures"]:
        result = measure["progress"]["12"]
        if measure["theme"] != theme:
            theme = measure["theme"]
            if theme in (2, 4, 6):  # the seed's page breaks: the heading again on a new table
                blocks.append(Table(rows))
                rows = [KHAO_HUA_CHANG]
            rows.append([Span(f"{_t(theme)}. {themes[theme]}", 6)])
        summary = result["summary"].splitlines()
        if (theme, measure["number"]) == (4, 2):
            summary, tail = summary[:1], [["", "", "", "", summary[1:] or ["มีการติดตามข้อคิดเห็นผ่านเว็บไซต์"], ""]]
        rows.append(
            [
                f"{_t(theme)}.{_t(measure['number'])} {measure['title']}",
                _steps(measure["steps"]),
                _units(measure),
                _period(measure),
                summary,
                f"- {result['outcome']}" if result["outcome"] else "",
            ]
        )
        if tail and (theme, measure["number"]) == (4, 2):
            blocks.append(Table(rows))
            blocks.append(Table([["", "", "", "", "", ""], *tail]))
            rows, tail = [KHAO_HUA_CHANG], []
    blocks.append(Table(rows))
    return blocks


def _bo_phloi(data: dict) -> list:
    """The measures of 2565 (seed 004): the analysis table first (not a measures table), then the
    measures numbered "๑." before the title, steps typed on one line ("๑.… ๒.…"), periods as
    "ก.พ.๖๕-เม.ย.๖๕", and after five measures "(ต่อ)" and a new table whose heading breaks a line."""
    document = data["documents"][0]
    blocks: list = ["มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ.๒๕๖๕", "โดยวิเคราะห์ผลการประเมินแต่ละตัวชี้วัด ได้ดังนี้"]
    analysis = [["ตัวชี้วัดของการประเมิน ITA", "ประเด็นที่ต้องแก้ไข/ปรับปรุง"]]
    analysis += [
        [f"ตัวชี้วัดที่ {_t(f['indicators'][0] if f.get('indicators') else 1)}", f["text"]] for f in document["findings"]
    ]
    blocks += [Table(analysis), "๒. ข้อเสนอแนะในการพัฒนาคุณธรรมและความโปร่งใสในปีงบประมาณ พ.ศ.๒๕๖๕"]
    rows: list[list] = [BO_PHLOI]
    for index, measure in enumerate(document["measures"]):
        if index == 5:
            blocks += [Table(rows), "(ต่อ)"]
            rows = [[*BO_PHLOI[:3], "ระยะเวลา\vดำเนินการ", BO_PHLOI[4]]]
        steps = (
            " ".join(f"{_t(n)}.{s}" for n, s in enumerate(measure["steps"], 1))
            if len(measure["steps"]) > 1
            else measure["steps"][0]
        )
        start, end = (date.fromisoformat(measure[k]) for k in ("period_start", "period_end"))
        period = f"{thai.MONTHS_SHORT[start.month]}{_t(thai.be_year(start) % 100)}-{thai.MONTHS_SHORT[end.month]}{_t(thai.be_year(end) % 100)}"
        rows.append(
            [
                f"{_t(measure['number'])}. {measure['title']}",
                steps,
                _units(measure),
                period,
                f"๑.{measure['monitoring']}",
            ]
        )
    blocks.append(Table(rows))
    return blocks


def _thawon(data: dict) -> list:
    """The measures of 2566 with the 6-month results (seed 002): no title column (the measure is
    named by the issue: indicator, then question), the units in one line ("… เป็นต้น"), and a new
    table with its heading after every two measures, as the seed's pages."""
    document = data["documents"][0]
    title = "มาตรการส่งเสริมคุณธรรมและความโปร่งใสของ เทศบาลตำบลถาวร ประจำปีงบประมาณ พ.ศ. ๒๕๖๖"
    blocks: list = []
    rows: list[list] = []
    for index, measure in enumerate(document["measures"]):
        if index % 2 == 0:
            if rows:
                blocks.append(Table(rows))
            blocks.append(title)
            rows = [THAWON]
        units = _units(measure)
        unit_text = " ".join(units) + " เป็นต้น" if len(units) > 3 else "\n".join(units)
        rows.append(
            [
                measure["issue"].splitlines(),
                unit_text,
                _steps(measure["steps"]),
                measure["monitoring"].splitlines(),
                measure["progress"].get("6", {}).get("summary", "").splitlines(),
            ]
        )
    blocks.append(Table(rows))
    return blocks


SEEDS = {"khao-hua-chang": _khao_hua_chang, "bo-phloi": _bo_phloi, "thawon": _thawon}


def seed_docx(name: str) -> bytes:
    return docx_bytes(*SEEDS[name](demo(name)))


# --- Variants on a small organisation (units กองคลัง and กองช่าง) --------------------------------

HEADINGS = ["มาตรการ/แนวทาง", "ขั้นตอน/วิธีการปฏิบัติ", "หน่วยงานผู้รับผิดชอบ", "ระยะเวลาดำเนินการ"]


def merged_cells() -> bytes:
    """Themes merged across the row; กองคลัง merged down over two measures; the period merged down
    over the whole table; a title merged down over two rows (its second row adds a step)."""
    return docx_bytes(
        Table(
            [
                HEADINGS,
                [Span("๑. ด้านการเปิดเผยข้อมูล", 4)],
                ["๑.๑ เผยแพร่แผนการจัดซื้อจัดจ้าง", ["จัดทำแผน", "ประกาศบนเว็บไซต์"], "กองคลัง", "ต.ค. ๒๕๖๕ – ก.ย. ๒๕๖๖"],
                ["๑.๒ รายงานผลการจัดซื้อจัดจ้างรายเดือน", "สรุปผลทุกเดือน", UP, UP],
                [UP, "เสนอผู้บริหารทราบ", "", UP],
                [Span("๒. ด้านการใช้ทรัพย์สิน", 4)],
                ["๒.๑ คู่มือการยืมทรัพย์สินของราชการ", ["จัดทำคู่มือ", "แจ้งเวียนทุกกอง"], "กองช่าง", "ต.ค. ๒๕๖๕ – ก.ย. ๒๕๖๖"],
            ]
        )
    )


def two_row_heading() -> bytes:
    """The heading over two rows: "ระยะเวลาดำเนินการ" merged across "เริ่ม" and "สิ้นสุด", the others merged down."""
    return docx_bytes(
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
        Table(
            [
                ["ที่", "มาตรการ/แนวทาง", "ขั้นตอน/วิธีการปฏิบัติ", "ผู้รับผิดชอบ", Span("ระยะเวลาดำเนินการ", 2)],
                [UP, UP, UP, UP, "เริ่ม", "สิ้นสุด"],
                ["1", "อบรมเจ้าหน้าที่เรื่องผลประโยชน์ทับซ้อน", "จัดอบรม", "กองคลัง", "ต.ค. 2565", "ธ.ค. 2565"],
                ["2", "ประกาศเจตจำนงสุจริตของผู้บริหาร", "ประกาศบนเว็บไซต์", "ทุกกอง/สำนัก", "1 ม.ค. 2566", "31 มี.ค. 2566"],
            ]
        ),
    )


def heading_typed_over_two_rows() -> bytes:
    """Headings typed on two rows without merging the cells: "มาตรการ/" over "แนวทาง"."""
    return docx_bytes(
        Table(
            [
                ["มาตรการ/", "ขั้นตอน/", "หน่วยงาน", "ระยะเวลา"],
                ["แนวทาง", "วิธีการปฏิบัติ", "ผู้รับผิดชอบ", "ดำเนินการ"],
                ["1. จัดทำคู่มือการปฏิบัติงาน", "ยกร่างคู่มือ", "กองคลัง", "ต.ค. 2565 - ธ.ค. 2565"],
            ]
        )
    )


def continued_on_new_page() -> bytes:
    """A table split by hand: "(ต่อ)" and the heading again (with a line break), then a table
    without heading whose first row ends the measure above (one more step)."""
    heading = ["มาตรการ/แนวทาง", "ขั้นตอน/วิธีการปฏิบัติ", "หน่วยงาน\vผู้รับผิดชอบ", "ระยะเวลา\vดำเนินการ"]
    return docx_bytes(
        Table(
            [
                HEADINGS,
                ["1. จัดทำคู่มือการปฏิบัติงาน", "ยกร่างคู่มือ", "กองคลัง", "ต.ค. 65 - ธ.ค. 65"],
                ["2. เผยแพร่คู่มือ", "ประกาศบนเว็บไซต์", "กองคลัง", "ม.ค. 66 - มี.ค. 66"],
            ]
        ),
        "(ต่อ)",
        Table([heading, ["3. ประเมินผลการใช้คู่มือ", "สำรวจความเห็น", "กองช่าง", "ตลอดปีงบประมาณ"]]),
        Table(
            [
                ["", "สรุปผลเสนอผู้บริหาร", "", ""],
                ["4. ปรับปรุงคู่มือ", "แก้ไขตามผลประเมิน", "กองช่าง", "ภายใน ก.ย. 2566"],
            ]
        ),
    )


def typed_numbers() -> bytes:
    """Numbers typed in a number column ("1.", "๒)", "(3)", "๔") and in the steps ("1)", "(๒)",
    "ก."); one measure's steps numbered by Word itself."""
    return docx_bytes(
        Table(
            [
                ["ลำดับ", *HEADINGS],
                ["1.", "ตรวจสอบการเบิกจ่าย", ["1) ตรวจเอกสาร", "2) รายงานผล"], "กองคลัง", "ต.ค. 2565 - ก.ย. 2566"],
                ["๒)", "เปิดเผยข้อมูลงบประมาณ", ["(๑) รวบรวมข้อมูล", "(๒) เผยแพร่"], "กองคลัง", "ต.ค. 2565 - ก.ย. 2566"],
                [
                    "(3)",
                    "ช่องทางร้องเรียน",
                    ["ดำเนินการดังนี้", "ก. เปิดช่องทาง", "ข. ตอบกลับ"],
                    "กองช่าง",
                    "ต.ค. 2565 - ก.ย. 2566",
                ],
                ["๔", "อบรมคุณธรรม", Listed(["จัดอบรม", "ประเมินผล"]), "กองช่าง", "ต.ค. 2565 - ก.ย. 2566"],
            ]
        )
    )


REFUSED_UNIT = "กองสวัสดิการสังคม"


def refused_whole() -> bytes:
    """One good measure, then one naming a unit the organisation does not have and a period in
    the Christian era: the whole file is refused."""
    return docx_bytes(
        Table(
            [
                HEADINGS,
                ["1. จัดทำคู่มือการปฏิบัติงาน", "ยกร่างคู่มือ", "กองคลัง", "ต.ค. 2565 - ก.ย. 2566"],
                ["2. ตรวจสอบการเบิกจ่าย", "ตรวจเอกสาร", REFUSED_UNIT, "ต.ค. 2022 - ก.ย. 2023"],
            ]
        )
    )
