"""Text typed by a user (in a form or a spreadsheet cell) read as the values of a measure.

The staff forms and the spreadsheet import (measures.tabular) read steps, item codes and the
precision of a period the same way and accept texts and numbers up to the same limits: both take
them from here.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import thai
from .models import Framework, Item, PeriodPrecision

__all__ = [
    "ITEM_CODE_RE",
    "MAX_MEASURES",
    "MAX_NUMBER",
    "MAX_STEPS",
    "TEXT_MAX_LENGTH",
    "parse_item_codes",
    "period_precision",
    "plain_date",
    "split_steps",
    "too_many_steps",
]

# A free text longer than this is a paste gone wrong or an attack rather than part of a measure or a
# report (the longest text of the seed documents has about 1,500 characters): it is refused with a
# Thai message instead of being stored, printed and published.
TEXT_MAX_LENGTH = 10_000

# Theme and measure numbers, far below what an integer column holds (a number past it was a
# server error).
MAX_NUMBER = 999

# What real documents need, with room: a measure has 2–15 steps, a document 10–40 measures (the
# national data's largest, 120). More is a wrong paste or a file built to cost (a draft's PDF of
# 3 measures with 4,999 steps each took a minute).
MAX_STEPS = 60
MAX_MEASURES = 300


def too_many_steps(steps: list[str]) -> str:
    """The Thai refusal of a measure with more than MAX_STEPS steps ("" when within it)."""
    if len(steps) <= MAX_STEPS:
        return ""
    return _("มาตรการหนึ่งมีขั้นตอนได้ไม่เกิน %(max)s บรรทัด (พิมพ์มา %(n)s บรรทัด) กรุณารวมขั้นตอนย่อยไว้ในบรรทัดเดียวกัน") % {
        "max": MAX_STEPS,
        "n": len(steps),
    }


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


def split_steps(text: str) -> list[str]:
    """One step per line, kept as typed: its number or bullet ("1.", "๑)", "-") and an introductory
    line ("… ดังนี้") are printed as the officer wrote them (measures.numbering.step_lines)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def period_precision(start: date | None, end: date | None) -> str:
    """How precisely a period was typed: by day if either end was typed with its day, by month
    when both were months ("ต.ค. 2564", thai.MonthDate) or nothing was typed."""
    typed = [d for d in (start, end) if d is not None]
    if any(not isinstance(d, thai.MonthDate) for d in typed):
        return PeriodPrecision.DAY
    return PeriodPrecision.MONTH


def plain_date(value: date | None) -> date | None:
    """A date read from a month (thai.MonthDate) as the plain date that is stored."""
    return None if value is None else date(value.year, value.month, value.day)
