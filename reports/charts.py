"""The ITA trend chart as inline SVG, drawn on the server so that it prints in the PDF.

No chart library: a line chart of a few series over a handful of years is some 80 lines of
SVG, and the same markup serves the screen, the public site and WeasyPrint.
"""

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from measures import thai

# Colour-blind safe (Okabe–Ito), in the order the series come: total, IIT, EIT, OIT.
COLOURS = ("#000000", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")


@dataclass(frozen=True)
class Series:
    label: str
    points: list[tuple[int, Decimal | float | None]]  # (Buddhist-Era year, score or None)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# Text boxes are estimated, not measured (no font is loaded to draw a chart): an advance of at
# most 0.8 em per digit (Sarabun Bold's widest, ๙, is 0.79), 0.9 em per other letter (its
# widest Thai letter, ฒ, is 0.88; W is 0.87), none for a combining mark above or below a letter.
# Digits stand between 0 and 0.75 em; Thai text with its vowels and tone marks from -0.4 to 1.25 em
# (a tone mark over an upper vowel, as in ที่, reaches 1.22 em).
# tests/reports/test_chart_labels.py checks these bounds against the font files.
_NARROW = {" ": 0.25, ".": 0.3, ",": 0.3, ":": 0.3, "-": 0.4, "(": 0.4, ")": 0.4}


def text_width(text: str, size: float) -> float:
    """An upper bound of the advance of `text` in Sarabun (regular or bold) at `size`."""
    em = 0.0
    for ch in text:
        if unicodedata.category(ch) == "Mn":  # ั ิ ี ึ ื ุ ู ็ ่ ้ ๊ ๋ ์ ํ: drawn over or under a letter
            continue
        em += _NARROW.get(ch, 0.8 if ch.isdigit() else 0.9)
    return em * size


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: "Box") -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def within(self, other: "Box") -> bool:
        return other.x0 <= self.x0 and self.x1 <= other.x1 and other.y0 <= self.y0 and self.y1 <= other.y1

    def grown(self, by: float) -> "Box":
        return Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)

    def hits_circle(self, cx: float, cy: float, r: float) -> bool:
        nearest_x, nearest_y = min(max(cx, self.x0), self.x1), min(max(cy, self.y0), self.y1)
        return (cx - nearest_x) ** 2 + (cy - nearest_y) ** 2 < r * r

    def hits_segment(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """Whether the segment a–b crosses the box (Liang–Barsky clipping)."""
        (ax, ay), (bx, by) = a, b
        dx, dy = bx - ax, by - ay
        low, high = 0.0, 1.0
        for p, q in ((-dx, ax - self.x0), (dx, self.x1 - ax), (-dy, ay - self.y0), (dy, self.y1 - ay)):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                return False
        return True


def text_box(text: str, x: float, baseline: float, size: float, anchor: str = "start") -> Box:
    """The box a <text> element covers (an estimate from its size and characters, see above)."""
    width = text_width(text, size)
    x0 = x - {"start": 0, "middle": width / 2, "end": width}[anchor]
    digits_only = all(ch.isdigit() or ch in ".," for ch in text)
    ascent, descent = (0.75, 0.05) if digits_only else (1.25, 0.4)
    return Box(x0, baseline - ascent * size, x0 + width, baseline + descent * size)


class LabelPlacer:
    """Places labels where they cross no marker, no line and no label placed before them."""

    PAD = 1.5  # the least room between a label and anything else

    def __init__(self, area: Box):
        self.area = area
        self.circles: list[tuple[float, float, float]] = []
        self.segments: list[tuple[tuple[float, float], tuple[float, float], float]] = []
        self.boxes: list[Box] = []

    def add_marker(self, cx: float, cy: float, r: float) -> None:
        self.circles.append((cx, cy, r))

    def add_line(self, points: list[tuple[float, float]], width: float) -> None:
        self.segments += [(a, b, width) for a, b in zip(points, points[1:], strict=False)]
        if len(points) == 1:
            self.segments.append((points[0], points[0], width))

    def conflicts(self, box: Box) -> int:
        padded = box.grown(self.PAD)
        return (
            sum(padded.hits_circle(cx, cy, r) for cx, cy, r in self.circles)
            + sum(padded.grown(width / 2).hits_segment(a, b) for a, b, width in self.segments)
            + sum(padded.overlaps(other) for other in self.boxes)
        )

    def place(self, text: str, size: float, candidates: list[tuple[float, float, str]]) -> tuple[float, float, str]:
        """The first candidate (x, baseline, anchor) inside the area that crosses nothing; when
        every one crosses something, the one inside the area that crosses least."""
        best, best_cost = None, None
        for x, baseline, anchor in candidates:
            box = text_box(text, x, baseline, size, anchor)
            cost = (not box.within(self.area), self.conflicts(box))
            if cost == (False, 0):
                best = (x, baseline, anchor)
                break
            if best_cost is None or cost < best_cost:
                best, best_cost = (x, baseline, anchor), cost
        self.boxes.append(text_box(text, *best[:2], size, best[2]))
        return best


def point_candidates(cx: float, cy: float, r: float, size: float) -> list[tuple[float, float, str]]:
    """Where a point's value may go, nearest first: above, below, right, left, the four corners."""
    ascent, descent = 0.75 * size, 0.05 * size
    candidates = []
    for distance in (3, 8, 14, 22, 32):
        gap = r + distance
        above, below, middle = cy - gap - descent, cy + gap + ascent, cy + (ascent - descent) / 2
        candidates += [
            (cx, above, "middle"),
            (cx, below, "middle"),
            (cx + gap, middle, "start"),
            (cx - gap, middle, "end"),
            (cx + gap, above, "start"),
            (cx - gap, above, "end"),
            (cx + gap, below, "start"),
            (cx - gap, below, "end"),
        ]
    return candidates


def line_label_candidates(x0: float, x1: float, y: float, size: float) -> list[tuple[float, float, str]]:
    """Where the label of a horizontal line may go: over it, then under it, from its right end
    to its left end."""
    above, below = y - 3 - 0.4 * size, y + 3 + 1.25 * size
    steps = 12
    xs = [x1 - (x1 - x0) * n / steps for n in range(steps + 1)]
    return [(x, baseline, "end") for baseline in (above, below) for x in xs[:-1]] + [
        (x0 + 2, baseline, "start") for baseline in (above, below)
    ]


def _style(index: int) -> tuple[str, str]:
    """The colour and dash attribute of the index-th series (its line, markers and legend)."""
    dash = DASHES[index % len(DASHES)]
    return COLOURS[index % len(COLOURS)], f' stroke-dasharray="{dash}"' if dash else ""


def _points(series: Series, years: list[int]) -> list[tuple[int, float]]:
    return [(yr, float(sc)) for yr, sc in series.points if sc is not None and yr in years]


def _segments(points: list[tuple[int, float]], years: list[int]) -> list[list[tuple[int, float]]]:
    """The runs of consecutive years with a score: a gap breaks the line rather than bridging it."""
    scores = dict(points)
    runs, current = [], []
    for year in years:
        if year in scores:
            current.append((year, scores[year]))
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def trend_summary(series: list[Series], *, title: str, digits) -> str:
    """The chart in words, its text alternative (the PDF figure's alt text, the image's label)."""
    parts = []
    for s in series:
        values = ", ".join(
            f"{digits(year)} {digits(f'{float(score):.2f}')}" for year, score in s.points if score is not None
        )
        if values:
            parts.append(f"{s.label}: {values}")
    return f"{title} ({'; '.join(parts)})" if parts else title


def trend_svg(
    series: list[Series],
    *,
    title: str = "",
    width: int = 640,
    height: int = 300,
    thai_digits: bool = False,
    pass_mark: Decimal | float | None = None,
    y_min: int | None = None,
) -> str:
    """A line chart of the series over the years; an explanatory note when there is no data.

    The first series (the total) carries its values, placed by LabelPlacer so that no value
    crosses a marker, a line or another label; so is the pass mark's label.
    """
    years = sorted({year for s in series for year, score in s.points if score is not None})
    digits = (lambda v: thai.to_thai_digits(v)) if thai_digits else str  # noqa: E731
    heading = title or "ผลการประเมิน ITA"
    if not years:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="trend-chart" font-family="Sarabun" width="{width}" height="60" '
            f'viewBox="0 0 {width} 60" aria-label={quoteattr(heading)}>'
            f'<text x="{width / 2:g}" y="34" text-anchor="middle" font-size="13">'
            f"ยังไม่มีผลการประเมินที่บันทึกไว้</text></svg>"
        )

    scores = [float(score) for s in series for _, score in s.points if score is not None]
    if y_min is None:  # start the axis at a round ten below the lowest score, never below zero
        y_min = max(0, int(min(scores) // 10) * 10 - 10)
    y_max = 100
    left, right, top, bottom = 44, 24, 34, 56  # room for the first and last years' labels
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(year: int) -> float:
        if len(years) == 1:
            return left + plot_w / 2
        return left + plot_w * years.index(year) / (len(years) - 1)

    def y(score: float) -> float:
        return top + plot_h * (1 - (score - y_min) / (y_max - y_min))

    summary = trend_summary(series, title=heading, digits=digits)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="trend-chart" font-family="Sarabun" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-size="12" aria-label={quoteattr(summary)}>',
        f"<title>{escape(summary)}</title>",
        f'<text x="{width / 2:g}" y="18" text-anchor="middle" font-size="14" font-weight="bold">{escape(heading)}</text>',
    ]
    step = 10 if y_max - y_min <= 50 else 20
    for tick in range(y_min, y_max + 1, step):
        out.append(
            f'<line class="grid" x1="{left}" x2="{left + plot_w}" y1="{_n(y(tick))}" y2="{_n(y(tick))}" '
            f'stroke="#d0d0d0" stroke-width="0.6"/>'
        )
        out.append(f'<text x="{left - 6}" y="{_n(y(tick) + 4)}" text-anchor="end">{digits(tick)}</text>')
    for year in years:
        out.append(f'<text x="{_n(x(year))}" y="{top + plot_h + 18}" text-anchor="middle">{digits(year)}</text>')

    # Values and the pass mark's label go between the title and the years, right of the ticks.
    placer = LabelPlacer(Box(left, 24, width - 2, top + plot_h + 6))
    pass_y = None
    if pass_mark is not None and y_min <= float(pass_mark) <= y_max:
        pass_y = y(float(pass_mark))
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{_n(pass_y)}" y2="{_n(pass_y)}" stroke="#888" '
            f'stroke-dasharray="3 3" stroke-width="1"/>'
        )
        placer.add_line([(left, pass_y), (left + plot_w, pass_y)], 1)
    # The tools first, the total last: where they meet, the total's line and markers stay on top.
    for index in reversed(range(len(series))):
        colour, dash_attr = _style(index)
        stroke = 2.2 if index == 0 else 1.6
        points = _points(series[index], years)
        for run in _segments(points, years):
            if len(run) > 1:
                coords = [(x(yr), y(sc)) for yr, sc in run]
                placer.add_line(coords, stroke)
                out.append(
                    f'<polyline points="{" ".join(f"{_n(px)},{_n(py)}" for px, py in coords)}" fill="none" '
                    f'stroke="{colour}" stroke-width="{stroke}"{dash_attr}/>'
                )
        for year, score in points:
            placer.add_marker(x(year), y(score), 3)
            out.append(
                f'<circle cx="{_n(x(year))}" cy="{_n(y(score))}" r="3" fill="{colour}">'
                f"<title>{escape(series[index].label)} {digits(year)}: {digits(f'{score:.2f}')}</title></circle>"
            )

    # The labels go once every marker and line is known: the total's values, then the pass mark.
    size = 12
    for year, score in _points(series[0], years) if series else []:
        text = digits(f"{score:.2f}")
        lx, baseline, anchor = placer.place(text, size, point_candidates(x(year), y(score), 3, size))
        out.append(f'<text x="{_n(lx)}" y="{_n(baseline)}" text-anchor="{anchor}" font-weight="bold">{text}</text>')
    if pass_y is not None:
        text = f"เกณฑ์ผ่าน {digits(_n(float(pass_mark)))}"
        lx, baseline, anchor = placer.place(text, size, line_label_candidates(left, left + plot_w, pass_y, size))
        out.append(f'<text x="{_n(lx)}" y="{_n(baseline)}" text-anchor="{anchor}" fill="#555">{text}</text>')

    legend_y, legend_x = height - 12, left
    for index, s in enumerate(series):
        colour, dash_attr = _style(index)
        out.append(
            f'<line x1="{legend_x}" x2="{legend_x + 22}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
        )
        out.append(f'<text x="{legend_x + 26}" y="{legend_y}">{escape(s.label)}</text>')
        legend_x += 26 + text_width(s.label, size) + 16
    out.append("</svg>")
    return "".join(out)


