"""The trend chart's labels cross no marker, no line and no other label, read from the SVG itself.

Each <text> is a box estimated from its size and characters (reports.charts.text_box); the
estimate is checked against Sarabun's own metrics below, so a box is never smaller than what is
drawn. Grid lines (class="grid") are background: a label may lie over one.
"""

import itertools
from decimal import Decimal
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings

from measures import selectors
from measures.devdata.demo import load_demo
from measures.models import Organisation
from reports.charts import Box, Series, text_box, trend_svg
from reports.documents import live_trend_charts

SVG = "{http://www.w3.org/2000/svg}"
FONTS = Path(settings.BASE_DIR) / "static" / "fonts"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own output


def labels(svg: str) -> list[tuple[str, Box, bool]]:
    """(text, box, bold) of every <text> of the chart."""
    root = parse(svg)
    size = float(root.get("font-size", 12))
    return [
        (
            t.text,
            text_box(
                t.text,
                float(t.get("x")),
                float(t.get("y")),
                float(t.get("font-size", size)),
                t.get("text-anchor", "start"),
            ),
            t.get("font-weight") == "bold",
        )
        for t in root.iter(f"{SVG}text")
    ]


def segments(root: ElementTree.Element) -> list[tuple[tuple[float, float], tuple[float, float], float]]:
    """Every line and polyline segment but the grid, with its stroke width."""
    out = []
    for line in root.iter(f"{SVG}line"):
        if line.get("class") != "grid":
            a = (float(line.get("x1")), float(line.get("y1")))
            b = (float(line.get("x2")), float(line.get("y2")))
            out.append((a, b, float(line.get("stroke-width", 1))))
    for polyline in root.iter(f"{SVG}polyline"):
        points = [tuple(map(float, p.split(","))) for p in polyline.get("points").split()]
        out += [(a, b, float(polyline.get("stroke-width", 1))) for a, b in itertools.pairwise(points)]
    return out


def collisions(svg: str) -> list[str]:
    """Every label that crosses another label, a marker or a line, or leaves the chart."""
    root = parse(svg)
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    chart = Box(0, 0, width, height)
    boxes = labels(svg)
    circles = [(float(c.get("cx")), float(c.get("cy")), float(c.get("r"))) for c in root.iter(f"{SVG}circle")]
    found = []
    for (text, box, _bold), (other, other_box, _) in itertools.combinations(boxes, 2):
        if box.overlaps(other_box):
            found.append(f"{text!r} crosses the label {other!r}")
    for text, box, _bold in boxes:
        if not box.within(chart):
            found.append(f"{text!r} leaves the chart")
        found += [
            f"{text!r} crosses the marker at {cx:g},{cy:g}" for cx, cy, r in circles if box.hits_circle(cx, cy, r)
        ]
        found += [
            f"{text!r} crosses the line {a}–{b}"
            for a, b, stroke in segments(root)
            if box.grown(stroke / 2).hits_segment(a, b)
        ]
    return found


def scores(*values) -> list[tuple[int, Decimal | None]]:
    return [(2560 + n, None if v is None else Decimal(str(v))) for n, v in enumerate(values, 1)]


def chart(total, *tools, thai_digits=True, pass_mark=85) -> str:
    series = [Series("คะแนนรวม", scores(*total))]
    series += [Series(code, scores(*values)) for code, values in zip(("IIT", "EIT", "OIT"), tools, strict=False)]
    return trend_svg(series, title="ผลการประเมิน ITA ของเทศบาลตำบลทดสอบ", thai_digits=thai_digits, pass_mark=pass_mark)


# The newest total of seed 004 (ทต.บ่อพลอย, 2564) drawn over its IIT marker, as it printed before.
BO_PHLOI = ((79.58,), (81.62,), (77.85,), (79.86,))

SYNTHETIC = {
    "seed 004, one year": BO_PHLOI,
    "three years rising together": ((79.58, 85.10, 91.25), (81.62, 88, 92), (77.85, 80, 90.1), (79.86, 86.3, 91.5)),
    "every tool equal to the total": ((90, 90, 100, 85), (90, 90, 100, 85), (90, 90, 100, 85), (90, 90, 100, 85)),
    "one tool equal to the total each year": ((80, 85, 90), (80, 70, 95), (60, 85, 75), (95, 60, 90)),
    "lines crossing between 0 and 100": (
        (0, 100, 0, 100, 50, 85),
        (100, 0, 100, 0, 85, 50),
        (50, 50, None, 50, 50, 85),
        (85, 85, 85, 85, 85, 85),
    ),
    "all at 100": ((100, 100), (100, 100), (100, 100), (100, 100)),
    "all at 0": ((0, 0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 0)),
    "on the pass mark": ((85, 85, 85), (85, 85, 85), (84.99, 85.01, 85), (85.5, 84.5, 85)),
    "one point apart": ((88.1, 88.4, 88.7), (88.2, 88.5, 88.8), (88.0, 88.3, 88.6), (88.3, 88.6, 88.9)),
    "gaps": ((70, None, 90, None, 80), (None, 75, 95, 60, None), (72, 74, None, 78, 80), (None, None, 90, 91, 92)),
    "six years": (
        (55.5, 62.25, 71, 79.58, 85.1, 91.25),
        (60, 70, 72, 81.62, 86, 93),
        (50, 58, 69, 77.85, 84, 90),
        (56, 59, 72, 79.86, 85.5, 91.2),
    ),
}


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
@pytest.mark.parametrize("thai_digits", [True, False])
def test_no_label_crosses_a_marker_a_line_or_a_label(name, thai_digits):
    assert collisions(chart(*SYNTHETIC[name], thai_digits=thai_digits)) == []


