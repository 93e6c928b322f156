"""Measures suggested for an indicator (issue 20), and their copy into the organisation's draft.

Two kinds of suggestion, for an indicator of an ITA year:

- the curated library shipped as data (fixtures/suggestions/library.json): real measures of real
  municipalities and the NACC's criteria, each entry with its source and the indicators and items
  it answers in each framework year;
- the measures other organisations of the installation published for the same indicator, best
  first by how much that organisation's score on the indicator rose from the assessment its
  document was based on (ITA N−1 for fiscal year N) to the next one (ITA N). A document whose
  organisation has no score of one of the two years comes after those with a rise, newest first.

Only published content is suggested: a document's measures come from the newest version of its
publication, only while that version is live (not withdrawn), and as they were frozen in the
edition it published (the approved `Submission.snapshot`, which is what the publication's data
holds) — never from the live tables, a draft or an edition that was not published. The domain
imports nothing of `reports`: whether a document is published is read through its `publications`
relation by name (as the oversight selectors do), and its frozen measures from the submission the
publication names.

The organisation's own documents are never suggested: its own earlier measures come with "copy
into a new year" (services.document_copy), and the ranking is about what worked elsewhere.

`copy` writes a suggestion into the organisation's draft through services.measure_create (the one
write path of a measure, with its history), then records where it came from on the measure
(`Measure.source`…): its page and history show it, its print does not.
"""

import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import DecimalField, Exists, ExpressionWrapper, F, Max, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from . import services
from .loaders import read_json
from .models import (
    Assessment,
    DocumentStatus,
    Framework,
    IndicatorScore,
    Item,
    Measure,
    MeasuresDocument,
    Organisation,
    Submission,
    Unit,
)
from .services import MeasureData, ServiceError

LIBRARY_FILE = Path(settings.BASE_DIR) / "fixtures" / "suggestions" / "library.json"
MAX_DOCUMENTS = 8  # other organisations' documents shown for an indicator, best rise first
MAX_PER_DOCUMENT = 3  # measures of one document shown for the indicator
RANKED_SPARE = 10  # ranked rows kept beyond those shown: room for the viewer's own (one a year)
RANKED_CACHE_SECONDS = 300
KEY_MAX_LENGTH = 120  # a posted key longer than this is refused before anything is read
MIN_NAME_MATCH = 4  # a unit name matched by its beginning must be at least this long

Source = Measure.Source


@dataclass(frozen=True)
class Suggestion:
    """One suggested measure, with where it came from.

    `item_codes` are codes of the ITA year `items_year` (the library entry's year, or the year the
    publishing organisation's document analysed). For a published measure, `slug`, `fiscal_year`
    and `version` address its public document; `score_before` and `score_after` are that
    organisation's scores on the indicator in ITA `fiscal_year − 1` and ITA `fiscal_year`.
    """

    key: str
    kind: str
    title: str
    steps: tuple[str, ...]
    units: tuple[str, ...]
    all_units: bool
    monitoring: str
    target: str
    item_codes: tuple[str, ...]
    items_year: int | None
    organisation: str
    document_title: str
    citation: str
    note: str = ""
    website: str = ""
    guidance: bool = False
    slug: str = ""
    fiscal_year: int | None = None
    version: int | None = None
    score_before: Decimal | None = None
    score_after: Decimal | None = None

    @property
    def published(self) -> bool:
        return self.kind == Source.PUBLISHED

    @property
    def rise(self) -> Decimal | None:
        if self.score_before is None or self.score_after is None:
            return None
        return self.score_after - self.score_before

    @property
    def rise_size(self) -> Decimal | None:
        return None if self.rise is None else abs(self.rise)

    @property
    def reference(self) -> str:
        """Where it came from, in words: recorded on the copy (a later rename does not change it)."""
        if self.published:
            return _("%(organisation)s: %(document)s ฉบับเผยแพร่ที่ %(version)s %(citation)s") % {
                "organisation": self.organisation,
                "document": self.document_title,
                "version": self.version,
                "citation": self.citation,
            }
        return _("%(document)s — %(citation)s") % {"document": self.document_title, "citation": self.citation}


# --- The curated library ------------------------------------------------------------------------


def read_library(path: Path = LIBRARY_FILE) -> dict:
    """The library file as data: {"documents": {id: source}, "entries": [entry, …]}."""
    return read_json(path)


@functools.cache
def library() -> dict:
    """The shipped library, read once per process."""
    return read_library()


