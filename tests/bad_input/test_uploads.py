"""Evidence files: the wrong type, the right name on the wrong content, too big, empty, odd
names; and a download that a browser can never run as a page."""

import io
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from measures.models import Evidence
from measures.uploads import safe_filename
from tests.bad_input.conftest import thai_messages

pytestmark = pytest.mark.django_db

WRONG_TYPE = "ไม่รับไฟล์ประเภทนี้ รับเฉพาะ pdf, jpg, jpeg, png, doc, docx, xls, xlsx, odt, ods"


def wrong_content(extension: str) -> str:
    return f"เนื้อหาของไฟล์ไม่ใช่ไฟล์ .{extension} ตามนามสกุล ไฟล์อาจเสียหายหรือถูกเปลี่ยนนามสกุล กรุณาบันทึกไฟล์จากโปรแกรมต้นฉบับแล้วแนบใหม่"


def named(message: str, name: str) -> str:
    """A refusal of one file says which file (several may be chosen at once)."""
    return f"{message} (ไฟล์ “{name}”)"


# --- Files, real and fake ----------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx() -> bytes:
    return zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def opendocument(kind: str) -> bytes:
    return zipped({"mimetype": f"application/vnd.oasis.opendocument.{kind}".encode(), "content.xml": b"<x/>"})


# --- Helpers -------------------------------------------------------------------------------------


def add_url(measure) -> str:
    return reverse("measures:evidence_add", args=["test-town", 2566, 6, measure.pk])


def attach(client, measure, name: str, content: bytes, title: str = "หลักฐานการดำเนินการ"):
    return client.post(add_url(measure), {"title": title, "file": SimpleUploadedFile(name, content)})


def attach_raw(client, measure, filename: str, content: bytes):
    """A multipart body written by hand: the test client would strip a path from the file name itself."""
    boundary = "ita-boundary"
    body = b"".join(
        [
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nหลักฐาน\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
    )
    return client.post(add_url(measure), body, content_type=f"multipart/form-data; boundary={boundary}")


def stored(entry) -> Evidence:
    return entry.evidence.get()


@pytest.fixture
def entry(report):
    return report.entries.get()


# --- Refused ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "setup.exe",
        "page.html",
        "drawing.svg",
        "script.js",
        "archive.zip",
        "README",
        "report.pdf.exe",
        "photo.png.html",
        ".pdf",
    ],
)
def test_a_file_of_a_type_not_accepted_is_refused(staff, measure, report, nothing_changes, name):
    with nothing_changes():
        response = attach(staff, measure, name, PDF)
    assert response.status_code == 302
    assert thai_messages(response) == [named(WRONG_TYPE, name)]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", HTML),
        ("report.pdf", SVG),
        ("report.pdf", b"<html>%PDF-1.4 hidden after markup"),
        ("photo.png", EXE),
        ("photo.png", SVG),
        ("photo.jpg", HTML),
        ("photo.jpeg", PDF),
        ("minutes.doc", PDF),
        ("budget.xls", b"name,amount\nA,1\n"),
        ("minutes.docx", HTML),
        ("minutes.docx", zipped({"payload.html": HTML})),
        ("minutes.docx", xlsx()),
        ("budget.xlsx", docx()),
        ("budget.xlsx", b"PK\x03\x04 a broken zip"),
        ("minutes.odt", opendocument("spreadsheet")),
        ("budget.ods", zipped({"content.xml": b"<x/>"})),
        ("budget.ods", EXE),
    ],
)
def test_a_file_whose_content_is_not_its_extension_is_refused(staff, measure, report, nothing_changes, name, content):
    with nothing_changes():
        response = attach(staff, measure, name, content)
    assert response.status_code == 302
    assert thai_messages(response) == [named(wrong_content(Path(name).suffix.lstrip(".")), name)]


def test_a_file_over_the_size_limit_is_refused(staff, measure, report, settings, nothing_changes):
    settings.EVIDENCE_MAX_BYTES = 1024
    with nothing_changes():
        response = attach(staff, measure, "scan.pdf", PDF + b"0" * 1024)
    assert response.status_code == 302
    [message] = thai_messages(response)
    assert message.startswith("ไฟล์ใหญ่เกินไป ขนาดไม่เกิน ") and message.endswith("(ไฟล์ “scan.pdf”)")


def test_an_empty_file_is_refused(staff, measure, report, nothing_changes):
    with nothing_changes():
        response = attach(staff, measure, "scan.pdf", b"")
    assert thai_messages(response) == [named("ไฟล์ว่างเปล่า (ขนาด 0 ไบต์) กรุณาเลือกไฟล์อีกครั้ง", "scan.pdf")]


# --- Several files at once: all attached or none ---------------------------------------------


def attach_many(client, measure, files: list[tuple[str, bytes]], **data):
    uploads = [SimpleUploadedFile(name, content) for name, content in files]
    return client.post(add_url(measure), {"title": "", "file": uploads, **data})


def test_eleven_files_are_refused_before_any_is_read(staff, measure, report, nothing_changes):
    with nothing_changes():
        response = attach_many(staff, measure, [(f"scan{n}.pdf", PDF) for n in range(11)])
    assert response.status_code == 302
    assert thai_messages(response) == [
        "เลือกไฟล์มา 11 ไฟล์ แนบได้ครั้งละไม่เกิน 10 ไฟล์ กรุณาเลือกไม่เกิน 10 ไฟล์ แล้วแนบที่เหลือในครั้งถัดไป"
    ]


