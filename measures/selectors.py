"""Reads built for the staff pages, with the joins they need (query counts stay flat)."""

from django.db import NotSupportedError
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from simple_history.models import ModelChange

from . import changes as measure_changes
from .models import (
    Assessment,
    DocumentStatus,
    Framework,
    Measure,
    MeasuresDocument,
    Organisation,
    ProgressEntry,
    ProgressReport,
    Submission,
    Tool,
)


def framework_with_structure(year: int) -> Framework | None:
    tools = Tool.objects.prefetch_related("indicators", "parts").order_by("order")
    return (
        Framework.objects.prefetch_related(Prefetch("tools", queryset=tools), "rating_rules").filter(year=year).first()
    )


def assessments_for(organisation: Organisation) -> QuerySet[Assessment]:
    tools = Tool.objects.prefetch_related("indicators", "parts").order_by("order")
    return (
        Assessment.objects.filter(organisation=organisation)
        .select_related("framework")
        .prefetch_related(
            Prefetch("framework__tools", queryset=tools),
            "framework__rating_rules",
            "indicator_scores__indicator",
            "tool_scores__tool",
            "part_scores__part",
            "stated_totals",
        )
        .order_by("framework__year")
    )


def documents_for(organisation: Organisation) -> QuerySet[MeasuresDocument]:
    return (
        MeasuresDocument.objects.filter(organisation=organisation).prefetch_related("reports").order_by("-fiscal_year")
    )


def measures_for_table(document: MeasuresDocument) -> QuerySet[Measure]:
    """The document's measures with what the table shows, and the latest round's status."""
    latest = ProgressEntry.objects.filter(measure=OuterRef("pk")).order_by("-report__round")
    return (
        document.measures.select_related("theme")
        .prefetch_related("units", "indicators", "items", "steps")
        .annotate(latest_status=Subquery(latest.values("status")[:1]))
        .in_print_order()
    )


def entries_for_table(report: ProgressReport, measures: QuerySet[Measure]) -> QuerySet[ProgressEntry]:
    return (
        report.entries.filter(measure__in=measures)
        .select_related("measure__theme", "updated_by")
        .prefetch_related("measure__units", "evidence")
        .order_by("measure__theme__number", "measure__number", "measure__pk")
    )


def measure_counts_by_theme(measures) -> dict[int | None, int]:
    """How many of these measures each theme has (None: without a theme); one query."""
    rows = measures.order_by().values("theme").annotate(n=Count("pk", distinct=True))
    return {row["theme"]: row["n"] for row in rows}


