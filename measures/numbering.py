"""Numbering as the officer typed it: the markers of a measure's steps and a measure's own number.

Thai municipal documents number their lists in many ways ("1.", "1)", "(1)", "๑)", "ก.", "-",
"•") and often open a list with an introductory line ("… ดังนี้"). The steps are stored as typed
(measures.parsing.split_steps); `step_lines` reads each line's marker so that documents print
every marker as typed and number only a list typed without any (1., 2., … as the portal always
did), never an introductory line. Steps stored before markers were kept have none: they print
numbered, as before.

Pure functions on strings: the documents (reports.documents), the forms and the spreadsheet
import share them.
"""

import re
from collections.abc import Iterable
from typing import NamedTuple

__all__ = ["NUMBER_ERROR", "StepLine", "parse_number_text", "split_marker", "step_lines"]

_DIGIT = "[0-9๐-๙]"
_THAI_LETTER = "[ก-ฮ]"
# A leading marker, then the text. A letter marker ("ก.", "a)") must be followed by a space, so
# that "ก.พ. 2566" or "E-Service" stay text; numbers may touch their text ("๑.เจ้าหน้าที่").
_MARKER = re.compile(
    rf"""^\s*(?P<marker>
        [-–—•*●○◦▪■►➢✓□☐☑☒]
      | \(\s*(?:{_DIGIT}{{1,3}}|{_THAI_LETTER}|[A-Za-z])\s*\)
      | {_DIGIT}{{1,3}}(?:\.{_DIGIT}{{1,3}})+[.)]?(?=\s)
      | {_DIGIT}{{1,3}}[.)]
      | (?:{_THAI_LETTER}|[A-Za-z])[.)](?=\s)
    )\s*(?P<text>.*)$""",
    re.VERBOSE,
)
# An introductory line: "… ดำเนินการ ดังนี้", "ขั้นตอน:", "… ได้แก่".
_INTRO = re.compile(r"(?:ดังนี้|ดังต่อไปนี้|ได้แก่|:)\s*$")


class StepLine(NamedTuple):
    """One printed line of a list of steps.

    ``kind``: "item" (a marker: as typed, or 1., 2., … given by the portal), "intro" (printed
    flush, no marker: an introductory line, or a lone step) or "more" (no marker, after an
    item: printed under the item's text). ``level``: 0 for the list's first marker style, 1 for
    a style first met after it (sub-items), 2 for deeper ones.
    """

    marker: str
    text: str
    kind: str = "item"
    level: int = 0

    def __str__(self) -> str:
        return f"{self.marker} {self.text}" if self.marker else self.text


def split_marker(line: str) -> tuple[str, str]:
    """("๑)", "จัดประชุม") for "๑) จัดประชุม"; ("", line) for a line without a marker."""
    match = _MARKER.match(line)
    if match is None or not match["text"].strip():
        return "", line.strip()
    return re.sub(r"\s+", "", match["marker"]), match["text"].strip()


def _style(marker: str) -> tuple:
    """What makes two markers the same level: bullets by sign, numbers and letters by their
    punctuation (and a number by its depth: "1.2" is under "1.")."""
    if len(marker) == 1:
        return ("bullet", marker)
    shape = re.sub(_DIGIT + "+", "9", marker)
    shape = re.sub(f"{_THAI_LETTER}|[A-Za-z]", "a", shape)
    return ("marker", shape)


def step_lines(steps: Iterable[str]) -> list[StepLine]:
    """The steps as a document prints them: each with its typed marker, or numbered by the portal
    when none has one (an introductory line stays unnumbered, a lone step too)."""
    parsed = [split_marker(s) for s in steps if s and s.strip()]
    if any(marker for marker, _text in parsed):
        return _typed(parsed)
    items = [text for _marker, text in parsed if not _INTRO.search(text)]
    if len(items) < 2:
        return [StepLine("", text, "intro") for _marker, text in parsed]
    lines, number = [], 0
    for _marker, text in parsed:
        if _INTRO.search(text):
            lines.append(StepLine("", text, "intro"))
        else:
            number += 1
            lines.append(StepLine(f"{number}.", text))
    return lines


def _typed(parsed: list[tuple[str, str]]) -> list[StepLine]:
    styles: list[tuple] = []
    lines: list[StepLine] = []
    level, seen_item = 0, False
    for marker, text in parsed:
        if not marker:
            lines.append(StepLine("", text, "more" if seen_item else "intro", level if seen_item else 0))
            continue
        style = _style(marker)
        if style not in styles:
            styles.append(style)
        level, seen_item = min(styles.index(style), 2), True
        lines.append(StepLine(marker, text, "item", level))
    return lines


# --- A measure's number -------------------------------------------------------------------

NUMBER_ERROR = "กรุณากรอกลำดับเป็นตัวเลข เช่น 2 หรือ 2) หรือ (๒)"
_NUMBER = re.compile(rf"^(?P<open>\(?)\s*(?P<digits>{_DIGIT}{{1,12}})\s*(?P<close>[.)]?)$")


def parse_number_text(text: str) -> tuple[str, str] | None:
    """A measure's number as typed: "2)" → ("2", "2)"), "(๒)" → ("๒", "(๒)"), "2" → ("2", "").

    The digits order the measure; the typed form ("" for bare digits: the document then prints
    its own "๑.๒") is what documents print. None when the text is not a number of this kind.
    """
    match = _NUMBER.match((text or "").strip())
    if match is None or (match["open"] and match["close"] != ")"):
        return None
    typed = f"{match['open']}{match['digits']}{match['close']}"
    return match["digits"], typed if typed != match["digits"] else ""
