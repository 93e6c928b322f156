"""The trash of a measures document (issue 18): what was deleted from it and is not back, and the
restore of one deleted thing with what went with it.

Nothing is kept apart for this: django-simple-history writes a record ("-") of every row a
delete removes, with the user the service stamped. The trash lists the latest record of each
object of the document (a measure, a finding, a theme, the limitations of a tool, an evidence)
when that record is its deletion and the object is not back. A restore recreates the object
with its original key from the record, so its earlier history stays attached; the record of
the restore names the restoring user and says why (`RESTORED`).

A measure's steps, progress entries and their evidence go with it in the same delete (the
database cascade), each with its own "-" record a few milliseconds before the measure's: they
are found by their key to the measure and the moment of the deletion, restored with it and not
listed apart. The many-to-many links (units, indicators, items) are read from the last record
before the deletion, the one that still had them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import (
    DateTimeField,
    Exists,
    ExpressionWrapper,
    Max,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.utils.translation import gettext as _

from .models import (
    Evidence,
    Finding,
    Indicator,
    Item,
    Measure,
    MeasuresDocument,
    MeasureStep,
    ProgressEntry,
    ProgressReport,
    Theme,
    ToolLimitation,
    Unit,
)
from .services import ServiceError, next_measure_number, require_draft, stamp

__all__ = [
    "CASCADE_WINDOW",
    "KINDS",
    "RESTORED",
    "TRASH_LIMIT",
    "Restored",
    "Trash",
    "TrashItem",
    "deleted_record",
    "restore",
    "trash_of",
]

RESTORED = "กู้คืนจากถังขยะ"  # the history's change reason of a restored row
TRASH_LIMIT = 100  # the newest deletions a trash page lists
# How long before a measure's deletion record the records of what its delete cascaded to may be:
# one transaction's work, milliseconds in practice; an evidence deleted by hand before its measure
# took a request of its own and a confirmation page, seconds earlier.
CASCADE_WINDOW = timedelta(seconds=2)

KINDS: dict[str, tuple[type[Model], str]] = {
    "measure": (Measure, "มาตรการ"),
    "finding": (Finding, "ประเด็นผลการวิเคราะห์"),
    "theme": (Theme, "ด้าน"),
    "limitation": (ToolLimitation, "ข้อจำกัด"),
    "evidence": (Evidence, "หลักฐาน"),
}


@dataclass
class TrashItem:
    """One deleted thing of the document, as its deletion record tells it."""

    kind: str
    label: str  # the kind in Thai
    record: Model  # the historical record of the deletion
    title: str  # what it was: number and title, the text, the file name
    detail: str = ""  # more of what it was (a link, the measure an evidence belonged to)
    note: str = ""  # what to restore first, if anything

    @property
    def history_id(self) -> int:
        return self.record.history_id

    @property
    def deleted_at(self) -> datetime:
        return self.record.history_date

    @property
    def deleted_by(self):
        return self.record.history_user


@dataclass
class Trash:
    items: list[TrashItem]
    total: int  # every deletion in the trash; `items` holds the newest TRASH_LIMIT of them

    @property
    def capped(self) -> bool:
        return self.total > len(self.items)


@dataclass
class Restored:
    kind: str
    obj: Model
    message: str  # "กู้คืน … แล้ว", with any adjustment said
    notes: list[str] = field(default_factory=list)


# --- Reads ---------------------------------------------------------------------------------


def _history(kind: str):
    return KINDS[kind][0].history.model


def _scope(document: MeasuresDocument, kind: str) -> QuerySet:
    """Every history record of the document's objects of this kind."""
    history = _history(kind)
    if kind == "evidence":
        entries = ProgressEntry.history.model.objects.filter(report__document_id=document.pk).values("id")
        return history.objects.filter(entry_id__in=Subquery(entries))
    return history.objects.filter(document_id=document.pk)


def _in_trash(document: MeasuresDocument, kind: str) -> QuerySet:
    """The deletion records that are the latest record of an object that does not exist now."""
    model, history = KINDS[kind][0], _history(kind)
    latest = history.objects.filter(id=OuterRef("id")).order_by("-history_date", "-history_id").values("history_id")
    records = (
        _scope(document, kind)
        .filter(history_type="-", history_id=Subquery(latest[:1]))
        .exclude(Exists(model.objects.filter(pk=OuterRef("id"))))
    )
    if kind == "evidence":
        # An evidence deleted along with its entry (its measure's delete) comes back with the measure.
        with_entry = ProgressEntry.history.model.objects.filter(
            id=OuterRef("entry_id"),
            history_type="-",
            history_date__gte=OuterRef("history_date"),
            history_date__lte=ExpressionWrapper(
                OuterRef("history_date") + Value(CASCADE_WINDOW), output_field=DateTimeField()
            ),
        )
        records = records.exclude(Exists(with_entry))
    return records


