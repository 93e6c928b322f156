"""Names, reference numbers, dates and official compounds never split at a line end (reports.linebreaks).

The module alone first; then a synthetic document whose names fall at line ends in narrow
table cells, rendered to PDF by the real pipeline and read back with pdftotext. The PDFs and
PNGs stay in test-output/linebreaks/ for people to look at.
"""

import re
import subprocess
import unicodedata
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import Context, Template

from measures import workflow
from reports import linebreaks, pdf, rendering
from reports.linebreaks import COMPOUNDS, MAX_LENGTH, protect, protect_html

OUTPUT = Path(settings.BASE_DIR) / "test-output" / "linebreaks"
KEPT = re.compile(r'<span class="keep">(.*?)</span>')


def kept(html: str) -> list[str]:
    return [unescape(piece) for piece in KEPT.findall(html)]


# --- The module ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "piece"),
    [
        ("ที่ ชม ๕๑๒๐๑/๑๒๓ ลงวันที่", "ที่ ชม ๕๑๒๐๑/๑๒๓"),
        ("ตามหนังสือที่ มท ๐๘๐๘.๒/ว ๑๒๓ เรื่อง", "มท ๐๘๐๘.๒/ว ๑๒๓"),
        ("ที่ ชม ๕๑๒๐๑/", "ที่ ชม ๕๑๒๐๑/"),  # the number left to fill in by hand
        ("คำสั่งที่ ๑๒๓/๒๕๖๔ ลง", "๑๒๓/๒๕๖๔"),
        ("ปีงบประมาณ พ.ศ. ๒๕๖๔", "พ.ศ. ๒๕๖๔"),
        ("ปี พ.ศ.2564 นี้", "พ.ศ.2564"),
        ("ตั้งแต่ 1 ต.ค. ๒๕๖๔ ถึง", "1 ต.ค. ๒๕๖๔"),
        ("ภายใน ๓๑ มีนาคม ๒๕๖๕ นี้", "๓๑ มีนาคม ๒๕๖๕"),
        ("วันที่ ๒๕ มีนาคม พ.ศ. ๒๕๖๕", "๒๕ มีนาคม พ.ศ. ๒๕๖๕"),
        ("1 ต.ค.64 - 31 มี.ค.65", "1 ต.ค.64"),
        ("ระหว่าง ต.ค.\u00a0๒๕๖๔ – มี.ค.\u00a0๒๕๖๕", "ต.ค.\u00a0๒๕๖๔"),
    ],
)
def test_reference_numbers_years_and_dates_are_kept_whole(text, piece):
    assert piece in kept(protect(text))


def test_every_compound_is_kept_whole_inside_running_text():
    for compound in COMPOUNDS:
        assert kept(protect(f"ขอให้{compound}รายงาน")) == [compound], compound


def test_the_longest_of_overlapping_phrases_is_kept():
    html = protect("นายกองค์การบริหารส่วนตำบลหนองป่าครั่ง", ["องค์การบริหารส่วนตำบลหนองป่าครั่ง"])
    assert kept(html) == ["องค์การบริหารส่วนตำบลหนองป่าครั่ง"]


def test_names_are_kept_in_arabic_and_thai_digits():
    assert kept(protect("ส่ง หมู่ที่ ๑๒ บ้านหนองบัว ด้วย", ["หมู่ที่ 12 บ้านหนองบัว"])) == ["หมู่ที่ ๑๒ บ้านหนองบัว"]


def test_a_name_longer_than_a_line_is_kept_word_by_word():
    long_name = "กองการศึกษา ศาสนา และวัฒนธรรม สำนักงานเขตพื้นที่การศึกษาประถมศึกษา"
    assert len(long_name) > MAX_LENGTH
    assert long_name not in kept(protect(long_name, [long_name]))
    assert "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา" in kept(protect(long_name, [long_name]))


def test_no_piece_of_a_syllable_is_kept_apart():
    assert kept(protect("โครงการ", ["ครงการ"])) == []  # โ belongs to ค
    assert kept(protect("นางสมศรี", ["นางสมศร"])) == []  # ี belongs to ร


def test_punctuation_stays_with_the_phrase_it_touches():
    assert kept(protect("(ผู้รับผิดชอบ), ต่อไป")) == ["(ผู้รับผิดชอบ),"]


