"""The server-side SVG charts: well-formed, Thai digits when asked, gaps kept as gaps."""

from decimal import Decimal
from xml.etree import ElementTree

from reports.charts import Series, indicator_bars_svg, trend_svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own output


def texts(svg: str) -> list[str]:
    return [t.text for t in parse(svg).iter(f"{SVG}text")]


TOTALS = Series("คะแนนรวม", [(2564, Decimal("79.58")), (2565, Decimal("85.10")), (2566, Decimal("91.25"))])


def test_the_trend_is_a_line_through_every_year_with_its_values():
    svg = trend_svg([TOTALS], title="ผลการประเมิน ITA", pass_mark=85)
    root = parse(svg)
    assert root.get("font-family") == "Sarabun"
    [line] = root.iter(f"{SVG}polyline")
    assert len(line.get("points").split()) == 3
    assert {"2564", "2565", "2566", "79.58", "91.25", "เกณฑ์ผ่าน 85"} <= set(texts(svg))


def test_the_trend_prints_thai_digits_when_asked():
    labels = texts(trend_svg([TOTALS], thai_digits=True, pass_mark=85))
    assert "๒๕๖๔" in labels and "๗๙.๕๘" in labels and "เกณฑ์ผ่าน ๘๕" in labels
    assert not any(ch.isascii() and ch.isdigit() for label in labels for ch in label)


def test_a_year_without_a_score_breaks_the_line():
    gappy = Series("EIT", [(2564, 80), (2565, None), (2566, 90), (2567, 92)])
    lines = list(parse(trend_svg([TOTALS, gappy])).iter(f"{SVG}polyline"))
    # EIT (drawn under the totals): 2564 alone (a dot only), then 2566–2567; totals over 2564–2566.
    assert [len(line.get("points").split()) for line in lines] == [2, 3]


def test_higher_scores_are_drawn_higher():
    root = parse(trend_svg([TOTALS]))
    ys = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    assert ys == sorted(ys, reverse=True)  # SVG y grows downwards


def test_no_score_on_record_gives_a_note_not_an_empty_chart():
    assert "ยังไม่มีผลการประเมินที่บันทึกไว้" in texts(trend_svg([]))


def test_text_from_users_is_escaped():
    svg = trend_svg([Series("<script>", [(2566, 90)])], title='อบต. "ทดสอบ" & <b>')
    parse(svg)  # well-formed
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_indicator_bars_show_the_latest_three_years_with_their_scores():
    rows = [Series("๑. การปฏิบัติหน้าที่", [(2563, 70), (2564, 88.59), (2565, 90), (2566, 95)])]
    svg = indicator_bars_svg(rows, years=[2563, 2564, 2565, 2566], title="คะแนนรายตัวชี้วัด", pass_mark=85)
    root = parse(svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [b.find(f"{SVG}title").text for b in bars] == [
        "๑. การปฏิบัติหน้าที่ 2564: 88.59",
        "๑. การปฏิบัติหน้าที่ 2565: 90.00",
        "๑. การปฏิบัติหน้าที่ 2566: 95.00",
    ]
    widths = [float(b.get("width")) for b in bars]
    assert widths == sorted(widths)


def test_indicator_bars_need_data():
    assert indicator_bars_svg([], years=[2566]) == ""
