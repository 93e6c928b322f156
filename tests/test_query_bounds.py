"""No page's number of queries grows with what it shows: measures, units, themes, rounds or years.

Every staff and public page (GET) is asked of two organisations built alike through the
services, and must cost big-town no more queries than it costs small-town:

- small-town: 5 measures, 2 units, one theme, one year published with both rounds, one year
  waiting for sign-off, a chain of 2, a document returned once;
- big-town: 200 measures in the document whose pages are compared (20 in its other
  documents), 10 units, 6 themes, two years published with their rounds, a round and a year
  waiting, a chain of 4, a document returned once and published twice, a measure edited 5
  times, evidence on 20 entries, 5 OIT links, and its officer, approver and overseer in 3 more
  organisations.

Both also have, with as many measures as the compared document (5 and 200), an approved year
not yet published (its 6-month round a draft, its 12-month round approved) and a draft year:
the submit check pages and the publish confirmations are asked of them.

Pages that list the whole site (home, site feed, sitemaps, robots.txt) and the change list of
every model in the Django admin are counted with small-town alone, then again once big-town
exists.

WeasyPrint is replaced by a stub that returns a one-line PDF, at publishing and in the staff
PDF views: it runs no query, and rendering 200 measures several times would make this module
take minutes (its speed is measured by bench/render.py). The views around it run in full.

The organisations are built by tests/query_bounds_data.py; the bounded history of a measure
(selectors.measure_history) is checked in tests/test_query_bounds_history.py.
"""

import copy
from dataclasses import dataclass
from unittest import mock

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reports import publishing, rendering
from reports.public import caching
from tests.factories import UserFactory
from tests.query_bounds_data import APPROVED_YEAR, BIG, DRAFT_YEAR, PENDING_YEAR, SMALL, YEAR, Org, build_organisation

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.4\n% query bounds stub\n"


# --- The pages --------------------------------------------------------------------------------
# key → (who asks, the URL's arguments). Keys are URL names; "#…" tells variants apart.


def _document(w: Org) -> list:
    return [w.slug, YEAR]


def _round_args(w: Org, months: int = 6) -> list:
    return [w.slug, YEAR, months]


def _public(kind: str, *, version: bool = False):
    return lambda w: [w.slug, YEAR, kind, *([1] if version else [])]


def _contributor_membership(w: Org) -> int:
    from measures.models import Membership

    return Membership.objects.get(user=w.users["contributor"], organisation=w.organisation).pk


def _first_unit(w: Org) -> int:
    return w.organisation.units.order_by("order").first().pk