def deleted_record(document: MeasuresDocument, kind: str, history_id: int):
    """The deletion record of one of the document's objects, or None (another document's, unknown)."""
    if kind not in KINDS:
        return None
    return _scope(document, kind).filter(history_type="-", history_id=history_id).first()


def trash_of(document: MeasuresDocument, *, limit: int | None = None) -> Trash:
    """What was deleted from the document and is not back, newest first, at most `limit` of it.

    A fixed number of queries: one per kind (a count more for a kind with over `limit`), then one
    each for the themes of the measures and the entries of the evidence.
    """
    limit = limit or TRASH_LIMIT
    items: list[TrashItem] = []
    total = 0
    for kind in KINDS:
        records = _in_trash(document, kind).select_related("history_user")
        if kind == "limitation":
            records = records.select_related("tool")
        found = list(records.order_by("-history_date", "-history_id")[: limit + 1])
        total += len(found) if len(found) <= limit else records.count()
        items.extend(_describe(kind, record) for record in found[:limit])
    items.sort(key=lambda item: (item.deleted_at, item.history_id), reverse=True)
    items = items[:limit]
    _describe_measures([i for i in items if i.kind == "measure"])
    _describe_evidence([i for i in items if i.kind == "evidence"])
    return Trash(items=items, total=total)


def _describe(kind: str, record) -> TrashItem:
    label = KINDS[kind][1]
    if kind == "measure":
        return TrashItem(kind, label, record, title=record.title)  # its number once the themes are read
    if kind == "finding":
        return TrashItem(
            kind,
            label,
            record,
            title=record.issue_area or Finding.Kind(record.kind).label,
            detail=record.text,
        )
    if kind == "theme":
        return TrashItem(
            kind, label, record, title=_("ด้านที่ %(n)s %(title)s") % {"n": record.number, "title": record.title}
        )
    if kind == "limitation":
        return TrashItem(
            kind, label, record, title=_("ข้อจำกัดของเครื่องมือ %(tool)s") % {"tool": record.tool.code}, detail=record.text
        )
    name = record.file.rsplit("/", 1)[-1] if record.file else ""  # the history keeps the file's name
    return TrashItem(kind, label, record, title=record.title, detail=name or record.url)


def _theme_numbers(theme_ids: set[int]) -> tuple[dict[int, int], dict[int, int]]:
    """The number of each theme: those that exist, and those deleted (from their last record)."""
    current = dict(Theme.objects.filter(pk__in=theme_ids).values_list("pk", "number"))
    gone: dict[int, int] = {}
    missing = theme_ids - set(current)
    if missing:
        for theme_id, number in (
            Theme.history.filter(id__in=missing)
            .order_by("id", "-history_date", "-history_id")
            .values_list("id", "number")
        ):
            gone.setdefault(theme_id, number)
    return current, gone


def _describe_measures(items: list[TrashItem]) -> None:
    current, gone = _theme_numbers({i.record.theme_id for i in items if i.record.theme_id})
    for item in items:
        record = item.record
        theme_number = current.get(record.theme_id) or gone.get(record.theme_id)
        number = record.number_text or (f"{theme_number}.{record.number}" if record.theme_id else str(record.number))
        item.title = f"{number} {record.title}"
        if record.theme_id and record.theme_id not in current:
            item.note = _("ด้านที่ %(n)s ของมาตรการนี้ถูกลบไปแล้ว กรุณากู้คืนด้านก่อน") % {"n": theme_number}


def _describe_evidence(items: list[TrashItem]) -> None:
    entries = ProgressEntry.objects.select_related("measure__theme", "report").in_bulk(
        {item.record.entry_id for item in items}
    )
    for item in items:
        entry = entries.get(item.record.entry_id)
        if entry is None:
            item.note = _("มาตรการของหลักฐานนี้ถูกลบไปแล้ว กรุณากู้คืนมาตรการก่อน")
        else:
            item.detail = _("%(what)s · มาตรการ %(n)s %(round)s") % {
                "what": item.detail,
                "n": entry.measure.display_number,
                "round": entry.report.get_round_display(),
            }


# --- The restore ---------------------------------------------------------------------------


