"""A publication is made whole or not at all: a failed PDF or a failed write leaves nothing behind (issue 8)."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from measures.models import DocumentStatus
from measures.services import ServiceError
from reports import publishing
from reports.models import Publication
from reports.pdf import RenderError

pytestmark = pytest.mark.django_db


def files_under(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def pdf_fails(monkeypatch):
    def broken(html):
        raise RenderError("no such static file: fonts/Sarabun-Regular.ttf")

    monkeypatch.setattr(publishing, "render_pdf", broken)


def test_a_pdf_that_cannot_be_made_publishes_nothing_and_says_so_in_thai(pdf_fails, approved, officer, settings):
    with pytest.raises(ServiceError, match="สร้างไฟล์ PDF ของเอกสารไม่สำเร็จ"):
        publishing.publish(target=approved, by=officer)
    approved.refresh_from_db()
    assert approved.status == DocumentStatus.APPROVED
    assert not Publication.objects.exists()
    assert files_under(settings) == []


def test_the_publish_button_shows_the_failure_and_the_document_can_be_published_later(
    pdf_fails, approved, officer, client, monkeypatch
):
    client.force_login(officer)
    url = reverse("reports:document_publish", args=[approved.organisation.slug, approved.fiscal_year])
    response = client.post(url, {"confirmed": "1"}, follow=True)
    assert "สร้างไฟล์ PDF ของเอกสารไม่สำเร็จ" in response.content.decode()
    approved.refresh_from_db()
    assert approved.status == DocumentStatus.APPROVED and not Publication.objects.exists()
    monkeypatch.undo()  # the renderer works again
    client.post(url, {"confirmed": "1"})
    assert Publication.objects.get().version == 1


def test_a_failed_write_removes_the_stored_pdf_again(approved, officer, settings, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(Publication, "save", refuse)
    with pytest.raises(IntegrityError):
        publishing.publish(target=approved, by=officer)
    assert files_under(settings) == []
    approved.refresh_from_db()
    assert approved.status == DocumentStatus.APPROVED
