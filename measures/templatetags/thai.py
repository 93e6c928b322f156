"""Template filters for Thai dates and numbers: ``{% load thai %}``.

Date and number filters take an optional argument: ``"arabic"`` (or any
false-y value) uses Arabic digits, e.g. ``{{ d|thai_date:"arabic" }}``.
Every filter returns "" for None and "", and returns plain (unsafe) strings so
autoescaping still applies.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import InvalidOperation
from typing import Any

from django import template
from django.utils import timezone

from measures import numbering, texts, thai

register = template.Library()

_THAI = object()  # "no argument given": Thai digits
_ARABIC_WORDS = frozenset({"arabic", "false", "no", "off", "0", ""})


def _use_thai(arg: Any) -> bool:
    if arg is _THAI:
        return True
    if isinstance(arg, str):
        return arg.strip().lower() not in _ARABIC_WORDS
    return bool(arg)


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value if isinstance(value, date) else None


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@register.filter(name="thai_digits")
def thai_digits_filter(value: Any) -> str:
    """Replace 0-9 with ๐-๙."""
    return "" if _empty(value) else thai.to_thai_digits(value)


@register.filter
def digits(value: Any, arg: Any = _THAI) -> str:
    """Thai digits when the argument is true (e.g. the organisation's choice), else as it is."""
    if _empty(value):
        return ""
    return thai.to_thai_digits(value) if _use_thai(arg) else str(value)


@register.filter
def thai_date(value: Any, arg: Any = _THAI) -> str:
    """Long date: "๒๕ มีนาคม พ.ศ. ๒๕๖๕"."""
    return thai.format_date_long(_as_date(value), thai_digits=_use_thai(arg))


@register.filter
def thai_date_short(value: Any, arg: Any = _THAI) -> str:
    """Short date: "๒๕ มี.ค. ๒๕๖๕"."""
    return thai.format_date_short(_as_date(value), thai_digits=_use_thai(arg))


@register.filter
def thai_datetime(value: Any) -> str:
    """Date and local time, Arabic digits: "7 ธ.ค. 2569 10:32 น." (the admin's history pages)."""
    return "" if _empty(value) else thai.format_datetime_short(value)


@register.filter
def thai_month(value: Any, arg: Any = _THAI) -> str:
    """Month and year: "ต.ค. ๒๕๖๕" (joined by a no-break space)."""
    return thai.format_month(_as_date(value), thai_digits=_use_thai(arg))


@register.filter
def fiscal_year_label(value: Any, arg: Any = _THAI) -> str:
    """Fiscal year (BE) to "ปีงบประมาณ พ.ศ. ๒๕๖๖"."""
    fy_be = _as_int(value)
    if fy_be is None:
        return ""
    return thai.fiscal_year_label(fy_be, thai_digits=_use_thai(arg))


@register.filter
def round_label(value: Any, arg: Any = _THAI) -> str:
    """Round length in months (6 or 12) to "รอบ ๖ เดือน"."""
    months = _as_int(value)
    if months not in thai.ROUND_MONTHS:
        return ""
    return thai.round_label(months, thai_digits=_use_thai(arg))


@register.filter
def thai_number(value: Any, arg: Any = _THAI) -> str:
    """A number with two decimals: "๗๙.๕๐"."""
    if _empty(value) or isinstance(value, bool):
        return ""
    try:
        return thai.format_number(value, thai_digits=_use_thai(arg))
    except (InvalidOperation, ValueError, TypeError):
        return ""


@register.simple_tag
def thai_month_range(start: Any, end: Any, digits: Any = "thai") -> str:
    """``{% thai_month_range start end %}`` gives "ต.ค. ๒๕๖๕ – ก.ย. ๒๕๖๖"."""
    return thai.format_month_range(_as_date(start), _as_date(end), thai_digits=_use_thai(digits))


@register.filter
def has_thai(value: Any) -> bool:
    """Whether a text has Thai letters: a message meant for the user (others are for developers)."""
    return any("\u0e01" <= ch <= "\u0e5b" for ch in str(value or ""))


# --- A measure's texts, worded once in measures.texts ------------------------------------


@register.filter
def measure_units(measure) -> str:
    """``{{ measure|measure_units }}`` gives "ทุกกอง/สำนัก, กองคลัง"."""
    return texts.units_text(measure)


@register.filter
def measure_period(measure) -> str:
    """``{{ measure|measure_period }}``: its period as its staff page shows it (a start alone gives its month)."""
    return texts.period_text(measure, from_start=True)


@register.filter
def step_lines(steps) -> list:
    """A measure's steps as documents print them (``numbering.step_lines``): the officer's own
    markers kept, the portal's numbers only where she typed none. Takes step rows or texts."""
    return numbering.step_lines(getattr(s, "text", s) for s in (steps.all() if hasattr(steps, "all") else steps))
