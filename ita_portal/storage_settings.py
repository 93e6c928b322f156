"""Where uploaded and published files go, from the environment: STORAGES["default"].

Without S3_BUCKET, a folder: MEDIA_ROOT (one server, or one folder every server mounts). With it,
an S3-compatible bucket (AWS S3, MinIO, Ceph, …) every server shares:

    S3_BUCKET             the bucket (made beforehand, private)
    S3_ENDPOINT_URL       the store's address; unset for AWS S3 (e.g. http://minio.internal:9000)
    S3_REGION             e.g. ap-southeast-1 (MinIO: us-east-1 unless configured otherwise)
    S3_ACCESS_KEY_ID      the key and its secret, both or neither (neither: boto3's usual chain,
    S3_SECRET_ACCESS_KEY  e.g. AWS_* variables or the server's IAM role)
    S3_PREFIX             a folder inside the bucket for the portal's files (default: none)
    S3_ADDRESSING_STYLE   "path" or "virtual", for a store that needs one (default: boto3's choice,
                          path style with S3_ENDPOINT_URL)

Read by settings.py, before the apps load: nothing of the portal is imported here.
"""

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

FILE_SYSTEM = "measures.storage.ThaiFileSystemStorage"
S3 = "measures.storage_s3.ThaiS3Storage"  # with boto3: loaded only when S3_BUCKET is set

# Environment variable → the option of ThaiS3Storage (django-storages' S3Storage) it sets.
_OPTIONS = {
    "S3_ENDPOINT_URL": "endpoint_url",
    "S3_REGION": "region_name",
    "S3_ACCESS_KEY_ID": "access_key",
    "S3_SECRET_ACCESS_KEY": "secret_key",
    "S3_ADDRESSING_STYLE": "addressing_style",
}


def default_storage_from_env(environ: Mapping[str, str] = os.environ) -> dict:
    """STORAGES["default"] as the environment asks: a folder, or an S3-compatible bucket."""
    bucket = environ.get("S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": FILE_SYSTEM}
    options = {"bucket_name": bucket}
    for variable, option in _OPTIONS.items():
        value = environ.get(variable, "").strip()
        if value:
            options[option] = value
    if ("access_key" in options) != ("secret_key" in options):
        raise ImproperlyConfigured("Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither.")
    if options.get("addressing_style", "path") not in {"path", "virtual"}:
        raise ImproperlyConfigured('S3_ADDRESSING_STYLE must be "path" or "virtual".')
    prefix = environ.get("S3_PREFIX", "").strip().strip("/")
    if prefix:
        options["location"] = prefix
    return {"BACKEND": S3, "OPTIONS": options}
