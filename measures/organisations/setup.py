"""The writes of an organisation's own details: its creation, its settings, its address.

Each service runs in one transaction, records who acted (django-simple-history, through
services.stamp) and refuses bad input with `ServiceError` in Thai, changing nothing. Who may
call them is checked before (measures.access for an organisation's administrator, the
`measures.add_organisation` permission for the platform's).
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import people
from ..models import FormerSlug, Membership, Organisation
from ..services import ConcurrentEditError, ServiceError, stamp
from . import logos
from .rules import (
    ALL_UNITS_TEXT_MAX,
    WEBSITE_MAX,
    Details,
    Taken,
    area_name,
    clean_code,
    clean_slug,
    detail_problems,
    taken_problems,
    too_long,
)


class DetailsRefused(ServiceError):
    """Some details were refused; ``problems`` maps each field to its Thai message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()))


def details(*, name: str, kind: str, province: str, district: str = "", code: str = "", slug: str = "") -> Details:
    """The details as they are stored: blanks trimmed, "จังหวัด"/"อำเภอ" left off, Arabic digits."""
    return Details(
        name=" ".join((name or "").split()),
        kind=kind or "",
        province=area_name(province),
        district=area_name(district),
        code=clean_code(code),
        slug=clean_slug(slug),
    )


def check_details(values: Details, *, organisation_id: int | None = None, slug_required: bool = True) -> None:
    """Refuse (DetailsRefused) details of a wrong form, or taken by another organisation."""
    problems = detail_problems(values, slug_required=slug_required)
    if not problems:
        problems = taken_problems(values, Taken.of(values), organisation_id=organisation_id)
    if problems:
        raise DetailsRefused(problems)


# --- Creation (the platform) --------------------------------------------------------------


@dataclass(frozen=True)
class FirstAdministrator:
    email: str
    first_name: str = ""
    last_name: str = ""


def new_organisation(values: Details, *, by) -> Organisation:
    """Write one organisation whose details were checked, with the layout of its kind."""
    organisation = Organisation(
        name=values.name,
        kind=values.kind,
        province=values.province,
        district=values.district,
        code=values.code,
        slug=values.slug,
        report_layout=Organisation.default_layout(values.kind),
    )
    stamp(organisation, by)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as error:  # the same slug or code taken by a request at the same moment
        raise ServiceError(_("มีหน่วยงานที่ใช้ชื่อย่อหรือรหัสนี้แล้ว กรุณาตรวจสอบอีกครั้ง")) from error
    return organisation


@transaction.atomic
def create_organisation(*, values: Details, by, administrator: FirstAdministrator | None) -> Organisation:
    """Create an organisation (layout by its kind) and invite its first administrator by e-mail.

    The invitation (measures.people.invite) is sent once the transaction has committed; a
    refused e-mail address refuses the whole creation.
    """
    check_details(values)
    organisation = new_organisation(values, by=by)
    if administrator is not None:
        people.invite(
            organisation=organisation,
            email=administrator.email,
            role=Membership.Role.ORG_ADMIN,
            by=by,
            first_name=administrator.first_name,
            last_name=administrator.last_name,
        )
    return organisation


# --- Settings (the organisation's administrator) ------------------------------------------


@dataclass
class Settings:
    """What the organisation's administrator sets, apart from the address (change_slug)."""

    name: str
    kind: str
    province: str
    district: str = ""
    code: str = ""
    website: str = ""
    thai_digits: bool = True
    report_layout: str = Organisation.Layout.THEMES_12M
    all_units_text: str = ""


SETTINGS_FIELDS = (
    "name",
    "kind",
    "province",
    "district",
    "code",
    "website",
    "thai_digits",
    "report_layout",
    "all_units_text",
)


def revision_of(organisation: Organisation) -> str:
    """The version of the details a form was opened on (its last change)."""
    return organisation.updated_at.isoformat() if organisation.updated_at else ""


