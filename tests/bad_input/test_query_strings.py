"""Tampered query strings on the list pages: ids too large for the database, text where a number
belongs, markup in a search. The page answers (or 404s) without a server error and shows the
search text escaped."""

import pytest
from django.urls import reverse

from tests.bad_input.conftest import assert_inert

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
SEARCH = "<script>alert(1)</script>"
# SQLite refuses a LIKE pattern over 50,000 bytes ("LIKE or GLOB pattern too complex"): the search
# boxes (measures/filters.py MeasureFilter.q, reports/views.py home) pass any length to icontains.
LONG_SEARCH = {"q": "ก" * 100_000}  # cut to 200 characters by the search boxes


@pytest.mark.parametrize(
    "query",
    [
        {"theme": HUGE},
        {"unit": HUGE},
        {"indicator": HUGE},
        {"theme": "abc"},
        {"status": "<b>"},
        {"q": SEARCH},
        {"page": HUGE},
        {"page": "-1"},
        {"sort": SEARCH},
        LONG_SEARCH,
        {"next": "//evil.example/"},
    ],
)
def test_the_measures_list_survives_a_tampered_query(staff, measure, query):
    response = staff.get(reverse("measures:measure_list", args=["test-town", 2566]), query)
    assert response.status_code in (200, 404)
    assert_inert(response.content.decode())


@pytest.mark.parametrize("query", [{"page": HUGE}, {"sort": SEARCH}])
def test_the_round_page_survives_a_tampered_query(staff, report, query):
    response = staff.get(reverse("measures:round_detail", args=["test-town", 2566, 6]), query)
    assert response.status_code in (200, 404)
    assert_inert(response.content.decode())


@pytest.mark.parametrize("query", [{"unit": HUGE}, {"unit": "abc"}, {"unit": SEARCH}, {"unit": "-1"}])
def test_the_round_grid_survives_a_tampered_unit_filter(staff, report, query):
    response = staff.get(reverse("measures:round_grid", args=["test-town", 2566, 6]), query)
    assert response.status_code in (200, 404)
    assert_inert(response.content.decode())


@pytest.mark.parametrize("query", [{"unit": HUGE}, {"unit": "abc"}, {"unit": SEARCH}])
def test_a_units_round_workbook_survives_a_tampered_unit(staff, report, query):
    response = staff.get(reverse("measures:round_export", args=["test-town", 2566, 6, "xlsx"]), query)
    assert response.status_code in (200, 400, 404)
    if response.get("Content-Type", "").startswith("text/html"):
        assert_inert(response.content.decode())


@pytest.mark.parametrize(
    "url",
    [
        "/staff/test-town/measures/2566/trash/bogus/1/restore/",
        "/staff/test-town/measures/2566/trash/measure/" + HUGE + "/restore/",
        "/staff/test-town/measures/2566/trash/finding/0/restore/",
    ],
)
def test_a_restore_of_nothing_known_is_not_found_and_changes_nothing(staff, document, url, nothing_changes):
    with nothing_changes():
        assert staff.post(url).status_code == 404


@pytest.mark.parametrize(
    "query", [{"year": HUGE}, {"year": "abc"}, {"q": SEARCH}, {"province": SEARCH}, {"state": SEARCH}, {"page": HUGE}]
)
def test_the_oversight_dashboard_survives_a_tampered_query(client, oversight, query):
    client.force_login(oversight)
    response = client.get(reverse("measures:oversight"), query)
    assert response.status_code in (200, 404)
    assert_inert(response.content.decode())


def test_a_new_measure_for_a_theme_id_too_large_opens_the_empty_form(staff, document):
    response = staff.get(reverse("measures:measure_new", args=["test-town", 2566]), {"theme": HUGE})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/staff/test-town/measures/2566/m/" + HUGE + "/",
        "/staff/test-town/evidence/" + HUGE + "/",
        "/staff/test-town/reviews/" + HUGE + "/",
        "/staff/test-town/measures/" + HUGE + "/",
        "/test-town/" + HUGE + "/measures/",
        "/test-town/2566/measures/v" + HUGE + "/",
    ],
)
def test_an_id_or_year_too_large_for_the_database_in_the_address_is_not_found(staff, document, url):
    assert staff.get(url).status_code == 404


@pytest.mark.parametrize("query", [{"q": SEARCH}, LONG_SEARCH, {"province": SEARCH}])
def test_the_public_organisation_search_shows_the_search_as_text(client, organisation, query):
    response = client.get(reverse("reports:home"), query)
    assert response.status_code == 200
    assert_inert(response.content.decode())
