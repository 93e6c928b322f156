"""What the oversight dashboard shows beside the states: the ITA scores of the organisations in
scope, the organisations that are behind, and a reminder to their officers (issue 20).

Scores. Fiscal year N shows ITA N−1, the result the year's measures analyse
(services.basis_framework_for), and its change from ITA N−2. Only what was officially reported
counts: the total NACC announced (Assessment.official_total), the rating as printed and the
published indicator scores. A total the portal recomputed, or another total an organisation's own
document states (StatedTotal), is never used here: an organisation without an announced total
counts as "no result" for the totals, while its published indicator scores still count for the
indicators. The pass mark is the framework's (Framework.pass_mark); the bands of totals are the
framework's rating rules cut by their minimum totals alone. A band that also asks every tool to
reach a score (ผ่านดีเยี่ยม, ผ่านดี) cannot be told from a total, so such a band is named by its
range only. Each figure comes from an aggregate or one row per organisation: the page costs the same
queries for 3 organisations as for 300.

Behind. An organisation is behind in fiscal year N when it has no measures document for N, or a
round whose due date (settings.ROUND_DUE_DATES, the e-mail reminders' own) has passed while its
report is not started or still a draft (submitted counts as handed in, as in workflow.round_due).

The reminder to those behind is measures.oversight_reminders; an organisation is reminded at
most once in REMIND_INTERVAL, whoever asks: its outbox rows carry its id in ``template``
("oversight_reminder:<id>", reminder_key), the outbox having no column for it.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, Max, Min, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors, thai, workflow
from .models import Assessment, DocumentStatus, Framework, Indicator, IndicatorScore, Organisation, OutgoingEmail
from .scoring import printed_rating, round2

# ITA-DOMAIN.md §2: the national target is at least 80 % of agencies at the pass mark. The framework
# holds the pass mark, not this share (a Framework field would need a migration).
NATIONAL_TARGET_PERCENT = Decimal("80")
WEAKEST_COUNT = 3  # the weakest indicators named across the scope
REMIND_INTERVAL = timedelta(days=1)
REMINDER_TEMPLATE = "oversight_reminder"  # templates/emails/oversight_reminder.txt
UNFINISHED = (selectors.NOT_STARTED, DocumentStatus.DRAFT)
ROUND_PREFIXES = {months: prefix for prefix, months in selectors.OVERSIGHT_TARGETS.items() if months}
SUM = DecimalField(max_digits=12, decimal_places=2)  # a sum of many scores (a score has 5 digits)


def plain(value: Decimal) -> str:
    """A mark as people write it: 85.00 → "85", 82.50 → "82.5"."""
    return f"{value.normalize():f}"


def signed(value: Decimal | None) -> str:
    """A change as people write it: "+6.82", "−1.20", "0.00" ("" for None)."""
    if value is None:
        return ""
    text = thai.format_number(abs(value), thai_digits=False)
    return f"+{text}" if value > 0 else f"\u2212{text}" if value < 0 else text


def _percent(part: int, whole: int) -> Decimal | None:
    return round2(Decimal(part) * 100 / whole) if whole else None


def scope_ids(scope: QuerySet[Organisation]) -> QuerySet:
    """The scope as a subquery of ids (its annotations stay in its WHERE, its prefetches go)."""
    return scope.prefetch_related(None).order_by().values("pk")


# --- Scores ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A band of scores: ``low`` ≤ score < ``upper`` (no upper bound for the top band)."""

    low: Decimal
    upper: Decimal | None
    label: str = ""
    count: int = 0
    percent: Decimal | None = None

    @property
    def high(self) -> Decimal:
        return Decimal("100.00") if self.upper is None else self.upper - Decimal("0.01")

    @property
    def range_text(self) -> str:
        return f"{self.low:.2f}–{self.high:.2f}"

    def holds(self, score: Decimal) -> bool:
        return score >= self.low and (self.upper is None or score < self.upper)

    def condition(self, field_name: str) -> Q:
        found = Q(**{f"{field_name}__gte": self.low})
        return found & Q(**{f"{field_name}__lt": self.upper}) if self.upper is not None else found


