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


def static_response(url: str) -> tuple[bytes, str]:
    """The bytes and MIME type of one of our static files, named by its URL under BASE_URL."""
    if not url.startswith(STATIC_PREFIX):
        raise BlockedURL(f"not a static file of the portal: {url}")
    relative = url[len(STATIC_PREFIX):].split("?", 1)[0].split("#", 1)[0]
    path = finders.find(relative)
    if not path:
        raise BlockedURL(f"no such static file: {relative}")
    mime_type, _ = mimetypes.guess_type(path)
    return Path(path).read_bytes(), mime_type or "application/octet-stream"


def fix_sara_am(html: str) -> str:
    return html.replace(SARA_AM, NIKHAHIT_SARA_AA)


@cache
def _weasyprint():
    """WeasyPrint, a font configuration and our URL fetcher, made once per process."""
    import weasyprint  # noqa: PLC0415 - 0.8 s: only in processes that render PDFs
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415

    class StaticFilesFetcher(URLFetcher):
        """Serves our static files; anything else is refused and stops the rendering."""

        def __init__(self):
            super().__init__(allowed_protocols=("https",), fail_on_errors=True)

        def fetch(self, url, headers=None):
            body, mime_type = static_response(url)
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    return weasyprint, FontConfiguration(), StaticFilesFetcher()


def render_pdf(html: str) -> bytes:
    """The PDF of a document's HTML (its links to /static/ resolve to our files)."""
    weasyprint, font_config, fetcher = _weasyprint()
    document = weasyprint.HTML(string=fix_sara_am(html), base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(font_config=font_config)
