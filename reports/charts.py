"""The ITA trend chart as inline SVG, drawn on the server so that it prints in the PDF.

No chart library: a line chart of a few series over a handful of years is some 80 lines of
SVG, and the same markup serves the screen, the public site and WeasyPrint.
"""

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
    """A line chart of the series over the years; an explanatory note when there is no data."""
    years = sorted({year for s in series for year, score in s.points if score is not None})
    digits = (lambda v: thai.to_thai_digits(v)) if thai_digits else str  # noqa: E731
    label = escape(title or "ผลการประเมิน ITA")
    if not years:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="trend-chart" font-family="Sarabun" width="{width}" height="60" '
            f'viewBox="0 0 {width} 60" aria-label={quoteattr(title or "ผลการประเมิน ITA")}>'
            f'<text x="{width / 2:g}" y="34" text-anchor="middle" font-size="13">'
            f"ยังไม่มีผลการประเมินที่บันทึกไว้</text></svg>"
        )

    scores = [float(score) for s in series for _, score in s.points if score is not None]
    if y_min is None:  # start the axis at a round ten below the lowest score, never below zero
        y_min = max(0, int(min(scores) // 10) * 10 - 10)
    y_max = 100
    left, right, top, bottom = 44, 16, 34, 56
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(year: int) -> float:
        if len(years) == 1:
            return left + plot_w / 2
        return left + plot_w * years.index(year) / (len(years) - 1)

    def y(score: float) -> float:
        return top + plot_h * (1 - (score - y_min) / (y_max - y_min))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="trend-chart" font-family="Sarabun" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-size="12" aria-label={quoteattr(title)}>',
        f"<title>{label}</title>",
        f'<text x="{width / 2:g}" y="18" text-anchor="middle" font-size="14" font-weight="bold">{label}</text>',
    ]
    step = 10 if y_max - y_min <= 50 else 20
    for tick in range(y_min, y_max + 1, step):
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{_n(y(tick))}" y2="{_n(y(tick))}" '
            f'stroke="#d0d0d0" stroke-width="0.6"/>'
        )
        out.append(f'<text x="{left - 6}" y="{_n(y(tick) + 4)}" text-anchor="end">{digits(tick)}</text>')
    for year in years:
        out.append(f'<text x="{_n(x(year))}" y="{top + plot_h + 18}" text-anchor="middle">{digits(year)}</text>')
    if pass_mark is not None and y_min <= float(pass_mark) <= y_max:
        py = _n(y(float(pass_mark)))
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{py}" y2="{py}" stroke="#888" '
            f'stroke-dasharray="3 3" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left + plot_w}" y="{_n(y(float(pass_mark)) - 4)}" text-anchor="end" fill="#555">'
            f"เกณฑ์ผ่าน {digits(_n(float(pass_mark)))}</text>"
        )

    legend_y = height - 12
    legend_x = left
    for index, s in enumerate(series):
        colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        points = [(yr, float(sc)) for yr, sc in s.points if sc is not None and yr in years]
        # A gap (a year with no score) breaks the line rather than bridging it.
        segments, current = [], []
        for year in years:
            score = next((sc for yr, sc in points if yr == year), None)
            if score is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append((x(year), y(score)))
        if current:
            segments.append(current)
        for segment in segments:
            if len(segment) > 1:
                coords = " ".join(f"{_n(px)},{_n(py)}" for px, py in segment)
                out.append(
                    f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                    f'stroke-width="{2.2 if index == 0 else 1.6}"{dash_attr}/>'
                )
        for year, score in points:
            out.append(
                f'<circle cx="{_n(x(year))}" cy="{_n(y(score))}" r="3" fill="{colour}">'
                f"<title>{escape(s.label)} {digits(year)}: {digits(f'{score:.2f}')}</title></circle>"
            )
        if index == 0:  # the total carries its values
            for year, score in points:
                out.append(
                    f'<text x="{_n(x(year))}" y="{_n(y(score) - 8)}" text-anchor="middle" '
                    f'font-weight="bold">{digits(f"{score:.2f}")}</text>'
                )
        out.append(
            f'<line x1="{legend_x}" x2="{legend_x + 22}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
        )
        out.append(f'<text x="{legend_x + 26}" y="{legend_y}">{escape(s.label)}</text>')
        legend_x += 40 + 8 * len(s.label)
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
