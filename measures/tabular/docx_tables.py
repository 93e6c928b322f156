"""The measures tables of a Word file: their columns known by their Thai headings, their rows read as measures.

A table is a measures table when its heading row (one of its first three rows, over two rows
when the headings are merged or split) names the measure (มาตรการ/แนวทาง, or the issue it
addresses) and at least one other known column. Headings are matched by their words, so that
"ระยะเวลา ดำเนินการ" with a line break, "หน่วยงาน ผู้รับผิดชอบ" or "ขั้นตอน/วิธีการปฏิบัติ" all read;
a column whose heading is not known is left out (the preview says so). A table that follows a
measures table with the same number of columns and no heading row continues it (a table split
by hand across pages), as does a table that repeats the heading row.

Rows: a cell merged across the row (or a first cell alone reading "๑. ด้าน…") is a theme; a
row without a measure of its own (its measure cell empty, or merged down from the row above)
continues the measure above, its texts added to that measure's; a cell merged down from
above gives its text to each row it covers; blank rows, "(ต่อ)" and repeated heading rows are
skipped. Nothing here reads the database: the rows are checked against the document later.
"""

import re
from dataclasses import asdict, dataclass, field

from .. import thai
from .cells import name_key
from .docx_read import RawRow, RawTable

# What each kind of column holds; the order is the order of the checks (first match wins).
_EXACT = {
    "ที่": "number",
    "ลำดับ": "number",
    "ลำดับที่": "number",
    "ข้อ": "number",
    "no.": "number",
    "ลำดับมาตรการ": "number",
    "ด้าน": "theme",
    "ชื่อด้าน": "theme",
    "ตลอดปีงบประมาณ": "whole_year",
    "การดำเนินการ": "summary",
    "ผล": "summary",
}
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("monitoring", ("ติดตาม",)),
    ("target", ("เป้าหมาย",)),
    ("summary", ("ผลการดำเนิน", "ผลการปฏิบัติ", "สรุปผล")),
    ("outcome", ("ผลลัพธ์", "ความสำเร็จ", "ผลผลิต", "ผลที่ได้รับ")),
    ("problems", ("ปัญหา", "อุปสรรค")),
    ("suggestions", ("ข้อเสนอแนะ",)),
    ("status", ("สถานะ",)),
    ("percent", ("ร้อยละ", "ความก้าวหน้า", "%")),
    ("completed_on", ("วันที่แล้วเสร็จ", "วันที่ดำเนินการแล้วเสร็จ", "วันแล้วเสร็จ")),
    ("deadline", ("กำหนดแล้วเสร็จ", "กำหนดเวลาแล้วเสร็จ", "กำหนดเสร็จ")),
    ("period", ("ระยะเวลา", "ห้วงเวลา", "ช่วงเวลา", "กรอบเวลา")),
    ("steps", ("ขั้นตอน", "วิธีการ", "วิธีดำเนิน", "วิธีปฏิบัติ")),
    ("issue", ("ประเด็น", "จุดอ่อน", "ข้อบกพร่อง")),
    ("title", ("มาตรการ", "แนวทาง", "โครงการ", "กิจกรรม")),
    ("owner", ("บุคคล", "ตำแหน่ง")),
    ("units", ("หน่วยงาน", "ส่วนราชการ", "ผู้รับผิดชอบ", "กอง/สำนัก")),
    ("items", ("ข้อคำถาม",)),
    ("indicators", ("ตัวชี้วัด",)),
    ("budget", ("งบประมาณ",)),
)
_STATUS_WORDS = {
    **dict.fromkeys(("ดำเนินการแล้ว", "ดำเนินการแล้วเสร็จ", "แล้วเสร็จ", "เสร็จแล้ว", "ดำเนินการเสร็จแล้ว"), "done"),
    **dict.fromkeys(("อยู่ระหว่างดำเนินการ", "กำลังดำเนินการ", "อยู่ระหว่าง"), "in_progress"),
    **dict.fromkeys(("ยังไม่ดำเนินการ", "ยังไม่ได้ดำเนินการ", "ไม่ได้ดำเนินการ"), "not_started"),
    "ล่าช้า": "delayed",
}
KEY_COLUMNS = ("title", "issue")  # a row names its measure in one of these
_NAMING = {"number", "theme", "title", "issue", "indicators", "items"}
_NUMBERED = re.compile(r"^\s*[(]?\s*[0-9๐-๙]{1,3}\s*[.)]")
_THEME = re.compile(r"^\s*(?:[(]?[0-9๐-๙]{1,3}\s*[.)]?\s*)?ด้าน")
_GO_ON = re.compile(r"^[(\s]*(?:ต่อ|ต่อจากหน้าที่แล้ว|ต่อหน้าถัดไป)[)\s]*$")


