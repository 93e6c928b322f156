"""HTML → PDF with WeasyPrint, using only the fonts and files we ship.

- The URL fetcher serves files found by Django's static finders and nothing else: no network,
  no file system outside our static folders (an organisation's emblem is inline, a data: URL).
- The text layer (pdftotext, copy and paste, search) maps each glyph to its own character.
  WeasyPrint 70 maps a glyph to the text of the cluster where it first met it: Sarabun draws
  ำ (U+0E33) as nikhahit + sara aa glyphs, so every later า came out as ำ ("ประมำณ").
  PDF-NOTES suggests writing ำ as U+0E4D U+0E32 before rendering, but then libthai no longer
  knows the words and cuts them ("ดํา|เนินการ", "ประ|จําปี"). So the layout sees the real
  text, and the glyph → text map is mended just before the PDF's fonts are written
  (_mend_to_unicode): ำ then reads back as nikhahit + sara aa, its NFKC form.
- Every PDF is tagged, as PDF/UA-1 (PDF_OPTIONS): a structure tree of headings, paragraphs,
  lists, tables with their header cells and figures (an SVG chart's alternative text is its
  <title>, an image's its alt), so that screen readers read the published evidence. Its title,
  author and language come from the HTML: <title>, <meta name="author"> and <html lang>
  (templates/reports/documents/base.html). WeasyPrint logs an error for an image without alt
  text or a page without lang; the PDF tests fail on any such log line.
- WeasyPrint is imported once per process, on first use.
"""

import base64
import gc
import logging
import mimetypes
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

BASE_URL = "https://ita-portal.invalid/"
STATIC_PREFIX = BASE_URL + "static/"

log = logging.getLogger(__name__)

# PDF/UA-1 implies pdf_tags=True and PDF 1.7, and adds the XMP metadata (dc:title, dc:creator,
# pdfuaid:part) that PDF/UA asks for. Measured (CPU time of the PDF step, 2 cores): seed 004's
# measures document (6 pages) 0.55 → 0.64 s, 44 → 57 KB; 300 measures (42 pages) 5.2 → 6.1 s,
# 177 → 370 KB; a 12-month report of 300 measures (82 pages) 11.9 → 13.0 s, 351 → 721 KB.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class BlockedURL(ValueError):
    pass


class RenderError(RuntimeError):
    """A PDF could not be made as we ship it (a file of ours is missing)."""


def static_response(url: str) -> tuple[bytes, str]:
    """The bytes and MIME type of one of our static files, named by its URL under BASE_URL."""
    if not url.startswith(STATIC_PREFIX):
        raise BlockedURL(f"not a static file of the portal: {url}")
    relative = url[len(STATIC_PREFIX) :].split("?", 1)[0].split("#", 1)[0]
    path = finders.find(relative)
    if not path and ".." not in relative.split("/") and staticfiles_storage.exists(relative):
        path = staticfiles_storage.path(relative)  # collected files, e.g. hashed names in production
    if not path:
        raise BlockedURL(f"no such static file: {relative}")
    mime_type, _ = mimetypes.guess_type(path)
    return Path(path).read_bytes(), mime_type or "application/octet-stream"


def data_image(url: str) -> tuple[bytes, str]:
    """The bytes and MIME type of a base64 data: URL of a PNG or JPEG (nothing is fetched)."""
    header, _comma, payload = url.partition(",")
    mime_type = header.removeprefix("data:").split(";", 1)[0]
    if mime_type not in ("image/png", "image/jpeg") or not header.endswith(";base64"):
        raise BlockedURL(f"not an inline PNG or JPEG: {url[:64]}")
    return base64.b64decode(payload, validate=True), mime_type


@cache
def _glyph_characters(font_file: bytes) -> dict[int, str]:
    """glyph id → the character it draws, from the font's cmap and its glyph names.

    Variants such as "uni0E4D.small" or "uni0E48.narrow" (marks moved over tall letters) are
    not in the cmap; their names give the character.
    """
    import io

    from fontTools.ttLib import TTFont  # noqa: PLC0415 - a WeasyPrint dependency

    font = TTFont(io.BytesIO(font_file), lazy=True)
    order = font.getGlyphOrder()
    ids = {name: index for index, name in enumerate(order)}
    characters = {ids[name]: chr(code) for code, name in font.getBestCmap().items() if name in ids}
    by_name = {name: ch for name, ch in ((order[i], c) for i, c in characters.items())}
    for index, name in enumerate(order):
        if index not in characters and "." in name:
            base = name.split(".", 1)[0]
            if base in by_name:
                characters[index] = by_name[base]
            elif base.startswith("uni") and len(base) == 7:
                characters[index] = chr(int(base[3:], 16))
    return characters


