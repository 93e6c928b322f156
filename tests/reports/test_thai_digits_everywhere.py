"""A Thai-digit organisation's documents print no Arabic digit: neither in what the portal generates
(default titles, "EIT ส่วนที่ ๑", numbers of steps and measures, periods, dates, scores, page numbers)
nor in what the officer typed with Arabic digits (converted as the document prints it). Only words
with Latin letters keep theirs: item codes (I13, O35) are typed back as printed.
"""

import re
import subprocess
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from measures import services, workflow
from measures.models import Framework, MeasuresDocument, PeriodPrecision
from measures.services import MeasureData
from reports import publishing, rendering

pytestmark = pytest.mark.django_db

LATIN_WORD = re.compile(r"\S*[A-Za-z@]\S*")


def arabic_digits(text: str) -> list[str]:
    """The words of a text with an Arabic digit, leaving out words with Latin letters (item codes)."""
    return re.findall(r"\S*[0-9]\S*", LATIN_WORD.sub(" ", text))


def pdf_text(html: str, tmp_path: Path) -> tuple[str, str]:
    """pdftotext of the PDF of the HTML (NFKC, as copied and searched), and pdfinfo's Title."""
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(rendering.as_pdf(html))
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True).stdout.decode()
    title = next((line for line in info.splitlines() if line.startswith("Title:")), "")
    return unicodedata.normalize("NFKC", text), title


@pytest.fixture
def thai_document(organisation, officer, finance):
    """A Thai-digit town's 2568 document (its default title), analysing ITA 2567 (EIT in two parts),
    with text typed in Arabic digits everywhere the officer types."""
    organisation.thai_digits = True
    organisation.district = "เมือง 2"
    organisation.save()
    framework = Framework.objects.prefetch_related("tools__indicators", "tools__parts").get(year=2567)
    services.assessment_save(
        organisation=organisation,
        framework=framework,
        by=officer,
        indicator_scores={i: Decimal("85.25") for i in framework.indicators.all()},
        part_scores={p: Decimal("80.5") for t in framework.tools.all() for p in t.parts.all()},
    )
    document = services.document_create(organisation=organisation, fiscal_year=2568, by=officer)
    MeasuresDocument.objects.filter(pk=document.pk).update(introduction="ประชุม 3 ครั้ง ในปี 2567")
    o35 = framework.items.get(code="O35")
    services.finding_save(document=document, by=officer, items=[o35], kind="improve", text="ข้อ O35 ได้ 50 คะแนน")
    theme = services.theme_save(document=document, by=officer, number=1, title="ด้านที่ 1 การเปิดเผยข้อมูล")
    services.measure_create(
        document=document,
        by=officer,
        data=MeasureData(
            title="เผยแพร่ข้อมูล 12 เดือน",
            number=1,
            number_text="1)",
            theme=theme,
            units=[finance],
            steps=["ดำเนินการดังนี้", "1) ประชุม 2 ครั้ง", "2) รายงานผล"],
            period_start=date(2024, 10, 1),
            period_end=date(2025, 3, 31),
            period_precision=PeriodPrecision.DAY,
            monitoring="รายงานทุก 3 เดือน",
            budget=Decimal("15000"),
        ),
    )
    for number, data in enumerate(
        [{"whole_year": True, "steps": ["ประชุม", "รายงาน"]}, {"deadline": date(2025, 6, 30)}], start=2
    ):
        services.measure_create(
            document=document,
            by=officer,
            data=MeasureData(title=f"มาตรการ {number}", number=number, theme=theme, units=[finance], **data),
        )
    return document


def test_the_measures_document_prints_no_arabic_digit(thai_document, tmp_path):
    text, title = pdf_text(rendering.target_html(thai_document), tmp_path)
    assert "EIT ส่วนที่ ๑" in text and "ปีงบประมาณ พ.ศ. ๒๕๖๘" in text and "O35" in text
    assert arabic_digits(text) == []
    assert arabic_digits(title) == [] and "๒๕๖๘" in title


@pytest.mark.parametrize("months", [6, 12])
def test_each_progress_report_prints_no_arabic_digit(thai_document, officer, tmp_path, months):
    report = services.report_start(document=thai_document, round_months=months, by=officer)
    for entry in report.entries.all():
        services.entry_update(
            entry=entry,
            by=officer,
            revision=None,
            status="done",
            summary="จัดประชุม 2 ครั้ง",
            outcome="ผู้เข้าร่วม 45 คน",
            completed_on=date(2025, 3, 15),
        )
    text, title = pdf_text(rendering.target_html(report), tmp_path)
    assert f"รอบ {'๖' if months == 6 else '๑๒'} เดือน" in text
    assert arabic_digits(text) == [] and arabic_digits(title) == []


def test_the_memo_prints_no_arabic_digit(thai_document, officer, heads, chain, tmp_path):
    # People's names as people have them (the test factory numbers its users: "ผู้ใช้0").
    for person, surname in zip([officer, *heads], ["ใจดี", "มีสุข", "รักงาน", "สุขใจ"], strict=True):
        person.last_name = surname
        person.save(update_fields=["last_name"])
    submission = workflow.submit(target=thai_document, by=officer)
    text, _title = pdf_text(rendering.memo_html(submission), tmp_path)
    assert arabic_digits(text) == []


def test_a_published_title_is_in_thai_digits_as_the_document_prints_it(thai_document):
    data = {"kind": "report", "organisation": {"name": "เทศบาลตำบลทดสอบ", "thai_digits": True}}
    assert publishing.publication_title(data | {"fiscal_year": 2568, "round": 6}).endswith(
        "รอบ ๖ เดือน เทศบาลตำบลทดสอบ ปีงบประมาณ พ.ศ. ๒๕๖๘"
    )
    measures = {"kind": "measures", "title": thai_document.title, "organisation": {"thai_digits": True}}
    assert "2568" in thai_document.title and publishing.publication_title(measures).endswith("พ.ศ. ๒๕๖๘")
    assert publishing.publication_title(measures | {"organisation": {"thai_digits": False}}) == thai_document.title