def indicator_bars_svg(
    rows: list[Series],
    *,
    years: list[int],
    title: str = "",
    width: int = 640,
    thai_digits: bool = False,
    pass_mark: Decimal | float | None = None,
) -> str:
    """Horizontal bars: one group per indicator (Series.label), one bar per year in `years`."""
    years = sorted(years)[-3:]  # the latest three years at most: more is unreadable on paper
    if not rows or not years:
        return ""
    digits = (lambda v: thai.to_thai_digits(v)) if thai_digits else str  # noqa: E731
    bar, gap, label_w, left_pad, top = 9, 7, 230, 6, 34
    group = bar * len(years) + gap
    height = top + group * len(rows) + 40
    plot_x, plot_w = label_w + left_pad, width - label_w - left_pad - 46

    def x(score: float) -> float:
        return plot_x + plot_w * max(0.0, min(score, 100.0)) / 100

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="indicator-chart" font-family="Sarabun" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-size="11" '
        f"aria-label={quoteattr(title)}>",
        f"<title>{escape(title)}</title>",
        f'<text x="{width / 2:g}" y="16" text-anchor="middle" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for tick in range(0, 101, 20):
        out.append(
            f'<line x1="{_n(x(tick))}" x2="{_n(x(tick))}" y1="{top - 4}" y2="{height - 34}" '
            f'stroke="#d0d0d0" stroke-width="0.6"/>'
        )
        out.append(f'<text x="{_n(x(tick))}" y="{height - 22}" text-anchor="middle">{digits(tick)}</text>')
    for index, row in enumerate(rows):
        y0 = top + index * group
        out.append(
            f'<text x="{label_w}" y="{_n(y0 + bar * len(years) / 2 + 4)}" text-anchor="end">{escape(row.label)}</text>'
        )
        scores = dict(row.points)
        for n, year in enumerate(years):
            score = scores.get(year)
            if score is None:
                continue
            colour = COLOURS[(len(years) - 1 - n) + 1] if n < len(years) - 1 else COLOURS[1]
            opacity = "1" if n == len(years) - 1 else "0.45"
            y = y0 + n * bar
            out.append(
                f'<rect x="{plot_x}" y="{y}" width="{_n(x(float(score)) - plot_x)}" height="{bar - 1}" '
                f'fill="{colour}" fill-opacity="{opacity}"><title>{escape(row.label)} {digits(year)}: '
                f"{digits(f'{float(score):.2f}')}</title></rect>"
            )
            out.append(
                f'<text x="{_n(x(float(score)) + 3)}" y="{y + bar - 1}" font-size="9">'
                f"{digits(f'{float(score):.2f}')}</text>"
            )
    if pass_mark is not None:
        px = _n(x(float(pass_mark)))
        out.append(
            f'<line x1="{px}" x2="{px}" y1="{top - 6}" y2="{height - 34}" stroke="#000" '
            f'stroke-dasharray="3 3" stroke-width="1"/>'
        )
    legend_x = plot_x
    for n, year in enumerate(years):
        colour = COLOURS[(len(years) - 1 - n) + 1] if n < len(years) - 1 else COLOURS[1]
        opacity = "1" if n == len(years) - 1 else "0.45"
        out.append(
            f'<rect x="{legend_x}" y="{height - 13}" width="14" height="9" fill="{colour}" fill-opacity="{opacity}"/>'
        )
        out.append(f'<text x="{legend_x + 18}" y="{height - 5}">ปี {digits(year)}</text>')
        legend_x += 80
    if pass_mark is not None:
        out.append(f'<text x="{legend_x}" y="{height - 5}">- - - เกณฑ์ผ่าน {digits(_n(float(pass_mark)))}</text>')
    out.append("</svg>")
    return "".join(out)
