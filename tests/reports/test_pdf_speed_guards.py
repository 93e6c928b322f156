"""What reports.pdf changes in WeasyPrint for speed keeps the PDF as it was (issue 19).

Kept phrases (`<span class="keep">`) are laid out as unbreakable text instead of the inline
blocks of print.css (reports.pdf.KEEP_AS_TEXT): the same lines and the same pixels, a fifth less
time (docs/BENCHMARKS.md).
"""

import subprocess
import unicodedata

import pytest

from reports import pdf
from reports.linebreaks import protect

NAMES = ["เทศบาลตำบลบ้านหนองป่าครั่ง", "อำเภอดอยสะเก็ด", "นางสาวกาญจนา ศรีสุวรรณ"]
WORDS = ["ให้", "มี", "การ", "ติดตาม", "และ", "รายงาน", "ผล", "ต่อ", "ที่", "ประชุม", "ทุก", "เดือน", "โดย"]
PHRASES = [*NAMES, "ที่ ชม ๕๑๒๐๑/๑๒๓", "พ.ศ. ๒๕๖๔", "๓๑ มีนาคม ๒๕๖๕", "ผู้รับผิดชอบ", "หน่วยงาน", "ข้อมูลข่าวสาร"]


def running_text(shift: int) -> str:
    """The phrases one after another, each after a different few words, so they reach line ends."""
    out = []
    for n, phrase in enumerate(PHRASES):
        start = (shift * 3 + n * 5) % len(WORDS)
        out.append("".join((WORDS * 2)[start : start + 1 + (shift + n) % 4]) + phrase)
    return " ".join(out)


def page(rows: int = 6, widths: tuple[int, ...] = (20, 35, 45), cells=running_text) -> str:
    """A table with columns of these widths (% of a landscape page), the same text in each."""
    cols = "".join(f'<col class="w-{w}">' for w in widths)
    body = "".join(
        "<tr>" + "".join(f"<td>{protect(cells(row), NAMES)}</td>" for _ in widths) + "</tr>" for row in range(rows)
    )
    return (
        '<!doctype html><html lang="th"><head><meta charset="utf-8"><title>ทดสอบ</title>'
        '<link rel="stylesheet" href="/static/css/print.css">'
        "<style>@page { size: A4 landscape; margin: 12mm; }</style></head><body>"
        f'<p class="indent">{protect(running_text(7), NAMES)}</p>'
        f'<table class="grid"><colgroup>{cols}</colgroup><tbody>{body}</tbody></table></body></html>'
    )


def laid_out(html: str):
    weasyprint, fonts, fetcher = pdf.weasyprint_module()
    document = weasyprint.HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=fetcher).render(font_config=fonts)
    return [box for p in document.pages for box in p._page_box.descendants()]


def text_and_pixels(html: str, folder, name: str) -> tuple[str, list[bytes]]:
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf.render_pdf(html))
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True).stdout
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(folder / name)], check=True)
    return text, [png.read_bytes() for png in sorted(folder.glob(f"{name}-*.png"))]


@pytest.fixture
def inline_blocks(monkeypatch):
    monkeypatch.setattr(pdf, "KEEP_AS_TEXT", False)


def kept_boxes(boxes_laid_out) -> list:
    return [box for box in boxes_laid_out if box.element_tag == "span" and box.element.get("class") == "keep"]


def test_kept_phrases_are_laid_out_as_unbreakable_text():
    from weasyprint.formatting_structure import boxes  # noqa: PLC0415 - loaded with WeasyPrint

    kept = kept_boxes(laid_out(page(rows=2)))
    assert len(kept) >= 2 * 3 * len(PHRASES)  # every phrase of every cell
    assert all(isinstance(box, boxes.TextBox) and box.style["white_space"] == "nowrap" for box in kept)


def test_the_switch_puts_back_the_inline_blocks_of_the_stylesheet(inline_blocks):
    from weasyprint.formatting_structure import boxes  # noqa: PLC0415

    kept = kept_boxes(laid_out(page(rows=2)))
    assert sum(isinstance(box, boxes.InlineBlockBox) for box in kept) >= 2 * 3 * len(PHRASES)


def test_a_phrase_wider_than_its_column_starts_a_line_and_breaks_inside_it(tmp_path):
    from weasyprint.formatting_structure import boxes  # noqa: PLC0415

    name = unicodedata.normalize("NFKC", NAMES[0])  # 41 mm wide, the first column 25 mm
    html = page(rows=1, widths=(10, 90), cells=lambda row: f"ให้{NAMES[0]} ส่งผล")
    lines = [unicodedata.normalize("NFKC", line) for line in text_and_pixels(html, tmp_path, "wide")[0].splitlines()]
    start = lines.index("ให้")  # the word before it keeps a line of its own
    assert name not in lines[start + 1] and "".join(lines[start + 1 : start + 4]).startswith(name)
    cell = next(box for box in laid_out(html) if isinstance(box, boxes.TableCellBox))
    right = cell.content_box_x() + cell.width + 0.5
    texts = [box for box in cell.descendants() if isinstance(box, boxes.TextBox)]
    assert texts and all(box.position_x + box.margin_width() <= right for box in texts)


def test_kept_phrases_as_text_print_the_same_lines_and_pixels_as_the_inline_blocks(tmp_path, monkeypatch):
    html = page()
    as_text = text_and_pixels(html, tmp_path, "as-text")
    monkeypatch.setattr(pdf, "KEEP_AS_TEXT", False)
    as_blocks = text_and_pixels(html, tmp_path, "as-blocks")
    assert as_text[0] == as_blocks[0] and len(as_text[1]) >= 1
    assert as_text[1] == as_blocks[1]