def test_the_text_is_escaped_and_nothing_is_added_to_it():
    text = 'หน่วยงาน <b>"ก"</b> & ที่ ชม ๕๑๒๐๑/๑๒๓'
    html = protect(text)
    assert "<b>" not in html
    assert unescape(re.sub(r"</?span[^>]*>", "", html)) == text


def test_a_rendered_document_is_protected_except_its_head_styles_charts_and_kept_spans():
    html = (
        "<html><head><title>หน่วยงาน</title><style>p>b{}</style></head><body>"
        '<p class="หน่วยงาน">หน่วยงาน &amp; <span class="keep">ประชาชน <b>x</b></span> ประชาชน</p>'
        "<svg><text>หน่วยงาน</text></svg><p>ผู้บริหาร</p></body></html>"
    )
    out = protect_html(html)
    assert "<title>หน่วยงาน</title><style>p>b{}</style>" in out
    assert '<p class="หน่วยงาน"><span class="keep">หน่วยงาน</span> &amp; ' in out
    assert '<span class="keep">ประชาชน <b>x</b></span> <span class="keep">ประชาชน</span></p>' in out
    assert '<svg><text>หน่วยงาน</text></svg><p><span class="keep">ผู้บริหาร</span></p>' in out
    assert protect_html(out) == out


def test_doc_text_keeps_the_names_of_the_document_being_rendered():
    template = Template("{% load documents %}{{ v|doc_text:True }}")
    text = "ส่งให้กองสาธารณสุขและสิ่งแวดล้อมบ้านใหม่ภายใน 5 วัน"
    assert kept(template.render(Context({"v": text}))) == ["กองสาธารณสุขและสิ่งแวดล้อม"]
    with linebreaks.protecting(["กองสาธารณสุขและสิ่งแวดล้อมบ้านใหม่"]):
        assert kept(template.render(Context({"v": text}))) == ["กองสาธารณสุขและสิ่งแวดล้อมบ้านใหม่"]
    assert linebreaks.current_names() == ()


def test_an_editions_names_are_its_organisation_units_owners_and_approvers():
    data = {
        "organisation": {"name": "เทศบาลตำบลหนองป่าครั่ง", "district": "เมืองเชียงใหม่", "province": "เชียงใหม่"},
        "measures": [{"units": ["กองช่าง"], "owner": "นายสมชาย ใจดี"}],
    }
    approvals = [{"name": "นางสาวกาญจนา ศรีสุวรรณ", "position": "ปลัดเทศบาล", "acting_for": ""}]
    names = set(linebreaks.edition_names(data, approvals))
    assert {"เทศบาลตำบลหนองป่าครั่ง", "อำเภอเมืองเชียงใหม่", "จังหวัดเชียงใหม่", "กองช่าง", "นายสมชาย ใจดี"} <= names
    assert {"อ.เมืองเชียงใหม่", "จ. เชียงใหม่"} <= names and "เชียงใหม่" not in names  # a bare place may be in a word
    assert {"นางสาวกาญจนา ศรีสุวรรณ", "ปลัดเทศบาล"} <= names


def test_the_stylesheet_keeps_a_phrase_together_without_overflowing_its_column():
    assert protect("ส่งหน่วยงาน") == 'ส่ง<span class="keep">หน่วยงาน</span>'
    css = Path(finders.find("css/print.css")).read_text()
    rule = re.search(r"\.keep \{([^}]*)\}", css)[1]
    assert "display: inline-block" in rule and "max-width: 100%" in rule and "text-indent: 0" in rule


# --- Real renders ----------------------------------------------------------------------------