def test_one_bad_file_among_good_ones_attaches_none_and_names_it(staff, measure, report, nothing_changes):
    files = [("scan.pdf", PDF), ("page.pdf", HTML), ("photo.png", PNG), ("setup.exe", EXE)]
    with nothing_changes():
        response = attach_many(staff, measure, files, url="https://example.go.th/news/1")
    assert response.status_code == 302
    assert thai_messages(response) == [named(wrong_content("pdf"), "page.pdf"), named(WRONG_TYPE, "setup.exe")]


def test_files_too_large_together_are_refused(staff, measure, report, settings, nothing_changes):
    settings.EVIDENCE_MAX_TOTAL_BYTES = 2 * len(PDF)
    with nothing_changes():
        response = attach_many(staff, measure, [("a.pdf", PDF), ("b.pdf", PDF), ("c.pdf", PDF)])
    [message] = thai_messages(response)
    assert message.startswith("ไฟล์ที่เลือกรวมกัน ") and "ใหญ่เกินไป แนบได้ครั้งละรวมกันไม่เกิน " in message


def test_an_empty_file_among_good_ones_attaches_none(staff, measure, report, nothing_changes):
    with nothing_changes():
        response = attach_many(staff, measure, [("scan.pdf", PDF), ("blank.pdf", b"")])
    assert thai_messages(response) == [named("ไฟล์ว่างเปล่า (ขนาด 0 ไบต์) กรุณาเลือกไฟล์อีกครั้ง", "blank.pdf")]


def test_several_good_files_and_a_link_are_each_one_evidence(staff, measure, entry):
    response = attach_many(staff, measure, [("scan.pdf", PDF), ("photo.png", PNG)], url="https://example.go.th/n")
    assert thai_messages(response) == ["แนบหลักฐาน 3 รายการแล้ว"]
    assert sorted((e.title, e.filename, e.url) for e in entry.evidence.all()) == [
        ("https://example.go.th/n", "", "https://example.go.th/n"),
        ("photo.png", "photo.png", ""),
        ("scan.pdf", "scan.pdf", ""),
    ]


# --- Accepted ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", PDF),
        ("SCAN.PDF", PDF),
        ("photo.png", PNG),
        ("photo.jpg", JPEG),
        ("photo.JPEG", JPEG),
        ("minutes.doc", OLE2),
        ("budget.xls", OLE2),
        ("minutes.docx", docx()),
        ("budget.xlsx", xlsx()),
        ("minutes.odt", opendocument("text")),
        ("budget.ods", opendocument("spreadsheet")),
    ],
)
def test_a_real_file_of_each_accepted_type_is_stored(staff, measure, entry, name, content):
    response = attach(staff, measure, name, content)
    assert thai_messages(response) == ["แนบหลักฐานแล้ว"]
    with stored(entry).file.open("rb") as file:
        assert file.read() == content


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.pdf", "win.pdf"),
        ("/etc/cron.d/evil.pdf", "evil.pdf"),
        ("report<script>.pdf", "reportscript.pdf"),
        ("a;b|c:d*e?.pdf", "abcde.pdf"),
        ("...pdf", "evidence.pdf"),
    ],
)
def test_a_file_name_with_a_path_or_odd_characters_is_stored_under_media_with_a_safe_name(
    staff, measure, entry, settings, sent, kept
):
    response = attach_raw(staff, measure, sent, PDF)
    assert thai_messages(response) == ["แนบหลักฐานแล้ว"]
    evidence = stored(entry)
    assert evidence.filename == kept
    path = Path(evidence.file.path).resolve()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve() / "evidence")


def test_the_safe_name_keeps_thai_letters_and_marks():
    assert safe_filename("รายงานผลการดำเนินงาน ปี ๒๕๖๖.PDF") == "รายงานผลการดำเนินงาน_ปี_๒๕๖๖.pdf"


def test_a_thai_file_name_stays_readable(staff, measure, entry):
    attach(staff, measure, "รายงานผลการดำเนินงาน ปี ๒๕๖๖.pdf", PDF)
    assert stored(entry).filename == "รายงานผลการดำเนินงาน_ปี_๒๕๖๖.pdf"


# --- Download ------------------------------------------------------------------------------------


def download(client, evidence):
    """The response with its file read and closed (a FileResponse left open warns)."""
    response = client.get(reverse("measures:evidence_download", args=["test-town", evidence.pk]))
    response.body = b"".join(response.streaming_content)
    response.close()
    return response


def test_a_download_is_an_attachment_of_the_checked_type_that_may_not_be_sniffed(staff, measure, entry):
    attach(staff, measure, "scan.pdf", PDF)
    response = download(staff, stored(entry))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="scan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.body == PDF


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("page.pdf", "application/pdf"),
        ("page.png", "image/png"),
        ("page.html", "application/octet-stream"),
        ("drawing.svg", "application/octet-stream"),
        ("page.htm", "application/octet-stream"),
        ("noextension", "application/octet-stream"),
    ],
)
def test_a_file_stored_before_the_checks_is_never_served_as_a_page(staff, entry, officer, name, content_type):
    """Files that reached the storage another way (the admin, an older version): still only a download."""
    evidence = Evidence(entry=entry, title="ไฟล์เดิม", uploaded_by=officer)
    evidence.file.save(name, ContentFile(HTML), save=True)
    response = download(staff, evidence)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_download_keeps_a_thai_name_for_the_browser(staff, entry, officer):
    evidence = Evidence(entry=entry, title="ภาพ", uploaded_by=officer)
    evidence.file.save("ภาพถนน.png", ContentFile(PNG), save=True)
    response = download(staff, evidence)
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote("ภาพถนน.png")