@pytest.mark.parametrize("years", range(1, 7))
def test_no_label_crosses_anything_for_one_to_six_years(years):
    total = [80 + 3 * n for n in range(years)]
    assert collisions(chart(total, [t + 1.5 for t in total], [t - 1.5 for t in total], total)) == []


def test_the_newest_total_is_no_longer_under_the_iit_marker():
    svg = chart(*BO_PHLOI)
    [(value, box, bold)] = [label for label in labels(svg) if label[0] == "๗๙.๕๘"]
    [iit] = [c for c in parse(svg).iter(f"{SVG}circle") if c.find(f"{SVG}title").text.startswith("IIT")]
    assert bold and not box.hits_circle(float(iit.get("cx")), float(iit.get("cy")), float(iit.get("r")))


def test_the_check_finds_a_label_over_a_marker():
    # The chart as it was drawn before: the total's value 8 px above its marker, over IIT's.
    svg = chart(*BO_PHLOI).replace("</svg>", '<text x="334" y="133.2" text-anchor="middle">๗๙.๕๘</text></svg>')
    assert any("crosses the marker" in problem for problem in collisions(svg))


def test_the_check_finds_a_label_over_a_line_and_over_a_label():
    # IIT's line is level at y = 139 (85 on an axis from 70 to 100 over 210 px from y = 34).
    svg = chart((80, 90), (85, 85), pass_mark=None).replace(
        "</svg>", '<text x="300" y="143">๘๕.๐๐</text><text x="305" y="145">๘๕.๐๐</text></svg>'
    )
    problems = collisions(svg)
    assert any("crosses the line" in p for p in problems) and any("crosses the label" in p for p in problems)


def test_the_totals_are_drawn_over_the_tools_where_they_meet():
    circles = [c.find(f"{SVG}title").text for c in parse(chart(*SYNTHETIC["all at 100"])).iter(f"{SVG}circle")]
    assert circles[-2:] == ["คะแนนรวม ๒๕๖๑: ๑๐๐.๐๐", "คะแนนรวม ๒๕๖๒: ๑๐๐.๐๐"]


def test_the_chart_says_its_values_in_words_for_screen_readers_and_the_pdf():
    root = parse(chart(*SYNTHETIC["three years rising together"]))
    summary = root.find(f"{SVG}title").text
    assert summary == root.get("aria-label")
    assert "คะแนนรวม: ๒๕๖๑ ๗๙.๕๘, ๒๕๖๒ ๘๕.๑๐, ๒๕๖๓ ๙๑.๒๕" in summary and "IIT: ๒๕๖๑ ๘๑.๖๒" in summary


@pytest.mark.django_db
def test_no_label_crosses_anything_in_the_demo_organisations_charts():
    load_demo()
    charts = [
        live_trend_charts(organisation, assessments=list(selectors.assessments_for(organisation)))[0]
        for organisation in Organisation.objects.order_by("pk")
    ]
    drawn = [svg for svg in charts if "<polyline" in svg or "<circle" in svg]
    assert drawn
    for svg in drawn:
        assert collisions(svg) == []


# The estimate against the font files: a box is never smaller than the glyphs drawn in it.


@cache
def sarabun(bold: bool):
    """Sarabun at 1000 px, laid out by HarfBuzz through Pillow's raqm (marks placed as drawn)."""
    from PIL import ImageFont, features  # noqa: PLC0415 - a WeasyPrint dependency, for this check only

    if not features.check("raqm"):
        pytest.skip("Pillow has no raqm layout here: Thai marks would not be placed as drawn")
    name = "Sarabun-Bold.ttf" if bold else "Sarabun-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), 1000, layout_engine=ImageFont.Layout.RAQM)


def ink(text: str, size: float, bold: bool) -> Box:
    """What Sarabun draws of the text from x = 0 on the baseline y = 0 (its advance included)."""
    font = sarabun(bold)
    x0, y0, x1, y1 = font.getbbox(text, anchor="ls")
    return Box(x0 * size / 1000, y0 * size / 1000, max(x1, font.getlength(text)) * size / 1000, y1 * size / 1000)


def every_label() -> set[tuple[str, float, bool]]:
    """Every text of the synthetic charts (values, years, ticks, legend, title, pass mark)."""
    found = set()
    for name in SYNTHETIC:
        for thai_digits in (True, False):
            for text, box, bold in labels(chart(*SYNTHETIC[name], thai_digits=thai_digits)):
                found.add((text, box.y1 - box.y0, bold))
    return found


def test_every_label_box_holds_what_sarabun_draws():
    for text, _height, bold in every_label():
        drawn = ink(text, 12, bold)
        assert drawn.within(text_box(text, 0, 0, 12)), (text, drawn)


def test_the_ink_check_sees_a_tone_mark_over_an_upper_vowel():
    assert ink("ที่", 12, bold=False).y0 < ink("ท", 12, bold=False).y0 - 3


def test_combining_marks_take_no_width():
    assert text_box("ผ่าน", 0, 0, 12).x1 == text_box("ผาน", 0, 0, 12).x1
