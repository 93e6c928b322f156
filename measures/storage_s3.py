"""Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, …): the storage S3_BUCKET selects.

A module of its own because django-storages' S3 backend imports boto3 (~0.17 s): only a process
whose STORAGES name this class pays for it, never one that keeps its files in a folder.
"""

from storages.backends.s3 import S3Storage

from .storage import ThaiNames


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


def names_in_bucket(storage: S3Storage) -> list[str]:
    """The name of every file under the storage's prefix, unsorted."""
    # One listing of the whole prefix (1,000 keys a request) instead of one request per folder.
    prefix = storage.location.strip("/")
    prefix = f"{prefix}/" if prefix else ""
    keys = (item.key for item in storage.bucket.objects.filter(Prefix=prefix))
    return [key[len(prefix) :] for key in keys if not key.endswith("/")]  # "folders" made by consoles
