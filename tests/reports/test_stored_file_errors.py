"""A stored file that cannot be served is answered in Thai, not with a bare server error: a file
the storage does not have is a 404 that says so (and is logged as an error: a published PDF gone
is serious); a storage that fails (a bucket out of reach, refusing, a disk error) is a 503 with
Retry-After. Only the storage's own calls are guarded: a bug elsewhere still fails loudly."""

# Fixtures are imported from another test module, and test arguments then shadow them.
# ruff: noqa: F401, F811

import io
import logging
import re
from dataclasses import dataclass
from unittest import mock

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ita_portal.storage_settings import default_storage_from_env
from measures import services
from reports import publishing
from tests.reports.test_storage_s3 import bucket, s3, s3_endpoint

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MISSING = "ไม่พบไฟล์นี้ในระบบจัดเก็บ กรุณาแจ้งผู้ดูแลระบบ"
UNAVAILABLE = "ระบบจัดเก็บไฟล์ขัดข้องชั่วคราว กรุณาลองใหม่อีกครั้งในภายหลัง"


class Unreachable(Exception):  # noqa: N818 - named as botocore names its errors
    """As botocore's errors are: not an OSError, from a library a folder-storage process never loads."""


Unreachable.__module__ = "botocore.exceptions"


def client_error(code: str, status: int) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "GetObject"
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@dataclass
class Download:
    client: Client
    url: str
    name: str  # the stored file's name, as its FileField records it


@pytest.fixture
def evidence(document, measure, officer):
    entry = services.report_start(document=document, round_months=6, by=officer).entries.get(measure=measure)
    return services.evidence_add(entry=entry, by=officer, title="ภาพกิจกรรม", file=SimpleUploadedFile("ภาพ.pdf", PDF))


@pytest.fixture
def published_with_memo(approved, officer):
    return publishing.publish(target=approved, by=officer, with_memo=True)


@pytest.fixture(params=["evidence_download", "publication_pdf", "publication_memo_pdf"])
def download(request, officer) -> Download:
    """Each view that streams a stored file, asked by someone allowed to have it."""
    if request.param == "evidence_download":
        evidence = request.getfixturevalue("evidence")
        client = Client()
        client.force_login(officer)
        return Download(
            client, reverse("measures:evidence_download", args=["test-town", evidence.pk]), evidence.file.name
        )
    publication = request.getfixturevalue("published_with_memo")
    field = publication.memo_pdf if request.param == "publication_memo_pdf" else publication.pdf
    url = reverse(f"reports:{request.param}", args=["test-town", 2566, "measures", 1])
    return Download(Client(), url, field.name)


def storage_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "measures.storage"]


# --- A file the storage does not have ------------------------------------------------------------


def test_a_file_missing_from_the_storage_is_a_thai_404_logged_as_an_error(download, caplog):
    with (
        mock.patch.object(default_storage, "open", side_effect=FileNotFoundError("gone")),
        caplog.at_level(logging.ERROR),
    ):
        response = download.client.get(download.url)
    assert response.status_code == 404 and MISSING in text(response)
    (record,) = storage_records(caplog)
    assert record.levelno == logging.ERROR and download.name in record.getMessage()


@pytest.mark.parametrize("code", ["NoSuchKey", "404"])
def test_a_key_the_bucket_does_not_have_is_a_missing_file(code, evidence, officer, client_for):
    with mock.patch.object(default_storage, "open", side_effect=client_error(code, 404)):
        response = client_for(officer).get(reverse("measures:evidence_download", args=["test-town", evidence.pk]))
    assert response.status_code == 404 and MISSING in text(response)


def test_a_published_pdf_deleted_from_the_folder_is_a_thai_404(published_with_memo, client):
    default_storage.delete(published_with_memo.pdf.name)
    response = client.get(reverse("reports:publication_pdf", args=["test-town", 2566, "measures", 1]))
    assert response.status_code == 404 and MISSING in text(response)


# --- A storage that fails ------------------------------------------------------------------------

