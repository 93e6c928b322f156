"""ITA scores: out of range, negative, not a number, missing; Thai digits are accepted.

Scores already on record must survive a refused form: the test organisation has its ITA 2565.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import Assessment

pytestmark = pytest.mark.django_db

SCORES = ["85.59", "79.95", "80.50", "77.10", "84.98", "80.33", "80.63", "72.58", "72.21", "87.50"]
RANGE = "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"
NOT_A_NUMBER = "กรุณากรอกคะแนนเป็นตัวเลข เช่น 85.59 หรือ ๘๕.๕๙"
REQUIRED = "กรุณากรอกคะแนน"
URL = reverse("measures:assessment_edit", args=["test-town", 2565])


def scores(**overrides) -> dict:
    return {f"indicator_{n}": value for n, value in enumerate(SCORES, start=1)} | overrides


@pytest.fixture
def on_record(staff, organisation):
    assert staff.post(URL, scores(official_total="80.12", official_rating="B")).status_code == 302
    return Assessment.objects.get(organisation=organisation)


@pytest.mark.parametrize("typed", ["100.01", "120", "๑๒๐", "1000000", "-1", "-0.01", "-๕"])
def test_a_score_outside_0_to_100_or_negative_is_refused_in_thai(staff, on_record, nothing_changes, typed):
    with nothing_changes():
        response = staff.post(URL, scores(indicator_4=typed))
    assert response.status_code == 200
    assert set(response.context["form"].errors["indicator_4"]) == {RANGE}
    assert RANGE in response.text


@pytest.mark.parametrize("typed", ["abc", "85,5.2", "๘๕..๕", "1e2", "NaN", "Infinity", "85.5%", "๘๕,๕๙", "<b>90</b>"])
def test_a_score_that_is_not_a_number_is_refused_in_thai(staff, on_record, nothing_changes, typed):
    with nothing_changes():
        response = staff.post(URL, scores(indicator_7=typed))
    assert response.status_code == 200
    assert response.context["form"].errors["indicator_7"] == [NOT_A_NUMBER]


@pytest.mark.parametrize("typed", ["", "   "])
def test_an_indicator_score_left_empty_is_refused_in_thai(staff, on_record, nothing_changes, typed):
    with nothing_changes():
        response = staff.post(URL, scores(indicator_2=typed))
    assert response.status_code == 200
    assert response.context["form"].errors["indicator_2"] == [REQUIRED]


def test_a_form_with_no_score_at_all_names_all_ten_in_thai(staff, on_record, nothing_changes):
    with nothing_changes():
        response = staff.post(URL, {f"indicator_{n}": "" for n in range(1, 11)})
    errors = response.context["form"].errors
    assert {name: errors[name] for name in errors} == {f"indicator_{n}": [REQUIRED] for n in range(1, 11)}


def test_an_official_total_above_100_is_refused_even_though_it_is_optional(staff, on_record, nothing_changes):
    with nothing_changes():
        response = staff.post(URL, scores(official_total="180.5"))
    assert response.context["form"].errors["official_total"] == [RANGE]


def test_scores_in_thai_digits_are_accepted(staff, on_record):
    thai = ["๘๕.๕๙", "๗๙.๙๕", "๘๐.๕๐", "๗๗.๑๐", "๘๔.๙๘", "๘๐.๓๓", "๘๐.๖๓", "๗๒.๕๘", "๗๒.๒๑", "๙๐"]
    response = staff.post(URL, {f"indicator_{n}": v for n, v in enumerate(thai, start=1)} | {"official_total": "๘๐.๑๒"})
    assert response.status_code == 302
    on_record.refresh_from_db()
    assert on_record.indicator_scores.get(indicator__number=1).score == Decimal("85.59")
    assert on_record.indicator_scores.get(indicator__number=10).score == Decimal("90")
    assert on_record.official_total == Decimal("80.12")
