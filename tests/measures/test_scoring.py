"""Recomputing ITA results from the ten indicator scores with each year's framework."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from measures import services
from measures.scoring import compute_scorecard, round2, scorecard_for
from measures.selectors import assessments_for, framework_with_structure
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

D = Decimal


def scores(*values) -> dict[int, Decimal]:
    """Indicator number (1–10) → score, from ten values in indicator order."""
    return {number: D(str(value)) for number, value in enumerate(values, start=1)}


DOMAIN_EXAMPLE = scores(100, "98.89", "99.78", 100, 100, "97.94", "97.43", "93.46", "95.00", 100)
BO_PHLOI_2564 = scores("85.59", "79.95", "80.50", "77.10", "84.98", "80.33", "80.63", "72.58", "72.21", "87.50")


def card_for(year, indicator_scores, **official):
    return compute_scorecard(framework=framework_with_structure(year), indicator_scores=indicator_scores, **official)


def tool_scores(card) -> dict[str, Decimal]:
    return {t.tool.code: round2(t.computed) for t in card.tools}


def test_the_domain_example_gives_the_published_tool_scores():
    card = card_for(2566, DOMAIN_EXAMPLE)
    assert tool_scores(card) == {"IIT": D("99.73"), "EIT": D("96.28"), "OIT": D("97.50")}


def test_the_domain_example_gives_a_total_of_97_80_and_grade_aa():
    card = card_for(2566, DOMAIN_EXAMPLE)
    assert round2(card.total_computed) == D("97.80")
    assert card.rating == "AA"
    assert card.passed is True


def test_the_domain_example_matches_its_published_figures():
    card = card_for(
        2566,
        DOMAIN_EXAMPLE,
        official_total=D("97.80"),
        official_rating="AA",
        official_tool_scores={"IIT": D("99.73"), "EIT": D("96.28"), "OIT": D("97.50")},
    )
    assert card.mismatches == []
    assert card.has_mismatch is False


def test_the_bo_phloi_2564_figures_compute_to_79_78_and_grade_b():
    card = card_for(2564, BO_PHLOI_2564)
    assert round2(card.total_computed) == D("79.78")
    assert card.rating_computed.label == "B"
    assert card.passed is False


def test_the_bo_phloi_published_total_79_58_is_flagged_as_a_mismatch():
    card = card_for(2564, BO_PHLOI_2564, official_total=D("79.58"), official_rating="B")
    assert [(m.label, m.official, m.computed) for m in card.mismatches] == [("คะแนนรวม", D("79.58"), D("79.78"))]
    assert card.total == D("79.58")  # the official figure is kept, never corrected


def test_a_published_tool_score_off_by_more_than_0_01_is_flagged():
    card = card_for(2564, BO_PHLOI_2564, official_tool_scores={"OIT": D("80.00"), "IIT": D("81.62")})
    assert [(m.label, m.computed) for m in card.mismatches] == [("OIT", D("79.86"))]


def test_a_published_grade_that_differs_from_the_rules_is_flagged():
    card = card_for(2564, BO_PHLOI_2564, official_rating="A")
    assert [m.label for m in card.mismatches] == ["ระดับผลการประเมิน"]
    assert card.rating == "A"


def test_weak_indicators_are_listed_weakest_first():
    card = card_for(2564, BO_PHLOI_2564)
    weak = [(indicator.number, score) for indicator, score in card.weak_indicators]
    assert weak[0] == (9, D("72.21"))
    assert [number for number, _ in weak] == [9, 8, 4, 2, 6, 3, 7, 5]  # 1 (85.59) and 10 (87.50) pass


def test_an_indicator_exactly_at_the_pass_mark_is_not_weak():
    card = card_for(2566, scores(85, 85, 85, 85, 85, 85, 85, 85, "84.99", 85))
    assert [(i.number, s) for i, s in card.weak_indicators] == [(9, D("84.99"))]


def test_a_missing_indicator_score_leaves_the_total_and_grade_undecided():
    incomplete = {n: s for n, s in DOMAIN_EXAMPLE.items() if n != 7}
    card = card_for(2566, incomplete)
    assert card.total_computed is None
    assert card.rating_computed is None
    assert tool_scores(card)["IIT"] == D("99.73")


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("95.00", "AA"),
        ("94.99", "A"),
        ("85.00", "A"),
        ("84.99", "B"),
        ("75.00", "B"),
        ("50.00", "E"),
        ("49.99", "F"),
    ],
)
def test_the_legacy_grade_bands_start_at_their_lower_bound(score, grade):
    card = card_for(2565, scores(*[score] * 10))
    assert card.rating_computed.label == grade


@pytest.mark.parametrize(
    ("iit", "eit", "oit", "rating"),
    [
        (100, 100, 100, "ผ่านดีเยี่ยม"),
        (95, 95, 95, "ผ่านดีเยี่ยม"),
        (100, 90, 100, "ผ่านดี"),  # total 97.00 but EIT below 95
        (100, 80, 100, "ผ่าน"),  # total 94.00 but EIT below 85
        (84, 85, 85, "ต้องปรับปรุง"),  # total 84.70
        (60, 70, 70, "ต้องปรับปรุงโดยด่วน"),  # total 67.00
    ],
)
def test_the_2567_rating_rules_require_every_tool_to_reach_the_level(iit, eit, oit, rating):
    card = card_for(2567, scores(*[iit] * 5, *[eit] * 3, *[oit] * 2))
    assert card.rating_computed.label == rating


def test_a_stored_assessment_is_scored_with_its_official_figures(organisation):
    framework = framework_with_structure(2564)
    services.assessment_save(
        organisation=organisation,
        framework=framework,
        by=UserFactory(),
        indicator_scores={i: BO_PHLOI_2564[i.number] for i in framework.indicators.all()},
        official_total=D("79.58"),
        official_rating="B",
    )
    card = scorecard_for(assessments_for(organisation).get())
    assert (card.total, round2(card.total_computed), card.rating) == (D("79.58"), D("79.78"), "B")
    assert card.has_mismatch


def test_scoring_a_stored_assessment_of_another_organisation_does_not_mix_scores(organisation):
    framework = framework_with_structure(2566)
    other = OrganisationFactory()
    for org, value in ((organisation, "90"), (other, "60")):
        services.assessment_save(
            organisation=org,
            framework=framework,
            by=None,
            indicator_scores={i: D(value) for i in framework.indicators.all()},
        )
    assert round2(scorecard_for(assessments_for(organisation).get()).total_computed) == D("90.00")


SCORE = st.decimals(min_value=0, max_value=100, places=2)


def test_the_computed_total_lies_between_the_lowest_and_highest_indicator_score():
    framework = framework_with_structure(2566)
    list(framework.rating_rules.all())  # prefetched: the property below runs without queries

    @hypothesis_settings(max_examples=300, deadline=None)
    @given(values=st.lists(SCORE, min_size=10, max_size=10))
    def check(values):
        card = compute_scorecard(framework=framework, indicator_scores=scores(*values))
        assert min(values) <= card.total_computed <= max(values)
        assert card.rating_computed is not None

    check()
