"""Backup and restore: the demo with published versions and evidence, dumped and restored into an empty
database (PostgreSQL in CI's PostgreSQL run, SQLite otherwise) with every hash intact (issue 8)."""

import json
import os
import subprocess
import sys
import tarfile
from io import StringIO

import psycopg2
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from measures import services, workflow
from measures.devdata.demo import load_demo
from measures.models import Evidence, ProgressReport
from reports import publishing
from reports.models import Publication, PublicPage

pytestmark = pytest.mark.django_db(transaction=True)

LIST_PUBLICATIONS = (
    "import json; from reports.models import Publication as P; "
    "print(json.dumps(sorted([p.organisation.slug, p.fiscal_year, p.kind, p.version, p.sha256, p.pdf.name] "
    "for p in P.objects.all())))"
)


def _approve_and_publish(target, officer, approver):
    submission = workflow.submit(target=target, by=officer)
    while submission.status == submission.Status.PENDING:
        workflow.decide(submission=submission, by=approver, approve=True)
        submission.refresh_from_db()
    target.refresh_from_db()
    return publishing.publish(target=target, by=officer)


@pytest.fixture
def published_demo(settings):
    """The demo with ทต.เขาหัวช้าง's 2566 measures and 12-month report published, and an evidence file."""
    load_demo()
    users = get_user_model().objects
    officer, approver = users.get(username="officer"), users.get(username="approver")
    report = ProgressReport.objects.get(document__organisation__slug="khao-hua-chang", round=12)
    entry = report.entries.first()
    services.evidence_add(
        entry=entry,
        by=officer,
        title="ภาพถ่ายการประชุม",
        file=SimpleUploadedFile("ประชุม.pdf", b"%PDF-1.4 evidence\n%%EOF\n"),
    )
    _approve_and_publish(report.document, officer, approver)
    report.refresh_from_db()
    _approve_and_publish(report, officer, approver)
    return sorted(
        [p.organisation.slug, p.fiscal_year, p.kind, p.version, p.sha256, p.pdf.name] for p in Publication.objects.all()
    )


@pytest.fixture
def empty_database(tmp_path):
    """A new, empty database of the same engine as the tests', and its URL; dropped afterwards."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{db['NAME']}_restore"
    admin = psycopg2.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def manage(*args, database_url, media_root):
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_backup_restored_into_an_empty_database_keeps_every_published_version_and_hash(
    published_demo, empty_database, tmp_path
):
    archive = tmp_path / "backup.tar"
    assert Client().get("/khao-hua-chang/", HTTP_HOST="localhost").status_code == 200
    assert PublicPage.objects.exists()  # a rendered page kept in the database: derived, not backed up
    call_command("backup", str(archive), stdout=StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    assert manifest["engine"] == connection.vendor
    assert len(manifest["media"]) == 3  # two published PDFs and the evidence file
    assert {f"media/{name}" for name in manifest["media"]} <= names
    assert {p[4] for p in published_demo} <= set(manifest["media"].values())
    restored_media = tmp_path / "restored-media"

    result = manage("restore", str(archive), database_url=empty_database, media_root=restored_media)
    assert result.returncode == 0, result.stderr
    assert "2 published PDF(s) match their SHA-256" in result.stdout

    listed = manage(
        "shell", "--no-imports", "-c", LIST_PUBLICATIONS, database_url=empty_database, media_root=restored_media
    )
    assert json.loads(listed.stdout) == published_demo
    kept = manage(
        "shell",
        "--no-imports",
        "-c",
        "from reports.models import PublicPage; print(PublicPage.objects.count())",
        database_url=empty_database,
        media_root=restored_media,
    )
    assert kept.stdout.split() == ["0"], kept.stderr
    evidence = Evidence.objects.get()
    assert (restored_media / evidence.file.name).read_bytes() == b"%PDF-1.4 evidence\n%%EOF\n"

    # The restored portal answers with the same bytes: the PDF of version 1 of the 12-month report.
    slug, year, kind, version, sha256, _name = next(p for p in published_demo if p[2] == "report-12")
    check = manage(
        "shell",
        "--no-imports",
        "-c",
        (
            "import hashlib; from django.test import Client; "
            f"r = Client().get('/{slug}/{year}/{kind}/v{version}.pdf', HTTP_HOST='localhost'); "
            "print(r.status_code, hashlib.sha256(b''.join(r.streaming_content)).hexdigest())"
        ),
        database_url=empty_database,
        media_root=restored_media,
    )
    assert check.stdout.split() == ["200", sha256], check.stderr


def test_a_restore_never_overwrites_a_database_that_is_not_empty(published_demo, empty_database, tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=StringIO())
    first = manage("restore", str(archive), database_url=empty_database, media_root=tmp_path / "m1")
    assert first.returncode == 0, first.stderr
    again = manage("restore", str(archive), database_url=empty_database, media_root=tmp_path / "m2")
    assert again.returncode != 0
    assert "not empty" in again.stderr


def test_a_damaged_published_pdf_is_reported_by_the_verification(published_demo, settings):
    publication = Publication.objects.first()
    (settings.MEDIA_ROOT / publication.pdf.name).write_bytes(b"%PDF-1.4 tampered")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("restore", "unused.tar", "--verify-only", stdout=StringIO(), stderr=StringIO())
