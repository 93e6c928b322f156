"""Line breaking that never splits names: protected phrases printed as one unbreakable piece.

Thai has no spaces between words: the engines guess where a line may end (Pango with libthai in
the PDF, ICU in Chromium), and they cut names between syllables ("หนองป่า|ครั่ง"), reference
numbers at the slash, "พ.ศ.|๒๕๖๔" and compounds ("ผู้รับผิด|ชอบ"). What was measured is in
docs/LINE-BREAKING.md: a word joiner (U+2060) or a no-break space (U+00A0) holds in Chromium
but not in WeasyPrint (libthai breaks at them, and inside words next to them); a span of
`white-space: nowrap` holds in both, but overflows a column narrower than the phrase, and
WeasyPrint then finds no break between it and a Thai word it touches. So a protected phrase is
printed as `<span class="keep">…</span>`, an inline block at most as wide as its line
(static/css/print.css): it moves whole to the next line when it does not fit at the end of one,
and breaks inside only when it is wider than the whole column. The text stays as typed (no
invisible characters): pdftotext, copy and search find the words.

Protected: the names of the organisation that prints the document (`edition_names`,
`memo_names`, set for the duration of a render with `protecting`), reference numbers, "พ.ศ." and
its year, dates, and the official compounds of COMPOUNDS.
"""

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from html import unescape

from django.utils.html import escape

from measures import thai

OPEN = '<span class="keep">'
CLOSE = "</span>"

# Official words that the engines split and a reader never does. Extend with care: a phrase
# is also protected inside longer words, so it must be a whole word or compound wherever it
# occurs (no piece of a syllable).
COMPOUNDS: tuple[str, ...] = (
    # the work
    "ผู้รับผิดชอบ",
    "หน่วยงาน",
    "การดำเนินงาน",
    "ดำเนินการ",
    "การดำเนินการ",
    "ผู้บริหาร",
    "ประชาชน",
    "ข้อมูลข่าวสาร",
    "คุณธรรม",
    "ความโปร่งใส",
    "ปีงบประมาณ",
    "งบประมาณ",
    "การประเมินคุณธรรมและความโปร่งใส",
    "ผลประโยชน์ทับซ้อน",
    "การมีส่วนร่วม",
    "เจ้าหน้าที่",
    "ผู้บังคับบัญชา",
    "ผู้ใต้บังคับบัญชา",
    "ผู้มีส่วนได้ส่วนเสีย",
    "ประพฤติมิชอบ",
    "การทุจริต",
    "คณะกรรมการ",
    "ภาครัฐ",
    # organisations
    "องค์การบริหารส่วนตำบล",
    "องค์การบริหารส่วนจังหวัด",
    "เทศบาลตำบล",
    "เทศบาลเมือง",
    "เทศบาลนคร",
    "องค์กรปกครองส่วนท้องถิ่น",
    "สำนักงาน ป.ป.ช.",
    "ป.ป.ช.",
    "ป.ป.ท.",
    # units
    "สำนักปลัด",
    "กองคลัง",
    "กองช่าง",
    "กองการศึกษา",
    "กองสาธารณสุขและสิ่งแวดล้อม",
    "กองสวัสดิการสังคม",
    "กองยุทธศาสตร์และงบประมาณ",
    "หน่วยตรวจสอบภายใน",
    # positions
    "นายกเทศมนตรี",
    "ปลัดเทศบาล",
    "นายกองค์การบริหารส่วนตำบล",
    "ปลัดองค์การบริหารส่วนตำบล",
    "นายกองค์การบริหารส่วนจังหวัด",
    "ปลัดองค์การบริหารส่วนจังหวัด",
    "ผู้อำนวยการ",
    "หัวหน้าสำนักปลัด",
    "ผู้ว่าราชการจังหวัด",
    "นายอำเภอ",
)

# A name longer than this (characters, marks included) is not kept whole: moved to the next
# line it would leave most of a line empty. Its words (between spaces) are kept instead.
MAX_LENGTH = 40
MIN_LENGTH = 3  # shorter names ("ชม") are ordinary words; keep them only as part of a pattern

