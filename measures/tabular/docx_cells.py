"""The cells of a Word measures table read as values: numbers typed in many ways, themes, steps
written on one line, responsible units among other words, periods in the Buddhist Era.

Pure functions on texts (the organisation's units and words for "every unit" are given): both
Word imports (measures and a round's results) share them; a cell that cannot be read raises
CellError with the Thai reason.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import numbering, thai
from ..models import Unit
from .cells import CellError, ImportProblem, name_key

_D = "[0-9๐-๙]"


@dataclass(frozen=True)
class WordProblem(ImportProblem):
    """A reason to refuse a Word file: the table, its row as Word counts it, the measure when known."""

    table: int | None = None
    label: str = ""

    def __str__(self) -> str:
        where = ""
        if self.table is not None:
            where = _("ตารางที่ %(table)s") % {"table": self.table}
            if self.row is not None:
                where += " " + _("แถวที่ %(row)s") % {"row": self.row}
            if self.label:
                where += f" ({self.label})"
            if self.column:
                where += " " + _("คอลัมน์ ‘%(column)s’") % {"column": self.column}
        return f"{where}: {self.message}" if where else self.message


# --- Numbers ---------------------------------------------------------------------------------

_LEADING = re.compile(
    rf"^\s*(?P<open>\()?\s*(?P<a>{_D}{{1,3}})(?:\s*\.\s*(?P<b>{_D}{{1,3}}))?\s*(?P<close>[.)])?(?P<rest>.*)$", re.S
)


@dataclass(frozen=True)
class Number:
    """A measure's number as typed: its theme's number when typed "๑.๒", its own, and the typed form
    documents print ("" for "๑.๒" or bare digits: the document numbers it itself)."""

    theme: int | None
    number: int
    typed: str


def _digits(text: str) -> int:
    return int(thai.to_arabic_digits(text))


def leading_number(text: str, *, whole: bool = False) -> tuple[Number | None, str]:
    """("๑.๒ แผนการ…" → Number(1, 2, ""), "แผนการ…"); "(๓) …", "3) …", "๔. …" keep their typed form.
    A bare number counts only as a whole cell (``whole``): "5 ส." is a title."""
    match = _LEADING.match(text or "")
    if match is None or (match["open"] and match["close"] != ")"):
        return None, (text or "").strip()
    rest = match["rest"].strip()
    if whole and rest:
        return None, text.strip()
    dotted = match["b"] is not None
    if not (dotted or match["close"] or whole) or (not whole and not rest):
        return None, text.strip()
    if dotted:
        return Number(_digits(match["a"]), _digits(match["b"]), ""), rest
    typed = numbering.parse_number_text(f"{match['open'] or ''}{match['a']}{match['close'] or ''}")
    return Number(None, _digits(match["a"]), typed[1] if typed else ""), rest


def measure_parts(cells: dict[str, str]) -> tuple[Number | None, str, str, bool]:
    """A measure row's number (from its number column, else before its title, else before its
    issue), its title and issue without it, and whether a number column could not be read."""
    title, issue = cells.get("title", ""), cells.get("issue", "")
    if "number" in cells:
        number, _rest = leading_number(cells["number"], whole=True)
        typed, rest = leading_number(title)
        if typed is not None and number is not None and typed.number == number.number:
            title = rest  # typed twice: in its column and before the title
        return number, title, issue, number is None
    if "title" in cells:
        number, rest = leading_number(title)
        if number is None:  # a cell of only "๓." is a measure without a title
            number, rest = leading_number(title, whole=True)
        return number, rest, issue, False
    number, issue = leading_number(issue)
    return number, title, issue, False


_OPTION = re.compile(r"^\s*[☐□☑☒✓•\-]\s*")
_QUESTION = re.compile(rf"^\s*[IEOieo]\s*{_D}{{1,2}}(?!{_D})")
_TOOL = re.compile(r"\s*เครื่องมือการประเมิน\s*\S*$")


def title_of_issue(issue: str) -> str:
    """A table without a title column names each measure by its issue: the question it answers
    ("I28 หน่วยงานของท่าน … (เฝ้าระวังการทุจริต, ตรวจสอบการทุจริต)", its ticked options after it), or
    the issue's last line ("ตัวชี้วัดที่ ๒ การใช้งบประมาณ")."""
    lines = [line.strip() for line in (issue or "").splitlines() if line.strip()]
    options = [_OPTION.sub("", line) for line in lines if _OPTION.match(line)]
    named = [line for line in lines if not _OPTION.match(line)]
    question = next((line for line in named if _QUESTION.match(line)), "")
    if question:
        return f"{question} ({', '.join(options)})" if options else question
    return _TOOL.sub("", named[-1]) if named else ""