ORGANISATION = {
    "name": "เทศบาลตำบลบ้านหนองป่าครั่ง",
    "slug": "nong-pa-khrang",
    "kind": "municipality_subdistrict",
    "district": "ดอยสะเก็ด",
    "province": "พระนครศรีอยุธยา",
    "place": "อำเภอดอยสะเก็ด จังหวัดพระนครศรีอยุธยา",
    "thai_digits": True,
    "layout": "themes_12m",
    "all_units_text": "ทุกกอง/สำนัก",
    "logo": "",
}
UNITS = ["สำนักปลัดเทศบาล", "กองสวัสดิการสังคม", "กองช่าง", "กองคลัง"]
TOO_WIDE = "งานป้องกันและบรรเทาสาธารณภัย"  # kept, but wider than the units column: it must break
APPROVER = {"position": "ปลัดเทศบาล", "acting_for": "", "name": "นางสาวกาญจนา ศรีสุวรรณ", "date": "2022-03-31"}
# Words of the filler that move each phrase along the line, row after row.
FILLER = ["ให้", "มี", "การ", "ติดตาม", "และ", "รายงาน", "ผล", "ต่อ", "ที่", "ประชุม", "ทุก", "เดือน", "โดย"]
# Phrases that fit in the column they are printed in; each must never be split.
NAMES = [ORGANISATION["name"], "อำเภอดอยสะเก็ด", "จังหวัดพระนครศรีอยุธยา", *UNITS, APPROVER["name"]]
PATTERNED = ["ที่ ชม ๕๑๒๐๑/๑๒๓", "มท ๐๘๐๘.๒/ว ๑๒๓", "พ.ศ. ๒๕๖๔", "๑ ต.ค. ๒๕๖๔", "๓๑ มีนาคม ๒๕๖๕"]
SHORT_COMPOUNDS = ["ผู้รับผิดชอบ", "หน่วยงาน", "การดำเนินงาน", "ดำเนินการ", "ผู้บริหาร", "ประชาชน", "ข้อมูลข่าวสาร"]
LONG_COMPOUNDS = ["การประเมินคุณธรรมและความโปร่งใส", "นายกองค์การบริหารส่วนตำบล", "ปลัดองค์การบริหารส่วนตำบล"]


def filled(phrases: list[str], shift: int) -> str:
    """The phrases one after another, each after a few words of filler: a different few in each row.
    A reference number or a date follows a space, as Thai is written."""
    out = []
    for n, phrase in enumerate(phrases):
        start = (shift * 3 + n * 5) % len(FILLER)
        space = " " if phrase in PATTERNED else ""
        out.append("".join((FILLER * 2)[start : start + 1 + (shift + n) % 4]) + space + phrase)
    return " ".join(out)


def measure(n: int) -> dict:
    short = [*NAMES, *PATTERNED, *SHORT_COMPOUNDS]
    return {
        "number": str(n),
        "theme": 1,
        "title": filled(short[n % 5 :: 5], n),
        "issue": "",
        "indicators": [],
        "items": [],
        "steps": [filled(LONG_COMPOUNDS + short[n % 3 :: 3], n), filled(PATTERNED, n + 1)],
        "units": [*UNITS[: 1 + n % 4], TOO_WIDE],
        "all_units": False,
        "owner": "",
        "period": {"start": "2021-10-01", "end": "2022-03-31", "whole_year": False},
        "deadline": None,
        "monitoring": filled(short[n % 4 :: 4], n + 2),
        "target": "",
        "budget": None,
    }


def edition(rows: int = 16) -> dict:
    """A measures document's edition (the keys of measures.editions.measures_edition) with only a table."""
    return {
        "schema": 2,
        "kind": "measures",
        "round": None,
        "fiscal_year": 2565,
        "analysed_year": 2564,
        "edition": 1,
        "organisation": ORGANISATION,
        "title": "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        "introduction": "",
        "assessment": None,
        "trend": [],
        "findings": [],
        "themes": [{"number": 1, "title": f"ด้านการเปิดเผยข้อมูลของ{ORGANISATION['name']}"}],
        "measures": [measure(n) for n in range(1, rows + 1)],
    }


