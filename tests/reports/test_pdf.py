"""The printed documents, checked as PDFs: fonts, glyphs, text, digits, pages, line breaks.

The PDFs and PNGs of their first pages stay in test-output/pdf/ for people to look at.
"""

import re
import unicodedata

import pytest

from .conftest import BO_PHLOI_COMMENTS, render

# The documents are rendered once for the session (conftest.demo_documents); marking the tests
# tells pytest-django to set up the test database even when they run alone.
pytestmark = pytest.mark.django_db

SARABUN = re.compile(r"^[A-Z]{6}\+Sarabun(-Bold|-Italic|-BoldItalic)?$")

# Page counts of the demo documents, with room for small layout changes: a document that
# suddenly has twice the pages (or one) has lost its layout.
PAGES = {
    "bo-phloi-2565-measures": (3, 6),
    "thawon-2566-measures": (10, 22),
    "khao-hua-chang-2566-measures": (3, 6),
    "thawon-2566-report-6": (12, 26),
    "khao-hua-chang-2566-report-12": (5, 9),
    "bo-phloi-2565-memo": (1, 2),
}

# Words of the demo text, each with the places where a compound may break between its parts
# (ดำเนิน|การ is a break between words; ดำ|เนินการ cuts a word). A word cut elsewhere shows in
# pdftotext as two pieces on consecutive lines.
WORDS: dict[str, tuple[str, ...]] = {
    "ดำเนินการ": ("ดำเนิน",),
    "บุคลากร": (),
    "ประชาสัมพันธ์": ("ประชา",),
    "เจ้าหน้าที่": ("เจ้า", "เจ้าหน้า"),
    "ผู้บริหาร": ("ผู้",),
    "งบประมาณ": ("งบ",),
    "ประสิทธิภาพ": ("ประสิทธิ",),
    "ความโปร่งใส": ("ความ", "ความโปร่ง"),
    "คุณธรรม": ("คุณ",),
    "ทุจริต": (),
    "ผู้รับผิดชอบ": ("ผู้", "ผู้รับ", "ผู้รับผิด"),
    "ประเมิน": (),
    "เผยแพร่": ("เผย",),
    "ข้อมูล": ("ข้อ",),
    "ปฏิบัติ": (),
    "สำนักปลัด": ("สำนัก",),
    "ตรวจสอบ": ("ตรวจ",),
    "ราชการ": ("ราช",),
    "ประจำปี": ("ประจำ",),
    "เทศบาล": (),
    "มาตรการ": ("มาตร",),
    "ทรัพย์สิน": ("ทรัพย์",),
    "กิจกรรม": (),
    "โครงการ": ("โครง",),
    "ผลประโยชน์": ("ผล",),
    "ร้องเรียน": ("ร้อง",),
    "สาธารณะ": (),
    "นโยบาย": (),
    "ประโยชน์": (),
    "สื่อสาร": ("สื่อ",),
}


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def pdf_problems(rendered) -> list[str]:
    """Every reason a PDF is not as we ship it: foreign fonts, WeasyPrint's warnings."""
    problems = [f"font {name}" for name in rendered.fonts() if not SARABUN.match(name)]
    problems += [f"weasyprint: {message}" for message in rendered.warnings]
    return problems


def words_cut_at_line_end(text: str) -> set[str]:
    """The words of WORDS cut at a line end anywhere but between the parts of a compound."""
    cut = set()
    lines = [line.strip() for line in text.splitlines()]
    for before, after in zip(lines, lines[1:], strict=False):
        tail, head = before[-14:], after[:14]
        for word, parts in WORDS.items():
            w = nfkc(word)
            for at in range(1, len(w)):
                if tail.endswith(w[:at]) and head.startswith(w[at:]) and w[:at] not in map(nfkc, parts):
                    cut.add(f"{w[:at]}|{w[at:]}")
    return cut


@pytest.fixture(params=sorted(PAGES))
def document(request, demo_documents):
    return demo_documents[request.param]


def test_every_demo_document_is_rendered(demo_documents):
    assert set(demo_documents) == set(PAGES)


def test_a_pdf_embeds_only_the_shipped_sarabun_and_weasyprint_warns_of_nothing(document):
    assert document.pdf.startswith(b"%PDF-")
    assert pdf_problems(document) == []


def test_the_check_catches_a_glyph_that_sarabun_does_not_have(db):
    # Chinese characters: Sarabun has none, so WeasyPrint either takes a system font or
    # draws .notdef boxes and logs it. Either way the check above must fail.
    bad = render("glyph-check", '<html lang="th"><body style="font-family: Sarabun">ทดสอบ 漢字 ☃</body></html>')
    assert pdf_problems(bad) != []


def test_the_page_count_is_sane(document):
    low, high = PAGES[document.name]
    assert low <= document.pages <= high


def test_no_word_is_cut_at_a_line_end(document):
    assert words_cut_at_line_end(document.text()) == set()


def test_the_word_check_finds_a_cut_word():
    assert words_cut_at_line_end(nfkc("มีการดำ\nเนินการแล้ว")) == {nfkc("ดำ|เนินการ")}
    assert words_cut_at_line_end("มีการดำเนิน\nการแล้ว") == set()  # between the words of a compound
    assert words_cut_at_line_end("มีการดำเนินการ\nแล้ว") == set()


def test_pdftotext_gives_back_the_thai_words_with_sara_am(demo_documents):
    text = demo_documents["khao-hua-chang-2566-report-12"].text()
    assert "ประมาณ" in text and "ประมำณ" not in text
    assert nfkc("ดำเนินการ") in text
    assert nfkc("เทศบาลตำบลเขาหัวช้าง") in text


