"""Recompute an ITA result from its indicator scores with the year's framework, and check what was published.

Tool score = weighted mean of its indicators (weights relative inside the tool); total =
tools weighted by their weights; rating = the first rating rule that matches. Every official
figure (each tool, the main total, and every other total the document states) is checked on
its own: one that differs from the computation by more than MISMATCH_TOLERANCE is flagged by
its label, never corrected. The rating as printed (a letter, a Thai label, or both) is a
mismatch only when it names another band; when it only words the same band differently, or
uses a name the year's rules do not know, it gets a wording note instead.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .models import Assessment, Framework, Indicator, RatingRule, Tool

MISMATCH_TOLERANCE = Decimal("0.01")
TWO_PLACES = Decimal("0.01")


def round2(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def rounded_like(value: Decimal | None, official: Decimal) -> Decimal | None:
    """The computed figure with as many decimals as the official one (at least two)."""
    if value is None:
        return None
    places = min(official.as_tuple().exponent, TWO_PLACES.as_tuple().exponent)
    return value.quantize(Decimal(1).scaleb(places), rounding=ROUND_HALF_UP)


def as_typed(value: Decimal) -> Decimal:
    """A stored figure with the decimals it was typed with, at least two: 97.8000 → 97.80, 97.7950 → 97.795."""
    two = value.quantize(TWO_PLACES)
    return two if two == value else value.normalize()


@dataclass(frozen=True)
class Mismatch:
    label: str
    official: object
    computed: object


@dataclass(frozen=True)
class Check:
    """One official figure against the computation: `ok` None when it cannot be computed."""

    label: str
    official: Decimal
    computed: Decimal | None

    @property
    def ok(self) -> bool | None:
        if self.computed is None:
            return None
        return abs(self.official - self.computed) <= MISMATCH_TOLERANCE


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
    grade_official: str = ""
    checks: list[Check] = field(default_factory=list)
    wording_notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal | None:
        return self.total_official if self.total_official is not None else round2(self.total_computed)

    @property
    def rating_as_published(self) -> str:
        return printed_rating(self.grade_official, self.rating_official)

    @property
    def rating(self) -> str:
        if self.rating_as_published:
            return self.rating_as_published
        return self.rating_computed.label if self.rating_computed else ""

    @property
    def passed(self) -> bool | None:
        return self.rating_computed.passed if self.rating_computed else None

    @property
    def has_mismatch(self) -> bool:
        return bool(self.mismatches)


def printed_rating(grade: str, label: str) -> str:
    """A rating as a document prints it: "A (ผ่านดี)", "ผ่านดี", or "AA"."""
    grade, label = grade.strip(), label.strip()
    if grade and label and normalise(grade) not in normalise(label):
        return _("%(grade)s (%(label)s)") % {"grade": grade, "label": label}
    return label or grade


# Words that surround a rating in documents ("ระดับ A คือ ผ่านดี") and punctuation: not part of its name.
_FILLER = re.compile(r"ผลการประเมิน|ระดับ|คือ|[\s()\[\]\"'“”‘’:.,=\-–—/]+")
# A letter grade written before the Thai label: "A", "AA", "B+", then the rest.
_LEADING_GRADE = re.compile(r"^\s*(?:ระดับ\s*)?([A-Za-z]{1,2}[+]?)(?![A-Za-z])(.*)$", re.S)


def normalise(text: str) -> str:
    return _FILLER.sub("", text).casefold()


def stated_names(grade: str, rating: str) -> list[str]:
    """The names a published rating gives its band: "B ผ่านดี" → ["B", "ผ่านดี"]."""
    names = [grade.strip()] if grade.strip() else []
    match = _LEADING_GRADE.match(rating)
    if match and normalise(match.group(2)) != normalise(rating):
        names += [match.group(1), match.group(2)]
    else:
        names.append(rating)
    unique: dict[str, str] = {}
    for name in names:
        unique.setdefault(normalise(name), name.strip())
    unique.pop("", None)
    return list(unique.values())


def check_rating(
    rules: Sequence[RatingRule], computed: RatingRule, *, grade: str, rating: str, year: int
) -> tuple[list[Mismatch], list[str]]:
    """The published rating against the computed band: a mismatch when it names another band only."""
    names = stated_names(grade, rating)
    if not names:
        return [], []
    agree, other, unknown = [], [], []
    for name in names:
        bands = [rule for rule in rules if normalise(name) in {normalise(n) for n in rule.names}]
        (agree if computed in bands else other if bands else unknown).append(name)
    published = printed_rating(grade, rating)
    expected = printed_rating(computed.grade, computed.label)
    if not agree and other:
        return [Mismatch(_("ระดับผลการประเมิน"), published, expected)], []
    if not agree:
        note = _(
            "ระดับที่ประกาศ “%(published)s” ไม่ตรงกับชื่อหรืออักษรของระดับใดในเกณฑ์ปี %(year)s"
            " จึงเทียบกับระดับที่คำนวณได้ (%(expected)s) ไม่ได้ กรุณาตรวจถ้อยคำกับประกาศผล"
        )
        return [], [note % {"published": published, "year": year, "expected": expected}]
    if other or unknown:
        note = _(
            "ระดับที่ประกาศ “%(published)s” เป็นระดับเดียวกับที่คำนวณได้ (%(expected)s) แต่เขียนต่างจากเกณฑ์ปี %(year)s"
            " (“%(words)s” ไม่ใช่ชื่อหรืออักษรของระดับนี้) เป็นความต่างของถ้อยคำ ไม่ใช่ของคะแนน"
        )
        words = ", ".join(other + unknown)
        return [], [note % {"published": published, "expected": expected, "year": year, "words": words}]
    return [], []


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
    official_grade: str = "",
    stated_totals: Sequence[tuple[str, Decimal]] = (),
) -> ScoreCard:
    """Compute tool scores, total and rating; check each official figure against them.

    `framework` should come with `tools__indicators` and `rating_rules` prefetched;
    `stated_totals` are the other totals the document states, as (label, value).
    """
    official_tool_scores = official_tool_scores or {}
    tools: list[ToolResult] = []
    checks: list[Check] = []
    weak: list[tuple[Indicator, Decimal]] = []
    complete = True
    for tool in framework.tools.all():
        rows = [(ind, indicator_scores.get(ind.number)) for ind in tool.indicators.all()]
        known = [(score, ind.weight) for ind, score in rows if score is not None]
        computed = _weighted_mean(known) if len(known) == len(rows) else None
        complete = complete and computed is not None
        official = official_tool_scores.get(tool.code)
        tools.append(ToolResult(tool=tool, computed=computed, official=official, indicators=rows))
        if official is not None:
            checks.append(Check(tool.code, official, round2(computed)))
        weak.extend((ind, score) for ind, score in rows if score is not None and score < framework.pass_mark)

    total = None
    if complete and tools:
        total = _weighted_mean([(t.computed, t.tool.weight) for t in tools])
    if official_total is not None:
        checks.append(Check(_("คะแนนรวม"), official_total, round2(total)))
    for label, value in stated_totals:
        checks.append(Check(_("คะแนนรวม (%(label)s)") % {"label": label}, value, rounded_like(total, value)))
    mismatches = [Mismatch(c.label, c.official, c.computed) for c in checks if c.ok is False]

    rating = None
    notes: list[str] = []
    if total is not None:
        tool_scores = [round2(t.computed) for t in tools]
        rules = list(framework.rating_rules.all())
        rating = next((r for r in rules if r.matches(round2(total), tool_scores)), None)
        if rating is not None:
            wrong, notes = check_rating(
                rules, rating, grade=official_grade, rating=official_rating, year=framework.year
            )
            mismatches += wrong

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
        grade_official=official_grade,
        checks=checks,
        wording_notes=notes,
    )


def scorecard_for(assessment: Assessment) -> ScoreCard:
    """The score card of a stored assessment (expects the prefetches of selectors)."""
    return compute_scorecard(
        framework=assessment.framework,
        indicator_scores={s.indicator.number: s.score for s in assessment.indicator_scores.all()},
        official_tool_scores={s.tool.code: s.score for s in assessment.tool_scores.all()},
        official_total=assessment.official_total,
        official_rating=assessment.official_rating,
        official_grade=assessment.official_grade,
        stated_totals=[(s.label, as_typed(s.value)) for s in assessment.stated_totals.all()],
    )