def _mend_to_unicode(fonts) -> None:
    """Map each glyph that draws one character to that character (see above).

    Ligatures and other glyphs the font does not name keep WeasyPrint's cluster text.
    """
    for font in fonts.values():
        if not font.to_unicode or font.bitmap:
            continue
        characters = _glyph_characters(bytes(font.file_content))
        for glyph in font.to_unicode:
            if glyph in characters:
                font.to_unicode[glyph] = characters[glyph]


@cache
def weasyprint_module():
    """WeasyPrint, a font configuration and our URL fetcher, made once per process."""
    import weasyprint  # noqa: PLC0415 - 0.8 s: only in processes that render PDFs
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415

    class StaticFilesFetcher(URLFetcher):
        """Serves our static files; anything else is refused and stops the rendering."""

        def __init__(self):
            super().__init__(allowed_protocols=("https",), fail_on_errors=True)

        def fetch(self, url, headers=None):
            if url.startswith("data:image/"):  # an organisation's emblem, inline in the page
                body, mime_type = data_image(url)
                return URLFetcherResponse(url, body, {"Content-Type": mime_type})
            body, mime_type = static_response(url)
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    import weasyprint.pdf  # noqa: PLC0415

    build_fonts_dictionary = weasyprint.pdf.build_fonts_dictionary
    if not getattr(build_fonts_dictionary, "mends_to_unicode", False):

        def build_fonts_with_mended_text(pdf, fonts, *args, **kwargs):
            _mend_to_unicode(fonts)
            return build_fonts_dictionary(pdf, fonts, *args, **kwargs)

        build_fonts_with_mended_text.mends_to_unicode = True
        weasyprint.pdf.build_fonts_dictionary = build_fonts_with_mended_text
    _skip_needless_min_content()
    return weasyprint, FontConfiguration(), StaticFilesFetcher()


def _skip_needless_min_content() -> None:
    """Shrink-to-fit without the min-content width when the max-content width fits.

    WeasyPrint 70 computes min(max(min-content, available), max-content) for every inline block,
    each time a line holding it is laid out; the min-content width breaks the text at every
    opportunity (a Pango layout per piece). When the max-content width fits in the available
    width, the result is the max-content width whatever the min-content width is, so it is
    not computed: the same widths, the same layout. Our kept phrases (`.keep`, an inline block
    per name, date and compound: reports/linebreaks.py) nearly always fit their line; measured
    in bench/pdf_profile.py (docs/BENCHMARKS.md).
    """
    from weasyprint.layout import absolute, float, inline, preferred  # noqa: PLC0415, A004 - loaded with WeasyPrint

    if getattr(preferred.shrink_to_fit, "skips_min_content", False):
        return

    def shrink_to_fit(context, box, available_content_width):
        most = preferred.max_content_width(context, box, outer=False)
        if most <= available_content_width:
            return most
        return min(max(preferred.min_content_width(context, box, outer=False), available_content_width), most)

    shrink_to_fit.skips_min_content = True
    shrink_to_fit.original = preferred.shrink_to_fit
    for module in (preferred, inline, float, absolute):  # imported by name in the others
        module.shrink_to_fit = shrink_to_fit


# Python's cycle collector is paused while a PDF is made: WeasyPrint builds hundreds of thousands
# of boxes and styles that live until the end, and the collector kept walking them all (measured:
# 17 % of a 300-measure document's time, 12 % of seed 000's report; bench/pdf_profile.py). What
# they leave in cycles is collected by the next ordinary collection.
PAUSE_GC = True


@contextmanager
def _collector_paused():
    paused = PAUSE_GC and gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def render_pdf(html: str) -> bytes:
    """The tagged PDF of a document's HTML (its links to /static/ resolve to our files)."""
    weasyprint, font_config, fetcher = weasyprint_module()
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    try:
        with _collector_paused():
            return document.write_pdf(font_config=font_config, **PDF_OPTIONS)
    except weasyprint.urls.FatalURLFetchingError as error:  # a BaseException: make it an ordinary one
        raise RenderError(f"{error} ({error.__cause__})") from error