_D = "[0-9๐-๙]"
_MONTH_LONG = "|".join(sorted(thai.MONTHS_LONG[1:], key=len, reverse=True))
_MONTH_SHORT = "|".join(re.escape(m[:-1]) + r"\.?" for m in sorted(thai.MONTHS_SHORT[1:], key=len, reverse=True))
_MONTH = f"(?:{_MONTH_LONG}|{_MONTH_SHORT})"
_ERA = r"(?:[พค]\. ?ศ\. ?)"
_NOT_AFTER_LETTER = r"(?<![ก-๛A-Za-z.])"
_DIGIT = re.compile(_D)
PATTERNS: tuple[re.Pattern, ...] = (
    # reference numbers: "ที่ มท ๐๘๐๘.๒/ว ๑๒๓", "ชม ๕๑๒๐๑/๑๒๓", "ชม ๕๑๒๐๑/" (the number left to fill)
    re.compile(
        rf"{_NOT_AFTER_LETTER}(?:ที่ )?[ก-ฮ]{{1,4}}(?:\.[ก-ฮ]{{1,3}})*\.? ?{_D}+(?:\.{_D}+)*"
        rf" ?/ ?(?:ว\.? ?)?(?:{_D}+(?:/{_D}+)?)?(?!{_D})"
    ),
    # numbers with a slash: "๑๒๓/๒๕๖๔", "1/10/2564"
    re.compile(rf"(?<!{_D}){_D}+(?:\.{_D}+)*(?:/{_D}+)+(?!{_D})"),
    # dates: "1 ต.ค. ๒๕๖๔", "๓๑ มีนาคม ๒๕๖๕", "๒๕ มีนาคม พ.ศ. ๒๕๖๕", "1 ต.ค.64", "ต.ค. ๒๕๖๔"
    re.compile(rf"(?<!{_D}){_D}{{1,2}} ?{_MONTH}(?: ?{_ERA}?{_D}{{2,4}})?(?!{_D})"),
    re.compile(rf"(?<![ก-๛]){_MONTH} ?{_ERA}?{_D}{{2,4}}(?!{_D})"),
    # the year: "พ.ศ. ๒๕๖๔", "พ.ศ.2564"
    re.compile(rf"{_ERA}{_D}{{2,4}}(?!{_D})"),
)

# A piece of a syllable may not be cut off: no phrase starts after a leading vowel or ends
# before a vowel or mark that belongs to its last consonant.
_LEADING_VOWELS = "เแโใไ"
_FOLLOWING = "ะาำๅ\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
# Punctuation kept with the phrase it touches: a line never starts with ")" or ends with "(".
_OPENING = "(\"'“‘[«"
_CLOSING = ")\"'”’],.:;!?ฯๆ»"
_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\t": " "})

_names: ContextVar[tuple[str, ...]] = ContextVar("protected_names", default=())


def _clean(name: str) -> str:
    return " ".join(str(name or "").translate(_SPACES).split())


@lru_cache(maxsize=64)
def phrases(names: tuple[str, ...]) -> tuple[str, ...]:
    """The phrases kept whole for these names, with COMPOUNDS: each name in Arabic and Thai
    digits, the words of a name longer than MAX_LENGTH instead of the name, longest first."""
    found: set[str] = set(COMPOUNDS)
    for name in map(_clean, names):
        parts = [name] if len(name) <= MAX_LENGTH else name.split(" ")
        for part in parts:
            if MIN_LENGTH <= len(part) <= MAX_LENGTH:
                found |= {part, thai.to_thai_digits(part), thai.to_arabic_digits(part)}
    return tuple(sorted(found, key=lambda p: (-len(p), p)))


def _fits(text: str, start: int, end: int) -> bool:
    return (start == 0 or text[start - 1] not in _LEADING_VOWELS) and (end == len(text) or text[end] not in _FOLLOWING)