def _settings_problems(organisation: Organisation, values: Settings) -> dict[str, str]:
    problems = detail_problems(
        Details(values.name, values.kind, values.province, values.district, values.code), slug_required=False
    )
    if values.report_layout not in Organisation.Layout.values:
        problems["report_layout"] = _("กรุณาเลือกรูปแบบตาราง")
    if len(values.website) > WEBSITE_MAX:
        problems["website"] = too_long(WEBSITE_MAX, values.website)
    if not values.all_units_text:
        problems["all_units_text"] = _("กรุณากรอกคำที่ใช้เรียกทุกส่วนราชการ เช่น ทุกกอง/สำนัก")
    elif len(values.all_units_text) > ALL_UNITS_TEXT_MAX:
        problems["all_units_text"] = too_long(ALL_UNITS_TEXT_MAX, values.all_units_text)
    if not problems:
        details = Details(values.name, values.kind, values.province, values.district, values.code)
        problems = taken_problems(details, Taken.of(details), organisation_id=organisation.pk)
    return problems


@transaction.atomic
def update_settings(
    *,
    organisation: Organisation,
    by,
    values: Settings,
    revision: str | None = None,
    logo=None,
    remove_logo: bool = False,
) -> list[str]:
    """Save the organisation's details; returns the names of the fields that changed.

    ``revision`` (revision_of when the form was opened) refuses to overwrite a change made since.
    ``logo``: an uploaded emblem, checked and stored as a new file (logos.normalised_logo); the
    previous file stays, since frozen editions may print it. Changing the kind never changes the
    layout: the administrator chose it, or it was the default of the former kind.
    """
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if revision and revision_of(current) != revision:
        raise ConcurrentEditError()
    values.name = " ".join(values.name.split())
    values.province, values.district = area_name(values.province), area_name(values.district)
    values.code, values.website = clean_code(values.code), values.website.strip()
    values.all_units_text = " ".join(values.all_units_text.split())
    problems = _settings_problems(current, values)
    if problems:
        raise DetailsRefused(problems)
    changed = [name for name in SETTINGS_FIELDS if getattr(current, name) != getattr(values, name)]
    for name in changed:
        setattr(current, name, getattr(values, name))
    if logo is not None:
        stored = logos.normalised_logo(logo, slug=current.slug)
        current.logo.save(stored.name, stored, save=False)
        changed.append("logo")
    elif remove_logo and current.logo:
        current.logo = ""
        changed.append("logo")
    if changed:
        stamp(current, by)
        current.save(update_fields=[*changed, "updated_at"])
    organisation.refresh_from_db()
    return changed


# --- Address (slug) -------------------------------------------------------------------------


@transaction.atomic
def change_slug(*, organisation: Organisation, by, slug: str) -> Organisation:
    """Give the organisation a new address; the old one is kept as a FormerSlug, whose URLs, public
    and staff, answer with a permanent redirect to the new one (reports.public.redirects).

    Taking back one of its own former addresses is allowed: that FormerSlug row goes (its URLs are
    the organisation's own again). Another organisation's address, present or former, never is.
    """
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    slug = clean_slug(slug)
    if slug == current.slug:
        raise ServiceError(_("ชื่อย่อใหม่เหมือนกับชื่อย่อปัจจุบัน"))
    values = Details(current.name, current.kind, current.province, current.district, slug=slug)
    problems = detail_problems(values)
    problems = {"slug": problems["slug"]} if "slug" in problems else {}
    if not problems:
        taken = taken_problems(values, Taken.read(slugs=[slug], codes=[], places=[]), organisation_id=current.pk)
        problems = {"slug": taken["slug"]} if "slug" in taken else {}
    if problems:
        raise DetailsRefused(problems)
    old = current.slug
    FormerSlug.objects.filter(organisation=current, slug=slug).delete()
    FormerSlug.objects.create(organisation=current, slug=old)
    current.slug = slug
    stamp(current, by)
    current.save(update_fields=["slug", "updated_at"])
    organisation.refresh_from_db()
    return organisation
