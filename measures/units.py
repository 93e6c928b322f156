"""The units of an organisation (สำนัก, กอง, ฝ่าย, งาน): add, rename, nest, reorder, deactivate.

A unit is never deleted here: measures, progress entries and memberships name it. A deactivated
unit is offered for no new measure and no new contributor; what already names it keeps it.
Editions frozen at submission (Submission.snapshot) print the names they were approved with, so
renaming a unit changes drafts only.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from .models import Membership, Organisation, Unit
from .services import ServiceError, stamp

NAME_MAX_LENGTH = 200


def units_tree(organisation: Organisation) -> list[tuple[Unit, int]]:
    """Every unit of the organisation with its depth, parents before their children, in their order,
    each with how many measures name it and how many people report for it. One query."""
    contributors = Q(memberships__is_active=True, memberships__role=Membership.Role.CONTRIBUTOR)
    units = list(
        Unit.objects.filter(organisation=organisation)
        .select_related("parent")
        .annotate(
            measure_count=Count("measures", distinct=True),
            contributor_count=Count("memberships", filter=contributors, distinct=True),
        )
        .order_by("order", "name")
    )
    ids = {u.pk for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    rows: list[tuple[Unit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            rows.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return rows


def _clean_name(organisation: Organisation, name: str, exclude_pk: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError(_("กรุณากรอกชื่อส่วนราชการ"))
    if len(name) > NAME_MAX_LENGTH:
        raise ServiceError(_("ชื่อส่วนราชการยาวเกิน %(n)s ตัวอักษร") % {"n": NAME_MAX_LENGTH})
    if Unit.objects.filter(organisation=organisation, name=name).exclude(pk=exclude_pk).exists():
        raise ServiceError(_("มีส่วนราชการชื่อ “%(name)s” ในหน่วยงานแล้ว") % {"name": name})
    return name


def _check_kind(kind: str) -> None:
    if kind not in Unit.Kind.values:
        raise ServiceError(_("ไม่พบประเภทที่เลือก กรุณาเลือกใหม่"))


def _check_parent(organisation: Organisation, unit: Unit | None, parent: Unit | None) -> None:
    """The parent is a unit of the same organisation, active (unless it already was the parent), and
    neither the unit itself nor one of its descendants (no cycles)."""
    if parent is None:
        return
    if parent.organisation_id != organisation.pk:
        raise ServiceError(_("สังกัดต้องเป็นส่วนราชการของหน่วยงานนี้"))
    if unit is None:
        if not parent.is_active:
            raise ServiceError(_("“%(name)s” ปิดการใช้งานแล้ว จึงเป็นสังกัดไม่ได้") % {"name": parent.name})
        return
    if parent.pk == unit.pk:
        raise ServiceError(_("ส่วนราชการสังกัดตัวเองไม่ได้"))
    if not parent.is_active and parent.pk != unit.parent_id:
        raise ServiceError(_("“%(name)s” ปิดการใช้งานแล้ว จึงเป็นสังกัดไม่ได้") % {"name": parent.name})
    parents = dict(Unit.objects.filter(organisation=organisation).values_list("pk", "parent_id"))
    seen = set()
    current: int | None = parent.pk
    while current is not None and current not in seen:
        if current == unit.pk:
            raise ServiceError(
                _("“%(parent)s” สังกัด “%(unit)s” อยู่แล้ว จึงเป็นสังกัดของ “%(unit)s” ไม่ได้")
                % {"parent": parent.name, "unit": unit.name}
            )
        seen.add(current)
        current = parents.get(current)


def _next_order(organisation: Organisation) -> int:
    return (Unit.objects.filter(organisation=organisation).aggregate(top=Max("order"))["top"] or 0) + 1


def _lock_units(organisation: Organisation) -> None:
    """Hold the organisation's units while one is written: names and the tree are checked as they are now."""
    list(Unit.objects.select_for_update().filter(organisation=organisation).values_list("pk", flat=True))


def _save(unit: Unit, by) -> Unit:
    stamp(unit, by)
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as error:  # the same name written by someone else a moment earlier
        raise ServiceError(_("มีส่วนราชการชื่อนี้ในหน่วยงานแล้ว")) from error
    return unit