def spans(text: str, names: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Where `text` must not break: (start, end) pieces in order, none overlapping (of phrases
    that overlap, the longest), each with the punctuation it touches."""
    haystack = text.translate(_SPACES)
    found = []
    for phrase in phrases(tuple(names)):
        start = haystack.find(phrase)
        while start != -1:
            found.append((start, start + len(phrase)))
            start = haystack.find(phrase, start + 1)
    if _DIGIT.search(haystack):  # every pattern has digits
        for pattern in PATTERNS:
            found += [m.span() for m in pattern.finditer(haystack)]
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(found, key=lambda s: (s[0] - s[1], s[0])):
        if _fits(haystack, start, end) and all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
    pieces: list[tuple[int, int]] = []
    for start, end in sorted(chosen):
        while start > 0 and text[start - 1] in _OPENING and (not pieces or pieces[-1][1] < start - 1):
            start -= 1
        while end < len(text) and text[end] in _CLOSING:
            end += 1
        if pieces and start < pieces[-1][1]:  # the punctuation between two phrases joins them
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((start, end))
    return pieces


def protect(text: str, names: Iterable[str] = ()) -> str:
    """`text` as HTML (escaped) with each protected phrase in a span that does not break."""
    out, done = [], 0
    for start, end in spans(text, names):
        out += [escape(text[done:start]), OPEN, escape(text[start:end]), CLOSE]
        done = end
    out.append(escape(text[done:]))
    return "".join(out)


# Rendered documents: the text between tags is protected, except where a span cannot go.
_TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_RAW = ("style", "script", "title", "textarea", "svg", "head", "math", "template")


def protect_html(html: str, names: Iterable[str] = ()) -> str:
    """A rendered document with the protected phrases of its text kept whole (see `protect`).

    Text already kept (inside a span of ours) and text that may hold no markup (the head, styles,
    scripts, SVG charts) is left as it is.
    """
    names = tuple(names)
    out = []
    skip: list[str] = []  # open elements whose text is left alone
    kept = 0  # depth of spans inside a kept span
    for token in _TAG.split(html):
        if token.startswith("<"):
            out.append(token)
            name = re.match(r"</?\s*([A-Za-z][A-Za-z0-9-]*)", token)
            if not name:
                continue
            tag, closing = name[1].lower(), token.startswith("</")
            if kept:
                kept += 0 if tag != "span" or token.endswith("/>") else (-1 if closing else 1)
            elif token == OPEN:
                kept = 1
            elif tag in _RAW and not token.endswith("/>"):
                if closing and skip and skip[-1] == tag:
                    skip.pop()
                elif not closing:
                    skip.append(tag)
        elif token and not skip and not kept and token.strip():
            out.append(protect(unescape(token), names))
        else:
            out.append(token)
    return "".join(out)


@contextmanager
def protecting(names: Iterable[str]) -> Iterator[None]:
    """For the duration of a render: the names `doc_text` keeps whole, besides COMPOUNDS."""
    token = _names.set(tuple(_clean(n) for n in names if _clean(n)))
    try:
        yield
    finally:
        _names.reset(token)


def current_names() -> tuple[str, ...]:
    """The names set by `protecting` around the render in progress (none outside one)."""
    return _names.get()


def organisation_names(organisation: dict | None) -> list[str]:
    """The organisation's name, its district and its province as text names them ("อำเภอพาน",
    "อ.พาน", "จังหวัดเชียงราย", "จ.เชียงราย"). Never a bare place name: it may be a piece of
    another word ("พาน" in "สะพาน"), and a line could then end inside that word."""
    if not organisation:
        return []
    names = [organisation.get("name", "")]
    for word, short, key in (("อำเภอ", "อ.", "district"), ("จังหวัด", "จ.", "province")):
        value = (organisation.get(key) or "").strip().removeprefix(word)
        if value:
            names += [f"{word}{value}", f"{short}{value}", f"{short} {value}"]
    return names


def edition_names(data: dict, approvals: Iterable[dict] = ()) -> list[str]:
    """The names an edition prints (measures.editions data): its organisation, the units and
    people responsible for its measures, and who approved it."""
    names = organisation_names(data.get("organisation"))
    for measure in data.get("measures") or []:
        names += list(measure.get("units") or []) + [measure.get("owner") or ""]
    for approval in approvals:
        names += [approval.get("name", ""), approval.get("position", ""), approval.get("acting_for", "")]
    return list(dict.fromkeys(n for n in names if n))  # each once: every measure repeats its units


def memo_names(snapshot: dict, context: dict) -> list[str]:
    """The names a memo prints: its edition's, the memo's department, addressee and author, and
    each position of the chain with whoever decided there."""
    names = edition_names(snapshot)
    memo = context.get("memo")
    for field in ("department", "to", "author_name", "author_position"):
        names.append(getattr(memo, field, "") or "")
    names.append(context.get("organisation_name") or "")
    for block in context.get("blocks") or []:
        items = [block] + [block.get(part) for part in ("step", "decision")] if isinstance(block, dict) else []
        for item in items:
            for key in ("name", "title", "position", "acting_for"):
                value = item.get(key) if isinstance(item, dict) else getattr(item, key, None)
                names.append(value if isinstance(value, str) else "")
    return list(dict.fromkeys(n for n in names if n))
