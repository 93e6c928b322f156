"""What an uploaded evidence file really is: its first bytes must agree with its extension.

A browser, a mail client or a PDF reader trusts a file's content more than its name, so an
HTML page or an SVG (both can run script) renamed ``.pdf`` or an ``.exe`` renamed ``.png`` is
refused here, before it is stored. Each accepted extension has a signature: the magic bytes
of its format and, for the zip-based office formats, the entry that names the kind of
document inside. Only the first bytes and the zip's table of contents are read, never the
whole archive unpacked.
"""

import re
import unicodedata
import zipfile
from pathlib import PurePosixPath, PureWindowsPath

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of old Word (.doc) and Excel (.xls) files
ZIP = b"PK\x03\x04"

# The content type a download of each extension is served with: never text/html or image/svg+xml.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
FALLBACK_CONTENT_TYPE = "application/octet-stream"

_MAGIC = {"pdf": PDF, "png": PNG, "jpg": JPEG, "jpeg": JPEG, "doc": OLE2, "xls": OLE2}
# Office Open XML: the part every package has, and the folder of the main document.
_OOXML_FOLDER = {"docx": "word/", "xlsx": "xl/"}
# OpenDocument: the first entry, "mimetype", holds the kind of document as plain text.
_ODF_MIMETYPE = {"odt": CONTENT_TYPES["odt"], "ods": CONTENT_TYPES["ods"]}
_MAX_ZIP_ENTRIES = 10_000


def extension_of(name: str) -> str:
    """The extension of a file name, lower case, without the dot ("" when there is none)."""
    suffix = PurePosixPath(name or "").suffix
    return suffix.lower().lstrip(".")


def content_type_for(name: str) -> str:
    """The content type a stored file is served with, from its (checked) extension."""
    return CONTENT_TYPES.get(extension_of(name), FALLBACK_CONTENT_TYPE)


def _zip_matches(upload, extension: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if len(names) > _MAX_ZIP_ENTRIES:
                return False
            if extension in _OOXML_FOLDER:
                folder = _OOXML_FOLDER[extension]
                return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
            if "mimetype" not in names:
                return False
            with archive.open("mimetype") as entry:
                kind = entry.read(100).decode("ascii", "replace").strip()
            return kind == _ODF_MIMETYPE[extension]
    except Exception:  # a damaged, encrypted or odd archive can break the reader in many ways
        return False  # and is not the document it claims to be
    finally:
        upload.seek(0)


def content_matches_extension(upload, extension: str) -> bool:
    """Whether the file's first bytes (or its zip contents) are those of the extension's format."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if extension in _MAGIC:
        return head.startswith(_MAGIC[extension])
    if extension in _OOXML_FOLDER or extension in _ODF_MIMETYPE:
        return head.startswith(ZIP) and _zip_matches(upload, extension)
    return False


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*;]')
_BLANKS = re.compile(r"\s+")
_MAX_STEM = 80


def safe_filename(name: str, *, fallback: str = "evidence") -> str:
    """A file name fit to store and to offer back as a download.

    The last path component only (``../../etc/passwd.pdf`` → ``passwd.pdf``, also with
    backslashes), no control or shell-special characters, no leading dots, blanks as ``_``,
    a lower-case extension; Thai letters and marks are kept (NFC) so that the name stays
    readable.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = PureWindowsPath(PurePosixPath(name).name).name
    extension = extension_of(name)
    stem = name[: -(len(extension) + 1)] if extension else name
    stem = _BLANKS.sub("_", _UNSAFE.sub("", stem)).strip("._-")[:_MAX_STEM] or fallback
    return f"{stem}.{extension}" if extension else stem
