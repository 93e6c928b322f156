"""An organisation's emblem (ตราสัญลักษณ์): checked when uploaded, stored once, printed inline.

An upload is opened with Pillow and must really be a PNG or a JPEG of at most LOGO_MAX_BYTES;
what is stored is a new PNG drawn from its pixels (at most LOGO_MAX_SIDE pixels a side), so
that no byte of the uploaded file (metadata, a script hidden in a polyglot file) is ever served,
and a printed page carries a few dozen kilobytes, not a camera's photo.

Documents print the emblem as a data: URL: the PDF renderer fetches nothing but our static
files, a published page keeps the emblem it was approved with even if the organisation
changes it later, and no media URL has to be served. Files are never overwritten (each upload
gets a new name), so the name frozen in an edition always finds the same picture.
"""

import base64
import io
import logging
import secrets
from functools import lru_cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ..services import ServiceError
from ..uploads import extension_of

log = logging.getLogger(__name__)

LOGO_MAX_BYTES = 1024 * 1024
LOGO_EXTENSIONS = ("png", "jpg", "jpeg")
LOGO_FORMATS = {"PNG", "JPEG"}
LOGO_MAX_SIDE = 600  # pixels: a 40 mm emblem at 380 dpi
LOGO_MAX_PIXELS = 40_000_000  # refuse to decode a picture bigger than this (a "decompression bomb")


def check_logo(upload) -> None:
    """Refuse (ServiceError, Thai) a file that is not a PNG or JPEG picture of at most 1 MB."""
    if extension_of(getattr(upload, "name", "")) not in LOGO_EXTENSIONS:
        raise ServiceError(_("ตราสัญลักษณ์ต้องเป็นไฟล์รูปภาพ .png หรือ .jpg"))
    if not upload.size:
        raise ServiceError(_("ไฟล์ตราสัญลักษณ์ว่างเปล่า"))
    if upload.size > LOGO_MAX_BYTES:
        raise ServiceError(
            _("ไฟล์ตราสัญลักษณ์ใหญ่เกินไป (%(size)s) ขนาดไม่เกิน %(max)s")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(LOGO_MAX_BYTES)}
        )
    _open(upload)


def _open(upload):
    from PIL import Image, ImageFile  # noqa: PLC0415 - Pillow is only needed when an emblem is uploaded

    not_a_picture = ServiceError(_("ไฟล์นี้ไม่ใช่รูปภาพ PNG หรือ JPEG ที่ถูกต้อง กรุณาบันทึกรูปเป็น .png หรือ .jpg แล้วเลือกใหม่"))
    upload.seek(0)
    try:
        image = Image.open(upload)
        if image.format not in LOGO_FORMATS:
            raise not_a_picture
        if image.width * image.height > LOGO_MAX_PIXELS:
            raise ServiceError(_("รูปตราสัญลักษณ์มีขนาดพิกเซลใหญ่เกินไป กรุณาย่อรูปก่อน"))
        # WeasyPrint's import lets Pillow load cut-short files for the whole process
        # (LOAD_TRUNCATED_IMAGES): an emblem must be whole, whatever was imported before.
        tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    except ServiceError:
        raise
    except Exception as exc:  # a damaged or disguised file can break the decoder in many ways
        raise not_a_picture from exc
    finally:
        upload.seek(0)
    return image


def normalised_logo(upload, *, slug: str) -> ContentFile:
    """A new PNG of the upload's pixels, at most LOGO_MAX_SIDE a side, under a name of its own."""
    check_logo(upload)
    image = _open(upload)
    image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB")
    image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"{slug}-{secrets.token_hex(6)}.png")


def logo_data_uri(name: str) -> str:
    """The stored emblem as a data: URL to print, or "" when there is none (or it cannot be read).

    A document prints without its emblem rather than not at all: a file gone, a bucket out of
    reach or refusing the key must not make a print, a memo or a publication fail. The failure
    is logged, and not remembered: the emblem is printed again once the storage gives it back.
    """
    if not name:
        return ""
    try:
        content = _stored_emblem(str(settings.MEDIA_ROOT), name)
    except OSError:
        log.warning("The emblem %s is missing or unreadable in the file storage: printed without it", name)
        return ""
    except Exception:  # a storage backend's own errors (botocore's are not OSError): only around the read
        log.exception("The emblem %s could not be read from the file storage: printed without it", name)
        return ""
    mime = "image/png" if content.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


@lru_cache(maxsize=64)
def _stored_emblem(media_root: str, name: str) -> bytes:
    # Kept per name (a name never gets other bytes); MEDIA_ROOT in the key for tests that change it.
    with default_storage.open(name, "rb") as stored:
        return stored.read(LOGO_MAX_BYTES * 4)