PAGES = {
    # Staff: measures
    "measures:dashboard": ("officer", lambda w: []),
    "measures:inbox": ("approver", lambda w: []),
    "measures:oversight": ("oversight", lambda w: []),
    "measures:organisation": ("officer", lambda w: [w.slug]),
    "measures:organisation#approver": ("approver", lambda w: [w.slug]),
    "measures:assessment_new": ("officer", lambda w: [w.slug]),
    "measures:assessment_detail": ("officer", lambda w: [w.slug, w.assessment_year]),
    "measures:assessment_edit": ("officer", lambda w: [w.slug, w.assessment_year]),
    "measures:document_new": ("officer", lambda w: [w.slug]),
    "measures:document_detail": ("officer", _document),
    "measures:document_detail#contributor": ("contributor", _document),
    "measures:document_detail#pending": ("approver", lambda w: [w.slug, PENDING_YEAR]),
    "measures:document_edit": ("officer", lambda w: [w.slug, PENDING_YEAR]),
    "measures:document_copy": ("officer", _document),
    "measures:document_export#xlsx": ("officer", lambda w: [*_document(w), "xlsx"]),
    "measures:document_export#csv": ("officer", lambda w: [*_document(w), "csv"]),
    "measures:document_import": ("officer", _document),
    "measures:document_import_template": ("officer", _document),
    "measures:document_word_import": ("officer", _document),
    "measures:suggestions": ("officer", lambda w: [w.slug, w.assessment_year]),
    "measures:finding_new": ("officer", _document),
    "measures:finding_edit": ("officer", lambda w: [*_document(w), w.finding.pk]),
    "measures:limitation_new": ("officer", _document),
    "measures:limitation_edit": ("officer", lambda w: [*_document(w), w.limitation.pk]),
    "measures:theme_new": ("officer", _document),
    "measures:theme_edit": ("officer", lambda w: [*_document(w), w.theme.pk]),
    "measures:measure_new": ("officer", _document),
    "measures:measure_detail": ("officer", lambda w: [*_document(w), w.measure.pk]),
    "measures:measure_detail#contributor": ("contributor", lambda w: [*_document(w), w.measure.pk]),
    "measures:measure_edit": ("officer", lambda w: [*_document(w), w.measure.pk]),
    "measures:measure_history": ("officer", lambda w: [*_document(w), w.measure.pk]),
    "measures:measure_list": ("officer", _document),
    "measures:measure_list#contributor": ("contributor", _document),
    "measures:document_trash": ("officer", _document),
    "measures:round_grid": ("officer", _round_args),
    "measures:round_grid#contributor": ("contributor", _round_args),
    "measures:round_import": ("officer", _round_args),
    "measures:round_word_import": ("officer", _round_args),
    "measures:round_export#unit": ("officer", lambda w: [*_round_args(w), "xlsx"]),
    "measures:round_detail": ("officer", _round_args),
    "measures:round_detail#12": ("officer", lambda w: _round_args(w, 12)),
    "measures:round_detail#contributor": ("contributor", _round_args),
    "measures:round_edit": ("officer", _round_args),
    "measures:round_export#xlsx": ("officer", lambda w: [*_round_args(w), "xlsx"]),
    "measures:round_export#csv": ("officer", lambda w: [*_round_args(w), "csv"]),
    "measures:entry_edit": ("officer", lambda w: [*_round_args(w), w.measure.pk]),
    "measures:entry_edit#contributor": ("contributor", lambda w: [*_round_args(w), w.measure.pk]),
    "measures:chain_edit": ("officer", lambda w: [w.slug]),
    "measures:review": ("approver", lambda w: [w.slug, w.submission.pk]),
    "measures:review#pending": ("approver", lambda w: [w.slug, w.pending.pk]),
    "measures:memo": ("approver", lambda w: [w.slug, w.submission.pk]),
    "measures:document_memo": ("officer", _document),
    "measures:round_memo": ("officer", _round_args),
    "measures:document_editions": ("officer", _document),
    "measures:round_editions": ("officer", _round_args),
    # The check page before a submission, and the confirmations before publishing and withdrawing.
    "measures:document_submit": ("officer", lambda w: [w.slug, DRAFT_YEAR]),
    "measures:round_submit": ("officer", lambda w: [w.slug, APPROVED_YEAR, 6]),
    "reports:document_publish": ("officer", lambda w: [w.slug, APPROVED_YEAR]),
    "reports:report_publish": ("officer", lambda w: [w.slug, APPROVED_YEAR, 12]),
    "reports:publication_withdraw": ("officer", lambda w: [w.slug, w.publication.pk]),
    "measures:evidence_download": ("officer", lambda w: [w.slug, w.evidence.pk]),
    # Staff: one's own profile, the organisation's people and units (the officer also administers it).
    "measures:profile": ("officer", lambda w: []),
    "measures:organisation_settings": ("officer", lambda w: [w.slug]),
    "measures:organisation_address": ("officer", lambda w: [w.slug]),
    "measures:people": ("officer", lambda w: [w.slug]),
    "measures:person_edit": ("officer", lambda w: [w.slug, _contributor_membership(w)]),
    "measures:person_deactivate": ("officer", lambda w: [w.slug, _contributor_membership(w)]),
    "measures:person_reactivate": ("officer", lambda w: [w.slug, _contributor_membership(w)]),
    "measures:units": ("officer", lambda w: [w.slug]),
    "measures:unit_edit": ("officer", lambda w: [w.slug, _first_unit(w)]),
    "measures:unit_deactivate": ("officer", lambda w: [w.slug, _first_unit(w)]),
    "measures:unit_reactivate": ("officer", lambda w: [w.slug, _first_unit(w)]),
    # Staff: printed documents and the OIT index
    "reports:document_print": ("officer", _document),
    "reports:document_pdf": ("officer", _document),
    "reports:report_print": ("officer", _round_args),
    "reports:report_pdf": ("officer", lambda w: _round_args(w, 12)),
    "reports:memo_print": ("approver", lambda w: [w.slug, w.submission.pk]),
    "reports:memo_pdf": ("approver", lambda w: [w.slug, w.submission.pk]),
    "reports:oit_edit": ("officer", _document),
    # Public
    "reports:organisation": ("anonymous", lambda w: [w.slug]),
    "reports:publication_latest#measures": ("anonymous", _public("measures")),
    "reports:publication_latest#report-6": ("anonymous", _public("report-6")),
    "reports:publication_latest#report-12": ("anonymous", _public("report-12")),
    "reports:publication_version": ("anonymous", _public("measures", version=True)),
    "reports:publication_latest_pdf": ("anonymous", _public("measures")),
    "reports:publication_pdf": ("anonymous", _public("report-12", version=True)),
    "reports:publication_html": ("anonymous", _public("measures", version=True)),
    "reports:publication_memo_pdf": ("anonymous", _public("measures", version=True)),
    "reports:publication_json": ("anonymous", _public("measures", version=True)),
    "reports:publication_csv": ("anonymous", _public("report-6", version=True)),
    "reports:publication_latest_json": ("anonymous", _public("report-12")),
    "reports:publication_latest_csv": ("anonymous", _public("measures")),
    "reports:oit": ("anonymous", _document),
    "reports:scores_json": ("anonymous", lambda w: [w.slug]),
    "reports:scores_csv": ("anonymous", lambda w: [w.slug]),
    "reports:organisation_feed": ("anonymous", lambda w: [w.slug]),
    "reports:embed": ("anonymous", lambda w: [w.slug]),
}
# Pages of the whole site: counted with small-town alone, then with both organisations.
SITE_PAGES = {
    "reports:home": [],
    "reports:home#search": [],  # with ?q=
    "reports:site_feed": [],
    "reports:robots": [],
    "reports:sitemap": [],
    "reports:sitemap_section#organisations": ["organisations"],
    "reports:sitemap_section#documents": ["documents"],
    "reports:sitemap_section#versions": ["versions"],
    "reports:sitemap_section#oit": ["oit"],
}
QUERY_STRINGS = {
    "reports:home#search": "?q=เทศบาล",
    "measures:round_export#unit": "?unit=all",
    "measures:suggestions": "?indicator=9",
}


