"""Many progress entries of a round written at once (the round grid, issue 18): all or nothing.

The grid of a round sends every row the user was shown. Only the rows she changed are written,
each by ``services.entry_update`` (the report must be a draft, the row's revision is checked,
"done" means 100 per cent, the write is stamped with who made it); a row she left as she found it
keeps its revision and its "updated by". A row she may not fill (another unit's measure for a
unit contributor, another round's entry) refuses the whole save, and so does a row somebody else
saved while she was typing in it: then nothing is written and each such row is named.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from . import services
from .access import Action, OrgAccess
from .models import ProgressEntry, ProgressReport
from .services import ENTRY_FIELDS, ServiceError

__all__ = [
    "CONFLICT",
    "MAX_ROWS",
    "NotFillable",
    "RowError",
    "RowsRefused",
    "entries_save",
    "fillable_entries",
]

# Rows of one save. A round has about 20 to 40 measures; each row sends 9 fields and Django
# refuses a request of more than 1,000 (DATA_UPLOAD_MAX_NUMBER_FIELDS) before any view runs.
MAX_ROWS = 100

CONFLICT = "มีผู้แก้ไขแถวนี้ระหว่างที่คุณกรอก กรุณาคัดลอกข้อความที่พิมพ์ไว้ แล้วเปิดหน้านี้ใหม่เพื่อดูข้อมูลล่าสุดก่อนกรอกอีกครั้ง"


@dataclass(frozen=True)
class RowError:
    """A refused row: its position in the rows given, and why (Thai)."""

    index: int
    message: str


class RowsRefused(ServiceError):
    """Some rows cannot be written as they are: nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(_("พบข้อผิดพลาด %(n)s แถว ยังไม่ได้บันทึกข้อมูลใด") % {"n": len(errors)})
        self.errors = errors


class NotFillable(ServiceError):
    """A row names an entry the user may not fill (or none of this round): nothing was written."""

    def __init__(self):
        super().__init__(_("ไม่พบผลการดำเนินการบางแถว หรือคุณไม่มีสิทธิ์กรอกผลของมาตรการนั้น ยังไม่ได้บันทึกข้อมูลใด"))


def fillable_entries(report: ProgressReport, access: OrgAccess) -> QuerySet[ProgressEntry]:
    """The entries of the round the user may fill, in print order (measures without a theme
    first), with the measure, its theme and its units read in two queries whatever their number.

    A unit contributor fills her units' measures (and those of every unit); an officer all of them.
    """
    if not access.can(Action.PROGRESS) or report.document.organisation_id != access.organisation.pk:
        return report.entries.none()
    measures = access.measures_visible(report.document.measures.all())
    return (
        report.entries.filter(measure__in=measures)
        .select_related("measure__theme")
        .prefetch_related("measure__units")
        .order_by(F("measure__theme__number").asc(nulls_first=True), "measure__number", "measure__pk")
    )


def _text(value) -> str:
    # A browser sends a textarea's line ends as CRLF; a text typed elsewhere has LF.
    return (value or "").replace("\r\n", "\n").strip()


def _values(source) -> tuple:
    """What a row says, as compared: texts without their line-end style, "done" as 100 per cent."""
    get = source.get if isinstance(source, Mapping) else lambda name: getattr(source, name)
    status, percent = get("status"), get("percent")
    if status == ProgressEntry.Status.DONE and (percent or 0) < 100:
        percent = 100
    return (
        status,
        percent,
        *(_text(get(name)) for name in ("summary", "outcome", "problems", "suggestions")),
        get("completed_on"),
    )


def entries_save(*, report: ProgressReport, by, access: OrgAccess, rows: Sequence[Mapping]) -> int:
    """Write the rows that changed, in one transaction; the number written.

    Each row is a mapping of ``entry`` (the entry's pk), ``revision`` (the entry's revision when
    the user opened the grid, or None) and every field of ``services.ENTRY_FIELDS``. Raises
    ``NotFillable`` for an entry the user may not fill, ``RowsRefused`` with each refused row,
    ``ServiceError`` for a report that is not a draft or too many rows; nothing is written then.
    """
    if len(rows) > MAX_ROWS:
        raise ServiceError(_("บันทึกได้ครั้งละไม่เกิน %(max)s มาตรการ กรุณาเลือกหน่วยงานเพื่อแบ่งกรอก") % {"max": MAX_ROWS})
    pks = [row["entry"] for row in rows]
    if len(set(pks)) != len(pks):
        raise ServiceError(_("มีมาตรการเดียวกันมากกว่าหนึ่งแถว กรุณาเปิดหน้านี้ใหม่แล้วกรอกอีกครั้ง"))
    with transaction.atomic():
        services.require_draft(report)
        locked = fillable_entries(report, access).filter(pk__in=pks).select_for_update(of=("self",))
        entries = {entry.pk: entry for entry in locked}
        if len(entries) != len(pks):
            raise NotFillable()
        changed: list[tuple[ProgressEntry, Mapping]] = []
        stale: dict[int, tuple[ProgressEntry, int, tuple]] = {}
        for index, row in enumerate(rows):
            entry, values = entries[row["entry"]], _values(row)
            if values == _values(entry):
                continue  # as it is now (also when somebody else saved the same)
            revision = row.get("revision")
            if revision is not None and revision != entry.revision:
                stale[index] = (entry, revision, values)
            else:
                changed.append((entry, row))
        errors = [RowError(index, CONFLICT) for index in _changed_by_her(stale)]
        if errors:
            raise RowsRefused(errors)
        for entry, row in changed:
            services.entry_update(
                entry=entry, by=by, revision=entry.revision, **{name: row[name] for name in ENTRY_FIELDS}
            )
    return len(changed)


def _changed_by_her(stale: dict[int, tuple[ProgressEntry, int, tuple]]) -> list[int]:
    """Of the rows somebody else saved since the user opened the grid, those she changed too.

    A row she left as she found it (its values are those of the revision she was shown, read
    from the entry's history) is not a conflict: the other person's save stays. A row whose
    revision has no history is taken as changed (refused rather than overwritten).
    """
    if not stale:
        return []
    shown: dict[tuple[int, int], tuple] = {}
    records = ProgressEntry.history.filter(
        id__in={entry.pk for entry, _revision, _values in stale.values()},
        revision__in={revision for _entry, revision, _values in stale.values()},
    ).order_by("history_date", "history_id")
    for record in records:
        shown[(record.id, record.revision)] = _values(record)  # the last record of a revision wins
    return [
        index for index, (entry, revision, values) in sorted(stale.items()) if shown.get((entry.pk, revision)) != values
    ]