def _library_order(suggestion: Suggestion) -> tuple:
    """The NACC's criteria first, then the entries by their first item (O1, O2 … O10), then the rest."""
    code = suggestion.item_codes[0] if suggestion.item_codes else ""
    digits = "".join(ch for ch in code if ch.isdigit())
    return (not suggestion.guidance, not code, code[:1], int(digits) if digits else 0)


def library_for(year: int, number: int) -> list[Suggestion]:
    """The library's entries for indicator `number` of ITA `year` (see `_library_order`)."""
    data = library()
    found = []
    for entry in data["entries"]:
        link = entry["links"].get(str(year))
        if link is None or number not in link["indicators"]:
            continue
        document = data["documents"][entry["source"]["document"]]
        found.append(
            Suggestion(
                key=f"library:{entry['key']}",
                kind=Source.LIBRARY,
                title=entry["title"],
                steps=tuple(entry["steps"]),
                units=tuple(entry["units"]),
                all_units=entry["all_units"],
                monitoring=entry.get("monitoring", ""),
                target="",
                item_codes=tuple(link["items"]),
                items_year=year,
                organisation=document["organisation"],
                document_title=document["title"],
                citation=entry["source"]["citation"],
                note=entry.get("note", ""),
                website=document.get("website", ""),
                guidance=document["kind"] == "guidance",
            )
        )
    return sorted(found, key=_library_order)


# --- What other organisations published ---------------------------------------------------------


def _newest_version_live(documents):
    """Ids of those documents whose newest published version is live (a withdrawn newest version
    takes the document's measures off the suggestions, as it took them off its public page)."""
    return (
        documents.values("pk")
        .annotate(
            newest=Max("publications__version"),
            live=Max("publications__version", filter=Q(publications__withdrawn_at__isnull=True)),
        )
        .filter(live=F("newest"))
        .values("pk")
    )


def _ranked(number: int, documents=None):
    """The published documents (of `documents`, else all) with a measure on indicator `number`,
    best rise first, then those without a rise on record (newest year first); one query, which
    reads every document of the installation when it is not given the documents (see `_top`)."""
    documents = MeasuresDocument.objects.all() if documents is None else documents
    scores = IndicatorScore.objects.filter(
        assessment__organisation=OuterRef("organisation"), indicator__number=number
    ).order_by()
    before = scores.filter(assessment__framework__year=OuterRef("fiscal_year") - 1).values("score")[:1]
    after = scores.filter(assessment__framework__year=OuterRef("fiscal_year")).values("score")[:1]
    linked = Measure.objects.filter(document=OuterRef("pk"), indicators__number=number)
    return (
        documents.filter(pk__in=_newest_version_live(documents))
        .filter(Exists(linked))
        .annotate(before=Subquery(before), after=Subquery(after))
        .annotate(
            rise=ExpressionWrapper(F("after") - F("before"), output_field=DecimalField(max_digits=6, decimal_places=2))
        )
        .order_by(F("rise").desc(nulls_last=True), "-fiscal_year", "organisation__name", "pk")
        .values("pk", "fiscal_year", "before", "after", "organisation_id", "organisation__slug", "organisation__name")
    )


def _stamp() -> tuple:
    """What moves whenever a ranking may change: a document published (the newest updated_at of
    the published documents: a draft's edits do not move it, its publication, withdrawal or new
    edition does) and a result recorded (its assessment's updated_at); two aggregates."""
    return (
        MeasuresDocument.objects.filter(status=DocumentStatus.PUBLISHED).aggregate(at=Max("updated_at"))["at"],
        Assessment.objects.aggregate(at=Max("updated_at"))["at"],
    )


def _top(organisation: Organisation, number: int) -> list[dict]:
    """The best `MAX_DOCUMENTS` documents of other organisations for indicator `number`.

    Ranking reads every published document of the installation (about 80 ms for 4,000 documents
    on SQLite, growing with them), so the ranked rows are kept in the cache under the stamp of what
    could change them, for every organisation at once: RANKED_SPARE rows more than are shown leave
    room for the viewer's own documents, which are taken out here. What a row shows is read afresh
    (`_published_snapshots`): a version withdrawn since is never shown from the cache.
    """
    limit = MAX_DOCUMENTS + RANKED_SPARE
    key = "suggestions:ranked:{}:{}:{}".format(number, *(value.isoformat() if value else "" for value in _stamp()))
    rows = cache.get(key)
    if rows is None:
        rows = list(_ranked(number)[:limit])
        cache.set(key, rows, RANKED_CACHE_SECONDS)
    others = [row for row in rows if row["organisation_id"] != organisation.pk]
    if len(others) < MAX_DOCUMENTS and len(rows) == limit:  # its own documents took the spare rows
        others = list(_ranked(number).exclude(organisation=organisation)[:MAX_DOCUMENTS])
    return others[:MAX_DOCUMENTS]