def admin_changelists() -> list[str]:
    """The change list of every model registered in the admin (a page of up to 100 rows)."""
    return sorted(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" for model in admin.site._registry
    )


# Requests that only change data (POST), or show one object to confirm a delete: no page with rows to show.
NOT_PAGES = {
    "measures:oversight_remind",  # its queries: tests/measures/test_oversight_reminders.py
    "measures:oversight_remind_all",
    "measures:suggestion_copy",
    "measures:document_word_preview",  # a preview kept in the session: tests/measures/test_word_import.py
    "measures:round_word_preview",
    "measures:finding_delete",
    "measures:limitation_delete",
    "measures:theme_delete",
    "measures:measure_delete",
    "measures:round_start",
    "measures:evidence_add",
    "measures:trash_restore",
    "measures:evidence_delete",
    "measures:decide",
    "measures:document_reopen",
    "measures:round_reopen",
    "measures:person_reinvite",
    "measures:unit_move",
    "reports:oit_delete",
}


def url(key: str, args: list) -> str:
    return reverse(key.partition("#")[0], args=args) + QUERY_STRINGS.get(key, "")


def queries(client: Client, address: str) -> list[str]:
    """The SQL of one GET of the page, rendered anew (the public page cache emptied first)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code in (200, 410), (address, response.status_code, body[:300])
    return [q["sql"] for q in captured.captured_queries]


@dataclass
class Worlds:
    small: Org
    big: Org
    site_alone: dict  # site page key → queries with small-town alone
    admin_alone: dict  # admin change list → queries with small-town alone
    admin: object = None  # the platform administrator (a superuser)
    media_root: object = None


def _fake_pdf(html: str) -> bytes:
    return FAKE_PDF


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker, tmp_path_factory):
    """Both organisations, built once; the transaction stays open for the module and is rolled back after."""
    media = tmp_path_factory.mktemp("bounds-media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers),
        mock.patch.object(publishing, "render_pdf", _fake_pdf),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            small = build_organisation("small-town", SMALL)
            anonymous = Client()
            site_alone = {key: queries(anonymous, url(key, args)) for key, args in SITE_PAGES.items()}
            superuser = UserFactory(username="platform-admin", is_staff=True, is_superuser=True)
            platform = Client()
            platform.force_login(superuser)
            admin_alone = {key: queries(platform, reverse(key)) for key in admin_changelists()}
            admin_alone |= {key: queries(platform, reverse(key, args=args)) for key, args in PLATFORM_PAGES.items()}
            big = build_organisation("big-town", BIG)
            built = Worlds(
                small=small, big=big, site_alone=site_alone, admin_alone=admin_alone, admin=superuser, media_root=media
            )
            built.cookies = {
                (w.slug, role): copy.deepcopy(c.cookies) for w in (small, big) for role, c in w.clients.items()
            }
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _bounds_setup(_test_settings, settings, worlds, monkeypatch):
    """The worlds' files stay where they were written; the staff PDF views get the stub renderer."""
    settings.MEDIA_ROOT = worlds.media_root
    monkeypatch.setattr(rendering, "render_pdf", _fake_pdf)


