"""The public pages kept in the cache (reports.public.caching.PublicPageCache).

A kept page is keyed by the state of what it shows, so publishing, withdrawing or changing what
an organisation page shows is visible on the very next request, in every worker process, with
no deletion; drafts and a visitor's own messages never get into a kept page.
"""

# Fixtures are imported from other test modules, and test arguments then shadow them.
# ruff: noqa: F811

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import MessageEncoder
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from measures import services, workflow
from measures.models import Framework
from measures.services import MeasureData
from reports import publishing
from reports.models import OitEntry
from reports.public.caching import STATE_TIMEOUT, CachedPage, replay_entry, stored_entry
from tests.reports.test_publishing import (  # noqa: F401 - fixtures
    FIRST_TITLE,
    SECOND_TITLE,
    new_edition,
    published,
    republished,
)

pytestmark = pytest.mark.django_db

DRAFT_TEXT = "ข้อความร่างที่ยังไม่อนุมัติ-CACHE42"
LATEST = "/test-town/2566/measures/"
VERSION_1 = "/test-town/2566/measures/v1/"
ORGANISATION = "/test-town/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def page(client, url: str, **headers):
    return client.get(url, headers=headers)


def test_a_kept_page_costs_only_its_state_query(client, published, django_assert_max_num_queries):
    first = page(client, LATEST)
    with django_assert_max_num_queries(1):
        again = page(client, LATEST)
    assert again.status_code == 200 and again.content == first.content
    assert again.context is None  # not rendered again


def test_a_kept_organisation_page_costs_one_query(client, published, django_assert_max_num_queries):
    first = page(client, ORGANISATION)
    with django_assert_max_num_queries(1):
        assert page(client, ORGANISATION).content == first.content


def test_a_new_version_shows_at_once_on_every_page(client, published, document, officer, heads):
    kept = {url: page(client, url).text for url in (LATEST, VERSION_1, ORGANISATION)}
    assert FIRST_TITLE in kept[LATEST] and "ฉบับเผยแพร่ที่ ๑" in kept[ORGANISATION]
    new_edition(document, by=officer, heads=heads, title=SECOND_TITLE)
    publishing.publish(target=document, by=officer)  # nothing is deleted from the cache
    assert SECOND_TITLE in page(client, LATEST).text and FIRST_TITLE not in page(client, LATEST).text
    assert "ฉบับนี้ไม่ใช่ฉบับล่าสุด" in page(client, VERSION_1).text
    assert "ฉบับเผยแพร่ที่ ๒" in page(client, ORGANISATION).text


def test_a_withdrawal_shows_at_once(client, published, officer):
    assert page(client, LATEST).status_code == 200 and page(client, VERSION_1).status_code == 200
    page(client, ORGANISATION)
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    for url in (LATEST, VERSION_1):
        response = page(client, url)
        assert response.status_code == 410 and "แนบไฟล์ผิดฉบับ" in response.text
        assert FIRST_TITLE not in response.text
    assert "ถอนการเผยแพร่แล้ว" in page(client, ORGANISATION).text


def test_withdrawing_an_older_version_shows_in_the_newer_version_s_list(client, republished, published, officer):
    assert "ถอนการเผยแพร่แล้ว" not in page(client, LATEST).text
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    assert "ถอนการเผยแพร่แล้ว" in page(client, LATEST).text


def test_the_withdrawal_notice_is_kept_too_and_stays_a_410(client, published, officer, django_assert_max_num_queries):
    publishing.withdraw(publication=published, by=officer, reason="แนบไฟล์ผิดฉบับ")
    page(client, LATEST)
    with django_assert_max_num_queries(1):
        assert page(client, LATEST).status_code == 410


@pytest.mark.parametrize("approve", [False, True])
def test_a_new_edition_not_yet_published_never_reaches_a_kept_page(
    approve, client, published, document, officer, heads
):
    for url in (LATEST, VERSION_1, ORGANISATION):
        page(client, url)
    new_edition(document, by=officer, heads=heads, title=DRAFT_TEXT, approve=approve)
    for url in (LATEST, VERSION_1, ORGANISATION):
        response = page(client, url)
        assert response.status_code == 200 and DRAFT_TEXT not in response.text, url
    assert FIRST_TITLE in page(client, LATEST).text


