"""Word files built to cost or to deceive, and Word files that cannot be read (issue 20): each one is refused
whole with a Thai message, before the expensive part where it can be, and changes nothing.

The files are written by tests/word_files.py (python-docx) and changed here at the zip level.
"""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from measures.tabular import docx_read
from measures.views import word_import
from tests import word_files
from tests.bad_input.conftest import assert_inert

pytestmark = pytest.mark.django_db

UNREADABLE = "เปิดไฟล์ Word ไม่ได้ ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ .docx กรุณาบันทึกจาก Word เป็น .docx อีกครั้ง"
MACRO = (
    "ไฟล์นี้เป็นเอกสาร Word ที่มีมาโคร (.docm) แม้จะใช้นามสกุล .docx ระบบไม่รับไฟล์ที่มีมาโคร "
    "กรุณาเปิดใน Word แล้วบันทึกเป็น “เอกสาร Word (*.docx)” แล้วนำเข้าอีกครั้ง"
)
MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def url(round_months=None) -> str:
    if round_months:
        return reverse("measures:round_word_import", args=["test-town", 2566, round_months])
    return reverse("measures:document_word_import", args=["test-town", 2566])


def refused(client, nothing_changes, content: bytes, name="measures.docx", round_months=None) -> list[str]:
    """The problems (or form errors) of a refused upload; no row and no file changed, nothing kept."""
    with nothing_changes():
        response = client.post(url(round_months), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert "word_imports" not in client.session
    errors = response.context["form"].errors.get("file", [])
    return [re.sub(r"\s+", " ", str(p)) for p in [*response.context["problems"], *errors]]


def rezipped(content: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """A real .docx with some of its parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, (replace or {}).get(info.filename, source.read(info.filename)))
        for name, data in (add or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def good() -> bytes:
    return word_files.typed_numbers()


def with_body(xml: str) -> bytes:
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{xml}</w:body></w:document>'
    )
    return rezipped(good(), replace={"word/document.xml": document.encode()})


def row(*cells: str) -> str:
    return "<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>" for c in cells) + "</w:tr>"


@pytest.fixture
def opened(monkeypatch):
    """Records every time python-docx is asked to open a file."""
    import docx

    calls = []
    real = docx.Document
    monkeypatch.setattr(docx, "Document", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


# --- Files built to cost -------------------------------------------------------------------------------


def test_a_docx_that_unpacks_to_a_hundred_megabytes_is_refused_before_word_opens_it(
    staff, document, nothing_changes, opened
):
    bomb = rezipped(good(), add={"word/media/padding.bin": b"\0" * (100 * 1024 * 1024)})
    assert len(bomb) < docx_read.WORD_MAX_BYTES  # small on disk: only its inside is too much
    problems = refused(staff, nothing_changes, bomb)
    assert problems == ["ไฟล์ใหญ่เกินไปเมื่อแตกไฟล์ กรุณาลบรูปภาพหรือส่วนที่ไม่ใช่ตารางมาตรการออกแล้วบันทึกใหม่"]
    assert opened == []


def test_a_docx_of_thousands_of_parts_is_refused_from_its_directory(staff, document, nothing_changes, opened):
    many = rezipped(good(), add={f"word/media/{n}.bin": b"" for n in range(2000)})
    assert refused(staff, nothing_changes, many) == ["ไฟล์มีส่วนประกอบมากเกินกว่าที่เอกสาร Word จะมีได้ (เกิน 1,000 ส่วน)"]
    assert opened == []


def test_a_file_of_50_mb_is_refused_from_its_size_before_it_is_read(staff, document, nothing_changes, monkeypatch):
    read = []
    monkeypatch.setattr(word_import, "read_word_measures", lambda **kwargs: read.append(1))
    problems = refused(staff, nothing_changes, b"\0" * (50 * 1024 * 1024))
    size = re.sub(r"\s+", " ", filesizeformat(docx_read.WORD_MAX_BYTES))
    assert problems == [f"ไฟล์ใหญ่เกินไป ขนาดไม่เกิน {size}"]
    assert read == []


def test_a_document_of_more_than_3000_table_rows_is_refused(staff, document, nothing_changes):
    table = "<w:tbl>" + row("มาตรการ/แนวทาง", "ผู้รับผิดชอบ") + row("ทดสอบ", "กองคลัง") * 3001 + "</w:tbl>"
    assert refused(staff, nothing_changes, with_body(table)) == [
        "ตารางในไฟล์มีแถวรวมกันเกิน 3000 แถว กรุณาแยกเฉพาะตารางมาตรการไปไว้ในไฟล์ใหม่"
    ]


def test_a_document_of_entities_that_expand_a_billion_times_is_refused_without_expanding_them(
    staff, document, nothing_changes
):
    entities = '<!ENTITY a0 "ลอล">' + "".join(f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10))
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE d [{entities}]><w:document {W}><w:body>'
        + "<w:tbl>" + row("มาตรการ/แนวทาง", "ผู้รับผิดชอบ") + row("&a9;", "กองคลัง") + "</w:tbl></w:body></w:document>"
    )  # fmt: skip
    problems = refused(staff, nothing_changes, rezipped(good(), replace={"word/document.xml": xml.encode()}))
    assert problems == [UNREADABLE]  # the parser refuses the entities: nothing is expanded


# --- Files that deceive -----------------------------------------------------------------------------------


def test_a_macro_enabled_document_renamed_docx_is_refused(staff, document, nothing_changes, opened):
    types = zipfile.ZipFile(io.BytesIO(good())).read("[Content_Types].xml")
    macro = rezipped(
        good(),
        replace={"[Content_Types].xml": types.replace(MAIN, b"application/vnd.ms-word.document.macroEnabled.main+xml")},
        add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512},
    )
    assert refused(staff, nothing_changes, macro) == [MACRO]
    assert opened == []


def test_a_macro_project_alone_in_a_docx_is_refused(staff, document, nothing_changes):
    assert refused(staff, nothing_changes, rezipped(good(), add={"word/vbaProject.bin": b"\0" * 64})) == [MACRO]


def test_a_docm_is_refused_by_its_name(staff, document, nothing_changes):
    assert refused(staff, nothing_changes, good(), name="measures.docm") == [
        "ไม่รับไฟล์ Word ที่มีมาโคร (.docm) กรุณาเปิดใน Word แล้วบันทึกเป็น “เอกสาร Word (*.docx)”"
    ]


@pytest.mark.parametrize("name", ["measures.doc", "measures.xlsx", "measures.pdf", "measures"])
def test_a_file_that_is_not_a_docx_by_its_name_is_refused(staff, document, nothing_changes, name):
    assert refused(staff, nothing_changes, good(), name=name) == [
        "รับเฉพาะไฟล์ Word (.docx) ถ้าเป็นไฟล์ .doc ให้เปิดใน Word แล้วบันทึกเป็น .docx ก่อน"
    ]


def test_a_word_97_2003_file_renamed_docx_is_refused_with_what_to_do(staff, document, nothing_changes):
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096
    assert refused(staff, nothing_changes, ole2) == [
        "ไฟล์นี้ไม่ใช่ไฟล์ .docx (อาจเป็นไฟล์ Word รุ่นเก่า .doc หรือไฟล์ที่ตั้งรหัสผ่าน) "
        "กรุณาเปิดใน Word ยกเลิกรหัสผ่านถ้ามี แล้วบันทึกเป็น “เอกสาร Word (*.docx)”"
    ]


@pytest.mark.parametrize(
    "content",
    [
        "มาตรการ,ผู้รับผิดชอบ\n".encode(),  # text named .docx
        b"PK\x03\x04 not really a zip",
        b"\x00" * 100,
    ],
)
def test_a_file_that_cannot_be_read_is_refused(staff, document, nothing_changes, content):
    assert refused(staff, nothing_changes, content) == [UNREADABLE]


def test_a_zip_without_a_word_document_is_refused(staff, document, nothing_changes):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "สวัสดี")
    assert refused(staff, nothing_changes, buffer.getvalue()) == [UNREADABLE]


def test_an_empty_file_and_no_file_are_refused(staff, document, nothing_changes):
    assert refused(staff, nothing_changes, b"") == ["ไฟล์ว่างเปล่า"]
    with nothing_changes():
        response = staff.post(url(), {})
    assert response.context["form"].errors["file"] == ["กรุณาเลือกไฟล์ที่จะนำเข้า"]


# --- Files without what the import needs -------------------------------------------------------------------


def test_a_document_without_a_measures_table_is_refused(staff, document, nothing_changes):
    content = word_files.docx_bytes(
        "บันทึกข้อความ", word_files.Table([["ตัวชี้วัดของการประเมิน ITA", "ประเด็นที่ต้องแก้ไข/ปรับปรุง"], ["1", "x"]])
    )
    assert refused(staff, nothing_changes, content) == [
        "ไม่พบตารางมาตรการในไฟล์ ระบบอ่านตารางที่มีแถวหัวตาราง เช่น ‘มาตรการ/แนวทาง’ ‘ขั้นตอน/วิธีการปฏิบัติ’ "
        "‘ผู้รับผิดชอบ’ ‘ระยะเวลาดำเนินการ’ (ตารางที่วางเป็นรูปภาพอ่านไม่ได้)"
    ]


def test_a_measures_table_without_a_responsible_column_is_named(staff, document, nothing_changes):
    content = word_files.docx_bytes(
        word_files.Table([["มาตรการ/แนวทาง", "ระยะเวลาดำเนินการ"], ["1. ทดสอบ", "ต.ค. 2565"]])
    )
    problems = refused(staff, nothing_changes, content)
    assert problems[0] == ("ตารางที่ 1 แถวที่ 1: ไม่มีคอลัมน์ผู้รับผิดชอบหรือหน่วยงานผู้รับผิดชอบ ระบบจึงไม่รู้ว่ามาตรการเป็นของส่วนราชการใด")


def test_a_row_without_a_title_and_a_cell_too_long_are_named(staff, document, nothing_changes):
    content = word_files.docx_bytes(
        word_files.Table(
            [
                word_files.HEADINGS,
                ["1.", "ขั้นตอน", "กองคลัง", "ต.ค. 2565"],
                ["2. ทดสอบ", "ก" * 10_001, "กองคลัง", "ต.ค. 2565"],
            ]
        )
    )
    assert refused(staff, nothing_changes, content) == [
        "ตารางที่ 1 แถวที่ 2 (มาตรการ 1) คอลัมน์ ‘มาตรการ/แนวทาง’: ไม่มีชื่อมาตรการในแถวนี้",
        "ตารางที่ 1 แถวที่ 3 (มาตรการ 2) คอลัมน์ ‘ขั้นตอน/วิธีการปฏิบัติ’: ข้อความยาวเกิน 10000 ตัวอักษร (มี 10001 ตัวอักษร)",
    ]


def test_a_period_that_cannot_be_read_says_how_to_write_one(staff, document, nothing_changes):
    content = word_files.docx_bytes(
        word_files.Table([word_files.HEADINGS, ["1. ทดสอบ", "ขั้นตอน", "กองคลัง", "ทุกไตรมาส"]])
    )
    assert refused(staff, nothing_changes, content) == [
        "ตารางที่ 1 แถวที่ 2 (มาตรการ 1) คอลัมน์ ‘ระยะเวลาดำเนินการ’: อ่านระยะเวลา “ทุกไตรมาส” ไม่ได้ "
        "เขียนระยะเวลา เช่น ต.ค. 2565 – ก.ย. 2566, 1 ต.ค. 65 - 31 มี.ค. 66, ภายใน ก.ย. 2566 หรือ ตลอดปีงบประมาณ"
    ]


def test_a_file_of_more_than_500_measures_is_refused(staff, document, nothing_changes):
    rows = [row("มาตรการ/แนวทาง", "ผู้รับผิดชอบ")] + [row(f"{n}. ทดสอบ", "กองคลัง") for n in range(1, 502)]
    assert refused(staff, nothing_changes, with_body("<w:tbl>" + "".join(rows) + "</w:tbl>")) == [
        "ไฟล์มีมาตรการเกิน 500 แถว"
    ]


def test_a_measures_document_is_not_taken_for_a_report_of_results(staff, report, nothing_changes):
    assert refused(staff, nothing_changes, good(), round_months=6) == [
        "ไม่พบคอลัมน์ผลการดำเนินการในตารางมาตรการของไฟล์ (เช่น ‘ผลการดำเนินการ’ ‘สรุปผลการดำเนินงาน’ ‘ข้อเสนอแนะ’) "
        "ถ้าไฟล์นี้เป็นเอกสารมาตรการ ให้นำเข้าที่หน้าเอกสารมาตรการ"
    ]


def test_a_status_that_is_not_one_of_the_list_is_named(staff, report, nothing_changes):
    content = word_files.docx_bytes(
        word_files.Table([["มาตรการ/แนวทาง", "สถานะ"], ["๑.๑ ประชุมชี้แจงการจัดซื้อจัดจ้าง", "เสร็จครึ่งหนึ่ง"]])
    )
    problems = refused(staff, nothing_changes, content, round_months=6)
    assert problems[0].startswith("ตารางที่ 1 แถวที่ 2 (มาตรการ 1.1) คอลัมน์ ‘สถานะ’: ไม่รู้จักสถานะ “เสร็จครึ่งหนึ่ง”")


# --- Markup, tokens ----------------------------------------------------------------------------------------


def test_markup_in_a_cell_is_previewed_escaped_and_saved_as_text(staff, document):
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    content = word_files.docx_bytes(word_files.Table([word_files.HEADINGS, [f"1. {payload}", payload, "กองคลัง", ""]]))
    sent = staff.post(url(), {"file": word_files.upload(content)})
    shown = staff.get(sent.url)
    assert_inert(shown.text)
    staff.post(sent.url, {"confirm": "1"})
    assert document.measures.get().title == payload


def test_a_forged_token_writes_nothing(staff, document, nothing_changes):
    forged = reverse("measures:document_word_preview", args=["test-town", 2566, "forged-token"])
    with nothing_changes():
        shown = staff.get(forged)
        posted = staff.post(forged, {"confirm": "1"})
    assert "ไม่พบข้อมูลที่ตรวจไว้" in shown.text and "ไม่พบข้อมูลที่ตรวจไว้" in posted.text


def test_a_preview_of_the_measures_is_not_taken_as_a_rounds(staff, report, nothing_changes):
    sent = staff.post(url(), {"file": word_files.upload(word_files.typed_numbers())})
    token = sent.url.rstrip("/").rsplit("/", 1)[1]
    other = reverse("measures:round_word_preview", args=["test-town", 2566, 6, token])
    with nothing_changes():
        response = staff.post(other, {"confirm": "1"})
    assert "ไม่พบข้อมูลที่ตรวจไว้" in response.text
