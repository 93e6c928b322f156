"""Where uploaded and published files are kept: a folder (MEDIA_ROOT) or an S3-compatible bucket.

Both storages name files the same way (Thai kept readable) and never overwrite a file; the portal
serves every file itself after checking who asks, so neither hands out a public address.
`ita_portal/storage_settings.py` picks one from the environment. The bucket's storage is in
`storage_s3.py`, so that a process keeping its files in a folder never imports boto3.
"""

import posixpath
import sys

from django.core.files.storage import FileSystemStorage

from .uploads import safe_filename


class ThaiNames:
    """Django's storages name files with get_valid_name(), which keeps only \\w characters and so
    drops Thai vowel and tone marks (ดำเนินงาน → ดำเนนงาน). Ours cleans the name the same safe way
    (no path, no shell-special characters) but keeps Thai letters and marks."""

    def get_valid_name(self, name):
        return safe_filename(name, fallback="file")


class ThaiFileSystemStorage(ThaiNames, FileSystemStorage):
    """Files under MEDIA_ROOT (one server, or a folder every server mounts)."""


def _is_bucket(storage) -> bool:
    """Whether the storage keeps its files in an S3 bucket (django-storages' S3Storage).

    Asked without importing boto3: only a bucket storage imports the S3 backend, so while the
    backend is not loaded no storage of this process can be one.
    """
    kind = storage.__class__  # default_storage is lazy: this makes it first (a bucket's imports the backend)
    backend = sys.modules.get("storages.backends.s3")
    return backend is not None and issubclass(kind, backend.S3Storage)


def _names_in_folders(storage, folder: str = "") -> list[str]:
    folders, files = storage.listdir(folder)
    names = [posixpath.join(folder, name) for name in files]
    for name in folders:
        names += _names_in_folders(storage, posixpath.join(folder, name))
    return names


def stored_names(storage) -> list[str]:
    """The name of every file in the storage, as a FileField records it, sorted."""
    if _is_bucket(storage):
        from .storage_s3 import names_in_bucket  # noqa: PLC0415 - loaded already: the storage is a bucket

        return sorted(names_in_bucket(storage))
    try:
        return sorted(_names_in_folders(storage))
    except FileNotFoundError:  # MEDIA_ROOT not made yet: nothing stored
        return []


def storage_is_empty(storage) -> bool:
    """Whether nothing at all (not even an empty folder) is in the storage."""
    try:
        folders, files = storage.listdir("")
    except FileNotFoundError:
        return True
    return not folders and not files


def describe(storage) -> str:
    """Where the storage keeps its files, for an operator's message."""
    if _is_bucket(storage):
        return "s3://" + posixpath.join(storage.bucket_name, storage.location.strip("/"))
    return str(getattr(storage, "location", storage))