def _client(worlds: Worlds, world: Org, role: str) -> Client:
    client = Client()
    client.cookies = copy.deepcopy(worlds.cookies[(world.slug, role)])
    return client


def _explain(small: list[str], big: list[str]) -> str:
    lines = [f"small-town {len(small)} queries, big-town {len(big)}:"]
    lines += [f"  big: {sql[:200]}" for sql in big if sql not in small]
    return "\n".join(lines)


@pytest.mark.parametrize("key", PAGES)
def test_a_page_costs_the_big_organisation_no_more_queries_than_the_small_one(key, worlds):
    role, args = PAGES[key]
    small = queries(_client(worlds, worlds.small, role), url(key, args(worlds.small)))
    big = queries(_client(worlds, worlds.big, role), url(key, args(worlds.big)))
    assert len(big) <= len(small), _explain(small, big)


@pytest.mark.parametrize("key", SITE_PAGES)
def test_a_site_wide_page_costs_no_more_queries_with_another_big_organisation(key, worlds):
    alone = worlds.site_alone[key]
    both = queries(Client(), url(key, SITE_PAGES[key]))
    assert len(both) <= len(alone), _explain(alone, both)


@pytest.mark.parametrize("key", admin_changelists())
def test_an_admin_change_list_costs_no_more_queries_with_another_big_organisation(key, worlds):
    """A page of 100 measures, steps or progress entries must not cost a query per row (list_select_related)."""
    platform = Client()
    platform.force_login(worlds.admin)
    alone = worlds.admin_alone[key]
    both = queries(platform, reverse(key))
    assert len(both) <= len(alone), _explain(alone, both)


# The platform administrator's pages: the list of organisations (a page of them) and the forms.
PLATFORM_PAGES = {
    "measures:platform_organisations": [],
    "measures:platform_organisation_new": [],
    "measures:platform_organisation_import": [],
    "measures:platform_organisation_import_template": [],
    "measures:platform_administrator_invite": ["small-town"],
}


@pytest.mark.parametrize("key", PLATFORM_PAGES)
def test_a_platform_page_costs_no_more_queries_with_another_big_organisation(key, worlds):
    platform = Client()
    platform.force_login(worlds.admin)
    alone = worlds.admin_alone[key]
    both = queries(platform, reverse(key, args=PLATFORM_PAGES[key]))
    assert len(both) <= len(alone), _explain(alone, both)


PUBLIC_CACHED = ["reports:organisation", "reports:publication_latest#measures", "reports:publication_version"]


@pytest.mark.parametrize("key", PUBLIC_CACHED)
def test_a_public_page_served_again_costs_the_big_organisation_no_more_queries(key, worlds, monkeypatch):
    # The state is kept one second: rendering the big organisation's page may take longer on a
    # loaded machine, and the count would then hold the state's own query (timing, not size).
    monkeypatch.setattr(caching, "STATE_TIMEOUT", 300)
    _role, args = PAGES[key]
    counts = []
    for world in (worlds.small, worlds.big):
        address = url(key, args(world))
        queries(Client(), address)  # renders it (and keeps it, where the page is cached)
        with CaptureQueriesContext(connection) as again:
            assert Client().get(address).status_code == 200
        counts.append(len(again))
    assert counts[1] <= counts[0]


def _named_patterns(patterns, prefix="", namespace=None):
    """The names of the portal's URL patterns; the admin and the accounts pages (forms, no rows) left out."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(("admin/", "accounts/")):
            continue
        if isinstance(entry, URLResolver):
            yield from _named_patterns(entry.url_patterns, route, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_page_of_the_portal_has_its_bound_checked():
    """A new URL needs a row in PAGES or SITE_PAGES (or NOT_PAGES when it only changes data)."""
    checked = {key.partition("#")[0] for key in [*PAGES, *SITE_PAGES, *PLATFORM_PAGES]} | NOT_PAGES
    assert sorted(set(_named_patterns(get_resolver().url_patterns)) - checked) == []


def test_the_big_organisation_is_big():
    """The comparison means something only if big-town shows far more than small-town."""
    from measures.models import Measure, ProgressReport, Unit

    def count(model, **filters):
        return model.objects.filter(**filters).count()

    for year in (YEAR, APPROVED_YEAR, DRAFT_YEAR):
        assert count(Measure, document__organisation__slug="big-town", document__fiscal_year=year) == BIG.measures
    assert count(Unit, organisation__slug="big-town") == BIG.units
    assert count(ProgressReport, document__organisation__slug="big-town") > count(
        ProgressReport, document__organisation__slug="small-town"
    )