@transaction.atomic
def restore(*, document: MeasuresDocument, kind: str, record, by) -> Restored:
    """Recreate the deleted object of `record` (from `deleted_record`) under the document's row lock.

    Refused in Thai, with nothing restored, when the document is not a draft, when it was already
    restored, or when what it belongs to is gone; a number taken meanwhile becomes the next free
    one, and the message says so.
    """
    require_draft(document)  # locks the document's row: one restore or delete at a time
    model, history = KINDS[kind][0], _history(kind)
    latest = history.objects.filter(id=record.id).order_by("-history_date", "-history_id").first()
    if model.objects.filter(pk=record.id).exists():
        raise ServiceError(_("รายการนี้กู้คืนไปแล้ว"))
    if latest.history_id != record.history_id:
        raise ServiceError(_("รายการนี้กู้คืนไปแล้วและถูกลบอีกครั้งภายหลัง กรุณากู้คืนจากรายการล่าสุดในถังขยะ"))
    return RESTORERS[kind](document, record, by)


def _recreate(obj: Model, by, m2m: dict[str, list[int]] | None = None) -> None:
    """Insert the row again with its original key; one history record, with its links if any."""
    stamp(obj, by)
    obj._change_reason = RESTORED
    if not m2m:
        obj.save(force_insert=True)
        return
    # The links are set before the record is written, so the record holds them (as every
    # record after an edit does): no history while inserting and linking, then one save.
    obj.skip_history_when_saving = True
    try:
        obj.save(force_insert=True)
        for name, ids in m2m.items():
            getattr(obj, name).set(ids)
    finally:
        del obj.skip_history_when_saving
    obj.save()


def _links_before(record, targets: dict[str, type[Model]]) -> dict[str, list[int]]:
    """The many-to-many links of the object just before its deletion, to objects that still exist.

    The deletion record has none (the links go first); the record before it holds them all.
    """
    before = (
        type(record)
        .objects.filter(id=record.id, history_date__lte=record.history_date)
        .exclude(history_id=record.history_id)
        .order_by("-history_date", "-history_id")
        .first()
    )
    links: dict[str, list[int]] = {}
    for name, target in targets.items():
        if before is None:
            links[name] = []
            continue
        rows = getattr(before, name)
        column = next(f.attname for f in rows.model._meta.fields if f.related_model is target)
        ids = list(rows.values_list(column, flat=True))
        links[name] = list(target.objects.filter(pk__in=ids).values_list("pk", flat=True))
    return links


def _cascaded(model: type[Model], deletion, *, after: datetime | None = None, **fk) -> list:
    """The deletion records of `model` rows with these keys, written by the same delete as `deletion`."""
    since = deletion.history_date - CASCADE_WINDOW
    if after is not None and after > since:
        since = after
    records = model.history.filter(
        history_type="-", history_date__gt=since, history_date__lte=deletion.history_date, **fk
    ).order_by("-history_date", "-history_id")
    records = list(records)
    existing = set(model.objects.filter(pk__in=[r.id for r in records]).values_list("pk", flat=True))
    return [r for r in records if r.id not in existing]


def _restore_measure(document: MeasuresDocument, record, by) -> Restored:
    measure = record.instance
    notes: list[str] = []
    theme = None
    if measure.theme_id is not None:
        theme = Theme.objects.filter(pk=measure.theme_id, document=document).first()
        if theme is None:
            last = Theme.history.filter(id=measure.theme_id).order_by("-history_date", "-history_id").first()
            raise ServiceError(
                _("ด้านที่ %(n)s “%(title)s” ของมาตรการนี้ถูกลบไปแล้ว กรุณากู้คืนด้านนั้นจากถังขยะก่อน แล้วจึงกู้คืนมาตรการ")
                % {"n": last.number if last else "", "title": last.title if last else ""}
            )
    if Measure.objects.filter(document=document, theme=theme, number=measure.number).exists():
        old = measure.number
        measure.number = next_measure_number(document, theme)
        measure.number_text = ""  # the number as typed would print the taken one
        measure.theme = theme
        notes.append(
            _("ลำดับที่ %(old)s มีมาตรการอื่นใช้แล้ว จึงกู้คืนเป็นมาตรการ %(new)s") % {"old": old, "new": measure.display_number}
        )
    links = _links_before(record, {"units": Unit, "indicators": Indicator, "items": Item})
    links["units"] = list(
        Unit.objects.filter(pk__in=links["units"], organisation=document.organisation_id).values_list("pk", flat=True)
    )
    _recreate(measure, by, links)

    # Steps: only those the delete took (an edit that replaced them deleted the old ones earlier,
    # before the new ones were written).
    last_written = (
        MeasureStep.history.filter(measure_id=measure.pk, history_date__lt=record.history_date)
        .exclude(history_type="-")
        .aggregate(at=Max("history_date"))["at"]
    )
    orders: set[int] = set()
    for step_record in _cascaded(MeasureStep, record, after=last_written, measure_id=measure.pk):
        if step_record.order not in orders:
            orders.add(step_record.order)
            _recreate(step_record.instance, by)

    reports = {r.pk: r for r in ProgressReport.objects.filter(document=document)}
    entries: dict[int, ProgressEntry] = {}  # by report: one entry of the measure per round
    for entry_record in _cascaded(ProgressEntry, record, measure_id=measure.pk):
        if entry_record.report_id in reports and entry_record.report_id not in entries:  # its round is still there
            entries[entry_record.report_id] = entry_record.instance
            _recreate(entries[entry_record.report_id], by)
    for report in reports.values():
        if report.pk not in entries:
            entry = ProgressEntry(report=report, measure=measure)  # a round started since: nothing entered
            stamp(entry, by)
            entry.save()
    for evidence_record in _cascaded(Evidence, record, entry_id__in=[e.pk for e in entries.values()]):
        _recreate_evidence(evidence_record, by)

    message = _("กู้คืนมาตรการ %(n)s แล้ว") % {"n": measure.display_number}
    return Restored("measure", measure, " ".join([message, *notes]), notes)