_THEME_NUMBER = re.compile(
    rf"^\s*(?:\(?(?P<a>{_D}{{1,3}})\s*[.)]\s*|ด้านที่\s*(?P<b>{_D}{{1,3}})\s*[:.]?\s*)(?P<rest>.*)$", re.S
)


def theme_parts(text: str) -> tuple[int | None, str]:
    """("๑. ด้านการใช้งบประมาณ" → (1, "ด้านการใช้งบประมาณ")); "ด้านที่ ๒ การใช้ทรัพย์สิน" → (2, "ด้านการใช้ทรัพย์สิน")."""
    match = _THEME_NUMBER.match(text)
    if match is None:
        return None, text.strip()
    if match["b"] is not None:
        return _digits(match["b"]), "ด้าน" + match["rest"].strip()
    return _digits(match["a"]), match["rest"].strip()


# --- Steps -------------------------------------------------------------------------------------

_INLINE = re.compile(rf"(?:^|(?<=\s))\(?({_D}{{1,2}})\s*[.)](?!{_D})")


def split_inline(line: str) -> list[str]:
    """ "๑.จัดทำคู่มือ ๒.แจ้งทุกกอง ๓.เผยแพร่" → three steps: a line that starts with 1 and goes on
    with 2, 3 … after a space is a list typed on one line (a number out of order is text)."""
    markers = list(_INLINE.finditer(line))
    if len(markers) < 2 or markers[0].start() != 0 or _digits(markers[0][1]) != 1:
        return [line]
    cuts, expected = [0], 2
    for marker in markers[1:]:
        if _digits(marker[1]) == expected:
            cuts.append(marker.start())
            expected += 1
    if len(cuts) < 2:
        return [line]
    return [line[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(line)], strict=True) if line[a:b].strip()]


def step_texts(text: str) -> list[str]:
    return [step for line in (text or "").splitlines() if line.strip() for step in split_inline(line.strip())]


# --- Responsible units -------------------------------------------------------------------------

_SEPARATORS = re.compile(r"\n|[,;/、•]|(?:^|\s)และ|เป็นต้น|ฯลฯ|\s{2,}")
# A name ends at a space, a separator or the cell's end ("กองสวัสดิการสังคม" is not "กองสวัสดิการ"),
# or with the organisation's own word after it ("สำนักปลัดเทศบาล", "กองคลังฯ").
_RIGHT_EDGE = r"(?:\s*(?:เทศบาล|ฯ|อบต\.?|องค์การบริหารส่วน\S*))?(?=$|[\s,;/()\-.]|และ|เป็นต้น)"
_THAI = re.compile(r"[\u0e01-\u0e4e]")
_UNIT_WORDS = ("กอง", "สำนัก", "งาน", "ฝ่าย", "ส่วน", "ศูนย์", "หน่วย")
_EXTRA_ALL = ("ทุกกอง", "ทุกสำนัก/กอง", "ทุกสำนัก", "ทุกหน่วยงาน", "ทุกส่วนงาน", "ทุกส่วนราชการ", "ทุกกอง/สำนัก")


