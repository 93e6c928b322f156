"""What an organisation's details must be: one set of checks for the staff forms, the services and
the CSV import, each refusal a Thai sentence naming the field it is about.

The pure checks (`detail_problems`) need no database; the checks against the other
organisations (`taken_problems`) read what is taken once (`Taken`), so that an import of
thousands of rows asks the database three questions, not three per row.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import thai
from ..models import FormerSlug, Organisation
from ..models.organisations import AREA_PREFIXES, validate_slug_not_reserved

Kind = Organisation.Kind

NAME_MAX = Organisation._meta.get_field("name").max_length
CODE_MAX = Organisation._meta.get_field("code").max_length
AREA_MAX = Organisation._meta.get_field("province").max_length
SLUG_MAX = Organisation._meta.get_field("slug").max_length
WEBSITE_MAX = Organisation._meta.get_field("website").max_length
ALL_UNITS_TEXT_MAX = Organisation._meta.get_field("all_units_text").max_length

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*\Z")
CODE_PATTERN = re.compile(r"^[0-9A-Za-z-]+\Z")

# The words an organisation's kind is written with in a file: the labels, the common
# abbreviations (with or without their dots) and the values themselves.
KIND_WORDS: dict[str, str] = {
    "อบจ": Kind.PROVINCIAL,
    "ทน": Kind.MUNICIPALITY_CITY,
    "ทม": Kind.MUNICIPALITY_TOWN,
    "ทต": Kind.MUNICIPALITY_SUBDISTRICT,
    "อบต": Kind.SUBDISTRICT,
    "เทศบาลนคร": Kind.MUNICIPALITY_CITY,
    "เทศบาลเมือง": Kind.MUNICIPALITY_TOWN,
    "เทศบาลตำบล": Kind.MUNICIPALITY_SUBDISTRICT,
    "กรุงเทพมหานคร": Kind.SPECIAL,
    "เมืองพัทยา": Kind.SPECIAL,
    "รูปแบบพิเศษ": Kind.SPECIAL,
}


def _kind_key(text: str) -> str:
    return re.sub(r"[\s.]+", "", text).casefold()


_KIND_KEYS = {_kind_key(word): kind for word, kind in KIND_WORDS.items()}
_KIND_KEYS |= {_kind_key(str(label)): value for value, label in Kind.choices}
_KIND_KEYS |= {_kind_key(value): value for value in Kind.values}


def parse_kind(text: str) -> str | None:
    """The kind written as "อบต.", "ทต", "เทศบาลตำบล" or "subdistrict"; None when not recognised."""
    return _KIND_KEYS.get(_kind_key(text or ""))


def kind_words_text() -> str:
    """The abbreviations a file may use, for the help texts: "อบจ., ทน., ทม., ทต., อบต."."""
    return ", ".join(f"{word}." for word in ("อบจ", "ทน", "ทม", "ทต", "อบต"))


def area_name(value: str) -> str:
    """ "จังหวัดพัทลุง" → "พัทลุง", "อ.เมือง" → "เมือง": the bare name (Organisation.place adds the word)."""
    value = " ".join((value or "").split())
    for prefix in AREA_PREFIXES:
        if value.startswith(prefix) and len(value) > len(prefix):
            return value[len(prefix) :].strip()
    return value


def clean_code(value: str) -> str:
    """The code as stored: no blanks, Arabic digits (๖๙๓๐๒๐๑ → 6930201)."""
    return thai.to_arabic_digits("".join((value or "").split()))


def clean_slug(value: str) -> str:
    return (value or "").strip().lower()


@dataclass
class Details:
    """An organisation's details as typed (blanks trimmed by the caller)."""

    name: str
    kind: str
    province: str
    district: str = ""
    code: str = ""
    slug: str = ""


def too_long(limit: int, value: str) -> str:
    return _("ยาวเกิน %(limit)s ตัวอักษร (มี %(n)s ตัวอักษร) กรุณาตัดให้สั้นลง") % {"limit": limit, "n": len(value)}


def slug_problem(slug: str) -> str | None:
    """What is wrong with the form of a slug (not whether it is taken), or None."""
    if not slug:
        return _("กรุณากรอกชื่อย่อในที่อยู่เว็บ")
    if len(slug) > SLUG_MAX:
        return too_long(SLUG_MAX, slug)
    if not SLUG_PATTERN.match(slug):
        return _(
            "ชื่อย่อในที่อยู่เว็บใช้ได้เฉพาะตัวอักษรภาษาอังกฤษตัวเล็ก ตัวเลข และขีด (-) คั่นระหว่างคำ "
            "ไม่ขึ้นต้นหรือลงท้ายด้วยขีด เช่น khao-hua-chang"
        )
    try:
        validate_slug_not_reserved(slug)
    except ValidationError as error:
        return error.messages[0]
    return None