def compact(text: str) -> str:
    """A heading as its words are compared: no spaces or line breaks, no case, no star."""
    return re.sub(r"\s+", "", name_key(text)).replace("*", "")


def heading_key(text: str) -> str:
    """The kind of column a heading names ("" when unknown): "title", "units", "period_start" …"""
    words = compact(text)
    if not words:
        return ""
    if words in _EXACT:
        return _EXACT[words]
    if words in _STATUS_WORDS:
        return f"status:{_STATUS_WORDS[words]}"
    for key, parts in _RULES:
        if any(part in words for part in parts):
            if key == "period" and "เริ่ม" in words:
                return "period_start"
            if key == "period" and ("สิ้นสุด" in words or "ถึง" in words):
                return "period_end"
            return key
    return ""


def _column_key(parent: str, child: str) -> str:
    """The kind of a column under a heading over two rows: "ผลการดำเนินงาน" over "ดำเนินการแล้ว"
    is a status mark; "ระยะเวลา" over "เริ่ม" the start; otherwise the words of both."""
    if not child:
        return heading_key(parent)
    status = _STATUS_WORDS.get(compact(child))
    if status and heading_key(parent) in ("summary", "status", ""):
        return f"status:{status}"
    return heading_key(f"{parent} {child}") or heading_key(child) or heading_key(parent)


@dataclass
class Column:
    key: str  # "" for a column that is not read
    heading: str  # as the file words it, spaces collapsed
    first: int  # places on the table's grid
    last: int


@dataclass
class TableMap:
    """A measures table: its columns, how many heading rows it has, and the table it continues."""

    table: int
    columns: list[Column]
    header_rows: int = 1
    continues: int | None = None

    def heading(self, key: str) -> str:
        return next((c.heading for c in self.columns if c.key == key), "")

    @property
    def keys(self) -> set[str]:
        return {c.key for c in self.columns if c.key}


@dataclass
class SourceRow:
    """A row of a measures table: a theme, or a measure with its texts by column kind, and the rows
    of the file read into it (a measure continued on the next row or the next table)."""

    table: int
    row: int
    kind: str  # "theme" or "measure"
    cells: dict[str, str] = field(default_factory=dict)
    more: list[list[int]] = field(default_factory=list)  # [table, row] of each continuation
    shared: list[str] = field(default_factory=list)  # kinds whose text comes from a cell merged from above


@dataclass
class Skipped:
    table: int
    row: int
    reason: str


@dataclass
class Found:
    """What the file's tables hold: the measures tables, their rows, the rows left out, other tables."""

    tables: list[TableMap] = field(default_factory=list)
    rows: list[SourceRow] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    other_tables: list[int] = field(default_factory=list)

    @property
    def data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> "Found":
        """Raises (KeyError, TypeError, ValueError) for data that is not what this module wrote."""
        tables = [
            TableMap(
                table=int(t["table"]),
                columns=[
                    Column(str(c["key"]), str(c["heading"]), int(c["first"]), int(c["last"])) for c in t["columns"]
                ],
                header_rows=int(t["header_rows"]),
                continues=None if t["continues"] is None else int(t["continues"]),
            )
            for t in data["tables"]
        ]
        rows = [
            SourceRow(
                table=int(r["table"]),
                row=int(r["row"]),
                kind=str(r["kind"]),
                cells={str(k): str(v) for k, v in r["cells"].items()},
                more=[[int(t), int(n)] for t, n in r["more"]],
                shared=[str(k) for k in r["shared"]],
            )
            for r in data["rows"]
        ]
        skipped = [Skipped(int(s["table"]), int(s["row"]), str(s["reason"])) for s in data["skipped"]]
        return cls(tables=tables, rows=rows, skipped=skipped, other_tables=[int(n) for n in data["other_tables"]])

    def map_of(self, table: int) -> TableMap:
        return next(t for t in self.tables if t.table == table)


# --- Reading the tables -----------------------------------------------------------------------


def _places(row: RawRow, above: dict[int, str]) -> dict[int, tuple[int, str, bool]]:
    """Place → (cell index, text, merged from above) for every place a cell of the row covers."""
    places = {}
    for index, cell in enumerate(row.cells):
        text = above.get(cell.start, "") if cell.merge == "continue" else cell.text
        for place in range(cell.start, cell.start + cell.span):
            places[place] = (index, text, cell.merge == "continue")
    return places