@transaction.atomic
def unit_create(
    *,
    organisation: Organisation,
    by,
    name: str,
    kind: str = Unit.Kind.DIVISION,
    parent: Unit | None = None,
    order: int | None = None,
) -> Unit:
    _lock_units(organisation)
    name = _clean_name(organisation, name)
    _check_kind(kind)
    _check_parent(organisation, None, parent)
    unit = Unit(
        organisation=organisation,
        name=name,
        kind=kind,
        parent=parent,
        order=order if order is not None else _next_order(organisation),
    )
    return _save(unit, by)


@transaction.atomic
def unit_update(*, unit: Unit, by, name: str, kind: str, parent: Unit | None, order: int | None = None) -> Unit:
    """Rename, re-kind, move under another parent or to another place. Drafts print the new name;
    submitted and approved editions keep the name they were frozen with."""
    organisation = unit.organisation
    _lock_units(organisation)
    unit = Unit.objects.get(pk=unit.pk)
    _check_parent(organisation, unit, parent)  # its messages name the unit as it is now
    unit.name = _clean_name(organisation, name, exclude_pk=unit.pk)
    _check_kind(kind)
    unit.kind, unit.parent = kind, parent
    if order is not None:
        unit.order = order
    return _save(unit, by)


@transaction.atomic
def unit_move(*, unit: Unit, by, up: bool) -> Unit:
    """One place up or down among the units of the same parent (their order numbers are made 1, 2, 3 …)."""
    _lock_units(unit.organisation)
    siblings = list(
        Unit.objects.filter(organisation=unit.organisation_id, parent=unit.parent_id).order_by("order", "name")
    )
    index = next(i for i, u in enumerate(siblings) if u.pk == unit.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        message = _("“%(name)s” อยู่ลำดับแรกแล้ว") if up else _("“%(name)s” อยู่ลำดับสุดท้ายแล้ว")
        raise ServiceError(message % {"name": unit.name})
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for number, sibling in enumerate(siblings, start=1):
        if sibling.order != number:
            sibling.order = number
            stamp(sibling, by)
            sibling.save(update_fields=["order"])
    return next(u for u in siblings if u.pk == unit.pk)


@transaction.atomic
def unit_deactivate(*, unit: Unit, by) -> Unit:
    """Stop offering the unit; measures and people that name it keep it."""
    _lock_units(unit.organisation)
    unit = Unit.objects.get(pk=unit.pk)
    if not unit.is_active:
        raise ServiceError(_("“%(name)s” ปิดการใช้งานอยู่แล้ว") % {"name": unit.name})
    active_children = [u.name for u in unit.children.filter(is_active=True).order_by("order", "name")]
    if active_children:
        raise ServiceError(
            _("“%(name)s” ยังมีส่วนราชการในสังกัดที่ใช้งานอยู่ (%(children)s) กรุณาปิดหรือย้ายสังกัดก่อน")
            % {"name": unit.name, "children": ", ".join(active_children)}
        )
    unit.is_active = False
    stamp(unit, by)
    unit.save(update_fields=["is_active"])
    return unit


@transaction.atomic
def unit_reactivate(*, unit: Unit, by) -> Unit:
    _lock_units(unit.organisation)
    unit = Unit.objects.select_related("parent").get(pk=unit.pk)
    if unit.is_active:
        raise ServiceError(_("“%(name)s” ใช้งานอยู่แล้ว") % {"name": unit.name})
    if unit.parent is not None and not unit.parent.is_active:
        raise ServiceError(
            _("สังกัด “%(parent)s” ปิดการใช้งานอยู่ กรุณาเปิดใช้งานสังกัดก่อน หรือย้ายสังกัด") % {"parent": unit.parent.name}
        )
    unit.is_active = True
    stamp(unit, by)
    unit.save(update_fields=["is_active"])
    return unit


def active_contributors(unit: Unit) -> int:
    """How many people report for the unit now (said on the page that deactivates it)."""
    return Membership.objects.active().filter(unit=unit, role=Membership.Role.CONTRIBUTOR).count()