def test_a_draft_of_another_year_never_reaches_the_organisation_page(client, published, organisation, officer):
    page(client, ORGANISATION)
    draft = services.document_create(organisation=organisation, fiscal_year=2567, by=officer)
    services.measure_create(document=draft, by=officer, data=MeasureData(title=DRAFT_TEXT, number=1, all_units=True))
    workflow.submit(target=draft, by=officer)
    assert DRAFT_TEXT not in page(client, ORGANISATION).text
    assert page(client, "/test-town/2567/measures/").status_code == 404


def test_a_page_first_rendered_for_an_officer_is_kept_without_their_message_or_name(
    client, published, officer, settings
):
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    client.force_login(officer)
    session = client.session
    session["_messages"] = MessageEncoder().encode([Message(messages.SUCCESS, "ข้อความถึงเจ้าหน้าที่-MSG7")])
    session.save()
    officer_view = page(client, LATEST)
    assert "MSG7" in page(client, reverse("measures:dashboard")).text  # still waiting for the staff side
    client.logout()
    citizen_view = page(client, LATEST)
    assert citizen_view.content == officer_view.content
    assert "MSG7" not in citizen_view.text and officer.last_name not in citizen_view.text
    assert not citizen_view.cookies


def test_a_change_of_score_shows_at_once_on_the_organisation_page(client, published, organisation, officer):
    framework = Framework.objects.get(year=2565)
    scores = {indicator: Decimal("95") for indicator in framework.indicators.all()}
    for total, rating in (("95.00", "A"), ("88.00", "B")):
        services.assessment_save(
            organisation=organisation,
            framework=framework,
            by=officer,
            indicator_scores=scores,
            official_total=Decimal(total),
            official_rating=rating,
        )
        assert f"ระดับ <strong>{rating}</strong>" in page(client, ORGANISATION).text


def test_an_oit_link_of_a_new_year_shows_at_once_on_the_organisation_page(client, published, organisation, officer):
    assert "/test-town/2567/oit/" not in page(client, ORGANISATION).text
    OitEntry.objects.create(
        organisation=organisation,
        fiscal_year=2567,
        item_code="O1",
        title="โครงสร้าง",
        url="https://www.test-town.go.th/o1",
        created_by=officer,
    )
    assert "/test-town/2567/oit/" in page(client, ORGANISATION).text


def test_renaming_the_organisation_shows_at_once(client, published, organisation):
    page(client, LATEST)
    page(client, ORGANISATION)
    organisation.name = "เทศบาลเมืองทดสอบ"
    organisation.save()
    assert "เทศบาลเมืองทดสอบ" in page(client, LATEST).text
    assert "เทศบาลเมืองทดสอบ" in page(client, ORGANISATION).text


# --- HTTP validators ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [LATEST, VERSION_1, ORGANISATION])
def test_a_kept_page_answers_a_conditional_get_with_304(url, client, published):
    response = page(client, url)
    assert response["ETag"].startswith('W/"') and response["Last-Modified"]
    assert "no-cache" in response["Cache-Control"]
    assert page(client, url, if_none_match=response["ETag"]).status_code == 304
    assert page(client, url, if_modified_since=response["Last-Modified"]).status_code == 304


def test_a_conditional_get_is_answered_even_when_the_page_is_not_in_the_cache(
    client, published, django_assert_max_num_queries
):
    etag = page(client, LATEST)["ETag"]
    cache.clear()  # as in another worker process
    with django_assert_max_num_queries(2):  # the site's generation (once a second) and the document's state
        assert page(client, LATEST, if_none_match=etag).status_code == 304


