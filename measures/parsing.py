"""Text typed by a user (in a form or a spreadsheet cell) read as the values of a measure.

The staff forms and the spreadsheet import (measures.tabular) read steps and item codes the same
way and accept texts and numbers up to the same limits: both take them from here.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import thai
from .models import Framework, Item

__all__ = [
    "ITEM_CODE_RE",
    "MAX_NUMBER",
    "STEP_NUMBER_RE",
    "TEXT_MAX_LENGTH",
    "parse_item_codes",
    "split_steps",
]

# A free text longer than this is a paste gone wrong or an attack rather than part of a measure or a
# report (the longest text of the seed documents has about 1,500 characters): it is refused with a
# Thai message instead of being stored, printed and published.
TEXT_MAX_LENGTH = 10_000

# Theme and measure numbers, far below what an integer column holds (a number past it was a
# server error).
MAX_NUMBER = 999

ITEM_CODE_RE = re.compile(r"[A-Za-z]+\s*\d+")


def parse_item_codes(text: str, framework: Framework | None) -> list[Item]:
    """'I13, i14 O๓๕' → the items of the framework; unknown codes are a Thai error (ValidationError)."""
    text = thai.to_arabic_digits(text or "")
    codes = [re.sub(r"\s+", "", c).upper() for c in ITEM_CODE_RE.findall(text)]
    leftover = ITEM_CODE_RE.sub("", text)
    if re.search(r"[^\s,;/]", leftover):
        raise ValidationError(_("กรอกรหัสข้อคำถามคั่นด้วยจุลภาค เช่น I13, E5, O35"))
    if not codes:
        return []
    if framework is None:
        raise ValidationError(_("ยังไม่มีกรอบการประเมิน ITA ของปีที่วิเคราะห์ จึงอ้างอิงข้อคำถามไม่ได้"))
    found = {item.code.upper(): item for item in framework.items.select_related("indicator").filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError(
            _("ไม่พบข้อ %(codes)s ในกรอบการประเมิน ITA %(year)s"),
            params={"codes": ", ".join(missing), "year": framework.year},
        )
    return list(dict.fromkeys(found[c] for c in codes))


STEP_NUMBER_RE = re.compile(r"^\s*(?:[-–•*]|\(?[0-9๐-๙]+[.)]|[0-9๐-๙]+\s)\s*")


def split_steps(text: str) -> list[str]:
    """One step per line; a leading '1.', '๑)', '-' typed by the user is dropped."""
    steps = []
    for line in (text or "").splitlines():
        line = STEP_NUMBER_RE.sub("", line, count=1).strip()
        if line:
            steps.append(line)
    return steps
