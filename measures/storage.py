"""Where uploaded and published files are kept: a folder (MEDIA_ROOT) or an S3-compatible bucket.

Both storages name files the same way (Thai kept readable) and never overwrite a file; the portal
serves every file itself after checking who asks, so neither hands out a public address.
`ita_portal/storage_settings.py` picks one from the environment. The bucket's storage is in
`storage_s3.py`, so that a process keeping its files in a folder never imports boto3.
"""

import logging
import posixpath
import sys

from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from .uploads import safe_filename

log = logging.getLogger(__name__)

RETRY_AFTER = 30  # seconds: a storage out of reach is usually back within a minute


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


def _is_missing(error: Exception) -> bool:
    """Whether the storage says it has no such file: FileNotFoundError, or a bucket's 404.

    django-storages turns a 404 on opening into FileNotFoundError; a key deleted between opening
    and reading is botocore's ClientError, recognised without importing botocore.
    """
    if isinstance(error, FileNotFoundError):
        return True
    if not type(error).__module__.startswith("botocore"):
        return False
    answer = getattr(error, "response", None) or {}
    code = str(answer.get("Error", {}).get("Code", ""))
    return code in {"404", "NoSuchKey", "NotFound"}


def stored_file_response(request, stored, **file_response_options):
    """A FileResponse streaming the stored file (a FieldFile), or a Thai page saying why it cannot.

    A file the storage does not have answers 404 (logged as an error: a file the portal records,
    such as a published PDF, should never be missing); any other failure of the storage answers
    503 with Retry-After (a bucket out of reach or refusing, a disk error: botocore's errors are
    not OSError, and other backends have their own). Only the storage's calls are guarded: the
    file is opened and its first read made here, so that a storage fetching the file lazily (a
    bucket's S3File downloads it then) fails here too; a bug elsewhere still fails as a 500.
    Call it after the access checks: opening is the last step. The options go to FileResponse.
    """
    try:
        stored.open("rb")
        stored.seek(0)
    except Exception as error:  # the storage backend's own errors, whatever their kind
        stored.close()
        if _is_missing(error):
            log.error("The file %s is missing from the file storage (%s)", stored.name, describe(stored.storage))
            return _unavailable(request, "404_stored_file.html", status=404)
        log.exception("The file storage (%s) failed to give the file %s", describe(stored.storage), stored.name)
        response = _unavailable(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    try:
        return FileResponse(stored, **file_response_options)
    except BaseException:  # not the storage's: raised as it is, with the file closed
        stored.close()
        raise


def _unavailable(request, template: str, *, status: int):
    # Never kept by a browser or proxy: the file may be back at the next request.
    response = render(request, template, status=status)
    add_never_cache_headers(response)
    return response