def _remember(row: RawRow, above: dict[int, str]) -> None:
    for cell in row.cells:
        if cell.merge != "continue":
            above[cell.start] = cell.text


def _is_subheader(top: RawRow, below: RawRow) -> bool:
    """The second row of a heading over two rows: under a heading merged down or across."""
    texts = [c.text for c in below.cells if c.merge != "continue" and c.text.strip()]
    if len(below.cells) < 2 or any(len(t) > 60 or _NUMBERED.match(thai.to_arabic_digits(t)) for t in texts):
        return False
    starts = {c.start for c in below.cells}
    if any(
        c.merge == "restart" and c.start in {b.start for b in below.cells if b.merge == "continue"} for c in top.cells
    ):
        return True
    for cell in top.cells:
        if cell.span > 1 and len([s for s in starts if cell.start <= s < cell.start + cell.span]) > 1:
            return True
    named = [t for t in texts if heading_key(t)]
    if len(named) >= 2 and len(named) * 2 >= len(texts) and all(len(t) <= 30 for t in texts):
        return True  # headings typed over two rows: "มาตรการ/" over "แนวทาง", "หน่วยงาน" over "ผู้รับผิดชอบ"
    alone = {heading_key(c.text) for c in top.cells} - {""}
    combined = set()
    for cell in top.cells:
        under = [
            b.text for b in below.cells if b.merge != "continue" and cell.start <= b.start < cell.start + cell.span
        ]
        combined.add(_column_key(cell.text, " ".join(under)))
    return len(texts) >= 2 and len(combined - {""}) > len(alone)


def _columns(top: RawRow, below: RawRow | None, width: int) -> list[Column]:
    above: dict[int, str] = {}
    _remember(top, above)
    parents = _places(top, {})
    children = _places(below, above) if below is not None else {}
    columns: list[Column] = []
    identity = None
    for place in range(width):
        parent_index, parent, _merged = parents.get(place, (None, "", False))
        child_index, child, merged = children.get(place, (None, "", True))
        child = "" if merged else child
        current = (parent_index, None if merged else child_index)
        heading = re.sub(r"\s+", " ", f"{parent} {child}").strip()
        if columns and current == identity:
            columns[-1].last = place
            continue
        identity = current
        columns.append(Column(key=_column_key(parent, child), heading=heading, first=place, last=place))
    _settle_duplicates(columns)
    return columns


def _settle_duplicates(columns: list[Column]) -> None:
    """ "หน่วยงานผู้รับผิดชอบ" beside "ผู้รับผิดชอบ": the second names the person (owner). Any other kind
    given twice keeps its first column; the others are "<kind>~2", "<kind>~3" (an import that
    reads that kind says which to keep, or picks by the heading, e.g. the round's months)."""
    units = [c for c in columns if c.key == "units"]
    if len(units) == 2 and not any(c.key == "owner" for c in columns):
        named = [c for c in units if any(w in compact(c.heading) for w in ("หน่วยงาน", "ส่วนราชการ"))]
        if len(named) == 1:
            next(c for c in units if c is not named[0]).key = "owner"
    seen: dict[str, int] = {}
    for column in columns:
        if column.key:
            seen[column.key] = seen.get(column.key, 0) + 1
            if seen[column.key] > 1:
                column.key = f"{column.key}~{seen[column.key]}"


def _is_measures_table(columns: list[Column]) -> bool:
    """A measure (or its issue) and what is done about it: not the analysis table (ตัวชี้วัด · ประเด็น)."""
    keys = {c.key.partition("~")[0] for c in columns if c.key}
    return bool(keys & set(KEY_COLUMNS)) and bool(keys - _NAMING)


def _find_header(table: RawTable) -> tuple[list[Column], int, int] | None:
    """The heading row(s) among the first three rows: the columns, the heading row's index and
    the first data row's index."""
    width = table.width
    for index, row in enumerate(table.rows[:3]):
        keys = {heading_key(c.text) for c in row.cells} - {""}
        if len(keys) < 2 or not keys & set(KEY_COLUMNS):
            continue
        below = table.rows[index + 1] if index + 1 < len(table.rows) else None
        sub = below is not None and _is_subheader(row, below)
        columns = _columns(row, below if sub else None, width)
        if _is_measures_table(columns):
            return columns, index, index + (2 if sub else 1)
    return None