def detail_problems(details: Details, *, slug_required: bool = True) -> dict[str, str]:
    """field → Thai message, for every detail whose form is wrong (nothing read from the database)."""
    problems: dict[str, str] = {}
    if not details.name:
        problems["name"] = _("กรุณากรอกชื่อหน่วยงาน")
    elif len(details.name) > NAME_MAX:
        problems["name"] = too_long(NAME_MAX, details.name)
    if details.kind not in Kind.values:
        problems["kind"] = _("กรุณาเลือกประเภทหน่วยงาน")
    if not details.province:
        problems["province"] = _("กรุณากรอกจังหวัด")
    elif len(details.province) > AREA_MAX:
        problems["province"] = too_long(AREA_MAX, details.province)
    if len(details.district) > AREA_MAX:
        problems["district"] = too_long(AREA_MAX, details.district)
    if len(details.code) > CODE_MAX:
        problems["code"] = too_long(CODE_MAX, details.code)
    elif details.code and not CODE_PATTERN.match(details.code):
        problems["code"] = _("รหัสหน่วยงานใช้ได้เฉพาะตัวเลขและตัวอักษรภาษาอังกฤษ เช่น 6930201")
    if (details.slug or slug_required) and (problem := slug_problem(details.slug)) is not None:
        problems["slug"] = problem
    return problems


@dataclass
class Taken:
    """What other organisations hold: slugs (now or before), codes, and names in their place."""

    slugs: dict[str, int] = field(default_factory=dict)  # slug → organisation id, current or former
    codes: dict[str, int] = field(default_factory=dict)
    places: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (name, district, province) → id

    @classmethod
    def read(cls, *, slugs=None, codes=None, places=None) -> "Taken":
        """What is taken among the given values (all of it when a filter is None)."""
        taken = cls()
        organisations = Organisation.objects.order_by()
        former = FormerSlug.objects.order_by()
        if slugs is not None:
            organisations, former = organisations.filter(slug__in=slugs), former.filter(slug__in=slugs)
        taken.slugs = dict(former.values_list("slug", "organisation_id"))
        taken.slugs |= dict(organisations.values_list("slug", "pk"))
        coded = Organisation.objects.exclude(code="").order_by()
        if codes is not None:
            coded = coded.filter(code__in=codes)
        taken.codes = dict(coded.values_list("code", "pk"))
        named = Organisation.objects.order_by()
        if places is not None:
            named = named.filter(name__in={name for name, _d, _p in places})
        taken.places = {(n, d, p): pk for n, d, p, pk in named.values_list("name", "district", "province", "pk")}
        return taken

    @classmethod
    def of(cls, details: Details) -> "Taken":
        return cls.read(
            slugs=[details.slug], codes=[details.code], places=[(details.name, details.district, details.province)]
        )


def taken_problems(details: Details, taken: Taken, *, organisation_id: int | None = None) -> dict[str, str]:
    """field → Thai message, for a slug, a code or a name already held by another organisation.

    A former slug of the organisation itself is free for it (it may take its old address back);
    another organisation's former slug never is: its old URLs redirect there for ever.
    """
    problems: dict[str, str] = {}
    holder = taken.slugs.get(details.slug)
    if details.slug and holder is not None and holder != organisation_id:
        problems["slug"] = _(
            "ชื่อย่อ “%(slug)s” มีหน่วยงานอื่นใช้อยู่หรือเคยใช้แล้ว (ที่อยู่เว็บเดิมของหน่วยงานยังคงพาไปยังหน่วยงานนั้น) กรุณาเลือกชื่อย่ออื่น"
        ) % {"slug": details.slug}
    holder = taken.codes.get(details.code)
    if details.code and holder is not None and holder != organisation_id:
        problems["code"] = _("มีหน่วยงานที่ใช้รหัส %(code)s แล้ว") % {"code": details.code}
    holder = taken.places.get((details.name, details.district, details.province))
    if holder is not None and holder != organisation_id:
        problems["name"] = _("มีหน่วยงานชื่อ “%(name)s” ใน%(place)sแล้ว") % {
            "name": details.name,
            "place": Organisation(district=details.district, province=details.province).place,
        }
    return problems
