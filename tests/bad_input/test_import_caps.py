"""Spreadsheets built to cost: refused before the expensive part, in Thai, with nothing changed (issue 19).

A 90 KB .xlsx can hold millions of shared texts that openpyxl would read before the first row;
a small zip can unpack to gigabytes. Both are refused from the zip's directory and a streaming
count, before the workbook is opened.
"""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.tabular import imports
from tests.measures.spreadsheets import row, xlsx_upload

pytestmark = pytest.mark.django_db


def _with_shared_strings(count: int) -> bytes:
    """A real workbook whose sharedStrings.xml is replaced by `count` one-letter texts."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_upload([row()]).read()))
    items = b"<si><t>a</t></si>" * count
    shared = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>' % (count, count, items)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                archive.writestr(info.filename, source.read(info.filename))
        archive.writestr("xl/sharedStrings.xml", shared)
    return buffer.getvalue()


def _post(client, content: bytes):
    url = reverse("measures:document_import", args=["test-town", 2566])
    return client.post(url, {"file": SimpleUploadedFile("measures.xlsx", content)})


def _problems(response) -> str:
    return " ".join(re.sub(r"\s+", " ", p) for p in map(str, response.context["problems"]))


def test_a_small_file_with_a_million_shared_texts_is_refused_before_it_is_opened(
    staff, document, nothing_changes, monkeypatch
):
    content = _with_shared_strings(1_000_000)
    assert len(content) < imports.IMPORT_MAX_BYTES  # small on disk: only its inside is too much
    opened = []
    monkeypatch.setattr(imports, "load_workbook", lambda *a, **k: opened.append(1))
    with nothing_changes():
        response = _post(staff, content)
    assert "ไฟล์มีข้อความมากเกินกว่าที่ไฟล์นำเข้าจะมีได้" in _problems(response)
    assert opened == []  # refused from the streaming count, openpyxl never ran


def test_a_workbook_of_ordinary_size_passes_the_count(staff, document):
    content = _with_shared_strings(1_000)
    archive = zipfile.ZipFile(io.BytesIO(content))
    imports.check_shared_strings(archive)  # no refusal


def test_a_zip_that_unpacks_huge_is_refused_from_its_directory(staff, document, nothing_changes):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (30 * 1024 * 1024))  # 30 MB of spaces: ~30 KB zipped
    with nothing_changes():
        response = _post(staff, buffer.getvalue())
    assert "ไฟล์ใหญ่เกินไปเมื่อแตกไฟล์" in _problems(response)


# --- Formsets: a posted TOTAL_FORMS builds at most the form's own limit ----------------------


def test_an_approval_chain_posted_with_a_billion_forms_is_refused_small_and_in_thai(
    client, org_admin, organisation, nothing_changes
):
    client.force_login(org_admin)
    data = {
        "form-TOTAL_FORMS": "1000000000",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000000000",
        "form-0-title": "ปลัดเทศบาล",
        "form-0-ORDER": "1",
    }
    with nothing_changes():
        response = client.post(reverse("measures:chain_edit", args=[organisation.slug]), data)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) <= 10
    assert "ลำดับการพิจารณามีได้ไม่เกิน 10 ขั้น" in response.text
    assert len(response.content) < 200_000


# --- Steps per measure, measures per document ----------------------------------------------

STEPS_61 = "\n".join(f"ขั้นตอนที่ {n}" for n in range(1, 62))


def test_a_measure_with_more_steps_than_any_document_needs_is_refused_in_thai(
    staff, document, measure, nothing_changes
):
    url = reverse("measures:measure_edit", args=["test-town", 2566, measure.pk])
    data = {
        "revision": measure.revision,
        "theme": measure.theme_id or "",
        "number": "1",
        "title": measure.title,
        "units": [u.pk for u in measure.units.all()],
        "steps": STEPS_61,
    }
    with nothing_changes():
        response = staff.post(url, data)
    assert response.status_code == 200
    assert "มาตรการหนึ่งมีขั้นตอนได้ไม่เกิน 60 บรรทัด (พิมพ์มา 61 บรรทัด)" in response.context["form"].errors["steps"][0]


def test_a_spreadsheet_row_with_too_many_steps_names_its_row_and_column(staff, document, nothing_changes):
    from tests.measures.spreadsheets import HEADERS

    steps_column = next(h for h in HEADERS if h.startswith("ขั้นตอน"))
    upload = xlsx_upload([row(**{steps_column: STEPS_61})])
    with nothing_changes():
        response = staff.post(reverse("measures:document_import", args=["test-town", 2566]), {"file": upload})
    problems = _problems(response)
    assert "แถวที่ 2" in problems and "มาตรการหนึ่งมีขั้นตอนได้ไม่เกิน 60 บรรทัด" in problems


def test_a_document_takes_no_more_measures_than_the_cap(document, officer, finance, monkeypatch):
    from measures import parsing, services
    from measures.services import MeasureData, ServiceError

    monkeypatch.setattr(parsing, "MAX_MEASURES", 2)
    for number in (1, 2):
        services.measure_create(
            document=document, by=officer, data=MeasureData(title="ม", number=number, units=[finance])
        )
    with pytest.raises(ServiceError, match="เอกสารหนึ่งมีมาตรการได้ไม่เกิน 2 มาตรการ"):
        services.measure_create(document=document, by=officer, data=MeasureData(title="ม", number=3, units=[finance]))
    assert document.measures.count() == 2
