"""Where uploaded and published files are kept: a folder (MEDIA_ROOT) or an S3-compatible bucket.

Both storages name files the same way (Thai kept readable) and never overwrite a file; the portal
serves every file itself after checking who asks, so neither hands out a public address.
`ita_portal/storage_settings.py` picks one from the environment.
"""

import posixpath

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

from .uploads import safe_filename


class ThaiNames:
    """Django's storages name files with get_valid_name(), which keeps only \\w characters and so
    drops Thai vowel and tone marks (ดำเนินงาน → ดำเนนงาน). Ours cleans the name the same safe way
    (no path, no shell-special characters) but keeps Thai letters and marks."""

    def get_valid_name(self, name):
        return safe_filename(name, fallback="file")


class ThaiFileSystemStorage(ThaiNames, FileSystemStorage):
    """Files under MEDIA_ROOT (one server, or a folder every server mounts)."""


class ThaiS3Storage(ThaiNames, S3Storage):
    """Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, …), shared by every server.

    Class attributes win over django-storages' AWS_* settings (the OPTIONS of STORAGES still win
    over them): no ACL is sent, so objects stay as private as the bucket (a bucket that refuses
    ACLs, as AWS's do by default, accepts the upload); a file is never overwritten (a name in use
    gets a suffix, as on disk), so a published PDF or a name frozen in an edition always finds
    the same bytes; an address, if anything asks for one, is signed and short-lived. A file read
    is kept in memory up to 5 MB, on disk beyond (django-storages' default keeps it all in memory).
    """

    default_acl = None
    file_overwrite = False
    querystring_auth = True
    querystring_expire = 300
    max_memory_size = 5 * 1024 * 1024


def _names_in_bucket(storage: S3Storage) -> list[str]:
    # One listing of the whole prefix (1,000 keys a request) instead of one request per folder.
    prefix = storage.location.strip("/")
    prefix = f"{prefix}/" if prefix else ""
    keys = (item.key for item in storage.bucket.objects.filter(Prefix=prefix))
    return [key[len(prefix) :] for key in keys if not key.endswith("/")]  # "folders" made by consoles


def _names_in_folders(storage, folder: str = "") -> list[str]:
    folders, files = storage.listdir(folder)
    names = [posixpath.join(folder, name) for name in files]
    for name in folders:
        names += _names_in_folders(storage, posixpath.join(folder, name))
    return names


def stored_names(storage) -> list[str]:
    """The name of every file in the storage, as a FileField records it, sorted."""
    if isinstance(storage, S3Storage):
        return sorted(_names_in_bucket(storage))
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
    if isinstance(storage, S3Storage):
        return "s3://" + posixpath.join(storage.bucket_name, storage.location.strip("/"))
    return str(getattr(storage, "location", storage))
