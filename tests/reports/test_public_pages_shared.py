"""Pages kept in a shared cache (Redis, as in production) are current by two tokens: the
organisation's epoch and the site's, which every committed write that changes what a page shows
replaces (reports.public.caching.shared_generation). A page checked while both still hold is
served with no query and no state; any write reaches every worker and server at once."""

# Fixtures are imported from other test modules, and test arguments then shadow them.
# ruff: noqa: F811

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures.models import Framework
from reports.models import PublicPage
from reports.public import caching
from tests.reports.test_public_cache import ORGANISATION, empty_cache  # noqa: F401 - autouse fixture
from tests.reports.test_public_pages_review import LATEST, shared_cache  # noqa: F401 - fixture
from tests.reports.test_publishing import FIRST_TITLE, SECOND_TITLE, new_edition, published  # noqa: F401

pytestmark = pytest.mark.django_db


def kept_page_keys() -> list[bytes]:
    return cache._cache.get_client().keys(f"{cache.make_key('public-page:')}*")


def test_a_page_checked_in_the_present_tokens_is_served_without_a_query_or_a_state(client, shared_cache, published):
    first = client.get(LATEST)
    assert PublicPage.objects.get().generation == ""  # kept in the database too, without the tokens
    client.get(LATEST)
    cache.delete(caching._states_key("test-town"))
    with CaptureQueriesContext(connection) as queries:
        again = client.get(LATEST)
    assert len(queries) == 0 and again.context is None and again.content == first.content
    assert cache.get(caching._states_key("test-town")) is None  # not even read back


def test_a_publish_replaces_the_organisation_s_token_at_once(
    client, shared_cache, published, document, officer, heads, django_capture_on_commit_callbacks
):
    from reports import publishing

    assert FIRST_TITLE in client.get(LATEST).text
    new_edition(document, by=officer, heads=heads, title=SECOND_TITLE)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish(target=document, by=officer)
    assert SECOND_TITLE in client.get(LATEST).text


def test_an_edit_of_the_rating_rules_reaches_the_organisation_page_kept_in_a_shared_cache(
    client, shared_cache, published, django_capture_on_commit_callbacks
):
    client.get(ORGANISATION)
    assert client.get(ORGANISATION).context is None  # kept
    site_token = cache.get(caching.SITE_EPOCH_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        framework = Framework.objects.get(year=2565)
        framework.save()  # the platform's admin saves the rules: every organisation's scores are rated again
    assert cache.get(caching.SITE_EPOCH_KEY) not in (None, site_token)
    assert client.get(ORGANISATION).context is not None  # checked against its state: rendered anew


def test_a_page_only_the_database_holds_is_checked_and_kept_at_most_the_state_timeout(client, shared_cache, published):
    first = client.get(LATEST)
    redis = cache._cache.get_client()
    keys = kept_page_keys()
    assert len(keys) == 1 and redis.delete(*keys) == 1  # the long tail: no worker's cache holds it
    cache.delete(caching._states_key("test-town"))
    with CaptureQueriesContext(connection) as queries:
        again = client.get(LATEST)
    sql = " ".join(query["sql"] for query in queries)
    assert again.context is None and again.content == first.content  # not rendered
    assert "reports_publicpage" in sql and "reports_publication" in sql  # the kept copy, and its state
    assert 0 < redis.ttl(keys[0]) <= caching.SHARED_STATE_TIMEOUT  # a change made outside Django: bounded
