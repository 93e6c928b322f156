"""Files in an S3-compatible bucket (issue 19): published PDFs, evidence and backups go through
Django's storage API to moto's S3 server, a real HTTP server on 127.0.0.1 (one for the module),
configured the way production is: from the S3_* environment variables."""

# A fixture is imported from another test module, and test arguments then shadow it.
# ruff: noqa: F401, F811

import base64
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import uuid
from io import BytesIO, StringIO

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image

from ita_portal.storage_settings import default_storage_from_env
from measures import services
from measures.models import Evidence
from measures.organisations.logos import logo_data_uri, normalised_logo
from measures.storage import ThaiFileSystemStorage
from measures.storage_s3 import ThaiS3Storage
from reports import publishing
from reports.models import Publication
from tests.reports.test_backup import empty_database

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
THAI_NAME = "ผลการดำเนินงาน ไตรมาสที่ ๒.pdf"  # ำ, ิ, ี, ่ and ้: what Django's own naming drops
STORED_THAI_NAME = "ผลการดำเนินงาน_ไตรมาสที่_๒.pdf"


class Bucket:
    """A bucket of the test server, read with boto3 (not through the portal's storage)."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.name = f"ita-{uuid.uuid4().hex[:12]}"
        self.client = boto3.client(
            "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
        )
        self.client.create_bucket(Bucket=self.name)

    def env(self, prefix: str) -> dict[str, str]:
        return {
            "S3_BUCKET": self.name,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "k",
            "S3_SECRET_ACCESS_KEY": "s",
            "S3_PREFIX": prefix,
        }

    def object_keys(self, prefix: str = "") -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint):
    return Bucket(s3_endpoint)


@pytest.fixture
def s3(settings, bucket):
    """The portal's files in `bucket`, under the prefix "portal/", as S3_* variables configure it."""
    settings.STORAGES = {**settings.STORAGES, "default": default_storage_from_env(bucket.env("portal"))}
    # FileFields hold default_storage (a lazy object) since their models were imported: it follows.
    assert isinstance(Publication._meta.get_field("pdf").storage, ThaiS3Storage)
    assert isinstance(Evidence._meta.get_field("file").storage, ThaiS3Storage)
    return bucket


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def publication(s3, approved, officer):
    return publishing.publish(target=approved, by=officer)


@pytest.fixture
def report(s3, document, measure, officer):
    return services.report_start(document=document, round_months=6, by=officer)


