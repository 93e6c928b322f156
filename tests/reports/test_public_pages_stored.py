"""Public pages kept in the database (reports.public.caching, PublicPage): the second level under
the cache. A page no worker holds (another worker, a restart, the long tail) is served from the
row without a render, but only while the row shows the page's data as they stand now, and only
for the release that rendered it.
"""

# Fixtures are imported from other test modules, and test arguments then shadow them.
# ruff: noqa: F811

import gzip
import time
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils import timezone

from measures import services
from measures.models import Framework
from reports import publishing
from reports.models import PublicPage
from reports.public import caching
from tests.factories import OrganisationFactory
from tests.reports.test_public_cache import empty_cache  # noqa: F401 - autouse fixture
from tests.reports.test_publishing import (  # noqa: F401 - fixtures
    FIRST_TITLE,
    SECOND_TITLE,
    new_edition,
    published,
    republished,
)

pytestmark = pytest.mark.django_db

LATEST = "/test-town/2566/measures/"
ORGANISATION = "/test-town/"


@pytest.mark.parametrize("url", [LATEST, ORGANISATION])
def test_a_page_no_worker_holds_is_served_from_the_database_without_a_render(
    url, client, published, django_assert_max_num_queries
):
    first = client.get(url)
    assert PublicPage.objects.count() == 1
    cache.clear()  # as in another worker, or after a restart
    with django_assert_max_num_queries(2):  # the site's generation and the kept page: no state query
        again = client.get(url)
    assert again.status_code == 200 and again.context is None  # not rendered
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_after_a_write_elsewhere_a_stored_page_is_checked_against_its_state_not_rendered(
    client, published, django_assert_max_num_queries
):
    first = client.get(LATEST)
    OrganisationFactory()  # another organisation: moves the site's generation
    cache.clear()
    # The generation, the kept page, the document's state, and the check recorded with the page.
    with django_assert_max_num_queries(4):
        again = client.get(LATEST)
    assert again.context is None and again.content == first.content
    cache.clear()  # another worker: the page is current in this generation, nothing to check
    with django_assert_max_num_queries(2):  # the generation, the kept page
        other = client.get(LATEST)
    assert other.context is None and other.content == first.content


def test_a_stored_page_of_an_earlier_state_is_never_served(client, published, document, officer, heads):
    assert FIRST_TITLE in client.get(LATEST).text
    new_edition(document, by=officer, heads=heads, title=SECOND_TITLE)
    publishing.publish(target=document, by=officer)
    cache.clear()
    response = client.get(LATEST)
    assert SECOND_TITLE in response.text and FIRST_TITLE not in response.text
    assert PublicPage.objects.count() == 1  # the new page replaced the old one at its address


def test_a_withdrawal_reaches_a_page_kept_in_the_database(client, published, officer):
    client.get(LATEST)
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    cache.clear()
    response = client.get(LATEST)
    assert response.status_code == 410 and FIRST_TITLE not in response.text


def test_a_page_rendered_by_an_earlier_release_is_not_served(client, published, monkeypatch):
    client.get(LATEST)
    PublicPage.objects.update(body=b"")  # were it served, the answer would fail to expand
    cache.clear()
    monkeypatch.setattr(caching, "release", lambda: "the next release")
    response = client.get(LATEST)
    assert response.status_code == 200 and response.context is not None and FIRST_TITLE in response.text


def test_a_kept_page_is_rendered_again_once_its_time_is_over(client, published):
    client.get(ORGANISATION)
    cache.clear()
    with time_machine.travel(timezone.now() + timedelta(seconds=caching.PAGE_TIMEOUT + 1)):
        assert client.get(ORGANISATION).context is not None


def test_an_edit_of_a_framework_s_rating_rules_shows_at_once_on_the_organisation_page(
    client, published, organisation, officer
):
    framework = Framework.objects.get(year=2565)
    services.assessment_save(
        organisation=organisation,
        framework=framework,
        by=officer,
        indicator_scores={indicator: Decimal("95") for indicator in framework.indicators.all()},
        official_total=Decimal("95.00"),
        official_rating="",
    )
    assert "ระดับที่แก้ไขแล้ว" not in client.get(ORGANISATION).text
    for rule in framework.rating_rules.all():  # as the platform's admin saves them
        rule.label = "ระดับที่แก้ไขแล้ว"
        rule.save()
    assert "ระดับที่แก้ไขแล้ว" in client.get(ORGANISATION).text
    cache.clear()  # another worker: the page kept in the database is not current either
    assert "ระดับที่แก้ไขแล้ว" in client.get(ORGANISATION).text


def test_a_failed_write_loses_the_copy_not_the_answer(client, published, monkeypatch):
    def fail(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(PublicPage.objects, "bulk_create", fail)
    response = client.get(LATEST)
    assert response.status_code == 200 and FIRST_TITLE in response.text
    assert not PublicPage.objects.exists()


def test_pages_nobody_asked_for_are_deleted_now_and_then(client, published, republished, monkeypatch):
    client.get("/test-town/2566/measures/v1/")
    PublicPage.objects.update(expires=time.time() - caching.PRUNE_AFTER.total_seconds() - 60)
    monkeypatch.setattr(caching, "PRUNE_EVERY", 1)
    client.get(LATEST)
    assert list(PublicPage.objects.values_list("etag", flat=True)) == [client.get(LATEST)["ETag"]]


def test_a_browser_gets_the_kept_page_as_it_is_kept_compressed(client, published):
    plain = client.get(LATEST)
    zipped = client.get(LATEST, headers={"accept-encoding": "gzip, deflate, br"})
    assert zipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert gzip.decompress(zipped.content) == plain.content
    assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content) / 3
    assert "Accept-Encoding" in zipped["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert zipped["ETag"] == plain["ETag"]
    again = client.get(LATEST, headers={"accept-encoding": "gzip", "if-none-match": zipped["ETag"]})
    assert again.status_code == 304 and "Accept-Encoding" in again["Vary"]


def test_a_page_with_a_csp_nonce_is_expanded_for_its_new_nonce_even_for_a_browser(rf):
    response = HttpResponse('<style nonce="abc123">p{}</style>')
    response["Content-Security-Policy"] = "style-src 'self' 'nonce-abc123'"
    kept = caching.stored_entry(response, caching.CachedPage("public-page:test", 'W/"t"', 60, 0.0))
    served = caching.replay_entry(rf.get("/", HTTP_ACCEPT_ENCODING="gzip"), kept)
    assert "Content-Encoding" not in served and served.content.startswith(b"<style nonce=")
    assert b"abc123" not in served.content


def test_the_release_moves_with_the_templates_the_translations_and_the_pinned_libraries(settings, tmp_path):
    names = ("templates/page.html", "locale/th/LC_MESSAGES/django.po", "requirements.txt", "reports/views.py")
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("1")
    settings.BASE_DIR = tmp_path
    caching.release.cache_clear()
    try:
        seen = {caching.release()}
        for name in names:
            (tmp_path / name).write_text("2")
            caching.release.cache_clear()
            seen.add(caching.release())
    finally:
        caching.release.cache_clear()
    assert len(seen) == 1 + len(names)
