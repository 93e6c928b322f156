"""What a change of a measure's history says, in Thai (the measure's history page).

simple-history compares records field by field: its ModelChange rows name the field as the code
does ("title", "units") and hold raw values (ids, lists of link rows, Christian-era dates). Here
each change is worded as the officer knows it: the field's Thai name, the unit, theme, indicator
or item by name, dates in Buddhist Era, yes/no, the choice's label. Three queries at most, for all
the changes of a page.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from . import thai
from .models import Indicator, Item, Measure, Theme, Unit

HIDDEN = {
    "revision",
    "updated_at",
    "created_at",
    "document",
    "source_key",
}  # moved by every save, or never by hand (source_key: the portal's own id of a copied suggestion)
LINKED = {"units": (Unit, "unit"), "indicators": (Indicator, "indicator"), "items": (Item, "item")}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def _field(name: str):
    try:
        return Measure._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed from the model
        return None


def _label(name: str) -> str:
    field = _field(name)
    return str(field.verbose_name) if field is not None else name  # else its code name is all there is


def _names(changes) -> dict[str, dict[int, str]]:
    """Every unit, indicator, item and theme the changes mention, by id (one query each kind)."""
    wanted: dict[str, set[int]] = {"theme": set(), **{name: set() for name in LINKED}}
    for change in changes:
        if change.field == "theme":
            wanted["theme"] |= {v for v in (change.old, change.new) if v}
        elif change.field in LINKED:
            key = LINKED[change.field][1]
            wanted[change.field] |= {row[key] for row in [*(change.old or []), *(change.new or [])] if row.get(key)}
    found: dict[str, dict[int, str]] = {}
    if wanted["theme"]:
        found["theme"] = {t.pk: f"{t.number}. {t.title}" for t in Theme.objects.filter(pk__in=wanted["theme"])}
    if wanted["units"]:
        found["units"] = dict(Unit.objects.filter(pk__in=wanted["units"]).values_list("pk", "name"))
    if wanted["indicators"]:
        found["indicators"] = {
            i.pk: f"{i.number}. {i.name}" for i in Indicator.objects.filter(pk__in=wanted["indicators"])
        }
    if wanted["items"]:
        found["items"] = dict(Item.objects.filter(pk__in=wanted["items"]).values_list("pk", "code"))
    return found


def _value(name: str, value, names: dict[str, dict[int, str]]) -> str:
    if value in (None, "", []):
        return ""
    if name in LINKED:
        key = LINKED[name][1]
        return ", ".join(names.get(name, {}).get(row[key], _("(ถูกลบ)")) for row in value)
    if name == "theme":
        return names.get("theme", {}).get(value, _("ด้านที่ถูกลบแล้ว"))
    if isinstance(value, bool):
        return _("ใช่") if value else _("ไม่ใช่")
    if isinstance(value, date):
        return thai.format_date_short(value, thai_digits=False)
    if isinstance(value, Decimal):
        return thai.format_number(value, thai_digits=False)
    field = _field(name)
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def worded(changes_by_record: list[list]) -> list[list[Change]]:
    """Each record's ModelChange rows as Thai Change rows, hidden fields left out."""
    every = [change for changes in changes_by_record for change in changes if change.field not in HIDDEN]
    names = _names(every)
    return [
        [
            Change(_label(c.field), _value(c.field, c.old, names), _value(c.field, c.new, names))
            for c in changes
            if c.field not in HIDDEN
        ]
        for changes in changes_by_record
    ]