def bands_of(framework: Framework) -> list[Band]:
    """The framework's bands of totals, highest first, cut at each rule's minimum total."""
    rules = list(framework.rating_rules.all())
    bands, upper = [], None
    for low in sorted({rule.min_total for rule in rules} | {Decimal("0.00")}, reverse=True):
        at = [rule for rule in rules if rule.min_total == low]
        label = at[0].label if len(at) == 1 and at[0].min_tool_score is None else ""
        bands.append(Band(low=low, upper=upper, label=label))
        upper = low
    return bands


@dataclass(frozen=True)
class OrganisationScore:
    """An organisation's announced result of one ITA year, and its announced total of the year before."""

    pk: int
    name: str
    slug: str
    district: str
    province: str
    total: Decimal | None = None
    rating: str = ""
    previous: Decimal | None = None
    passed: bool | None = None
    indicators: dict[int, Decimal] = field(default_factory=dict)

    @property
    def change(self) -> Decimal | None:
        return None if self.total is None or self.previous is None else self.total - self.previous

    @property
    def change_text(self) -> str:
        return signed(self.change)


def organisation_scores(
    scope: QuerySet[Organisation], *, year: int, pass_mark: Decimal, with_indicators: bool = False
) -> dict[int, OrganisationScore]:
    """Organisation id → its announced ITA ``year`` result (with ``year − 1``'s total), for the
    organisations of ``scope`` that have one of the two: one query, two with the indicators."""
    found: dict[int, dict] = {}
    for pk, name, slug, district, province, on_year, total, grade, rating in (
        Assessment.objects.filter(organisation__in=scope_ids(scope), framework__year__in=(year, year - 1))
        .order_by()
        .values_list(
            "organisation_id",
            "organisation__name",
            "organisation__slug",
            "organisation__district",
            "organisation__province",
            "framework__year",
            "official_total",
            "official_grade",
            "official_rating",
        )
    ):
        row = found.setdefault(pk, {"pk": pk, "name": name, "slug": slug, "district": district, "province": province})
        if on_year == year:
            passed = None if total is None else total >= pass_mark
            row |= {"total": total, "rating": printed_rating(grade, rating), "passed": passed}
        else:
            row["previous"] = total
    if with_indicators:
        for pk, number, score in IndicatorScore.objects.filter(
            assessment__organisation__in=scope_ids(scope), assessment__framework__year=year
        ).values_list("assessment__organisation_id", "indicator__number", "score"):
            found[pk].setdefault("indicators", {})[number] = score
    return {pk: OrganisationScore(**row) for pk, row in found.items()}


@dataclass(frozen=True)
class IndicatorStat:
    """One indicator across the scope: how many published scores, their mean, range and bands."""

    number: int
    name: str
    tool: str
    count: int = 0
    mean: Decimal | None = None
    lowest: Decimal | None = None
    highest: Decimal | None = None
    below: int = 0  # scores under the pass mark
    bands: tuple[int, ...] = ()

    @property
    def below_percent(self) -> Decimal | None:
        return _percent(self.below, self.count)


@dataclass(frozen=True)
class ScoreStatistics:
    fiscal_year: int
    year: int  # the ITA year shown: fiscal_year − 1
    framework: Framework
    organisations: int  # in scope
    bands: list[Band]
    indicators: list[IndicatorStat]
    rows: list[OrganisationScore]  # with an announced total, the lowest first
    mean: Decimal | None = None
    passed: int = 0
    compared: int = 0  # with an announced total both years
    mean_change: Decimal | None = None
    improved: int = 0
    declined: int = 0
    target_percent: Decimal = NATIONAL_TARGET_PERCENT

    @property
    def pass_mark(self) -> Decimal:
        return self.framework.pass_mark

    @property
    def pass_mark_text(self) -> str:
        return plain(self.framework.pass_mark)

    @property
    def target_text(self) -> str:
        return plain(self.target_percent)

    @property
    def mean_change_text(self) -> str:
        return signed(self.mean_change)

    @property
    def reported(self) -> int:
        return len(self.rows)

    @property
    def unreported(self) -> int:
        return self.organisations - self.reported

    @property
    def unchanged(self) -> int:
        return self.compared - self.improved - self.declined

    @property
    def pass_percent(self) -> Decimal | None:
        return _percent(self.passed, self.reported)

    @property
    def meets_target(self) -> bool | None:
        return None if self.pass_percent is None else self.pass_percent >= self.target_percent

    @property
    def target_gap(self) -> Decimal | None:
        """How many percentage points short of the target (None when it is met or unknown)."""
        return None if self.meets_target in (None, True) else self.target_percent - self.pass_percent

    @property
    def band_rows(self) -> list[tuple[IndicatorStat, list[tuple[Band, int]]]]:
        """Each indicator with how many of its scores fall in each band of totals."""
        return [(i, list(zip(self.bands, i.bands, strict=True))) for i in self.indicators]

    @property
    def weakest(self) -> list[IndicatorStat]:
        scored = [i for i in self.indicators if i.mean is not None]
        return sorted(scored, key=lambda i: (i.mean, i.number))[:WEAKEST_COUNT]


