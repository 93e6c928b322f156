"""HTML → PDF with WeasyPrint, using only the fonts and files we ship.

- The URL fetcher serves files found by Django's static finders and nothing else: no network,
  no file system outside our static folders.
- Sara am (ำ, U+0E33) is written as nikhahit + sara aa before rendering: it looks the same and
  makes the PDF's text layer (pdftotext, copy and paste) come out right (PDF-NOTES.md).
- WeasyPrint is imported once per process, on first use.
"""

import logging
import mimetypes
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders

BASE_URL = "https://ita-portal.invalid/"
STATIC_PREFIX = BASE_URL + "static/"
SARA_AM = "\u0e33"
NIKHAHIT_SARA_AA = "\u0e4d\u0e32"

log = logging.getLogger(__name__)


class BlockedURL(ValueError):
    pass


def url_fetcher(url: str, timeout: int = 10, ssl_context=None) -> dict:
    """Serve our static files to WeasyPrint; refuse everything else."""
    if not url.startswith(STATIC_PREFIX):
        raise BlockedURL(f"not a static file of the portal: {url}")
    relative = url[len(STATIC_PREFIX):].split("?", 1)[0]
    path = finders.find(relative)
    if not path:
        raise BlockedURL(f"no such static file: {relative}")
    mime_type, _ = mimetypes.guess_type(path)
    return {"string": Path(path).read_bytes(), "mime_type": mime_type or "application/octet-stream",
            "redirected_url": url}


def fix_sara_am(html: str) -> str:
    return html.replace(SARA_AM, NIKHAHIT_SARA_AA)


@cache
def _weasyprint():
    import weasyprint  # noqa: PLC0415 - 0.8 s: only in processes that render PDFs
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    return weasyprint, FontConfiguration()


def render_pdf(html: str) -> bytes:
    """The PDF of a document's HTML (its links to /static/ resolve to our files)."""
    weasyprint, font_config = _weasyprint()
    document = weasyprint.HTML(string=fix_sara_am(html), base_url=BASE_URL, url_fetcher=url_fetcher)
    return document.write_pdf(font_config=font_config)