def test_a_new_version_changes_the_validators(client, published, document, officer, heads):
    held = page(client, LATEST)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):  # HTTP dates count whole seconds
        new_edition(document, by=officer, heads=heads, title=SECOND_TITLE)
        publishing.publish(target=document, by=officer)
    assert page(client, LATEST, if_none_match=held["ETag"]).status_code == 200
    assert page(client, LATEST, if_modified_since=held["Last-Modified"]).status_code == 200


def test_the_document_page_was_last_modified_when_its_newest_version_was_published(client, republished):
    assert page(client, LATEST)["Last-Modified"] == http_date(republished.published_at.timestamp())


def test_a_kept_page_keeps_the_security_headers(client, published):
    rendered, replayed = page(client, LATEST), page(client, LATEST)
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Content-Type",
        "Content-Language",
        "Vary",
    ):
        assert replayed.get(header) == rendered.get(header), header
    assert int(replayed["Content-Length"]) == len(replayed.content)


# --- What is kept ------------------------------------------------------------------------

SLOT = CachedPage("public-page:test", 'W/"test"', 60, 0.0)


def test_a_csp_nonce_is_new_each_time_a_kept_page_is_served(rf):
    response = HttpResponse('<style nonce="abc123">p{}</style>')
    response["Content-Security-Policy"] = "style-src 'self' 'nonce-abc123'"
    entry = stored_entry(response, SLOT)
    served = [replay_entry(rf.get("/"), entry) for _ in range(2)]
    nonces = [r["Content-Security-Policy"].split("'nonce-")[1].rstrip("'") for r in served]
    assert nonces[0] != nonces[1] and "abc123" not in nonces
    for r, nonce in zip(served, nonces, strict=True):
        assert r.content == f'<style nonce="{nonce}">p{{}}</style>'.encode()


def test_a_response_that_sets_a_cookie_or_varies_by_cookie_is_not_kept():
    with_cookie = HttpResponse("x")
    with_cookie.set_cookie("csrftoken", "secret")
    varies = HttpResponse("x", headers={"Vary": "Cookie"})
    assert stored_entry(with_cookie, SLOT) is None and stored_entry(varies, SLOT) is None
    assert stored_entry(HttpResponse("x"), SLOT) is not None


@pytest.mark.parametrize("status", [302, 404, 500])
def test_only_pages_and_withdrawal_notices_are_kept(status):
    assert stored_entry(HttpResponse("x", status=status), SLOT) is None


@pytest.mark.parametrize(
    "backend", ["django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.filebased.FileBasedCache"]
)
def test_a_new_version_shows_at_once_whatever_the_cache(
    backend, settings, tmp_path, client, published, document, officer, heads
):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": str(tmp_path / "cache")}}
    assert FIRST_TITLE in page(client, LATEST).text
    new_edition(document, by=officer, heads=heads, title=SECOND_TITLE)
    publishing.publish(target=document, by=officer)
    assert SECOND_TITLE in page(client, LATEST).text


def test_kept_pages_asked_for_again_within_a_second_cost_no_query(client, published, document, officer, heads):
    for url in (LATEST, ORGANISATION):
        page(client, url)
    with CaptureQueriesContext(connection) as queries:
        kept = {url: page(client, url).text for url in (LATEST, ORGANISATION)}
    assert len(queries) == 0
    new_edition(document, by=officer, heads=heads, title=SECOND_TITLE)
    publishing.publish(target=document, by=officer)  # the write forgets the states at once
    assert SECOND_TITLE in page(client, LATEST).text and page(client, ORGANISATION).text != kept[ORGANISATION]


def test_a_state_is_read_again_once_its_second_is_over(client, published, django_assert_num_queries):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        page(client, LATEST)
        traveller.shift(timedelta(seconds=STATE_TIMEOUT + 1))
        with django_assert_num_queries(1):
            page(client, LATEST)


def test_a_withdrawal_forgets_the_kept_states(client, published, officer):
    page(client, LATEST)
    publishing.withdraw(publication=published, by=officer, reason="ข้อมูลผิด")
    assert page(client, LATEST).status_code == 410