FAILURES = [
    Unreachable("Could not connect to the endpoint URL"),
    EndpointConnectionError(endpoint_url="http://minio.internal:9000/ita-files/x.pdf"),
    client_error("AccessDenied", 403),
    client_error("SlowDown", 503),
    PermissionError("media not readable"),
]


def test_a_storage_failure_is_a_thai_503_to_retry_later_logged_with_its_traceback(download, caplog):
    with mock.patch.object(default_storage, "open", side_effect=Unreachable("down")), caplog.at_level(logging.ERROR):
        response = download.client.get(download.url)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert UNAVAILABLE in text(response)
    (record,) = storage_records(caplog)
    assert record.exc_info is not None and download.name in record.getMessage()


@pytest.mark.parametrize("error", FAILURES, ids=type)
def test_every_kind_of_storage_failure_is_a_503(error, evidence, officer, client_for):
    with mock.patch.object(default_storage, "open", side_effect=error):
        response = client_for(officer).get(reverse("measures:evidence_download", args=["test-town", evidence.pk]))
    assert response.status_code == 503 and UNAVAILABLE in text(response)


@pytest.mark.parametrize("status", [404, 503])
def test_an_answer_about_a_storage_failure_is_never_kept_by_a_browser_or_proxy(status, download):
    error = FileNotFoundError("gone") if status == 404 else Unreachable("down")
    with mock.patch.object(default_storage, "open", side_effect=error):
        response = download.client.get(download.url)
    assert response.status_code == status
    assert "no-store" in response["Cache-Control"] and "immutable" not in response["Cache-Control"]


class FetchedWhenRead(File):
    """A stored file that the storage fetches at its first read, as a bucket's is (S3File)."""

    def seek(self, *args):
        raise Unreachable("the connection dropped")


def test_a_storage_failing_on_the_first_read_after_opening_is_a_503(evidence, officer, client_for):
    stored = FetchedWhenRead(io.BytesIO(PDF), name=evidence.file.name)
    with mock.patch.object(default_storage, "open", return_value=stored):
        response = client_for(officer).get(reverse("measures:evidence_download", args=["test-town", evidence.pk]))
    assert response.status_code == 503 and UNAVAILABLE in text(response)


# --- Only the storage is guarded ---------------------------------------------------------------


def test_a_bug_after_the_file_is_opened_is_not_dressed_as_a_storage_failure(download):
    with mock.patch("measures.storage.FileResponse", side_effect=TypeError("a bug")), pytest.raises(TypeError):
        download.client.get(download.url)


def test_the_evidence_file_is_not_opened_for_someone_who_may_not_have_it(evidence, outsider, client_for):
    with mock.patch.object(default_storage, "open", side_effect=Unreachable("down")) as opened:
        response = client_for(outsider).get(reverse("measures:evidence_download", args=["test-town", evidence.pk]))
    assert response.status_code == 404 and UNAVAILABLE not in text(response)
    opened.assert_not_called()


def test_the_file_still_downloads_when_the_storage_answers(download):
    response = download.client.get(download.url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


# --- A real bucket --------------------------------------------------------------------------------


def test_a_published_pdf_deleted_from_the_bucket_is_a_thai_404(s3, bucket, approved, officer, client):
    publication = publishing.publish(target=approved, by=officer)
    bucket.client.delete_object(Bucket=bucket.name, Key=f"portal/{publication.pdf.name}")
    response = client.get(reverse("reports:publication_pdf", args=["test-town", 2566, "measures", 1]))
    assert response.status_code == 404 and MISSING in text(response)


def test_evidence_in_a_bucket_out_of_reach_is_a_thai_503(s3, bucket, evidence, officer, client_for, settings):
    unreachable = default_storage_from_env({**bucket.env("portal"), "S3_ENDPOINT_URL": "http://127.0.0.1:9"})
    unreachable["OPTIONS"]["client_config"] = Config(retries={"total_max_attempts": 1}, connect_timeout=2)
    settings.STORAGES = {**settings.STORAGES, "default": unreachable}
    response = client_for(officer).get(reverse("measures:evidence_download", args=["test-town", evidence.pk]))
    assert response.status_code == 503 and response["Retry-After"] == "30" and UNAVAILABLE in text(response)
