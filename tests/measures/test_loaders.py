"""Loading the ITA frameworks and the demo organisations from fixtures/."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction

from measures.devdata.demo import ACCOUNTS, DEMO_PASSWORD, load_demo
from measures.loaders import load_framework, read_json
from measures.models import Framework, Item, MeasuresDocument, Organisation, ProgressEntry, RatingRule
from measures.scoring import scorecard_for
from measures.selectors import assessments_for

FRAMEWORKS = Path(settings.BASE_DIR) / "fixtures" / "frameworks"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The full demo, loaded once for this module and rolled back at its end (it takes seconds)."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_db(demo, db):
    """Each test runs in its own savepoint on top of the demo."""


def document_of(slug: str, year: int) -> MeasuresDocument:
    return MeasuresDocument.objects.get(organisation__slug=slug, fiscal_year=year)


def row_counts(*, history: bool) -> dict[str, int]:
    """Rows per model: the domain tables, or only the django-simple-history tables."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical") == history
    }


def test_the_demo_builds_the_three_seed_organisations_and_a_new_one(demo_db):
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    assert slugs == {"khao-hua-chang", "thawon", "bo-phloi", "demo-new"}


def test_khao_hua_chang_has_15_measures_and_a_fully_reported_12_month_round(demo_db):
    document = document_of("khao-hua-chang", 2566)
    report = document.reports.get()
    assert document.measures.count() == 15
    assert report.round == 12
    assert report.entries.count() == 15
    assert not report.entries.filter(summary="").exists()


def test_thawon_has_a_6_month_report(demo_db):
    document = document_of("thawon", 2566)
    assert list(document.reports.values_list("round", flat=True)) == [6]
    assert document.reports.get().entries.count() == document.measures.count() > 0


def test_bo_phloi_has_its_ita_2564_result_of_79_58_grade_b(demo_db):
    organisation = Organisation.objects.get(slug="bo-phloi")
    assessment = assessments_for(organisation).get(framework__year=2564)
    card = scorecard_for(assessment)
    assert (assessment.official_total, card.total, card.rating) == (Decimal("79.58"), Decimal("79.58"), "B")
    assert card.rating_computed.label == "B"


def test_bo_phloi_has_a_2565_document_with_6_measures(demo_db):
    document = document_of("bo-phloi", 2565)
    assert document.measures.count() == 6
    assert document.basis_framework.year == 2564


def test_the_demo_progress_is_recorded_as_done_by_the_officer(demo_db):
    entries = ProgressEntry.objects.filter(report__document__organisation__slug="khao-hua-chang")
    assert set(entries.values_list("updated_by__username", flat=True)) == {"officer"}


def test_loading_the_demo_twice_adds_no_rows(demo_db):
    before = row_counts(history=False)
    load_demo()
    assert row_counts(history=False) == before


def test_loading_the_demo_twice_adds_no_history_rows(demo_db):
    before = row_counts(history=True)
    load_demo()
    after = row_counts(history=True)
    assert {label: after[label] - n for label, n in before.items() if after[label] != n} == {}


@pytest.mark.parametrize("username", [a.username for a in ACCOUNTS])
def test_every_demo_account_can_log_in_with_the_demo_password(username, demo_db, client):
    assert DEMO_PASSWORD == "ita-demo-2567"
    response = client.post("/accounts/login/", {"username": username, "password": "ita-demo-2567"})
    assert response.status_code == 302 and response.url == "/staff/"


def test_the_demo_contributor_sees_only_finance_measures(demo_db, client):
    client.post("/accounts/login/", {"username": "contributor", "password": DEMO_PASSWORD})
    response = client.get("/staff/khao-hua-chang/measures/2566/m/")  # the measures list (issue 18)
    document = document_of("khao-hua-chang", 2566)
    visible = set(response.context["table"].data.data.values_list("pk", flat=True))
    finance = set(document.measures.filter(units__name="กองคลัง").values_list("pk", flat=True))
    shared = set(document.measures.filter(all_units=True).values_list("pk", flat=True))
    assert visible == finance | shared
    assert visible != set(document.measures.values_list("pk", flat=True))


# --- Frameworks --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2564, 2565, 2566, 2567])
def test_each_shipped_framework_has_88_items_and_ten_indicators(year):
    framework = Framework.objects.get(year=year)
    assert framework.items.count() == 88
    assert framework.indicators.count() == 10
    assert sum(t.weight for t in framework.tools.all()) == Decimal("100")


@pytest.mark.django_db
def test_reloading_an_unchanged_framework_file_writes_nothing():
    framework = Framework.objects.get(year=2566)
    history_before = (framework.history.count(), Item.history.filter(framework_id=framework.pk).count())
    load_framework(read_json(FRAMEWORKS / "ita-2566.json"))
    assert Item.objects.filter(framework=framework).count() == 88
    assert (framework.history.count(), Item.history.filter(framework_id=framework.pk).count()) == history_before


@pytest.mark.django_db
def test_reloading_a_framework_file_updates_it_rather_than_duplicating_it():
    data = read_json(FRAMEWORKS / "ita-2566.json")
    data["items"][0]["title"] = "ข้อคำถามที่แก้ไขแล้ว"
    data["rating_rules"][0]["label"] = "AA+"
    framework = load_framework(data)
    assert Framework.objects.filter(year=2566).count() == 1
    assert Item.objects.filter(framework=framework).count() == 88
    assert framework.items.get(code=data["items"][0]["code"]).title == "ข้อคำถามที่แก้ไขแล้ว"
    assert RatingRule.objects.filter(framework=framework).count() == 7
    assert framework.rating_rules.get(order=1).label == "AA+"
