"""Backup and restore of the whole portal: the database and the uploaded and published files.

One archive (a .tar file) holds:
- manifest.json: when, from which database engine, the latest migration of each app, and the
  SHA-256 of every stored file (published PDFs, evidence, logos);
- database.dump (PostgreSQL, `pg_dump --format=custom`) or database.sqlite3 (SQLite, copied with
  SQLite's online backup API, safe while the portal runs);
- media/…: the files under MEDIA_ROOT.

A restore goes into an EMPTY database of the same engine and an empty (or absent) MEDIA_ROOT,
then checks every file against the manifest and every publication's PDF against the SHA-256
recorded when it was published. Nothing is overwritten.
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
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

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


def _media_files(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): _sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _latest_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return latest


def create(output: Path) -> dict:
    """Write the archive to `output`; returns its manifest."""
    engine = _engine()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if engine == "postgresql":
            dump = tmp / "database.dump"
            args, env = _pg_env()
            result = subprocess.run(  # noqa: S603 - PostgreSQL's own tool; arguments from the settings
                [  # noqa: S607 - found on PATH, as the README tells
                    "pg_dump",
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(dump),
                    settings.DATABASES["default"]["NAME"],
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            dump = tmp / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            with target:
                connection.connection.backup(target)
            target.close()
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "migrations": _latest_migrations(),
            "database": {"file": dump.name, "sha256": _sha256(dump)},
            "media": _media_files(media_root),
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            for name in manifest["media"]:
                tar.add(media_root / name, arcname=f"media/{name}")
        partial.replace(output)  # a backup that stopped half-way never looks complete
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore(archive: Path) -> RestoreReport:
    """Restore `archive` into the (empty) configured database and MEDIA_ROOT, then verify it."""
    engine = _engine()
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format: {manifest.get('format')}")
        if manifest["engine"] != engine:
            raise BackupError(
                f"this backup is of a {manifest['engine']} database; the portal is configured "
                f"for {engine}. Restore it into a {manifest['engine']} database."
            )
        if not _database_is_empty():
            raise BackupError("the target database is not empty: restore only into a new, empty database")
        if media_root.exists() and any(media_root.iterdir()):
            raise BackupError(f"MEDIA_ROOT ({media_root}) is not empty: restore only into an empty folder")
        with tempfile.TemporaryDirectory() as tmp:
            tar.extractall(tmp, filter="data")  # refuses absolute paths, .. and links out of tmp
            tmp = Path(tmp)
            dump = tmp / manifest["database"]["file"]
            if _sha256(dump) != manifest["database"]["sha256"]:
                raise BackupError("the database dump in the archive is damaged (SHA-256 differs)")
            if engine == "postgresql":
                connection.close()
                args, env = _pg_env()
                result = subprocess.run(  # noqa: S603 - PostgreSQL's own tool; arguments from the settings
                    [  # noqa: S607 - found on PATH, as the README tells
                        "pg_restore",
                        *args,
                        "--no-owner",
                        "--no-privileges",
                        "--exit-on-error",
                        "--dbname",
                        settings.DATABASES["default"]["NAME"],
                        str(dump),
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                if result.returncode:
                    raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
            else:
                connection.close()
                shutil.copyfile(dump, settings.DATABASES["default"]["NAME"])
            if (tmp / "media").exists():
                shutil.copytree(tmp / "media", media_root, dirs_exist_ok=True)
    cache.clear()  # pages and states kept of the database this one replaces (reports.public.caching)
    return verify(manifest)


def verify(manifest: dict | None = None) -> RestoreReport:
    """Every file as listed in the manifest (if given) and every publication's PDF as published."""
    from .models import Publication  # noqa: PLC0415 - after a restore, read the restored tables

    media_root = Path(settings.MEDIA_ROOT)
    problems = []
    files = 0
    for name, digest in (manifest or {}).get("media", {}).items():
        path = media_root / name
        if not path.is_file():
            problems.append(f"missing file: {name}")
        elif _sha256(path) != digest:
            problems.append(f"file differs from the backup: {name}")
        else:
            files += 1
    publications = 0
    for publication in Publication.objects.only("pk", "pdf", "sha256").iterator():
        path = media_root / publication.pdf.name
        if not path.is_file():
            problems.append(f"publication {publication.pk}: PDF missing ({publication.pdf.name})")
        elif _sha256(path) != publication.sha256:
            problems.append(f"publication {publication.pk}: PDF differs from the SHA-256 recorded at publication")
        else:
            publications += 1
    return RestoreReport(files=files, publications=publications, problems=problems)
