"""A review of the public page cache (reports.public.caching): the cases its other tests leave out.

Stale pages after a write that the site's generation or the kept states miss, Last-Modified after
a rename, a deleted organisation, a former address, a page first asked for by HEAD, and a kept
page read back from the database exactly as it was kept (SQLite and PostgreSQL answer the raw SQL
differently).
"""

# Fixtures are imported from other test modules, and test arguments then shadow them.
# ruff: noqa: F811

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from measures import organisations
from reports import publishing
from reports.public import caching, pages
from tests.factories import OrganisationFactory
from tests.reports.test_public_cache import empty_cache  # noqa: F401 - autouse fixture
from tests.reports.test_publishing import (  # noqa: F401 - fixtures
    FIRST_TITLE,
    SECOND_TITLE,
    new_edition,
    published,
)
from tests.test_redis_cache import redis_up

pytestmark = pytest.mark.django_db

LATEST = "/test-town/2566/measures/"
ORGANISATION = "/test-town/"
NEW_NAME = "เทศบาลเมืองทดสอบ"


@pytest.fixture
def shared_cache(settings):
    """The production cache: one Redis database for every worker and server (db 10: this file's)."""
    if not redis_up():
        pytest.skip("no Redis server at 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/10"}
    }
    cache.clear()
    yield
    cache.clear()


def test_a_state_read_just_before_a_publish_commits_does_not_outlive_it_in_a_shared_cache(
    client, shared_cache, published, document, officer, heads, monkeypatch, django_capture_on_commit_callbacks
):
    assert FIRST_TITLE in client.get(LATEST).text
    new_edition(document, by=officer, heads=heads, title=SECOND_TITLE)
    cache.delete(caching._states_key("test-town"))  # as the publish's own first deletion does
    # and the page is no longer in the cache (the long tail): the next request checks the copy
    # kept in the database against the document's state.
    redis = cache._cache.get_client()
    kept_pages = redis.keys(f"{cache.make_key('public-page:')}*")
    assert kept_pages and redis.delete(*kept_pages) == len(kept_pages)

    def read_then_publish(**kwargs):  # another worker: its state query runs just before the commit
        state = caching.document_state(**kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            publishing.publish(target=document, by=officer)
        return state

    monkeypatch.setattr(pages.publication_latest, "page_state", read_then_publish)
    caching._kept_view.cache_clear()
    client.get(LATEST)  # concurrent with the publish: either version is right
    monkeypatch.undo()
    caching._kept_view.cache_clear()
    assert SECOND_TITLE in client.get(LATEST).text  # the publish has committed: the next request shows it


def test_a_deleted_organisation_s_page_is_gone_at_once(client):
    organisation = OrganisationFactory()
    assert client.get(f"/{organisation.slug}/").status_code == 200
    organisation.delete()  # the Django admin lets the platform delete one that published nothing
    assert client.get(f"/{organisation.slug}/").status_code == 404


def test_a_rename_moves_the_document_page_s_last_modified(client, published, organisation):
    held = client.get(LATEST)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):  # HTTP dates count whole seconds
        organisation.name = NEW_NAME
        organisation.save()
    response = client.get(LATEST, headers={"if-modified-since": held["Last-Modified"]})
    assert response.status_code == 200 and NEW_NAME in response.text


def test_a_rename_committed_after_a_later_stamped_write_still_moves_the_generation(client, published, organisation):
    # Two officers save at once: the rename is stamped first (updated_at) but commits last, after
    # another organisation's save with the later stamp, which a worker reads the generation after.
    start = timezone.now()
    other = OrganisationFactory()
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        other.save()
    assert NEW_NAME not in client.get(ORGANISATION).text  # kept in the generation of the other save
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        organisation.name = NEW_NAME
        organisation.save()
    assert NEW_NAME in client.get(ORGANISATION).text


def test_a_page_first_asked_for_by_head_is_kept_whole_for_the_next_get(client, published):
    head = client.head(LATEST, headers={"accept-encoding": "gzip"})
    assert head.status_code == 200 and head.content == b""
    response = client.get(LATEST)
    assert response.context is None  # kept when HEAD asked for it
    assert FIRST_TITLE in response.text and int(response["Content-Length"]) == len(response.content)
    assert int(head["Content-Length"]) < len(response.content)  # what a GET accepting gzip would get


def test_a_kept_page_reads_back_from_the_database_as_it_was_kept():
    response = HttpResponse('<style nonce="abc123">p{}</style>', headers={"Vary": "Accept-Language"})
    response["Content-Security-Policy"] = "style-src 'self' 'nonce-abc123'"
    kept = caching.stored_entry(response, caching.CachedPage("public-page:review", 'W/"r"', 60, 0.0), "a1b2")
    caching.store_page("public-page:review", kept)
    stored = caching.stored_page("public-page:review")
    assert stored == kept and stored.has_nonce is True and isinstance(stored.body, bytes)


@pytest.mark.parametrize("url", [LATEST, ORGANISATION])
def test_a_page_kept_under_a_former_address_redirects_at_once(url, client, published, organisation, org_admin):
    assert client.get(url).status_code == 200  # kept in the cache and in the database
    organisations.change_slug(organisation=organisation, by=org_admin, slug="ban-na")
    for _worker in ("this one", "another one"):
        response = client.get(url)
        assert response.status_code == 301 and response["Location"] == url.replace("test-town", "ban-na")
        cache.clear()


@pytest.mark.parametrize(
    ("accept_encoding", "gzip"),
    [
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8, *;q=0.1", True),
        ("GZIP", True),
        ("x-gzip", True),
        ("gzip;q=0", False),
        ("gzip; q=0.000, identity", False),
        ("identity", False),
        ("deflate, br", False),
        ("", False),
        ("gzipped", False),
    ],
)
def test_a_kept_page_is_sent_compressed_only_to_a_client_that_accepts_gzip(client, published, accept_encoding, gzip):
    first = client.get(LATEST)
    response = client.get(LATEST, HTTP_ACCEPT_ENCODING=accept_encoding)
    assert response.status_code == 200 and response.context is None  # the kept page
    assert (response.get("Content-Encoding") == "gzip") is gzip
    if not gzip:
        assert response.content == first.content


def test_if_none_match_star_on_a_withdrawn_version_s_page_is_not_answered_304(client, published, officer):
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    assert client.get(LATEST).status_code == 410
    assert client.get(LATEST).status_code == 410  # kept
    assert client.get(LATEST, HTTP_IF_NONE_MATCH="*").status_code == 410  # no current page to match
    OrganisationFactory()  # a write elsewhere: the kept page is checked against its state first
    assert client.get(LATEST, HTTP_IF_NONE_MATCH=" * ").status_code == 410


def test_if_none_match_star_on_a_page_that_exists_is_answered_304(client, published):
    client.get(LATEST)
    assert client.get(LATEST, HTTP_IF_NONE_MATCH="*").status_code == 304
