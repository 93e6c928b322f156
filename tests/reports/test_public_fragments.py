# ruff: noqa: F811 - pytest fixtures imported by name
"""Parts of public pages made once from published data and kept in the database (issue 19: cold
pages cheap, the long tail fast): a page rendered anew reads them instead of making them."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from measures import services
from measures.models import Framework, Organisation
from reports.models import PublicFragment
from reports.public import caching, pages
from tests.reports.test_public_cache import ORGANISATION, page
from tests.reports.test_publishing import published  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def _save_scores(organisation, officer, total: str, rating: str):
    framework = Framework.objects.get(year=2565)
    services.assessment_save(
        organisation=organisation,
        framework=framework,
        by=officer,
        indicator_scores={indicator: Decimal("90") for indicator in framework.indicators.all()},
        official_total=Decimal(total),
        official_rating=rating,
    )


def test_the_organisation_page_makes_its_scores_once_and_then_reads_them(
    client,
    published,
    organisation,
    officer,
    monkeypatch,
):
    _save_scores(organisation, officer, "91.50", "A")
    made = []
    real = pages._scores
    monkeypatch.setattr(pages, "_scores", lambda o: made.append(o.pk) or real(o))
    first = page(client, ORGANISATION).text
    cache.clear()  # the page itself rendered anew (another worker, a restart): its scores are read
    second = page(client, ORGANISATION).text
    assert made == [organisation.pk]
    assert first == second
    assert "๙๑.๕๐" in first or "91.50" in first


def test_a_new_score_makes_a_new_fragment_and_forgets_the_old_one(client, published, organisation, officer):
    _save_scores(organisation, officer, "91.50", "A")
    page(client, ORGANISATION)
    _save_scores(organisation, officer, "84.00", "B")
    assert "ระดับ <strong>B</strong>" in page(client, ORGANISATION).text
    assert PublicFragment.objects.filter(family=f"scores:{organisation.pk}").count() == 1


def test_the_reading_view_is_kept_in_the_database_for_every_worker(published):
    made = pages.publication_reading(published)
    cache.clear()
    row = PublicFragment.objects.get(family=f"reading:{published.pk}")
    assert row.html == str(made) and published.sha256 in row.key


@pytest.mark.parametrize(
    ("backend", "seconds"),
    [
        ("django.core.cache.backends.locmem.LocMemCache", caching.STATE_TIMEOUT),
        ("django.core.cache.backends.redis.RedisCache", caching.SHARED_STATE_TIMEOUT),
    ],
)
def test_a_state_lives_long_only_in_a_cache_every_worker_shares(backend, seconds):
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": "redis://127.0.0.1:6379/15"}}):
        assert caching.state_timeout() == seconds
    assert caching.STATE_TIMEOUT == 1 < caching.SHARED_STATE_TIMEOUT


def test_a_per_process_cache_keeps_states_while_nothing_public_changed(client, published, django_assert_num_queries):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        page(client, ORGANISATION)
        traveller.shift(timedelta(seconds=caching.STATE_TIMEOUT + 1))
        with django_assert_num_queries(1):  # the site's generation, not the organisation's state
            page(client, ORGANISATION)


def test_a_write_another_worker_made_shows_within_a_second(client, published, organisation):
    """Another worker's write reaches this worker's cache through the generation, not a deletion."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert organisation.name in page(client, ORGANISATION).text
        # As another process would: no signal reaches this worker's cache.
        Organisation.objects.filter(pk=organisation.pk).update(name="เทศบาลตำบลชื่อใหม่", updated_at=timezone.now())
        assert "เทศบาลตำบลชื่อใหม่" not in page(client, ORGANISATION).text  # kept for up to a second
        traveller.shift(timedelta(seconds=caching.STATE_TIMEOUT + 1))
        assert "เทศบาลตำบลชื่อใหม่" in page(client, ORGANISATION).text
