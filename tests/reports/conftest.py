"""The demo documents rendered once per module: HTML, PDF, and what WeasyPrint logged."""

import logging
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from measures import workflow
from measures.devdata.demo import load_demo
from measures.models import MeasuresDocument, ProgressReport
from reports import rendering

OUTPUT = Path(settings.BASE_DIR) / "test-output" / "pdf"

# Comments written on the memo of seed 004, one per step of ทต.บ่อพลอย's chain.
BO_PHLOI_COMMENTS = [
    ("bp-general", "เรียน ปลัดเทศบาล เพื่อโปรดพิจารณา"),
    ("bp-office", "เห็นควรนำเสนอนายกเทศมนตรีเพื่อโปรดพิจารณาอนุมัติ"),
    ("bp-clerk", "เห็นควรอนุมัติ"),
    ("bp-deputy", "เห็นชอบ"),
    ("bp-mayor", "อนุมัติ"),
]


@dataclass
class Rendered:
    name: str
    html: str
    pdf: bytes
    warnings: list[str] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return OUTPUT / f"{self.name}.pdf"

    def text(self, first: int | None = None, last: int | None = None) -> str:
        """pdftotext -raw (content order, as copied) of the PDF or some pages, in NFKC form (ำ: PDF-NOTES)."""
        pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
        out = subprocess.run(["pdftotext", "-raw", *pages, str(self.path), "-"], capture_output=True, check=True)
        return unicodedata.normalize("NFKC", out.stdout.decode())

    @property
    def pages(self) -> int:
        info = subprocess.run(["pdfinfo", str(self.path)], capture_output=True, check=True, text=True).stdout
        return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))

    def fonts(self) -> list[str]:
        out = subprocess.run(["pdffonts", str(self.path)], capture_output=True, check=True, text=True).stdout
        return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def render(name: str, html: str) -> Rendered:
    """The PDF of the HTML, written to test-output/pdf/ with PNGs of its first pages."""
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        pdf = rendering.as_pdf(html)
    finally:
        logger.removeHandler(handler)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    result = Rendered(name, html, pdf, handler.messages)
    result.path.write_bytes(pdf)
    (OUTPUT / f"{name}.html").write_text(html)
    # Snapshots for people to look at (not compared by the tests): the first three pages.
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-l", "3", str(result.path), str(OUTPUT / name)], check=True)
    return result


def approve_bo_phloi_through_its_chain() -> None:
    users = get_user_model().objects
    document = MeasuresDocument.objects.get(organisation__slug="bo-phloi", fiscal_year=2565)
    submission = workflow.submit(target=document, by=users.get(username="bp-officer"))
    for username, comment in BO_PHLOI_COMMENTS:
        submission.refresh_from_db()
        workflow.decide(submission=submission, by=users.get(username=username), approve=True, comment=comment)
    submission.refresh_from_db()
    return submission


@pytest.fixture(scope="session")
def demo_documents(django_db_setup, django_db_blocker) -> dict[str, Rendered]:
    """Every demo document and the bo-phloi memo, rendered once; the data is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        documents = {}
        for document in MeasuresDocument.objects.select_related("organisation").order_by("pk"):
            name = f"{document.organisation.slug}-{document.fiscal_year}-measures"
            documents[name] = render(name, rendering.target_html(document))
        for report in ProgressReport.objects.select_related("document__organisation"):
            name = f"{report.document.organisation.slug}-{report.document.fiscal_year}-report-{report.round}"
            documents[name] = render(name, rendering.target_html(report))
        submission = approve_bo_phloi_through_its_chain()
        documents["bo-phloi-2565-memo"] = render("bo-phloi-2565-memo", rendering.memo_html(submission))
        transaction.set_rollback(True)
    return documents
