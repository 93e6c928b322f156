"""Every PDF the portal makes is tagged (PDF/UA-1): a structure tree for screen readers, and the
document's title, author (the organisation) and language (th) in its metadata.

Poppler's pdfinfo reads the Info dictionary, the XMP metadata and the structure tree; the
catalog (/Lang, /MarkInfo, /ViewerPreferences) and the figures' alternative text are read from
the PDF's objects, inflated (WeasyPrint packs them in compressed object streams).
"""

# Fixtures are imported from other test modules, and test arguments then shadow them.
# ruff: noqa: F811

import html
import re
import subprocess
import zlib

import pytest

from reports import pdf as pdf_module
from reports import publishing, rendering
from tests.chain import new_edition
from tests.reports.test_public_site import get, pdf_url
from tests.reports.test_publishing import SECOND_TITLE, published, stored_pdf  # noqa: F401

from .test_pdf import PAGES

pytestmark = pytest.mark.django_db

AUTHORS = {
    "bo-phloi": "เทศบาลตำบลบ่อพลอย",
    "thawon": "เทศบาลตำบลถาวร",
    "khao-hua-chang": "เทศบาลตำบลเขาหัวช้าง",
}


def pdfinfo(pdf: bytes, tmp_path, *options: str) -> str:
    path = tmp_path / "tagged.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", *options, str(path)], capture_output=True, check=True, text=True).stdout


def info(pdf: bytes, tmp_path) -> dict[str, str]:
    lines = pdfinfo(pdf, tmp_path).splitlines()
    return {key.strip(): value.strip() for key, _colon, value in (line.partition(":") for line in lines)}


def objects(pdf: bytes) -> str:
    """The PDF's bytes with every compressed stream inflated after it (to search its objects)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue  # not a Flate stream
    return b"\n".join(parts).decode("latin-1")


def catalog(pdf: bytes) -> str:
    """The document catalog's dictionary, nested dictionaries included."""
    text = objects(pdf)
    start = text.rindex("<<", 0, text.index("/Type /Catalog"))
    depth, at = 0, start
    while True:
        if text.startswith("<<", at):
            depth, at = depth + 1, at + 2
        elif text.startswith(">>", at):
            depth, at = depth - 1, at + 2
            if depth == 0:
                return text[start:at]
        else:
            at += 1


def alternative_texts(pdf: bytes) -> list[str]:
    return [bytes.fromhex(text).decode("utf-16") for text in re.findall(r"/Alt <([0-9a-fA-F]+)>", objects(pdf))]


def html_title(page: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page, re.S)[1]).strip()


@pytest.fixture(params=sorted(PAGES))
def rendered(request, demo_documents):
    return demo_documents[request.param]


def test_every_demo_pdf_is_tagged_as_pdf_ua(rendered, tmp_path):
    assert info(rendered.pdf, tmp_path)["Tagged"] == "yes"
    assert 'pdfuaid:part="1"' in pdfinfo(rendered.pdf, tmp_path, "-meta")


def test_every_demo_pdf_has_the_documents_title_and_the_organisation_as_author(rendered, tmp_path):
    metadata = info(rendered.pdf, tmp_path)
    assert metadata["Title"] == html_title(rendered.html) != ""
    assert metadata["Author"] == AUTHORS[rendered.name.split("-2")[0]]


def test_every_demo_pdf_is_in_thai_and_shows_its_title(rendered):
    found = catalog(rendered.pdf)
    assert "/Lang (th)" in found
    assert "/MarkInfo <</Marked true>>" in found and "/DisplayDocTitle true" in found


def test_the_title_says_which_document_it_is(demo_documents, tmp_path):
    titles = {name: info(demo_documents[name].pdf, tmp_path)["Title"] for name in PAGES}
    assert "๒๕๖๕" in titles["bo-phloi-2565-measures"] and "เทศบาลตำบลบ่อพลอย" in titles["bo-phloi-2565-measures"]
    assert "เทศบาลตำบลถาวร" in titles["thawon-2566-report-6"] and "รอบ ๖ เดือน" in titles["thawon-2566-report-6"]
    assert titles["bo-phloi-2565-memo"].startswith("บันทึกข้อความ")
    assert len(set(titles.values())) == len(titles)


def test_the_structure_tree_has_headings_and_tables_with_header_cells(demo_documents, tmp_path):
    tree = pdfinfo(demo_documents["bo-phloi-2565-measures"].pdf, tmp_path, "-struct")
    assert re.search(r"^\s+H[1-3]\b", tree, re.M)
    assert "Table" in tree and re.search(r"^\s+TH\b", tree, re.M) and "/Headers" in tree
    report = pdfinfo(demo_documents["thawon-2566-report-6"].pdf, tmp_path, "-struct")
    assert "Table" in report and re.search(r"^\s+TH\b", report, re.M)


def test_a_chart_is_a_figure_with_its_values_as_alternative_text(demo_documents, tmp_path):
    document = demo_documents["bo-phloi-2565-measures"]
    assert pdfinfo(document.pdf, tmp_path, "-struct").count("Figure") == 2
    trend, bars = alternative_texts(document.pdf)
    assert trend.startswith("ผลการประเมิน ITA ของเทศบาลตำบลบ่อพลอย") and "คะแนนรวม: ๒๕๖๔ ๗๙.๕๘" in trend
    assert bars.startswith("คะแนนรายตัวชี้วัด")


def test_the_tagged_text_is_still_extracted_as_thai_words(demo_documents):
    text = demo_documents["bo-phloi-2565-measures"].text(1, 2)
    assert "ความโปร่งใส" in text and "ประมำณ" not in text


def test_a_staff_print_pdf_of_a_draft_is_tagged(measure, tmp_path):
    pdf = rendering.as_pdf(rendering.target_html(measure.document))
    metadata = info(pdf, tmp_path)
    assert (metadata["Tagged"], metadata["Author"]) == ("yes", "เทศบาลตำบลทดสอบ")


def test_a_new_publication_and_its_memo_are_tagged(approved, officer, tmp_path):
    publication = publishing.publish(target=approved, by=officer, with_memo=True)
    assert info(stored_pdf(publication), tmp_path)["Tagged"] == "yes"
    with publication.memo_pdf.open("rb") as file:
        memo = info(file.read(), tmp_path)
    assert (memo["Tagged"], memo["Author"]) == ("yes", "เทศบาลตำบลทดสอบ")


def test_a_version_published_untagged_stays_as_it_was_stored(
    approved, document, officer, heads, client, monkeypatch, tmp_path
):
    with monkeypatch.context() as before_tags:  # as PDFs were made before this release
        before_tags.setattr(pdf_module, "PDF_OPTIONS", {})
        old = publishing.publish(target=approved, by=officer)
    old_pdf = stored_pdf(old)
    assert info(old_pdf, tmp_path)["Tagged"] == "no"
    new_edition(document, by=officer, heads=heads, title=SECOND_TITLE)
    new = publishing.publish(target=document, by=officer)
    assert info(stored_pdf(new), tmp_path)["Tagged"] == "yes"
    assert get(client, pdf_url(1)).body == old_pdf  # served as stored, never made again
