"""Files kept in a folder never load the S3 backend: boto3 and botocore cost ~0.17 s a process,
paid only where S3_BUCKET is set (measures/storage_s3.py). Each test is a new process, as a
worker, a management command or a cron job is."""

import json
import os
import subprocess
import sys

from django.conf import settings

FOLDER = """
import json, sys
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from measures.storage import describe, storage_is_empty, stored_names
name = default_storage.save("evidence/1/2/ผลการดำเนินงาน.pdf", ContentFile(b"%PDF-1.4 saved"))
with default_storage.open(name, "rb") as stored:
    content = stored.read().decode()
print(json.dumps({
    "content": content,
    "names": stored_names(default_storage),
    "empty": storage_is_empty(default_storage),
    "where": describe(default_storage),
    "loaded": [m for m in ("boto3", "botocore", "storages.backends.s3") if m in sys.modules],
}))
"""

BUCKET = """
import json
import django
django.setup()
from django.core.files.storage import default_storage
from measures.storage import describe
print(json.dumps(describe(default_storage)))
"""


def run_python(code: str, **env: str) -> dict | str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "DJANGO_"))}
    environment = {**clean, "DJANGO_SETTINGS_MODULE": "ita_portal.settings", "SECRET_KEY": "x" * 50, **env}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_files_kept_in_a_folder_never_import_boto3(tmp_path):
    media = tmp_path / "media"
    result = run_python(FOLDER, S3_BUCKET="", MEDIA_ROOT=str(media))
    assert result["content"] == "%PDF-1.4 saved"
    assert result["names"] == ["evidence/1/2/ผลการดำเนินงาน.pdf"] and not result["empty"]
    assert result["where"] == str(media)
    assert result["loaded"] == []


def test_a_bucket_is_described_as_one_before_anything_else_touched_the_storage(tmp_path):
    # default_storage is lazy: the S3 backend is imported only once it is made. No request is sent.
    where = run_python(BUCKET, S3_BUCKET="ita-files", S3_PREFIX="media", MEDIA_ROOT=str(tmp_path / "unused"))
    assert where == "s3://ita-files/media"