def framework_of(year: int) -> Framework | None:
    """The ITA framework of ``year`` with its indicators (and their tools) and rating rules: three queries."""
    indicators = Indicator.objects.select_related("tool").order_by("number")
    return (
        Framework.objects.filter(year=year)
        .prefetch_related(Prefetch("indicators", queryset=indicators), "rating_rules")
        .first()
    )


def indicator_statistics(scope: QuerySet[Organisation], framework: Framework, bands: list[Band]) -> list[IndicatorStat]:
    """Each indicator of the framework across the scope, in one aggregate query."""
    counts = {f"band_{n}": Count("pk", filter=band.condition("score")) for n, band in enumerate(bands)}
    found = {
        row["indicator"]: row
        for row in IndicatorScore.objects.filter(
            assessment__organisation__in=scope_ids(scope), assessment__framework=framework
        )
        .order_by()
        .values("indicator")
        .annotate(
            n=Count("pk"),
            sum=Sum("score", output_field=SUM),
            lowest=Min("score"),
            highest=Max("score"),
            below=Count("pk", filter=Q(score__lt=framework.pass_mark)),
            **counts,
        )
    }
    stats = []
    for indicator in framework.indicators.all():
        row = found.get(indicator.pk)
        base = {"number": indicator.number, "name": indicator.name, "tool": indicator.tool.code}
        if row is None or not row["n"]:
            stats.append(IndicatorStat(**base, bands=(0,) * len(bands)))
            continue
        stats.append(
            IndicatorStat(
                **base,
                count=row["n"],
                mean=round2(row["sum"] / row["n"]),
                lowest=row["lowest"],
                highest=row["highest"],
                below=row["below"],
                bands=tuple(row[f"band_{n}"] for n in range(len(bands))),
            )
        )
    return stats


def score_statistics(scope: QuerySet[Organisation], *, fiscal_year: int, organisations: int) -> ScoreStatistics | None:
    """The announced ITA results (fiscal_year − 1) of the ``organisations`` organisations of ``scope``;
    None when that year has no framework. Five queries, whatever the number of organisations."""
    year = fiscal_year - 1
    framework = framework_of(year)
    if framework is None:
        return None
    scores = organisation_scores(scope, year=year, pass_mark=framework.pass_mark)
    rows = sorted((s for s in scores.values() if s.total is not None), key=lambda s: (s.total, s.name, s.pk))
    bands = []
    for band in bands_of(framework):
        count = sum(band.holds(s.total) for s in rows)
        bands.append(replace(band, count=count, percent=_percent(count, len(rows))))
    changes = [s.change for s in rows if s.change is not None]
    return ScoreStatistics(
        fiscal_year=fiscal_year,
        year=year,
        framework=framework,
        organisations=organisations,
        bands=bands,
        indicators=indicator_statistics(scope, framework, bands),
        rows=rows,
        mean=round2(sum(s.total for s in rows) / len(rows)) if rows else None,
        passed=sum(bool(s.passed) for s in rows),
        compared=len(changes),
        mean_change=round2(sum(changes) / len(changes)) if changes else None,
        improved=sum(c > 0 for c in changes),
        declined=sum(c < 0 for c in changes),
    )


# --- Behind ------------------------------------------------------------------------------------


def round_due_date(fiscal_year: int, months: int) -> date:
    """When a round's report is due: the same date as the e-mail reminders' (workflow.round_due)."""
    return workflow.round_due_date(fiscal_year, months, settings.ROUND_DUE_DATES)


def round_dues(fiscal_year: int) -> list[tuple[int, date]]:
    """(months, due date) of each round of the fiscal year."""
    return [(months, round_due_date(fiscal_year, months)) for months in sorted(ROUND_PREFIXES)]