def find_rows(tables: list[RawTable]) -> Found:
    """Every measures table of the file and its rows, in document order."""
    found = Found()
    previous: TableMap | None = None
    previous_width = 0
    last_measure: SourceRow | None = None
    for table in tables:
        header = _find_header(table)
        if header is not None:
            columns, first, start = header
            table_map = TableMap(table=table.number, columns=columns, header_rows=start)
            if previous is not None and [c.key for c in columns] == [c.key for c in previous.columns]:
                table_map.continues = previous.table
            else:
                last_measure = None
            found.skipped += [Skipped(table.number, row.number, "above") for row in table.rows[:first] if _filled(row)]
        elif previous is not None and table.number == previous.table + 1 and table.width == previous_width >= 3:
            table_map = TableMap(table=table.number, columns=previous.columns, header_rows=0, continues=previous.table)
            start = 0
        else:
            found.other_tables.append(table.number)
            previous, last_measure = None, None
            continue
        found.tables.append(table_map)
        previous, previous_width = table_map, table.width
        last_measure = _read_rows(table, start, table_map, found, last_measure)
    return found


def _filled(row: RawRow) -> bool:
    return any(c.text.strip() for c in row.cells)


def _read_rows(
    table: RawTable, start: int, table_map: TableMap, found: Found, last: SourceRow | None
) -> SourceRow | None:
    above: dict[int, str] = {}
    for row in table.rows[:start]:
        _remember(row, above)
    headings = {c.key: compact(c.heading) for c in table_map.columns if c.key}
    key_column = next((k for k in KEY_COLUMNS if k in headings), "")
    for row in table.rows[start:]:
        places = _places(row, above)
        _remember(row, above)
        values: dict[str, tuple[str, bool]] = {}
        for column in table_map.columns:
            seen: list[int] = []
            parts, merged = [], True
            for place in range(column.first, column.last + 1):
                index, text, from_above = places.get(place, (None, "", False))
                if index is None or index in seen:
                    continue
                seen.append(index)
                if text.strip():
                    parts.append(text.strip())
                    merged = merged and from_above
            if column.key and parts:
                values[column.key] = ("\n".join(parts), merged)
        own = [c for c in row.cells if c.merge != "continue" and c.text.strip()]
        if not own:
            continue  # blank, or only cells merged from above
        if len(own) == 1 and _GO_ON.match(own[0].text):
            found.skipped.append(Skipped(table.number, row.number, "continued"))
            continue
        texts = {k: compact(t) for k, (t, _m) in values.items()}
        if texts and all(headings.get(k) == t for k, t in texts.items()) and len(texts) >= 2:
            found.skipped.append(Skipped(table.number, row.number, "heading"))
            continue
        theme = _theme_text(own, values, table_map)
        if theme is not None:
            found.rows.append(SourceRow(table=table.number, row=row.number, kind="theme", cells={"theme": theme}))
            last = None
            continue
        key_text, key_merged = values.get(key_column, ("", True))
        number_text, number_merged = values.get("number", ("", True))
        if last is not None and (not key_text or key_merged) and (not number_text or number_merged):
            for key, (text, merged) in values.items():
                if not merged and key != key_column:
                    last.cells[key] = "\n".join(p for p in (last.cells.get(key, ""), text) if p)
            last.more.append([table.number, row.number])
            continue
        last = SourceRow(
            table=table.number,
            row=row.number,
            kind="measure",
            cells={k: t for k, (t, _m) in values.items()},
            shared=sorted(k for k, (_t, m) in values.items() if m),
        )
        found.rows.append(last)
    return last


def _theme_text(own: list, values: dict[str, tuple[str, bool]], table_map: TableMap) -> str | None:
    """The text of a theme row: one cell merged across the row, or "๑. ด้าน…" alone in its first cells."""
    if len(own) == 1:
        cell = own[0]
        covered = [c for c in table_map.columns if cell.start <= c.first and c.last < cell.start + cell.span]
        if len(covered) >= 2 or len(table_map.columns) == 1:
            return re.sub(r"\s+", " ", cell.text).strip()
    filled = {k for k, (t, merged) in values.items() if t and not merged}
    if filled and filled <= {"number", "title", "issue", "theme"}:
        text = " ".join(values[k][0] for k in ("number", "theme", "title", "issue") if k in filled)
        if _THEME.match(thai.to_arabic_digits(text)):
            return re.sub(r"\s+", " ", text).strip()
    return None
