"""Recompute an ITA result from its indicator scores with the year's framework.

Tool score = weighted mean of its indicators (weights relative inside the tool); total =
tools weighted by their weights; rating = the first rating rule that matches. Official figures
that differ from the computation by more than MISMATCH_TOLERANCE are flagged, never corrected.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .models import Assessment, Framework, Indicator, RatingRule, Tool

MISMATCH_TOLERANCE = Decimal("0.01")
TWO_PLACES = Decimal("0.01")


def round2(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Mismatch:
    label: str
    official: object
    computed: object


@dataclass(frozen=True)
class ToolResult:
    tool: Tool
    computed: Decimal | None
    official: Decimal | None
    indicators: list[tuple[Indicator, Decimal | None]]

    @property
    def score(self) -> Decimal | None:
        return self.official if self.official is not None else round2(self.computed)


@dataclass(frozen=True)
class ScoreCard:
    framework: Framework
    tools: list[ToolResult]
    total_computed: Decimal | None
    total_official: Decimal | None
    rating_computed: RatingRule | None
    rating_official: str
    weak_indicators: list[tuple[Indicator, Decimal]]
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def total(self) -> Decimal | None:
        return self.total_official if self.total_official is not None else round2(self.total_computed)

    @property
    def rating(self) -> str:
        if self.rating_official:
            return self.rating_official
        return self.rating_computed.label if self.rating_computed else ""

    @property
    def passed(self) -> bool | None:
        return self.rating_computed.passed if self.rating_computed else None

    @property
    def has_mismatch(self) -> bool:
        return bool(self.mismatches)


def _weighted_mean(pairs: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    weight = sum((w for _, w in pairs), Decimal(0))
    if not pairs or weight == 0:
        return None
    return sum((score * w for score, w in pairs), Decimal(0)) / weight


def compute_scorecard(
    *,
    framework: Framework,
    indicator_scores: dict[int, Decimal | None],
    official_tool_scores: dict[str, Decimal | None] | None = None,
    official_total: Decimal | None = None,
    official_rating: str = "",
) -> ScoreCard:
    """Compute tool scores, total and rating; compare with the official figures.

    `framework` should come with `tools__indicators` and `rating_rules` prefetched.
    """
    official_tool_scores = official_tool_scores or {}
    tools: list[ToolResult] = []
    mismatches: list[Mismatch] = []
    weak: list[tuple[Indicator, Decimal]] = []
    complete = True
    for tool in framework.tools.all():
        rows = [(ind, indicator_scores.get(ind.number)) for ind in tool.indicators.all()]
        known = [(score, ind.weight) for ind, score in rows if score is not None]
        computed = _weighted_mean(known) if len(known) == len(rows) else None
        complete = complete and computed is not None
        official = official_tool_scores.get(tool.code)
        tools.append(ToolResult(tool=tool, computed=computed, official=official, indicators=rows))
        if computed is not None and official is not None and abs(official - computed) > MISMATCH_TOLERANCE:
            mismatches.append(Mismatch(tool.code, official, round2(computed)))
        weak.extend((ind, score) for ind, score in rows if score is not None and score < framework.pass_mark)

    total = None
    if complete and tools:
        total = _weighted_mean([(t.computed, t.tool.weight) for t in tools])
    if total is not None and official_total is not None and abs(official_total - total) > MISMATCH_TOLERANCE:
        mismatches.append(Mismatch(_("คะแนนรวม"), official_total, round2(total)))

    rating = None
    if total is not None:
        tool_scores = [round2(t.computed) for t in tools]
        rating = next((r for r in framework.rating_rules.all() if r.matches(round2(total), tool_scores)), None)
    if rating is not None and official_rating and official_rating.strip().casefold() != rating.label.casefold():
        mismatches.append(Mismatch(_("ระดับผลการประเมิน"), official_rating, rating.label))

    weak.sort(key=lambda pair: (pair[1], pair[0].number))
    return ScoreCard(
        framework=framework,
        tools=tools,
        total_computed=total,
        total_official=official_total,
        rating_computed=rating,
        rating_official=official_rating,
        weak_indicators=weak,
        mismatches=mismatches,
    )


def scorecard_for(assessment: Assessment) -> ScoreCard:
    """The score card of a stored assessment (expects the prefetches of selectors)."""
    return compute_scorecard(
        framework=assessment.framework,
        indicator_scores={s.indicator.number: s.score for s in assessment.indicator_scores.all()},
        official_tool_scores={s.tool.code: s.score for s in assessment.tool_scores.all()},
        official_total=assessment.official_total,
        official_rating=assessment.official_rating,
    )
