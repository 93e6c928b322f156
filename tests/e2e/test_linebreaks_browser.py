"""Chromium keeps the protected names whole too (reports.linebreaks), and finds and copies them.

The synthetic document of tests/reports/test_linebreaks.py, as the staff print and the public
page show it (print.css with document-screen.css), served to the browser by Playwright itself.
"""

import re

import pytest

from reports import pdf, rendering
from tests.reports.test_linebreaks import APPROVER, PHRASES, TOO_WIDE, edition, split_at_line_end, unprotected

ADDRESS = "https://ita-portal.invalid/document"

# The lines of every cell and paragraph, as Chromium laid them out: characters grouped by the
# top of their box (marks and invisible characters ride with the character before them).
LINES = """() => {
  const lines = [];
  for (const block of document.querySelectorAll('td, th, p, li, h1, h2')) {
    if (block.querySelector('li, p')) continue;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let line = null, top = null, node;
    while ((node = walker.nextNode())) {
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const box = [...range.getClientRects()].find(r => r.width > 0 || r.height > 0);
        if (box && (top === null || Math.abs(box.top - top) > 6)) {
          if (line !== null) lines.push(line);
          line = ''; top = box.top;
        }
        line = (line ?? '') + node.data[i];
      }
    }
    if (line !== null) lines.push(line);
  }
  return lines.map(l => l.replace(/\\s+/g, ' ').trim());
}"""

# The measures table's cells (the approvals table keeps a signatory's name on one line on purpose).
OVERFLOWING = """() => [...document.querySelectorAll('table.measures td')].filter(td => td.scrollWidth > td.clientWidth + 1)
  .map(td => td.textContent.trim().slice(0, 40))"""


def show(page, html: str, width: int = 1100) -> None:
    """Serve the document and our static files (its stylesheets and fonts) from memory."""

    def answer(route):
        url = route.request.url
        if url.startswith(pdf.STATIC_PREFIX):
            body, mime_type = pdf.static_response(url)
            return route.fulfill(body=body, content_type=mime_type)
        return route.fulfill(body=html, content_type="text/html; charset=utf-8")

    page.route("https://ita-portal.invalid/**", answer)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(ADDRESS)
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('11pt Sarabun', 'ก')")


@pytest.fixture(scope="module")
def document_html() -> str:
    return rendering.edition_html(edition(), draft=False, approvals=[APPROVER])


def test_without_protection_chromium_splits_the_names_of_the_document(page, document_html):
    show(page, unprotected(document_html))
    assert len(split_at_line_end(page.evaluate(LINES), PHRASES)) > 5


def test_chromium_splits_no_name_date_reference_number_or_compound(page, document_html, shot):
    show(page, document_html)
    shot("linebreaks-document")
    lines = page.evaluate(LINES)
    assert split_at_line_end(lines, PHRASES) == set()
    assert split_at_line_end(lines, [TOO_WIDE])  # wider than its column: broken inside it
    assert page.evaluate(OVERFLOWING) == []


def test_on_a_phone_a_kept_phrase_wider_than_its_column_breaks_instead_of_overflowing(page, document_html):
    show(page, document_html, width=375)
    assert page.evaluate(OVERFLOWING) == []
    assert split_at_line_end(page.evaluate(LINES), PHRASES)  # some are wider than the columns now


def test_the_names_are_found_and_copied_as_typed(page, document_html):
    show(page, document_html)
    copied = page.evaluate(
        "() => { getSelection().selectAllChildren(document.body); return getSelection().toString(); }"
    )
    assert not re.search("[\u200b-\u200d\u2060\ufeff]", copied)
    for phrase in PHRASES:
        assert phrase.replace("\u00a0", " ") in copied.replace("\u00a0", " "), phrase
        page.evaluate("getSelection().removeAllRanges()")
        assert page.evaluate("p => window.find(p, false, false, true)", phrase), phrase