def pdf_lines(name: str, html: str) -> list[str]:
    """The PDF's text as pdftotext -raw gives it (content order), line by line, in NFKC form."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.pdf"
    path.write_bytes(rendering.as_pdf(html))
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-l", "2", str(path), str(OUTPUT / name)], check=True)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return [unicodedata.normalize("NFKC", line).strip() for line in text.splitlines()]


def split_at_line_end(lines: list[str], phrases: list[str]) -> set[str]:
    """The phrases that a line ends with the start of and the next lines continue ("ab|cd|ef")."""
    found = set()
    for i, line in enumerate(lines):
        for phrase in phrases:
            p = unicodedata.normalize("NFKC", phrase).replace("\u00a0", " ")
            for at in range(1, len(p)):
                pieces, rest = [p[:at].rstrip()], p[at:].lstrip()
                if not pieces[0] or not rest or not line.endswith(pieces[0]):
                    continue
                for after in lines[i + 1 :]:
                    if after and after.startswith(rest):
                        found.add("|".join([*pieces, rest]))
                    if not after or not rest.startswith(after):
                        break
                    pieces.append(after)
                    rest = rest[len(after) :].lstrip()
    return found


def unprotected(html: str) -> str:
    """The same document with nothing kept: the control that shows the phrases do reach line ends."""
    return re.sub(r'<span class="keep">((?:(?!</span>).)*)</span>', r"\1", html)


@pytest.fixture(scope="module")
def document_html() -> str:
    return rendering.edition_html(edition(), draft=False, approvals=[APPROVER])


@pytest.fixture(scope="module")
def document_lines(document_html) -> list[str]:
    return pdf_lines("names-at-line-ends", document_html)


PHRASES = [*NAMES, *PATTERNED, *SHORT_COMPOUNDS, *LONG_COMPOUNDS]


def test_without_protection_the_engines_split_the_names_of_this_document(document_html):
    assert len(split_at_line_end(pdf_lines("names-at-line-ends-unprotected", unprotected(document_html)), PHRASES)) > 5


def test_no_name_date_reference_number_or_compound_is_split_in_the_pdf(document_lines):
    assert split_at_line_end(document_lines, PHRASES) == set()


def test_pdftotext_finds_every_name_intact(document_lines):
    text = "\n".join(document_lines)
    for phrase in PHRASES:
        assert unicodedata.normalize("NFKC", phrase).replace("\u00a0", " ") in text, phrase
    assert not re.search("[\u200b-\u200d\u2060\ufeff]", text)  # no invisible character in the words


def test_a_phrase_wider_than_its_column_breaks_inside_it(document_lines):
    assert split_at_line_end(document_lines, [TOO_WIDE])


def overflowing_text(html: str) -> list[str]:
    """Text that reaches past the right edge of its table cell, from WeasyPrint's layout."""
    weasyprint, fonts, fetcher = pdf.weasyprint_module()
    from weasyprint.formatting_structure import boxes  # noqa: PLC0415 - loaded with WeasyPrint

    document = weasyprint.HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=fetcher).render(font_config=fonts)
    found = []
    for page in document.pages:
        for cell in page._page_box.descendants():
            if not isinstance(cell, boxes.TableCellBox):
                continue
            right = cell.content_box_x() + cell.width + 0.5
            for box in cell.descendants():
                if (
                    isinstance(box, boxes.TextBox | boxes.InlineBlockBox)
                    and box.position_x + box.margin_width() > right
                ):
                    found.append(getattr(box, "text", "") or "inline block")
    return found


def test_no_kept_phrase_reaches_past_its_table_cell(document_html):
    assert overflowing_text(document_html) == []


# The memo: its reference number, date, names and positions, in the width of a portrait page.
MEMO_NAMES = ["นางสาวกาญจนา ศรีสุวรรณ", "หัวหน้าสำนักปลัด", "เทศบาลตำบลทดสอบ"]


@pytest.fixture
def memo_submission(chain, measure, document, officer):
    memo = workflow.memo_for(document, by=officer)
    facts = " ".join(filled([*PATTERNED, *SHORT_COMPOUNDS, *MEMO_NAMES], shift) for shift in range(8))
    workflow.memo_update(
        memo=memo,
        by=officer,
        revision=memo.revision,
        number="ชม ๕๑๒๐๑/๑๒๓",
        facts=facts,
        author_name="นางสาวกาญจนา ศรีสุวรรณ",
        author_position="นักวิเคราะห์นโยบายและแผนชำนาญการ",
    )
    return workflow.submit(target=document, by=officer)


@pytest.mark.django_db
def test_the_memo_keeps_its_reference_number_dates_and_names_whole(memo_submission):
    html = rendering.memo_html(memo_submission)
    assert "ชม ๕๑๒๐๑/๑๒๓" in kept(html)
    phrases = [*PATTERNED, *SHORT_COMPOUNDS, *MEMO_NAMES]
    assert split_at_line_end(pdf_lines("memo-unprotected", unprotected(html)), phrases)
    assert split_at_line_end(pdf_lines("memo", html), phrases) == set()