def _pattern(name: str) -> re.Pattern:
    letters = [re.escape(c) for c in name_key(name) if not c.isspace()]
    return re.compile(r"\s*".join(letters) + _RIGHT_EDGE, re.IGNORECASE)


@dataclass
class UnitMatcher:
    """The organisation's units and its words for "every unit", as patterns that allow the line
    breaks Word puts inside a name ("กอง สวัสดิการ") but not a longer name ("กองสวัสดิการสังคม")."""

    patterns: list[tuple[re.Pattern, Unit | None]]

    @classmethod
    def of(cls, units: dict[str, Unit], all_units_words) -> "UnitMatcher":
        named = [(key, unit) for key, unit in units.items()]
        named += [(name_key(word), None) for word in {*all_units_words, *_EXTRA_ALL}]
        named.sort(key=lambda pair: -len(pair[0]))
        return cls([(_pattern(key), unit) for key, unit in named if key])

    def read(self, text: str) -> tuple[list[Unit], bool, str, list[str]]:
        """(units, every unit, the other words: a person or position, names that look like a unit
        but are none of the organisation's). A name inside a phrase ("หัวหน้าสำนักปลัด") is taken
        and the phrase kept as the person."""
        text = (text or "").replace("\u0e4d\u0e32", "\u0e33")
        found: list[tuple[int, int, Unit | None]] = []
        for pattern, unit in self.patterns:
            for match in pattern.finditer(text):
                if not any(a < match.end() and match.start() < b for a, b, _unit in found):
                    found.append((match.start(), match.end(), unit))
        found.sort(key=lambda span: span[0])
        remainder = list(text)
        for start, end, _unit in found:
            if start == 0 or not _THAI.match(text[start - 1]) or text[:start].endswith("และ"):
                remainder[start:end] = ["\n"] * (end - start)
        rest: list[str] = []
        unknown: list[str] = []
        for fragment in _SEPARATORS.split("".join(remainder)):
            left = re.sub(r"\s+", " ", re.sub(r"^(?:[\s\-–•.()0-9๐-๙]|และ)+|(?:[\s\-–.()]|และ)+$", "", fragment))
            if not left:
                continue
            if any(word.startswith(_UNIT_WORDS) for word in left.split()):
                unknown.append(left)
            else:
                rest.append(left)
        units = [unit for _start, _end, unit in found if unit is not None]
        every = any(unit is None for _start, _end, unit in found)
        return list(dict.fromkeys(units)), every, " ".join(rest), unknown


# --- Periods -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    whole_year: bool = False
    start: date | None = None  # thai.MonthDate when typed as a month
    end: date | None = None
    deadline: date | None = None


PERIOD_HINT = gettext_lazy(
    "เขียนระยะเวลา เช่น ต.ค. 2565 – ก.ย. 2566, 1 ต.ค. 65 - 31 มี.ค. 66, ภายใน ก.ย. 2566 หรือ ตลอดปีงบประมาณ"
)
_WHOLE_YEAR = re.compile(r"^(?:ตลอด(?:ทั้ง)?ปี(?:งบประมาณ)?|ปีงบประมาณ)(?:\s*(?:พ\.\s*ศ\.)?\s*[0-9]{2,4})?$")
_RANGE = re.compile(r"\s+-\s+|–|—|-|\s*ถึง\s*|\s*จนถึง\s*")
_WITHIN = re.compile(r"^(?:ภายใน|ก่อน|ไม่เกิน)\s*(?:วันที่|เดือน)?\s*")
_NOISE = re.compile(r"^(?:ตั้งแต่|ระหว่าง)\s*|(?<![ก-ฮ])(?:วันที่|เดือน)\s*")


def _clean_period(text: str) -> str:
    text = thai.to_arabic_digits(re.sub(r"\s+", " ", text.replace("\u0e4d\u0e32", "\u0e33"))).strip()
    text = re.sub(r"(?<=[ก-ฮ])\s*\.\s*(?=[ก-ฮ])", ".", text)  # "ต . ค ." as PDFs and some typists space it
    return re.sub(r"(?<=[ก-ฮ])\s+\.", ".", text).strip(" .")