def _recreate_evidence(record, by) -> Evidence:
    evidence = record.instance
    _recreate(evidence, by)
    # created_at is set on insert: put back when it was attached (its place in the entry's list).
    Evidence.objects.filter(pk=evidence.pk).update(created_at=record.created_at)
    Evidence.history.filter(history_id=evidence.history.latest().history_id).update(created_at=record.created_at)
    evidence.created_at = record.created_at
    return evidence


def _restore_finding(document: MeasuresDocument, record, by) -> Restored:
    finding = record.instance
    # Its order is kept: back in its place (findings of one order print in the order they were written).
    _recreate(finding, by, _links_before(record, {"indicators": Indicator, "items": Item}))
    return Restored("finding", finding, _("กู้คืนประเด็นผลการวิเคราะห์แล้ว"))


def _restore_theme(document: MeasuresDocument, record, by) -> Restored:
    theme = record.instance
    notes = []
    if Theme.objects.filter(document=document, number=theme.number).exists():
        old = theme.number
        theme.number = (Theme.objects.filter(document=document).aggregate(n=Max("number"))["n"] or 0) + 1
        notes.append(_("ลำดับที่ %(old)s มีด้านอื่นใช้แล้ว จึงกู้คืนเป็นด้านที่ %(new)s") % {"old": old, "new": theme.number})
    _recreate(theme, by)
    message = _("กู้คืนด้านที่ %(n)s %(title)s แล้ว") % {"n": theme.number, "title": theme.title}
    return Restored("theme", theme, " ".join([message, *notes]), notes)


def _restore_limitation(document: MeasuresDocument, record, by) -> Restored:
    limitation = record.instance
    tool = limitation.tool
    if tool.framework_id != document.basis_framework_id:
        raise ServiceError(_("เครื่องมือของข้อจำกัดนี้ไม่อยู่ในกรอบการประเมิน ITA ที่เอกสารนี้ใช้วิเคราะห์แล้ว จึงกู้คืนไม่ได้"))
    if ToolLimitation.objects.filter(document=document, tool=tool).exists():
        raise ServiceError(
            _("มีข้อจำกัดของเครื่องมือ %(tool)s ในเอกสารนี้แล้ว จึงกู้คืนไม่ได้ กรุณาแก้ไขรายการที่มีอยู่แทน") % {"tool": tool.code}
        )
    _recreate(limitation, by)
    return Restored("limitation", limitation, _("กู้คืนข้อจำกัดของเครื่องมือ %(tool)s แล้ว") % {"tool": tool.code})


def _restore_evidence(document: MeasuresDocument, record, by) -> Restored:
    entry = (
        ProgressEntry.objects.select_related("report", "measure__theme")
        .filter(pk=record.entry_id, report__document=document)
        .first()
    )
    if entry is None:
        raise ServiceError(_("มาตรการหรือรอบการรายงานของหลักฐานนี้ถูกลบไปแล้ว กรุณากู้คืนมาตรการจากถังขยะก่อน"))
    require_draft(entry.report)
    file = record.instance.file
    if file and not file.storage.exists(file.name):
        raise ServiceError(_("ไม่พบไฟล์ของหลักฐานนี้ในที่เก็บไฟล์แล้ว จึงกู้คืนไม่ได้"))
    evidence = _recreate_evidence(record, by)
    evidence.entry = entry
    return Restored(
        "evidence",
        evidence,
        _("กู้คืนหลักฐาน “%(title)s” ของมาตรการ %(n)s แล้ว") % {"title": evidence.title, "n": entry.measure.display_number},
    )


RESTORERS: dict[str, Callable] = {
    "measure": _restore_measure,
    "finding": _restore_finding,
    "theme": _restore_theme,
    "limitation": _restore_limitation,
    "evidence": _restore_evidence,
}