def _published_snapshots(document_ids: list[int]) -> dict[int, tuple[int, dict]]:
    """document id → (its newest version, the measures data that version published); two queries.
    A document whose newest version is withdrawn (meanwhile) is left out."""
    newest: dict[int, tuple[int, int | None, bool]] = {}
    rows = MeasuresDocument.objects.filter(pk__in=document_ids).values_list(
        "pk", "publications__version", "publications__submission", "publications__withdrawn_at"
    )
    for pk, version, submission, withdrawn_at in rows:
        if version is not None and (pk not in newest or version > newest[pk][0]):
            newest[pk] = (version, submission, withdrawn_at is None)
    wanted = {submission for _version, submission, live in newest.values() if live and submission}
    snapshots = dict(Submission.objects.filter(pk__in=wanted).values_list("pk", "snapshot"))
    return {
        pk: (version, snapshots[submission])
        for pk, (version, submission, live) in newest.items()
        if live and submission in snapshots
    }


def _score(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _published(row: dict, version: int, snapshot: dict, index: int, measure: dict) -> Suggestion:
    number = measure.get("number_text") or measure.get("number") or ""
    return Suggestion(
        key=f"published:{row['pk']}:{version}:{index}",
        kind=Source.PUBLISHED,
        title=measure.get("title", ""),
        steps=tuple(measure.get("steps", [])),
        units=tuple(measure.get("units", [])),
        all_units=bool(measure.get("all_units")),
        monitoring=measure.get("monitoring", ""),
        target=measure.get("target", ""),
        item_codes=tuple(measure.get("items", [])),
        items_year=snapshot.get("analysed_year", row["fiscal_year"] - 1),
        organisation=snapshot.get("organisation", {}).get("name") or row["organisation__name"],
        document_title=snapshot.get("title", ""),
        citation=_("มาตรการ %(number)s") % {"number": number},
        slug=row["organisation__slug"],
        fiscal_year=row["fiscal_year"],
        version=version,
        score_before=_score(row["before"]),
        score_after=_score(row["after"]),
    )


def published_for(*, organisation: Organisation, number: int) -> list[Suggestion]:
    """Other organisations' published measures on indicator `number`, best rise first; five queries
    at most (the stamp's two, the ranking when it is not kept, the versions, the frozen measures)."""
    ranked = _top(organisation, number)
    snapshots = _published_snapshots([row["pk"] for row in ranked]) if ranked else {}
    found = []
    for row in ranked:
        if row["pk"] not in snapshots:
            continue
        version, snapshot = snapshots[row["pk"]]
        linked = [(i, m) for i, m in enumerate(snapshot.get("measures", [])) if number in m.get("indicators", [])]
        found += [_published(row, version, snapshot, i, m) for i, m in linked[:MAX_PER_DOCUMENT]]
    return found


def _published_one(organisation: Organisation, number: int, document_id: int, version: int, index: int):
    document = MeasuresDocument.objects.filter(pk=document_id).exclude(organisation=organisation)
    row = _ranked(number, document).first()
    if row is None:
        return None
    newest, snapshot = _published_snapshots([document_id]).get(document_id, (None, {}))
    measures = snapshot.get("measures", [])
    if newest != version or not 0 <= index < len(measures) or number not in measures[index].get("indicators", []):
        return None
    return _published(row, version, snapshot, index, measures[index])


def find(*, organisation: Organisation, year: int, number: int, key: str) -> Suggestion | None:
    """The suggestion a posted key names, if it is still suggested to this organisation for
    indicator `number` of ITA `year` (a withdrawn or newer version, another indicator: None)."""
    if not key or len(key) > KEY_MAX_LENGTH:
        return None
    kind, _sep, rest = key.partition(":")
    if kind == Source.LIBRARY:
        return next((s for s in library_for(year, number) if s.key == key), None)
    parts = rest.split(":")
    if kind != Source.PUBLISHED or len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    document_id, version, index = (int(p) for p in parts)
    return _published_one(organisation, number, document_id, version, index)


# --- The draft they are copied into -------------------------------------------------------------


def target_document(organisation: Organisation, year: int) -> MeasuresDocument | None:
    """The measures document that analyses ITA `year`: the one of fiscal year `year` + 1."""
    return (
        MeasuresDocument.objects.filter(organisation=organisation, fiscal_year=year + 1)
        .select_related("organisation", "basis_framework")
        .first()
    )


def copied_keys(document: MeasuresDocument | None) -> dict[str, Measure]:
    """The suggestions already copied into the document, by key, with the measure each became."""
    if document is None:
        return {}
    copied = document.measures.exclude(source_key="").select_related("theme")
    return {measure.source_key: measure for measure in copied}


def _plain(name: str) -> str:
    return "".join(name.split())


def match_units(organisation: Organisation, names) -> tuple[list[Unit], list[str]]:
    """The organisation's active units for the names a suggestion gives (the same name, spaces
    aside; else the one unit whose name begins with it or with which it begins, as สำนักปลัด and
    สำนักปลัดเทศบาล), and the names that matched none."""
    units = [(u, _plain(u.name)) for u in organisation.units.filter(is_active=True).order_by("order", "name")]
    found: list[Unit] = []
    missing: list[str] = []
    for name in names:
        wanted = _plain(name)
        unit = next((u for u, plain in units if plain == wanted), None)
        if unit is None:
            near = [
                u
                for u, plain in units
                if min(len(plain), len(wanted)) >= MIN_NAME_MATCH
                and (plain.startswith(wanted) or wanted.startswith(plain))
            ]
            unit = near[0] if len(near) == 1 else None
        if unit is None:
            missing.append(name)
        elif unit not in found:
            found.append(unit)
    return found, missing


def _items_for(framework: Framework | None, suggestion: Suggestion) -> list[Item]:
    """The suggestion's items in the document's framework: the same codes in the same year; in
    another year, the items with the same titles (codes were renumbered in ITA 2566)."""
    if framework is None or not suggestion.item_codes:
        return []
    if suggestion.items_year == framework.year:
        return list(framework.items.filter(code__in=suggestion.item_codes))
    titles = Item.objects.filter(framework__year=suggestion.items_year, code__in=suggestion.item_codes)
    return list(framework.items.filter(title__in=titles.values("title")))


@dataclass(frozen=True)
class Copied:
    measure: Measure
    missing_units: list[str]  # unit names of the suggestion that match none of the organisation's
    every_unit: bool  # no unit matched: ทุกกอง/สำนัก is set until the officer chooses


@transaction.atomic
def copy(*, document: MeasuresDocument, suggestion: Suggestion, number: int, by, source_url: str = "") -> Copied:
    """Copy a suggestion into the draft as a new measure (without a theme, numbered after the last),
    linked to indicator `number` of the document's framework and to the suggestion's items there,
    its units matched by name; then record where it came from. Steps, units and the rest are edited
    afterwards on the measure's form. A suggestion already copied into the document is refused."""
    services.require_draft(document)  # the row lock: the number below is taken under it
    already = document.measures.filter(source_key=suggestion.key).select_related("theme").first()
    if already is not None:
        raise ServiceError(_("คัดลอกมาตรการนี้ไว้ในร่างแล้ว (มาตรการ %(n)s)") % {"n": already.display_number})
    units, missing = match_units(document.organisation, suggestion.units)
    every_unit = not units and not suggestion.all_units
    framework = document.basis_framework
    data = MeasureData(
        title=suggestion.title,
        number=services.next_measure_number(document, None),
        steps=list(suggestion.steps),
        units=units,
        all_units=suggestion.all_units or every_unit,
        indicators=list(framework.indicators.filter(number=number)) if framework else [],
        items=_items_for(framework, suggestion),
        monitoring=suggestion.monitoring,
        target=suggestion.target,
    )
    measure = services.measure_create(document=document, by=by, data=data)
    measure.source = suggestion.kind
    measure.source_reference = suggestion.reference[: Measure._meta.get_field("source_reference").max_length]
    measure.source_url = source_url[: Measure._meta.get_field("source_url").max_length]
    measure.source_key = suggestion.key
    services.stamp(measure, by)
    measure.save(update_fields=["source", "source_reference", "source_url", "source_key", "updated_at"])
    return Copied(measure=measure, missing_units=missing, every_unit=every_unit)