def measure_history(measure: Measure, *, limit: int = 100) -> list[dict]:
    """The measure's history records, newest first, each with what it changed worded in Thai
    (measures.changes); four queries, and one for each kind of linked thing the changes name.

    simple_history's ``diff_against`` reads the many-to-many rows (units, indicators, items) of
    both records of every pair: six queries a record. Here each relation is read once for all
    the records, and the pairs are compared in memory, with the same ModelChange rows.
    """
    records = list(measure.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
    if not records:
        return []
    m2m_fields = list(records[0]._history_m2m_fields)
    rows: dict[str, dict[int, list[dict]]] = {}
    for field in m2m_fields:
        model = getattr(records[0], field.name).model  # the historical rows of the relation
        names = [f.name for f in model._meta.fields if f.editable and f.name not in ("id", "m2m_history_id", "history")]
        grouped = rows[field.name] = {}
        for row in (
            model.objects.filter(history_id__in=[r.history_id for r in records])
            .order_by(field.m2m_reverse_field_name())
            .values("history_id", *names)
        ):
            grouped.setdefault(row.pop("history_id"), []).append(row)
    excluded = [field.name for field in m2m_fields]
    found_by_record = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        found = []
        if older is not None:
            found = newer.diff_against(older, excluded_fields=excluded).changes
            for name, grouped in rows.items():
                old, new = grouped.get(older.history_id, []), grouped.get(newer.history_id, [])
                if old != new:
                    found.append(ModelChange(name, old, new))
            found.sort(key=lambda change: change.field)
        found_by_record.append(found)
    return [
        {"record": record, "changes": changes}
        for record, changes in zip(records, measure_changes.worded(found_by_record), strict=True)
    ]


# --- Oversight: where every overseen organisation's documents stand, in one query --------

NOT_STARTED = "not_started"
# The documents of a fiscal year the dashboard follows, by prefix: the measures, then each round.
OVERSIGHT_TARGETS = {"doc": None, "r6": 6, "r12": 12}
STATE_RANK = {
    NOT_STARTED: 0,
    DocumentStatus.DRAFT: 1,
    DocumentStatus.SUBMITTED: 2,
    DocumentStatus.APPROVED: 3,
    DocumentStatus.PUBLISHED: 4,
}
# The date that goes with a state: <prefix>_waiting, _approved or _published.
STATE_DATE_FIELDS = {
    DocumentStatus.SUBMITTED: "waiting",
    DocumentStatus.APPROVED: "approved",
    DocumentStatus.PUBLISHED: "published",
}


class CurrentStepTitle(Func):
    """``steps[current_step].title`` of a submission, in SQL (the JSON index is itself a column)."""

    output_field = CharField()

    def __init__(self):
        super().__init__(F("steps"), F("current_step"))

    def _compiled(self, compiler):
        (steps, steps_params), (step, step_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return steps, step, [*steps_params, *step_params]

    def as_sqlite(self, compiler, connection, **extra_context):
        steps, step, params = self._compiled(compiler)
        return f"json_extract({steps}, '$[' || {step} || '].title')", params

    def as_postgresql(self, compiler, connection, **extra_context):
        steps, step, params = self._compiled(compiler)
        return f"(({steps} -> ({step})::integer) ->> 'title')", params

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("CurrentStepTitle is written for SQLite and PostgreSQL")


def _target_states(prefix: str, *, year: int, round_months: int | None) -> tuple[dict, dict]:
    """Annotations of one document of the row's organisation, and the aliases it is sorted by.

    ``<prefix>_state`` is "not_started" or a DocumentStatus; ``_step`` the position a submission
    waits at, ``_waiting`` since when; ``_approved`` the last approval; ``_published`` the newest
    live publication, which a reopened document keeps while its next edition is a draft.
    ``_rank`` (not started … published) and ``_date`` (the date of the state) are aliases: SQL
    repeats the subqueries they are made of, so they are computed only when the table sorts.
    """
    # Subqueries without the models' default ordering, which would join the organisation again.
    if round_months is None:
        targets = MeasuresDocument.objects.filter(organisation=OuterRef("pk"), fiscal_year=year).order_by()
        submissions = Submission.objects.filter(document__organisation=OuterRef("pk"), document__fiscal_year=year)
    else:
        targets = ProgressReport.objects.filter(
            document__organisation=OuterRef("pk"), document__fiscal_year=year, round=round_months
        ).order_by()
        submissions = Submission.objects.filter(
            report__document__organisation=OuterRef("pk"),
            report__document__fiscal_year=year,
            report__round=round_months,
        )
    pending = submissions.filter(status=Submission.Status.PENDING).order_by()
    approved = submissions.filter(status=Submission.Status.APPROVED).order_by("-closed_at")
    # A filter and an annotation on the same many-valued relation share its join: live versions only.
    published = (
        targets.filter(publications__withdrawn_at__isnull=True)
        .values("pk")
        .annotate(at=Max("publications__published_at"))
        .values("at")
    )
    state = f"{prefix}_state"
    annotations = {
        state: Coalesce(Subquery(targets.values("status")[:1]), Value(NOT_STARTED)),
        f"{prefix}_step": Subquery(pending.annotate(title=CurrentStepTitle()).values("title")[:1]),
        f"{prefix}_waiting": Subquery(pending.values("waiting_since")[:1]),
        f"{prefix}_approved": Subquery(approved.values("closed_at")[:1]),
        f"{prefix}_published": Subquery(published[:1]),
    }
    aliases = {
        f"{prefix}_rank": Case(
            *(When(**{state: value}, then=Value(n)) for value, n in STATE_RANK.items()), output_field=IntegerField()
        ),
        f"{prefix}_date": Case(
            *(When(**{state: value}, then=F(f"{prefix}_{field}")) for value, field in STATE_DATE_FIELDS.items()),
            output_field=DateTimeField(),
        ),
    }
    return annotations, aliases


def oversight_rows(organisations: QuerySet[Organisation], *, year: int, today) -> QuerySet[Organisation]:
    """One row per organisation for fiscal year ``year``, with everything the oversight table shows.

    Every figure is an annotation or a prefetch, so a page of 200 organisations costs the same
    queries as a page of 5: the states and dates of the document and its rounds, the number of
    overdue measures, and the latest ITA assessment (with what ``scorecard_for`` reads).
    """
    states, aliases = {}, {}
    for prefix, round_months in OVERSIGHT_TARGETS.items():
        target_states, target_aliases = _target_states(prefix, year=year, round_months=round_months)
        states |= target_states
        aliases |= target_aliases
    overdue = (
        Measure.objects.filter(document__organisation=OuterRef("pk"), document__fiscal_year=year)
        .overdue(today)
        .order_by()
        .values("document__organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    latest = Assessment.objects.filter(organisation=OuterRef("pk")).order_by("-framework__year")
    newest_of_its_organisation = Subquery(
        Assessment.objects.filter(organisation=OuterRef("organisation")).order_by("-framework__year").values("pk")[:1]
    )
    tools = Tool.objects.prefetch_related("indicators", "parts").order_by("order")
    assessments = (
        Assessment.objects.filter(pk=newest_of_its_organisation)
        .select_related("framework")
        .prefetch_related(
            Prefetch("framework__tools", queryset=tools),
            "framework__rating_rules",
            "indicator_scores__indicator",
            "tool_scores__tool",
            "stated_totals",
        )
    )
    return (
        organisations.annotate(**states, overdue=Coalesce(Subquery(overdue), Value(0)))
        .alias(**aliases, ita_total=Subquery(latest.values("official_total")[:1]))
        .prefetch_related(Prefetch("assessments", queryset=assessments, to_attr="latest_assessments"))
    )


def oversight_summary(rows: QuerySet[Organisation]) -> dict:
    """How many rows are in each state, per document, and how many have overdue measures: one query.

    Counted here rather than with filtered aggregates: PostgreSQL wraps an aggregate over
    subquery annotations in a subquery, and Django then loses the annotations it filters on.
    """
    states: dict[str, dict[str, int]] = {prefix: dict.fromkeys(STATE_RANK, 0) for prefix in OVERSIGHT_TARGETS}
    fields = [f"{prefix}_state" for prefix in OVERSIGHT_TARGETS]
    total = overdue = 0
    for *row_states, row_overdue in rows.prefetch_related(None).order_by().values_list(*fields, "overdue"):
        total += 1
        overdue += row_overdue > 0
        for prefix, state in zip(OVERSIGHT_TARGETS, row_states, strict=True):
            states[prefix][state] += 1
    return {"states": states, "overdue": overdue, "total": total}


# --- Staff pages: a document, its measures and rounds, the sign-off panel ------------------


def assessment_for_year(organisation: Organisation, year: int) -> Assessment | None:
    """The organisation's ITA result of ``year``, with what ``scorecard_for`` and the form read."""
    return assessments_for(organisation).filter(framework__year=year).first()


def findings_for(document: MeasuresDocument) -> QuerySet:
    """The document's ITA findings with their tool, indicators and items."""
    return document.findings.select_related("tool").prefetch_related("indicators", "items")


def limitations_for(document: MeasuresDocument) -> QuerySet:
    """The limitations of the document's ITA tools, in the order of the tools."""
    return document.limitations.select_related("tool")


def reports_by_round(document: MeasuresDocument) -> dict[int, ProgressReport]:
    """The document's progress reports that were started, by round (6, 12)."""
    return {report.round: report for report in document.reports.all()}


def entries_of_measure(measure: Measure) -> QuerySet[ProgressEntry]:
    """The measure's progress in each round, with the round's report and the evidence."""
    return measure.progress_entries.select_related("report").prefetch_related("evidence")


def entries_done(entries: QuerySet[ProgressEntry]) -> tuple[int, int]:
    """How many of the entries are done, and how many there are."""
    return entries.filter(status=ProgressEntry.Status.DONE).count(), entries.count()


def latest_submission(target: MeasuresDocument | ProgressReport) -> Submission | None:
    """The newest submission of a document or report, with its decisions."""
    return target.submissions.prefetch_related("decisions").order_by("-submitted_at").first()


def publications_for(target: MeasuresDocument | ProgressReport) -> QuerySet:
    """The published versions of a document or report, newest first."""
    return target.publications.order_by("-version")
