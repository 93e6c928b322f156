"""A Word (.docx) file's tables, read safely: the checks before it is opened, then its tables as rows of cells.

A .docx is a zip of XML parts. Before python-docx opens it, the zip's directory is checked: how
many entries, how much it unpacks to, and whether it carries macros (a .docm renamed .docx is
refused, as is a Word 97–2003 file or a password-protected one, which are not zips). The tables
of the body are then read in document order (content controls included), each row as its
cells with their place on the table's grid: a cell merged across columns (gridSpan) covers
several places, a cell merged down (vMerge) says whether it starts or continues the merge.
The text of a cell is its paragraphs, one a line; a paragraph numbered by Word itself (a list)
gets the marker Word shows ("1.", "๑)", "ก.", "•"), so automatic numbering reads as typed.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .. import thai
from .cells import ImportRefused

WORD_EXTENSIONS = ("docx",)
WORD_MAX_BYTES = 10 * 1024 * 1024  # a Word file with an emblem and a scanned signature or two
MAX_TABLES = 300
MAX_ROWS = 3000  # every row of every table: a document has a few hundred at most
MAX_COLUMNS = 40  # places on a table's grid; cells beyond are not read
_MAX_ENTRIES = 1000
_MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
_MAX_DOCUMENT_XML_BYTES = 16 * 1024 * 1024
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIPPED = {f"{_W}del", f"{_W}moveFrom", _FALLBACK, f"{_W}instrText", f"{_W}delText", f"{_W}rPr", f"{_W}pPr"}
_BLOCKS = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"}


@dataclass
class RawCell:
    """A cell of a row: its text (paragraphs as lines), its first place on the grid, how many
    places it covers, and "restart" / "continue" when it is merged down ("" otherwise)."""

    text: str
    start: int
    span: int = 1
    merge: str = ""


@dataclass
class RawRow:
    number: int  # 1-based, as the officer counts the rows of the table in Word
    cells: list[RawCell] = field(default_factory=list)


@dataclass
class RawTable:
    number: int  # 1-based order of the table in the document ("ตารางที่ 3")
    rows: list[RawRow] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((c.start + c.span for r in self.rows for c in r.cells), default=0)


def refuse(message: str) -> ImportRefused:
    return ImportRefused([message])


def check_word_upload(upload) -> None:
    """The checks a file passes before it is opened: a .docx by name, not empty, not too big."""
    name = upload.name or ""
    extension = Path(name).suffix.lower().lstrip(".")
    if extension in ("docm", "dotm"):
        raise refuse(_("ไม่รับไฟล์ Word ที่มีมาโคร (.docm) กรุณาเปิดใน Word แล้วบันทึกเป็น “เอกสาร Word (*.docx)”"))
    if extension not in WORD_EXTENSIONS:
        raise refuse(_("รับเฉพาะไฟล์ Word (.docx) ถ้าเป็นไฟล์ .doc ให้เปิดใน Word แล้วบันทึกเป็น .docx ก่อน"))
    if not upload.size:
        raise refuse(_("ไฟล์ว่างเปล่า"))
    if upload.size > WORD_MAX_BYTES:
        raise refuse(_("ไฟล์ใหญ่เกินไป ขนาดไม่เกิน %(size)s") % {"size": filesizeformat(WORD_MAX_BYTES)})


def read_word(upload) -> list[RawTable]:
    """The tables of an uploaded .docx, or ImportRefused in Thai: nothing is opened before the checks."""
    check_word_upload(upload)
    upload.seek(0)
    content = upload.read(WORD_MAX_BYTES + 1)
    if content.startswith(_OLE2):
        raise refuse(
            _(
                "ไฟล์นี้ไม่ใช่ไฟล์ .docx (อาจเป็นไฟล์ Word รุ่นเก่า .doc หรือไฟล์ที่ตั้งรหัสผ่าน) "
                "กรุณาเปิดใน Word ยกเลิกรหัสผ่านถ้ามี แล้วบันทึกเป็น “เอกสาร Word (*.docx)”"
            )
        )
    unreadable = refuse(_("เปิดไฟล์ Word ไม่ได้ ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ .docx กรุณาบันทึกจาก Word เป็น .docx อีกครั้ง"))
    if not content.startswith(b"PK\x03\x04"):
        raise unreadable
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            check_archive(archive)
        document = docx.Document(io.BytesIO(content))
        numbering = _Numbering(document)
        return _tables(document.element.body, numbering)
    except ImportRefused:
        raise
    except Exception as exc:  # an uploaded file can break the reader in many ways; all mean the same
        raise unreadable from exc


def check_archive(archive: zipfile.ZipFile) -> None:
    """A zip built to cost, or a Word file with macros, is refused from its directory."""
    entries = archive.infolist()
    if len(entries) > _MAX_ENTRIES:
        raise refuse(_("ไฟล์มีส่วนประกอบมากเกินกว่าที่เอกสาร Word จะมีได้ (เกิน %(max)s ส่วน)") % {"max": f"{_MAX_ENTRIES:,}"})
    if sum(info.file_size for info in entries) > _MAX_UNZIPPED_BYTES:
        raise refuse(_("ไฟล์ใหญ่เกินไปเมื่อแตกไฟล์ กรุณาลบรูปภาพหรือส่วนที่ไม่ใช่ตารางมาตรการออกแล้วบันทึกใหม่"))
    names = {info.filename.lower(): info for info in entries}
    macro = refuse(
        _(
            "ไฟล์นี้เป็นเอกสาร Word ที่มีมาโคร (.docm) แม้จะใช้นามสกุล .docx ระบบไม่รับไฟล์ที่มีมาโคร "
            "กรุณาเปิดใน Word แล้วบันทึกเป็น “เอกสาร Word (*.docx)” แล้วนำเข้าอีกครั้ง"
        )
    )
    if any(name.rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml") for name in names):
        raise macro
    types = names.get("[content_types].xml")
    document = names.get("word/document.xml")
    if types is None or types.file_size > 1024 * 1024:
        raise ValueError("no content types")
    if b"macroenabled" in archive.read(types).lower():
        raise macro
    if document is not None and document.file_size > _MAX_DOCUMENT_XML_BYTES:
        raise refuse(_("เนื้อหาของไฟล์ Word ยาวเกินไป กรุณาแยกเฉพาะตารางมาตรการไปไว้ในไฟล์ใหม่แล้วนำเข้า"))


# --- Tables -------------------------------------------------------------------------------------


def _tables(body, numbering: "_Numbering") -> list[RawTable]:
    tables: list[RawTable] = []
    rows = 0
    for element in _children(body, f"{_W}tbl"):
        if len(tables) >= MAX_TABLES:
            raise refuse(_("ไฟล์มีตารางเกิน %(max)s ตาราง กรุณาแยกเฉพาะตารางมาตรการไปไว้ในไฟล์ใหม่") % {"max": MAX_TABLES})
        table = RawTable(number=len(tables) + 1)
        for tr in element.iterchildren(f"{_W}tr"):
            rows += 1
            if rows > MAX_ROWS:
                raise refuse(
                    _("ตารางในไฟล์มีแถวรวมกันเกิน %(max)s แถว กรุณาแยกเฉพาะตารางมาตรการไปไว้ในไฟล์ใหม่") % {"max": MAX_ROWS}
                )
            table.rows.append(_row(tr, len(table.rows) + 1, numbering))
        tables.append(table)
    return tables


def _children(element, tag: str):
    """The children of `element` with `tag` in order, those inside content controls too (not deeper:
    the body's tables, not the tables in their cells; a row's cells)."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _BLOCKS:
            yield from _children(child, tag)


