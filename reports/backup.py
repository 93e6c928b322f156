"""Backup and restore of the whole portal: the database and the uploaded and published files.

One archive (a .tar file) holds:
- database.dump (PostgreSQL, `pg_dump --format=custom`) or database.sqlite3 (SQLite, copied with
  SQLite's online backup API, safe while the portal runs);
- media/…: every file of the file storage (STORAGES["default"]: the folder MEDIA_ROOT or an
  S3-compatible bucket), read through Django's storage API;
- manifest.json, last: when, from which database engine, the latest migration of each app, and the
  SHA-256 of the dump and of every stored file (published PDFs, evidence, logos) as written into
  the archive (each file is hashed while it is copied, so the two cannot differ).

A restore goes into an EMPTY database of the same engine and an empty file storage (an empty or
absent MEDIA_ROOT, an empty bucket or prefix), writes the files through the storage API, then
checks every file against the manifest and every publication's PDF against the SHA-256 recorded
when it was published. Nothing is overwritten.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.utils import validate_file_name
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from measures.storage import describe, storage_is_empty, stored_names

from .models import PublicPage

FORMAT = 1


class BackupError(Exception):
    """The backup or the restore cannot go on; the message says why."""


@dataclass
class RestoreReport:
    files: int
    publications: int
    problems: list[str]


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"unsupported database engine: {vendor}")
    return vendor


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = [
        "--host",
        db.get("HOST") or "localhost",
        "--port",
        str(db.get("PORT") or 5432),
        "--username",
        db.get("USER") or "postgres",
    ]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _stored_sha256(storage, name: str) -> str | None:
    """The SHA-256 of a stored file, or None when the storage has no such file."""
    digest = hashlib.sha256()
    try:
        with storage.open(name, "rb") as stored:
            for chunk in stored.chunks():
                digest.update(chunk)
    except (FileNotFoundError, IsADirectoryError):
        return None
    return digest.hexdigest()


def _copy_out(storage, name: str, target: Path) -> str | None:
    """Copy a stored file to the local file `target`; the SHA-256 of the bytes copied (None: gone)."""
    digest = hashlib.sha256()
    try:
        with storage.open(name, "rb") as stored, target.open("wb") as out:
            for chunk in stored.chunks():
                digest.update(chunk)
                out.write(chunk)
    except (FileNotFoundError, IsADirectoryError):
        return None
    return digest.hexdigest()


def _latest_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return latest


# Rendered public pages kept in the database (reports.public.caching): derived, made again on the
# next visit; a backup carries the table but not its rows (tens of KB a page, 21,000 pages at
# national size).
CACHED_TABLE = PublicPage._meta.db_table


def _dump_database(engine: str, tmp: Path) -> Path:
    if engine == "postgresql":
        dump = tmp / "database.dump"
        _run_pg(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--exclude-table-data={CACHED_TABLE}",
            "--file",
            str(dump),
            settings.DATABASES["default"]["NAME"],
        )
        return dump
    dump = tmp / "database.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(dump)
    with target:
        connection.connection.backup(target)
        target.execute(f"DELETE FROM {CACHED_TABLE}")  # noqa: S608 - our table's name
    target.execute("VACUUM")
    target.close()
    return dump


def create(output: Path) -> dict:
    """Write the archive to `output`; returns its manifest."""
    engine = _engine()
    storage = default_storage
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # The database first: every file it names was stored before the dump (files are never
        # overwritten), so the listing made after it finds them all.
        dump = _dump_database(engine, tmp)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "migrations": _latest_migrations(),
            "database": {"file": dump.name, "sha256": _sha256(dump)},
            "media": {},
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        staged = tmp / "file"  # one stored file at a time, hashed on its way to the archive
        with tarfile.open(partial, "w") as tar:
            tar.add(dump, arcname=dump.name)
            for name in stored_names(storage):
                digest = _copy_out(storage, name, staged)
                if digest is None:  # deleted since the listing: not in the archive, not in the manifest
                    continue
                tar.add(staged, arcname=f"media/{name}")
                manifest["media"][name] = digest
            staged.unlink(missing_ok=True)
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
        partial.replace(output)  # a backup that stopped half-way never looks complete
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _check_archive(tar: tarfile.TarFile, manifest: dict, engine: str) -> None:
    """Refuse an archive that cannot be restored here, before anything is written."""
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format: {manifest.get('format')}")
    if manifest["engine"] != engine:
        raise BackupError(
            f"this backup is of a {manifest['engine']} database; the portal is configured "
            f"for {engine}. Restore it into a {manifest['engine']} database."
        )
    try:
        tar.getmember(manifest["database"]["file"])
    except KeyError as error:
        raise BackupError("the archive is damaged: it holds no database dump") from error
    for name in manifest["media"]:
        try:
            validate_file_name(name, allow_relative_path=True)
            member = tar.getmember(f"media/{name}")
        except (SuspiciousFileOperation, KeyError) as error:
            raise BackupError(f"the archive is damaged: no file media/{name} to restore") from error
        if not member.isfile():
            raise BackupError(f"the archive is damaged: media/{name} is not a file")


def _restore_database(engine: str, dump: Path) -> None:
    connection.close()
    if engine == "sqlite":
        shutil.copyfile(dump, settings.DATABASES["default"]["NAME"])
        return
    _run_pg(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--dbname",
        settings.DATABASES["default"]["NAME"],
        str(dump),
    )


def _run_pg(tool: str, *arguments: str) -> None:
    """One of PostgreSQL's own tools (pg_dump, pg_restore) against the configured database."""
    args, env = _pg_env()
    result = subprocess.run(  # noqa: S603 - PostgreSQL's own tool; arguments from the settings
        [tool, *args, *arguments],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(f"{tool} failed: {result.stderr.strip()}")


def restore(archive: Path) -> RestoreReport:
    """Restore `archive` into the (empty) configured database and file storage, then verify it."""
    engine = _engine()
    storage = default_storage
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        _check_archive(tar, manifest, engine)
        if not _database_is_empty():
            raise BackupError("the target database is not empty: restore only into a new, empty database")
        if not storage_is_empty(storage):
            raise BackupError(
                f"the file storage ({describe(storage)}) is not empty: restore only into an empty folder or bucket"
            )
        with tempfile.TemporaryDirectory() as tmp:
            member = tar.getmember(manifest["database"]["file"])
            tar.extract(member, tmp, filter="data")  # refuses absolute paths, .. and links out of tmp
            dump = Path(tmp) / member.name
            if _sha256(dump) != manifest["database"]["sha256"]:
                raise BackupError("the database dump in the archive is damaged (SHA-256 differs)")
            _restore_database(engine, dump)
        for name in manifest["media"]:
            with tar.extractfile(f"media/{name}") as content:
                stored = storage.save(name, File(content, name=name))
            if stored != name:  # the storage found the name taken: it was not empty after all
                raise BackupError(f"the file storage kept {name} under another name ({stored})")
    cache.clear()  # pages and states kept of the database this one replaces (reports.public.caching)
    return verify(manifest)


def verify(manifest: dict | None = None) -> RestoreReport:
    """Every file as listed in the manifest (if given) and every publication's PDF as published."""
    from .models import Publication  # noqa: PLC0415 - after a restore, read the restored tables

    storage = default_storage
    problems = []
    files = 0
    for name, digest in (manifest or {}).get("media", {}).items():
        actual = _stored_sha256(storage, name)
        if actual is None:
            problems.append(f"missing file: {name}")
        elif actual != digest:
            problems.append(f"file differs from the backup: {name}")
        else:
            files += 1
    publications = 0
    digests = {}  # the generated national data shares one PDF among many publications
    for publication in Publication.objects.only("pk", "pdf", "sha256").iterator():
        name = publication.pdf.name
        if name not in digests:
            digests[name] = _stored_sha256(publication.pdf.storage, name)
        if digests[name] is None:
            problems.append(f"publication {publication.pk}: PDF missing ({name})")
        elif digests[name] != publication.sha256:
            problems.append(f"publication {publication.pk}: PDF differs from the SHA-256 recorded at publication")
        else:
            publications += 1
    return RestoreReport(files=files, publications=publications, problems=problems)