@dataclass(frozen=True)
class LateRound:
    months: int
    due: date
    state: str  # not started, or a draft

    @property
    def text(self) -> str:
        state = _("ยังไม่เริ่ม") if self.state == selectors.NOT_STARTED else _("ยังเป็นร่าง")
        return _("รายงาน%(round)s เลยกำหนดส่ง %(due)s (%(state)s)") % {
            "round": thai.round_label(self.months, thai_digits=False),
            "due": thai.format_date_short(self.due, thai_digits=False),
            "state": state,
        }


@dataclass(frozen=True)
class Behind:
    pk: int
    name: str
    slug: str
    district: str
    province: str
    no_document: bool
    late_rounds: tuple[LateRound, ...]
    reminded_at: datetime | None = None  # the last reminder within REMIND_INTERVAL

    @property
    def reasons(self) -> list[str]:
        found = [_("ยังไม่มีเอกสารมาตรการ")] if self.no_document else []
        return found + [late.text for late in self.late_rounds]


def reminder_key(organisation_id: int) -> str:
    return f"{REMINDER_TEMPLATE}:{organisation_id}"


def last_reminders(organisation_ids: list[int], *, now: datetime) -> dict[int, datetime]:
    """Organisation id → when it was last reminded, if within REMIND_INTERVAL before ``now``: one query."""
    if not organisation_ids:
        return {}
    keys = {reminder_key(pk): pk for pk in organisation_ids}
    rows = (
        OutgoingEmail.objects.filter(template__in=list(keys), created_at__gt=now - REMIND_INTERVAL)
        .order_by()
        .values("template")
        .annotate(at=Max("created_at"))
        .values_list("template", "at")
    )
    return {keys[key]: at for key, at in rows}


def behind(rows: QuerySet[Organisation], *, fiscal_year: int, today: date, now: datetime | None = None) -> list[Behind]:
    """The organisations of ``rows`` (selectors.oversight_rows) behind in ``fiscal_year``, by
    province, district and name, with their last reminder: two queries."""
    late = [months for months in sorted(ROUND_PREFIXES) if round_due_date(fiscal_year, months) < today]
    condition = Q(doc_state=selectors.NOT_STARTED)
    for months in late:
        condition |= Q(**{f"{ROUND_PREFIXES[months]}_state__in": UNFINISHED})
    states = [f"{ROUND_PREFIXES[months]}_state" for months in late]
    found = []
    for pk, name, slug, district, province, doc_state, *round_states in (
        rows.prefetch_related(None)
        .filter(condition)
        .order_by("province", "district", "name", "pk")
        .values_list("pk", "name", "slug", "district", "province", "doc_state", *states)
    ):
        rounds = tuple(
            LateRound(months, round_due_date(fiscal_year, months), state)
            for months, state in zip(late, round_states, strict=True)
            if state in UNFINISHED
        )
        found.append(Behind(pk, name, slug, district, province, doc_state == selectors.NOT_STARTED, rounds))
    reminded = last_reminders([b.pk for b in found], now=now or timezone.now())
    return [replace(b, reminded_at=reminded.get(b.pk)) for b in found]


@dataclass(frozen=True)
class ScoreColumns:
    """What the spreadsheet export adds per organisation: the announced ITA result of the year the
    fiscal year's measures analyse, its change, and each published indicator score."""

    year: int
    pass_mark: Decimal
    indicators: list[tuple[int, str]]  # (number, name) of the year's framework
    by_organisation: dict[int, OrganisationScore]

    def of(self, organisation_id: int) -> OrganisationScore | None:
        return self.by_organisation.get(organisation_id)


def score_columns(scope: QuerySet[Organisation], *, fiscal_year: int) -> ScoreColumns | None:
    """The export's score columns for the organisations of ``scope``: five queries, whatever their
    number; None when ITA fiscal_year − 1 has no framework."""
    framework = framework_of(fiscal_year - 1)
    if framework is None:
        return None
    return ScoreColumns(
        year=framework.year,
        pass_mark=framework.pass_mark,
        indicators=[(i.number, i.name) for i in framework.indicators.all()],
        by_organisation=organisation_scores(
            scope, year=framework.year, pass_mark=framework.pass_mark, with_indicators=True
        ),
    )