def _int(element, name: str, default: int) -> int:
    if element is None:
        return default
    value = element.get(f"{_W}{name}")
    return int(value) if value and value.isdigit() and len(value) < 4 else default


def _row(tr, number: int, numbering: "_Numbering") -> RawRow:
    row = RawRow(number=number)
    properties = tr.find(f"{_W}trPr")
    place = _int(properties.find(f"{_W}gridBefore") if properties is not None else None, "val", 0)
    for tc in _children(tr, f"{_W}tc"):
        if place >= MAX_COLUMNS:
            break
        tc_properties = tc.find(f"{_W}tcPr")
        span, merge = 1, ""
        if tc_properties is not None:
            span = min(max(_int(tc_properties.find(f"{_W}gridSpan"), "val", 1), 1), MAX_COLUMNS)
            vmerge = tc_properties.find(f"{_W}vMerge")
            if vmerge is not None:
                merge = "restart" if vmerge.get(f"{_W}val") == "restart" else "continue"
        text = "\n".join(_lines(tc, numbering)) if merge != "continue" else ""
        row.cells.append(RawCell(text=text, start=place, span=span, merge=merge))
        place += span
    return row


def _lines(element, numbering: "_Numbering") -> list[str]:
    """The paragraphs of a cell (of tables inside it too) as lines, with Word's list markers."""
    lines: list[str] = []
    for child in element.iterchildren():
        if child.tag == f"{_W}p":
            text = _paragraph_text(child)
            marker = numbering.marker(child)
            for n, line in enumerate(text.split("\n")):
                line = line.strip()
                if n == 0 and marker and line:
                    line = f"{marker} {line}"
                lines.append(line)
        elif child.tag in _BLOCKS or child.tag in (f"{_W}tbl", f"{_W}tr", f"{_W}tc"):
            lines.extend(_lines(child, numbering))
    return lines


