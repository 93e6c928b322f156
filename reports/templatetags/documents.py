from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from measures import thai
from reports import linebreaks

register = template.Library()


@register.filter
def get(mapping: dict, key: str):
    """`{{ row.cells|get:column.key }}`: a dict lookup with a variable key."""
    return mapping.get(key, "") if mapping else ""


# Signs of the source documents that Sarabun has no glyph for: drawn with CSS instead, so that
# the PDF never falls back to a system font (pdffonts shows Sarabun only).
_BOXES = {
    "\u25a1": '<span class="box" title="□"></span>',  # □ white square: a check box
    "\u2610": '<span class="box" title="☐"></span>',  # ☐ ballot box
    "\u2611": '<span class="box checked" title="☑"></span>',  # ☑ ballot box with check
    "\u2612": '<span class="box crossed" title="☒"></span>',  # ☒ ballot box with X
}


@register.filter(needs_autoescape=True)
def doc_text(value, thai_digits=False, autoescape=True) -> str:
    """Text typed by users, as an official document prints it.

    Thai digits in prose when the organisation uses them (thai.prose_thai_digits), HTML
    escaped, names, dates, reference numbers and official compounds kept whole at line ends
    (reports.linebreaks: the names of the document being rendered), and the check boxes of the
    seed documents drawn.
    """
    text = "" if value is None else str(value)
    if thai_digits:
        text = thai.prose_thai_digits(text)
    if autoescape and not isinstance(text, SafeData):
        text = linebreaks.protect(text, linebreaks.current_names())
    else:
        text = conditional_escape(text) if autoescape else text
    for sign, html in _BOXES.items():
        text = text.replace(sign, html)
    return mark_safe(text)  # noqa: S308 - escaped above; only our own markup is added
