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
    _keep_phrases_as_text()
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


# Kept phrases (`<span class="keep">`, reports/linebreaks.py) are laid out as unbreakable text,
# not as the inline blocks print.css makes of them: the same lines, without a block layout per
# phrase (measured in bench/pdf_profile.py: docs/BENCHMARKS.md). Off, WeasyPrint lays out the
# inline blocks of the stylesheet.
KEEP_AS_TEXT = True
_ATOMIC = "\u2e80"  # what WeasyPrint gives as the first and last letter of an inline block


def _lifted_keeps(root, boxes) -> None:
    """Put the text of each kept phrase in the place of its inline block, unbreakable.

    The text box keeps its style (font, language, decoration), with `white-space: nowrap`; its
    own style, that may wrap, is kept as `wrapping_style` for a phrase wider than its column.
    Only a span of plain text is lifted (protect() makes no other); anything else stays a block.
    """
    stack = [root]
    while stack:
        box = stack.pop()
        children = getattr(box, "children", None)
        if not children:
            continue
        lifted = None
        for index, child in enumerate(children):
            line = child.children[0] if isinstance(child, boxes.InlineBlockBox) and len(child.children) == 1 else None
            if (
                line is not None
                and child.element_tag == "span"
                and "keep" in (child.element.get("class") or "").split()
                and isinstance(line, boxes.LineBox)
                and len(line.children) == 1
                and isinstance(line.children[0], boxes.TextBox)
            ):
                text = line.children[0]
                text.wrapping_style = text.style
                text.style = text.style.copy()
                text.style["white_space"] = "nowrap"
                if lifted is None:
                    lifted = list(children)
                lifted[index] = text
            else:
                stack.append(child)
        if lifted is not None:
            box.children = lifted if isinstance(children, list) else type(children)(lifted)


def _keep_phrases_as_text() -> None:
    """Lay out each kept phrase as one piece of unbreakable text instead of an inline block.

    The two promises of docs/LINE-BREAKING.md hold as with the inline block: a line may end on
    either side of the phrase (WeasyPrint is told its first and last letters are those of an
    inline block), never inside it (`nowrap`), unless the phrase is wider than its whole column:
    then, moved to the start of a line as the inline block was, it is laid out again as ordinary
    text and breaks inside rather than overflowing. (The inline block also made the text after
    such a phrase start a line of its own; as text, it follows the phrase's last piece.)
    """
    import weasyprint.document as document  # noqa: PLC0415 - loaded with WeasyPrint
    from weasyprint.formatting_structure import boxes  # noqa: PLC0415
    from weasyprint.layout import inline  # noqa: PLC0415

    if getattr(document.build_formatting_structure, "lifts_keeps", False):
        return
    build = document.build_formatting_structure
    split = inline.split_inline_level

    def build_formatting_structure(*args, **kwargs):
        root = build(*args, **kwargs)
        if KEEP_AS_TEXT:
            _lifted_keeps(root, boxes)
        return root

    def split_inline_level(
        context, box, position_x, max_x, bottom_space, skip_stack, containing_block, *rest, **kwargs
    ):
        args = (context, box, position_x, max_x, bottom_space, skip_stack, containing_block, *rest)
        result = split(*args, **kwargs)
        wrapping = getattr(box, "wrapping_style", None)
        if wrapping is None:
            return result
        laid, line_children = result[0], (rest[4] if len(rest) > 4 else kwargs["line_children"])
        if not line_children and laid is not None and laid.width > max_x - containing_block.content_box_x() + 1e-6:
            wide = box.copy()  # at the start of a line and wider than its column: it breaks inside
            wide.style = wrapping
            result = split(context, wide, *args[2:], **kwargs)
        laid, resume_at, preserved_line_break, first, last, float_widths = result
        return laid, resume_at, preserved_line_break, first and _ATOMIC, last and _ATOMIC, float_widths

    build_formatting_structure.lifts_keeps = True
    build_formatting_structure.original = build
    document.build_formatting_structure = build_formatting_structure
    inline.split_inline_level = split_inline_level


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