def _paragraph_text(paragraph) -> str:
    parts: list[str] = []
    stack = [paragraph]
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag == f"{_W}tab":
            parts.append(" ")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        if tag not in _SKIPPED:
            stack.extend(reversed(node))
    return re.sub(r"[ \t\u00a0\u200b]+", " ", "".join(parts))


# --- Word's own list numbering --------------------------------------------------------------------

_THAI_LETTERS = "กขคงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"))
_ROMAN += ((9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt == "thaiNumbers":
        return thai.to_thai_digits(n)
    if fmt == "thaiLetters":
        return _THAI_LETTERS[(n - 1) % len(_THAI_LETTERS)]
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    return str(n)


class _Numbering:
    """The markers Word shows before numbered paragraphs, counted in document order per list."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId → level → (format, text, start)
        self.style_lists: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for definition in root.iterchildren(f"{_W}abstractNum"):
            abstract[definition.get(f"{_W}abstractNumId", "")] = {
                _int(level, "ilvl", 0): self._level(level) for level in definition.iterchildren(f"{_W}lvl")
            }
        for num in root.iterchildren(f"{_W}num"):
            reference = num.find(f"{_W}abstractNumId")
            levels = dict(abstract.get(reference.get(f"{_W}val", "") if reference is not None else "", {}))
            for override in num.iterchildren(f"{_W}lvlOverride"):
                level = _int(override, "ilvl", 0)
                start = override.find(f"{_W}startOverride")
                if start is not None and level in levels:
                    fmt, text, _start = levels[level]
                    levels[level] = (fmt, text, _int(start, "val", 1))
            self.levels[num.get(f"{_W}numId", "")] = levels
        for style in document.styles.element.iterchildren(f"{_W}style"):
            found = style.find(f"{_W}pPr/{_W}numPr")
            if found is not None:
                self.style_lists[style.get(f"{_W}styleId", "")] = self._reference(found)

    @staticmethod
    def _level(level) -> tuple[str, str, int]:
        fmt, text = level.find(f"{_W}numFmt"), level.find(f"{_W}lvlText")
        return (
            fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
            text.get(f"{_W}val", "") if text is not None else "",
            _int(level.find(f"{_W}start"), "val", 1),
        )

    @staticmethod
    def _reference(num_pr) -> tuple[str, int]:
        num_id = num_pr.find(f"{_W}numId")
        return (num_id.get(f"{_W}val", "") if num_id is not None else "", _int(num_pr.find(f"{_W}ilvl"), "val", 0))

    def marker(self, paragraph) -> str:
        if not self.levels:
            return ""
        properties = paragraph.find(f"{_W}pPr")
        if properties is None:
            return ""
        num_pr = properties.find(f"{_W}numPr")
        if num_pr is not None:
            num_id, level = self._reference(num_pr)
        else:
            style = properties.find(f"{_W}pStyle")
            num_id, level = self.style_lists.get(style.get(f"{_W}val", "") if style is not None else "", ("", 0))
        levels = self.levels.get(num_id)
        if not levels or level not in levels or level > 8:
            return ""
        fmt, text, _start = levels[level]
        if fmt == "none":
            return ""
        if fmt == "bullet":
            return "•"
        counters = self.counters.setdefault(num_id, [levels[n][2] - 1 if n in levels else 0 for n in range(9)])
        counters[level] += 1
        for deeper in range(level + 1, 9):
            counters[deeper] = levels[deeper][2] - 1 if deeper in levels else 0
        shown = re.sub(
            r"%([1-9])",
            lambda m: _format(max(counters[int(m[1]) - 1], 1), levels.get(int(m[1]) - 1, (fmt, "", 1))[0]),
            text,
        )
        return shown.strip()