def upload_evidence(client, measure, name: str, content: bytes = PDF):
    url = reverse("measures:entry_edit", args=["test-town", 2566, 6, measure.pk])
    data = {"revision": "1", "status": "in_progress", "percent": "40", "summary": "จัดประชุมแล้ว"}
    response = client.post(url, {**data, "evidence-file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    return Evidence.objects.get(entry__measure=measure)


# --- Published PDFs ---------------------------------------------------------------------------


def test_a_published_pdf_is_stored_in_the_bucket_with_the_sha256_recorded(publication, s3, settings):
    key = f"portal/{publication.pdf.name}"
    assert s3.object_keys() == [key]
    stored = s3.read(key)
    assert stored.startswith(b"%PDF-") and hashlib.sha256(stored).hexdigest() == publication.sha256
    assert media_files(settings) == []


def test_the_public_pdf_url_streams_the_bytes_in_the_bucket(publication, s3, client):
    url = reverse("reports:publication_pdf", args=["test-town", 2566, "measures", 1])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == s3.read(f"portal/{publication.pdf.name}")


# --- Evidence ---------------------------------------------------------------------------------


def test_an_uploaded_evidence_file_goes_to_the_bucket(report, measure, s3, client_for, officer, settings):
    evidence = upload_evidence(client_for(officer), measure, "ภาพกิจกรรม.pdf")
    assert evidence.file.name == f"evidence/{report.document.organisation_id}/{report.pk}/ภาพกิจกรรม.pdf"
    assert s3.object_keys() == [f"portal/{evidence.file.name}"]
    assert s3.read(f"portal/{evidence.file.name}") == PDF
    assert media_files(settings) == []


def test_an_officer_downloads_the_evidence_bytes_from_the_bucket(report, measure, client_for, officer):
    evidence = upload_evidence(client_for(officer), measure, "ภาพกิจกรรม.pdf", PDF + b"% unique\n")
    response = client_for(officer).get(reverse("measures:evidence_download", args=["test-town", evidence.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF + b"% unique\n"


@pytest.mark.parametrize("slug", ["test-town", "other-town"])
def test_another_organisations_officer_cannot_download_the_evidence(
    slug, report, measure, client_for, officer, outsider
):
    evidence = upload_evidence(client_for(officer), measure, "ภาพกิจกรรม.pdf")
    response = client_for(outsider).get(reverse("measures:evidence_download", args=[slug, evidence.pk]))
    assert response.status_code == 404


def test_a_thai_file_name_keeps_its_vowel_and_tone_marks_in_the_bucket(report, measure, s3, client_for, officer):
    evidence = upload_evidence(client_for(officer), measure, THAI_NAME)
    assert evidence.filename == STORED_THAI_NAME
    (key,) = s3.object_keys()
    assert key.rsplit("/", 1)[1] == STORED_THAI_NAME
    response = client_for(officer).get(reverse("measures:evidence_download", args=["test-town", evidence.pk]))
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_a_file_in_the_bucket_is_never_overwritten(s3):
    first = default_storage.save("evidence/1/2/สรุปผล.pdf", ContentFile(b"%PDF-1.4 first"))
    second = default_storage.save("evidence/1/2/สรุปผล.pdf", ContentFile(b"%PDF-1.4 second"))
    assert first == "evidence/1/2/สรุปผล.pdf" and second != first
    assert s3.read(f"portal/{first}") == b"%PDF-1.4 first"
    assert s3.read(f"portal/{second}") == b"%PDF-1.4 second"


def test_an_emblem_is_stored_in_the_bucket_and_printed_from_it(s3):
    picture = BytesIO()
    Image.new("RGB", (40, 30), "red").save(picture, format="PNG")
    emblem = normalised_logo(SimpleUploadedFile("ตรา.png", picture.getvalue()), slug="test-town")
    name = default_storage.save(f"logos/{emblem.name}", emblem)
    stored = s3.read(f"portal/{name}")
    assert stored.startswith(b"\x89PNG")
    assert logo_data_uri(name) == "data:image/png;base64," + base64.b64encode(stored).decode()


# --- Backup and restore -----------------------------------------------------------------------


def manage(*args, env: dict[str, str], database_url: str, tmp_path):
    """manage.py in a new process: the production settings' path, from the environment alone."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("S3_")}
    media_root = tmp_path / "unused-media"  # with S3_BUCKET set, nothing may land here
    environment = {**clean, **env, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def published_with_evidence(publication, report, measure, client_for, officer):
    evidence = upload_evidence(client_for(officer), measure, THAI_NAME)
    return publication, evidence


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_bucket_restores_into_an_empty_prefix_and_verifies(
    published_with_evidence, s3, empty_database, tmp_path
):
    publication, evidence = published_with_evidence
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert sorted(manifest["media"]) == sorted([publication.pdf.name, evidence.file.name])
    assert manifest["media"][publication.pdf.name] == publication.sha256

    restored = manage("restore", str(archive), env=s3.env("restored"), database_url=empty_database, tmp_path=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert "Restored and verified: 2 file(s), 1 published PDF(s) match their SHA-256" in restored.stdout
    for name in manifest["media"]:
        assert s3.read(f"restored/{name}") == s3.read(f"portal/{name}")
    assert not (tmp_path / "unused-media").exists()


@pytest.mark.django_db(transaction=True)
def test_the_restored_portal_serves_the_published_pdf_from_the_bucket(publication, s3, empty_database, tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=StringIO())
    env = s3.env("restored")
    assert manage("restore", str(archive), env=env, database_url=empty_database, tmp_path=tmp_path).returncode == 0
    assert s3.object_keys("restored/") == [f"restored/{publication.pdf.name}"]
    s3.client.delete_object(Bucket=s3.name, Key=f"portal/{publication.pdf.name}")  # only the restored copy is left
    check = manage(
        "shell",
        "--no-imports",
        "-c",
        (
            "import hashlib; from django.test import Client; "
            "r = Client().get('/test-town/2566/measures/v1.pdf', HTTP_HOST='localhost'); "
            "print(r.status_code, hashlib.sha256(b''.join(r.streaming_content)).hexdigest())"
        ),
        env=env,
        database_url=empty_database,
        tmp_path=tmp_path,
    )
    assert check.stdout.split() == ["200", publication.sha256], check.stderr


@pytest.mark.django_db(transaction=True)
def test_a_restore_never_writes_into_a_prefix_that_is_not_empty(publication, s3, empty_database, tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=StringIO())
    before = {key: s3.read(key) for key in s3.object_keys()}
    again = manage("restore", str(archive), env=s3.env("portal"), database_url=empty_database, tmp_path=tmp_path)
    assert again.returncode != 0
    assert f"the file storage (s3://{s3.name}/portal) is not empty" in again.stderr
    assert {key: s3.read(key) for key in s3.object_keys()} == before


def test_the_verification_reports_a_published_pdf_changed_in_the_bucket(publication, s3):
    s3.client.put_object(Bucket=s3.name, Key=f"portal/{publication.pdf.name}", Body=b"%PDF-1.4 tampered")
    problems = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("restore", "unused.tar", "--verify-only", stdout=StringIO(), stderr=problems)
    assert problems.getvalue().strip() == (
        f"publication {publication.pk}: PDF differs from the SHA-256 recorded at publication"
    )


# --- The setting ------------------------------------------------------------------------------


def test_without_s3_bucket_files_stay_in_media_root():
    assert default_storage_from_env({}) == {"BACKEND": "measures.storage.ThaiFileSystemStorage"}
    assert isinstance(storages.create_storage(default_storage_from_env({"S3_BUCKET": " "})), ThaiFileSystemStorage)


def test_the_s3_variables_make_a_private_bucket_storage_that_never_overwrites():
    config = default_storage_from_env(
        {
            "S3_BUCKET": "ita-files",
            "S3_ENDPOINT_URL": "http://minio.internal:9000",
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "key",
            "S3_SECRET_ACCESS_KEY": "secret",
            "S3_PREFIX": "/media/",
        }
    )
    storage = storages.create_storage(config)
    assert isinstance(storage, ThaiS3Storage)
    assert (storage.bucket_name, storage.location) == ("ita-files", "media")
    assert (storage.endpoint_url, storage.region_name) == ("http://minio.internal:9000", "us-east-1")
    assert (storage.access_key, storage.secret_key) == ("key", "secret")
    assert (storage.file_overwrite, storage.default_acl, storage.querystring_auth) == (False, None, True)


def test_an_access_key_without_its_secret_is_refused():
    with pytest.raises(ImproperlyConfigured, match="S3_SECRET_ACCESS_KEY"):
        default_storage_from_env({"S3_BUCKET": "ita-files", "S3_ACCESS_KEY_ID": "key"})