def _one(text: str, *, end: bool) -> date:
    return thai.parse_date_or_month(_NOISE.sub("", text).strip(" ,"), end=end)


def _month_end(value: date) -> date:
    return thai.MonthDate(value.year, value.month, calendar.monthrange(value.year, value.month)[1])


def parse_period(text: str) -> Period | None:
    """A period as officers write it, or None when the cell is blank; CellError otherwise."""
    cleaned = _clean_period(text or "")
    if not cleaned:
        return None
    if len(cleaned) > 200:  # each dash is tried as the range's middle: a long text is refused unread
        raise CellError(_("ข้อความระยะเวลายาวเกิน 200 ตัวอักษร %(hint)s") % {"hint": PERIOD_HINT})
    candidates = [cleaned]
    candidates += [_clean_period(part) for part in re.findall(r"\(([^()]*)\)", text)]
    candidates += [_clean_period(line) for line in (text or "").splitlines() if line.strip()]
    specific = None
    for candidate in dict.fromkeys(c for c in candidates if c):
        try:
            return _period(candidate)
        except thai.ThaiInputError as error:
            specific = specific or (error if "รูปแบบวันที่" not in error.message else None)
    if specific is not None:
        raise CellError(specific.message)
    raise CellError(_("อ่านระยะเวลา “%(text)s” ไม่ได้ %(hint)s") % {"text": cleaned[:80], "hint": PERIOD_HINT})


def _period(text: str) -> Period:
    if _WHOLE_YEAR.match(text):
        return Period(whole_year=True)
    if within := _WITHIN.match(text):
        return Period(deadline=_one(text[within.end() :], end=True))
    specific: thai.ThaiInputError | None = None  # "ปี 2022 เป็นปีคริสต์ศักราช…" says more than "รูปแบบ…"
    for separator in _RANGE.finditer(text):
        left, right = text[: separator.start()].strip(), text[separator.end() :].strip()
        if not left or not right:
            continue
        try:
            end = _one(right, end=True)
            start = _start(left, end)
        except thai.ThaiInputError as error:
            if "รูปแบบวันที่" not in error.message and "ชื่อเดือน" not in error.message:
                specific = specific or error
            continue
        if end < start:
            raise thai.ThaiInputError(_("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"))
        return Period(start=start, end=end)
    try:
        single = _one(text, end=False)
    except thai.ThaiInputError:
        if specific is not None:
            raise specific from None
        raise
    if isinstance(single, thai.MonthDate):
        return Period(start=single, end=_month_end(single))
    return Period(deadline=single)


def _start(left: str, end: date) -> date:
    """The start of a range; "ต.ค. – ธ.ค. 2565" takes the end's year (the year before when its month is later)."""
    try:
        return _one(left, end=False)
    except thai.ThaiInputError:
        if re.search(r"[0-9]", left):
            raise
    start = _one(f"{left} {thai.be_year(end)}", end=False)
    return _one(f"{left} {thai.be_year(end) - 1}", end=False) if start > end else start


# --- Indicators and questions named in an issue ---------------------------------------------------

_INDICATOR = re.compile(rf"ตัวชี้วัดที่\s*({_D}{{1,2}})")
_ITEM = re.compile(rf"(?:^|(?<=[\s(,]))([IEOieo])\s*({_D}{{1,2}})(?!{_D})")


def named_in_issue(text: str) -> tuple[list[int], list[str]]:
    """The indicator numbers ("ตัวชี้วัดที่ ๓") and question codes ("I13", "O๓๕") an issue names."""
    indicators = [_digits(n) for n in _INDICATOR.findall(text or "")]
    items = [f"{letter.upper()}{_digits(n)}" for letter, n in _ITEM.findall(text or "")]
    return list(dict.fromkeys(indicators)), list(dict.fromkeys(items))