def test_numbers_and_dates_print_in_thai_digits(demo_documents):
    text = demo_documents["khao-hua-chang-2566-report-12"].text()
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๖" in text
    assert "รอบ ๑๒ เดือน (เดือนตุลาคม ๒๕๖๕ ถึงเดือนกันยายน ๒๕๖๖)" in text
    assert "๑.๑ แผนการใช้จ่าย" in text
    assert not re.search(r"[0-9]", text), "no Arabic digit is left in this document"


def test_item_codes_keep_their_latin_digits_in_a_thai_digits_document(demo_documents):
    text = demo_documents["thawon-2566-measures"].text()
    assert "I13 ท่านได้รับมอบหมายงาน" in text  # the code as NACC writes it
    assert nfkc("\n๑. เจ้าหน้าที่ผู้รับผิดชอบ") in text  # "1." typed in the seed prints as "๑."
    assert "\n1." not in text


def test_the_scores_table_prints_the_official_total_and_grade_but_not_the_officers_check(demo_documents):
    text = demo_documents["bo-phloi-2565-measures"].text(2, 2)  # after the cover
    assert "๗๙.๕๘" in text
    assert "ระดับผลการประเมิน B" in text
    # The recomputation check is a note for the officer (the score page shows it), never official text.
    assert nfkc("การตรวจสอบการคำนวณ") not in text and nfkc("คำนวณได้") not in text
    for indicator in ("การปฏิบัติหน้าที่", "การเปิดเผยข้อมูล", "การป้องกันการทุจริต"):
        assert indicator in text


def test_page_numbers_are_in_thai_digits(demo_documents):
    document = demo_documents["thawon-2566-measures"]
    last = document.pages
    from measures.thai import to_thai_digits

    assert f"{to_thai_digits(last)} / {to_thai_digits(last)}" in document.text(last, last)


def test_the_table_header_is_repeated_on_every_page_of_a_report(demo_documents):
    document = demo_documents["thawon-2566-report-6"]
    for page in range(2, document.pages + 1):  # every page after the cover
        assert "ผู้รับผิดชอบ" in document.text(page, page), f"page {page} has no table header"


def test_a_report_opens_with_a_cover_page_without_a_page_number(demo_documents):
    cover = demo_documents["khao-hua-chang-2566-report-12"].text(1, 1)
    assert cover.splitlines()[:5] == [
        nfkc(line)
        for line in [
            "รายงานผลการดำเนินการ",
            "ตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
            "(Integrity and Transparency Assessment : ITA)",
            "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
            "รอบ ๑๒ เดือน (เดือนตุลาคม ๒๕๖๕ ถึงเดือนกันยายน ๒๕๖๖)",
        ]
    ]
    assert nfkc("เทศบาลตำบลเขาหัวช้าง\nอำเภอตะโหมด จังหวัดพัทลุง") in cover
    assert " / " not in cover


def test_the_memo_prints_every_comment_name_and_position(demo_documents):
    text = nfkc(demo_documents["bo-phloi-2565-memo"].text())
    assert "บันทึกข้อความ" in text
    assert "กจ ๕๓๐๐๑/๕๐" in text or "๕๓๐๐๑" in text
    for _user, comment in BO_PHLOI_COMMENTS:
        assert nfkc(comment) in text.replace("\n", "")
    for name in ("นางจรัสศรี คุ่มอยู่", "นายชัยเชษฐ พัฒนะพิชัย"):
        assert f"({nfkc(name)})" in text
    assert nfkc("นายกเทศมนตรีตำบลบ่อพลอย") in text


def test_the_trend_chart_is_drawn_into_the_measures_document(demo_documents):
    document = demo_documents["bo-phloi-2565-measures"]
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in document.html
    assert nfkc("ผลการประเมิน ITA ของเทศบาลตำบลบ่อพลอย") in document.text(1, 2)


# --- What reports.pdf changes in WeasyPrint and Python for speed (issue 19) -----------------


def test_the_collector_runs_again_after_a_pdf_and_after_a_failed_one():
    import gc

    from reports import pdf, rendering

    html = '<html lang="th"><body><p>มาตรการส่งเสริมคุณธรรม</p></body></html>'
    assert rendering.as_pdf(html).startswith(b"%PDF") and gc.isenabled()
    broken = (
        '<html lang="th"><head><link rel="stylesheet" href="/static/css/no-such-file.css"></head><body></body></html>'
    )
    with pytest.raises(pdf.RenderError):
        rendering.as_pdf(broken)
    assert gc.isenabled()


def test_shrink_to_fit_gives_weasyprints_widths_without_the_needless_min_content():
    from reports import pdf

    pdf.weasyprint_module()
    from weasyprint.layout import inline, preferred

    ours = preferred.shrink_to_fit
    assert ours.skips_min_content and inline.shrink_to_fit is ours

    class Box:  # stands in for a laid-out box: only its two widths are asked
        pass

    calls = []

    def widths(least, most):
        preferred.min_content_width = lambda context, box, outer: calls.append("min") or least
        preferred.max_content_width = lambda context, box, outer: calls.append("max") or most

    real = preferred.min_content_width, preferred.max_content_width
    try:
        for least, most, available in [(10, 40, 100), (10, 40, 30), (50, 80, 30), (5, 5, 5)]:
            widths(least, most)
            assert ours(None, Box(), available) == ours.original(None, Box(), available)
        calls.clear()
        widths(10, 40)
        ours(None, Box(), 100)  # fits: the min-content width is not computed
        assert calls == ["max"]
    finally:
        preferred.min_content_width, preferred.max_content_width = real
