"""HTTP caching of the public site: the Cache-Control of every public answer, and the rendered
organisation and document pages kept in Django's cache and in the database (PublicPageCache, a
middleware)."""

import base64
import functools
import hashlib
import itertools
import json
import logging
import os
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, get_resolver
from django.utils import translation
from django.utils.cache import get_conditional_response, has_vary_header, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from ita_portal.checks import PER_PROCESS_CACHES
from measures.models import Assessment, Framework, Indicator, Item, Organisation, RatingRule, Tool

from ..models import OitEntry, Publication, PublicPage
from ..publishing import publication_withdrawn

logger = logging.getLogger(__name__)

VERSION_MAX_AGE = 365 * 24 * 3600  # a version never changes


def cache_headers(response, *, immutable: bool):
    """A version never changes: kept a year. Any other public page changes when something is
    published or withdrawn: a browser or proxy may keep it but asks again each time (no-cache),
    so an officer who has just published sees it at once; with the ETag or Last-Modified it
    kept, the answer is a 304 from PublicPageCache, without the page."""
    if immutable:
        patch_cache_control(response, public=True, max_age=VERSION_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    return response


# --- Rendered pages kept in the cache ------------------------------------------------------
#
# The organisation page and the document pages are the public site's busiest pages. Each is
# kept in Django's cache (settings.CACHES) once rendered, under its address with the state of the
# data it shows (its etag), and PublicPageCache serves it from there while that state holds,
# before the rest of the middleware and the view run. The views say which pages are kept (@kept_page, with the function that
# reads their state); Django's URLconf finds them. A state is one indexed aggregate query
# (a document: its versions; an organisation: its row with a summary of its publications, ITA
# results and OIT links), itself kept in the cache: PostgreSQL spends more time planning these
# small queries than answering them, and a busy page is asked for hundreds of times a second.
# A write that changes what a page shows (a publication, a withdrawal, an ITA result, an OIT
# link, the organisation's details) deletes its organisation's states at once (signals below).
# With one cache per worker process (the default) the other workers cannot be told, so a state
# lives STATE_TIMEOUT (1 s) and they see the write within it; a page checked in the site's
# present generation (public_generation(), read once a second) needs no state at all. With a
# shared cache (CACHE_URL, e.g. Redis) the write also replaces its organisation's token (the
# frameworks' rules: the site's), which reaches every worker and server at once, so a page
# checked while both tokens hold is served on one round trip for the tokens and the page, no
# state read (shared_generation()), for up to SHARED_STATE_TIMEOUT (10 min: the bound for a
# change made outside Django; `manage.py restore` empties the cache itself).
# Nothing else has to be deleted: a new state makes a new etag, and the kept page is not served.
# The state holds the versions' dates and PDF digests as well as their ids, so that a database
# restored from a backup or rebuilt, whose ids start again, does not find the old database's
# pages.
#
# Under the cache, the database keeps each page as last rendered (PublicPage, one row an address,
# with the etag it was rendered for): a page that no worker holds (the long tail of thousands of
# organisations' pages, another worker's, a page after a restart) is one indexed query, not a
# render, and is kept in the cache again. A page's address holds the release (its code,
# templates and static files), so an upgrade renders its pages anew.
#
# Only what every visitor sees is kept: public pages are rendered without the visitor's
# messages, and a response that sets a cookie or varies by cookie (a session or CSRF token was
# used) is served but not kept. A CSP nonce is replaced by a new one each time a page is served.

PAGE_TIMEOUT = 24 * 3600  # the key changes with the content: the timeout only frees memory
STATE_TIMEOUT = 1  # seconds a page's state is kept in a per-process cache (see above)
SHARED_STATE_TIMEOUT = 600  # … in a cache shared by every worker, which a write's deletion reaches
# A kept page's body is compressed (zlib level 6: the national data's pages average 87 KB of HTML
# and 9.9 KB compressed, level 1 gave 17.8 KB; 1 ms to compress once, 0.05 ms to expand each time),
# so that a cache of a given size holds eight times as many pages: the long tail of thousands of
# organisations' pages fits (settings.CACHES: the default holds 50,000 entries a worker). It is kept
# in the gzip format and sent as it is to a client that accepts gzip (every browser): no work to
# expand it, six to eight times fewer bytes to send; other clients get it expanded.
BODY_COMPRESSION = 6
GZIP_FORMAT = 31  # zlib's wbits for gzip
_GZIP_CODING = re.compile(r"^\s*(?:gzip|x-gzip)\s*(?:;(.*))?$", re.IGNORECASE)
_QUALITY = re.compile(r"\bq\s*=\s*([0-9.]+)", re.IGNORECASE)
# Pages kept in the database (PublicPage) that expired this long ago are deleted, now and then
# (every PRUNE_EVERY-th page a process keeps): the addresses of withdrawn documents, renamed
# organisations, earlier releases.
PRUNE_AFTER = timedelta(days=2)
PRUNE_EVERY = 500
# A kept page's address holds the release (`release()`): these files make a page.
# (the pinned libraries too: requirements.txt; the translations: locale/)
RELEASE_FOLDERS = ("templates", "static", "reports", "measures", "ita_portal", "locale")
RELEASE_SUFFIXES = {".py", ".html", ".css", ".js", ".svg", ".json", ".po"}
RELEASE_FILES = ("requirements.txt",)
PUBLIC_CONTEXT = {"messages": ()}  # a visitor's messages are never part of a public page

_NONCE = re.compile(r"'nonce-([^']+)'")
_NONCE_MARK = "\ue000csp-nonce\ue000"  # no NUL: PostgreSQL's jsonb (the kept headers) refuses \u0000
_NOT_REPLAYED = {"etag", "last-modified", "content-length", "date"}


@dataclass(frozen=True)
class PageState:
    """What a kept page shows, as read by its view's state function: the key's material."""

    summary: tuple
    timeout: int = PAGE_TIMEOUT
    last_modified: datetime | None = None  # the data's own date; None: the time the page is rendered


def kept_page(state):
    """Keep the view's pages in the cache, keyed by `state(**url_kwargs)`: a PageState, or None
    when there is no such page (the view then answers 404 as usual). Everything the page shows
    must move the state."""

    def mark(view):
        view.page_state = state
        return view

    return mark


def _summary(model, **aggregates):
    """One organisation's rows of `model`, summed up by `aggregates` in one JSON value."""
    rows = model.objects.filter(organisation=OuterRef("pk")).order_by().values("organisation")
    return Subquery(rows.annotate(summary=JSONObject(**aggregates)).values("summary"))


# The ITA frameworks (their tools, indicators, items and rating rules) keep a history of every
# change (django-simple-history): the sum of their newest history ids moves with any edit.
FRAMEWORK_MODELS = (Framework, Tool, Indicator, Item, RatingRule)


def frameworks_revision_sql() -> str:
    """SQL for one number that moves whenever any ITA framework is edited (its history)."""
    quote = connection.ops.quote_name
    return " + ".join(
        f"(SELECT COALESCE(MAX({quote('history_id')}), 0) FROM {quote(model.history.model._meta.db_table)})"  # noqa: S608 - our names
        for model in FRAMEWORK_MODELS
    )


def frameworks_revision() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {frameworks_revision_sql()}")
        return cursor.fetchone()[0]


def organisation_state(org: str) -> PageState | None:
    """The organisation page shows the organisation's details, the newest version of each of its
    documents (publications are only ever added, or withdrawn once), its ITA results (each save
    moves updated_at), the years of its OIT links (added or deleted) and scores rated by the ITA
    frameworks' rules (their revision)."""
    state = (
        Organisation.objects.filter(slug=org)
        .order_by()
        .annotate(
            publications_state=_summary(
                Publication, n=Count("pk"), last=Max("pk"), published=Max("published_at"), withdrawn=Max("withdrawn_at")
            ),
            assessments_state=_summary(Assessment, n=Count("pk"), last=Max("pk"), updated=Max("updated_at")),
            oit_state=_summary(OitEntry, n=Count("pk"), last=Max("pk"), years=Sum("fiscal_year")),
            frameworks_revision=RawSQL(frameworks_revision_sql(), ()),  # noqa: S611 - no parameters
        )
        .values_list("pk", "updated_at", "publications_state", "assessments_state", "oit_state", "frameworks_revision")
        .first()
    )
    return None if state is None else PageState(state)


def document_state(org: str, year: int, kind: str, version: int | None = None) -> PageState | None:
    """A document's page shows its versions (numbered 1, 2, … and only ever added, or withdrawn
    once) and its organisation's name; it changes when a version is published or withdrawn."""
    state = Publication.objects.filter(organisation__slug=org, fiscal_year=year, kind=kind).aggregate(
        versions=Max("version"),
        last=Max("pk"),
        digest=Max("sha256"),
        published=Max("published_at"),
        withdrawn=Max("withdrawn_at"),
        withdrawals=Count("withdrawn_at"),
        organisation_changed=Max("organisation__updated_at"),
    )
    if state["versions"] is None or (version is not None and not 1 <= version <= state["versions"]):
        return None
    # The page shows the organisation's name too: a rename moves Last-Modified as well as the etag.
    dates = (state["published"], state["withdrawn"], state["organisation_changed"])
    changed = max(d for d in dates if d is not None)
    return PageState(tuple(state.values()), last_modified=changed)


def _states_key(org: str) -> str:
    return f"public-state:v2:{org}"


def _epoch_key(org: str) -> str:
    return f"public-epoch:v1:{org}"


SITE_EPOCH_KEY = "public-site-epoch:v1"


def state_timeout() -> int:
    """Seconds a page's state is kept: long where a write's deletion reaches every worker."""
    return STATE_TIMEOUT if settings.CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES else SHARED_STATE_TIMEOUT


GENERATION_KEY = "public-generation:v1"
# Every part of every page state: organisations (rows, details), publications (only ever added,
# or withdrawn once), ITA results (each save moves updated_at, a deletion the count), OIT links
# (added, deleted, a year changed).
# Sums, not maxima: a write stamped (or numbered) before another but committed after it moves a
# sum, never a maximum, and the generation must move with every committed write.
GENERATION_PARTS = (
    ("COUNT", Organisation, "id"),
    ("SUM_TIME", Organisation, "updated_at"),
    ("COUNT", Publication, "id"),  # only ever added: the count moves with each, in any order
    ("MAX", Publication, "id"),
    ("COUNT_SET", Publication, "withdrawn_at"),  # withdrawn once: from the partial index
    ("COUNT", Assessment, "id"),
    ("SUM_TIME", Assessment, "updated_at"),
    ("COUNT", OitEntry, "id"),
    ("SUM", OitEntry, "id"),
    ("SUM", OitEntry, "fiscal_year"),
    *(("MAX", model.history.model, "history_id") for model in FRAMEWORK_MODELS),
)


def _part_sql(aggregate: str, table: str, column: str) -> str:
    """One part of the generation. SUM_TIME: the sum of a datetime column in exact microseconds
    (PostgreSQL; SQLite's text); COUNT_SET: the rows where the column is set. Each is an index
    scan or a scan of a narrow table (measured on the national data: bench/cold_pages.py)."""
    if aggregate == "COUNT_SET":
        return f"SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL"  # noqa: S608 - our names
    if aggregate == "SUM_TIME" and connection.vendor == "postgresql":
        expression = f"SUM(EXTRACT(EPOCH FROM {column}))"
    elif aggregate == "SUM_TIME":
        expression = (
            f"SUM(CAST(strftime('%s', {column}) AS INTEGER) * 1000000 + CAST(substr({column}, 21, 6) AS INTEGER))"
        )
    else:
        expression = f"{aggregate}({column})"
    return f"SELECT {expression} FROM {table}"  # noqa: S608 - our names


def public_generation() -> str | None:
    """What any kept page shows, summed up in one query over the whole site (as a digest), read at
    most once a STATE_TIMEOUT per worker: with a per-process cache a worker keeps its states and
    pages while this has not moved, so the long tail of pages does not pay a state query each (a
    write anywhere moves it, and every worker reads its pages' states again within
    STATE_TIMEOUT). None with a shared cache, where a write deletes the states it changes
    everywhere."""
    if state_timeout() != STATE_TIMEOUT:
        return None
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        quote = connection.ops.quote_name
        parts = ", ".join(
            f"({_part_sql(aggregate, quote(model._meta.db_table), quote(column))})"
            for aggregate, model, column in GENERATION_PARTS
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {parts}")
            summary = repr(tuple(str(value) for value in cursor.fetchone()))
        generation = hashlib.blake2b(summary.encode(), digest_size=8).hexdigest()
        cache.set(GENERATION_KEY, generation, STATE_TIMEOUT)
    return generation


_UNREAD = object()


def _token(key: str, kept=_UNREAD) -> str:
    """The random token kept under `key` (made when missing). `kept`: as already read from the cache."""
    token = cache.get(key) if kept is _UNREAD else kept
    if token is None:
        cache.add(key, os.urandom(8).hex(), None)
        token = cache.get(key)
    return token


def organisation_epoch(org: str, kept=_UNREAD) -> str:
    """A token that each committed write of the organisation replaces (forget_states), read before
    a state is: states read before a write commits and kept after its deletion carry the token
    from before and are not used (in a shared cache they would otherwise last
    SHARED_STATE_TIMEOUT). `kept`: as already read from the cache."""
    return _token(_epoch_key(org), kept)


def shared_generation(org: str, found: dict) -> str:
    """With a shared cache, what a kept page was checked in: the organisation's epoch and the
    site's (SITE_EPOCH_KEY, replaced by a write of the ITA frameworks' rules, which rate every
    organisation's scores). A page checked against its data's state while both tokens were these
    is current while they still are: every committed write that changes what it shows replaces
    one, in every worker and server at once. `found`: the tokens as read with the page."""
    site = _token(SITE_EPOCH_KEY, found.get(SITE_EPOCH_KEY))
    return f"{site}:{organisation_epoch(org, found.get(_epoch_key(org)))}"


def page_state(view_name: str, state_of, kwargs: dict, kept=_UNREAD, epoch=_UNREAD) -> PageState | None:
    """The state of a kept page, from the cache: in a shared cache until a write deletes it (or
    SHARED_STATE_TIMEOUT), in a per-process cache while the site's public_generation() has not
    moved. An organisation's states are kept together, so that a write deletes them all at once.
    `kept`: the organisation's states as already read from the cache (with the page itself)."""
    org = kwargs["org"]
    generation = (public_generation(), organisation_epoch(org, epoch))
    if kept is _UNREAD:
        kept = cache.get(_states_key(org))
    states = kept[1] if kept is not None and kept[0] == generation else {}
    slot = (view_name, tuple(sorted(kwargs.items())))
    if slot not in states:
        state = state_of(**kwargs)
        if state is None:  # no such page: the view answers 404, nothing is kept
            return None
        states[slot] = state
        if len(states) <= 64:  # the pages of one organisation asked for while nothing changed
            cache.set(_states_key(org), (generation, states), SHARED_STATE_TIMEOUT)
    return states[slot]


def forget_states(organisation_id: int | None = None, slug: str | None = None) -> None:
    """Delete an organisation's kept states: now, and again when the transaction commits (a page
    asked for in between would otherwise keep the state from before the write)."""
    if slug is None:
        slug = Organisation.objects.filter(pk=organisation_id).values_list("slug", flat=True).first()
    if slug:  # and the site's generation: this worker's own kept pages are checked again at once
        _forget(slug)  # now: a shared cache's pages are checked again from the next request
        transaction.on_commit(lambda: _forget(slug))


def _forget(slug: str) -> None:
    cache.set(_epoch_key(slug), os.urandom(8).hex(), None)  # before the deletion: see organisation_epoch
    cache.delete_many([_states_key(slug), GENERATION_KEY])


@receiver([post_save, post_delete], sender=Publication)
@receiver([post_save, post_delete], sender=Assessment)
@receiver([post_save, post_delete], sender=OitEntry)
def _forget_on_write(sender, instance, **kwargs):
    forget_states(instance.organisation_id)


@receiver([post_save, post_delete], sender=Organisation)
def _forget_on_organisation_write(sender, instance, **kwargs):
    forget_states(slug=instance.slug)


@receiver(pre_save, sender=Organisation)
def _forget_the_former_address(sender, instance, **kwargs):
    """A change of address: the pages kept under the old one must not answer any more."""
    if instance.pk is not None:
        forget_states(instance.pk)  # reads the slug still stored


@receiver([post_save, post_delete], sender=Framework)
@receiver([post_save, post_delete], sender=Tool)
@receiver([post_save, post_delete], sender=Indicator)
@receiver([post_save, post_delete], sender=Item)
@receiver([post_save, post_delete], sender=RatingRule)
def _forget_on_framework_write(sender, instance, **kwargs):
    """A framework's rules rate every organisation's scores: every organisation's states go, now
    and when the transaction commits (an edit in the platform's admin, or `load_frameworks`: rare)."""

    def forget_every_state():
        cache.set(SITE_EPOCH_KEY, os.urandom(8).hex(), None)  # pages checked before: checked again
        slugs = Organisation.objects.values_list("slug", flat=True)
        cache.delete_many([GENERATION_KEY, *(_states_key(slug) for slug in slugs)])

    forget_every_state()
    transaction.on_commit(forget_every_state)


@receiver(publication_withdrawn)
def _forget_on_withdrawal(sender, publication, **kwargs):
    forget_states(publication.organisation_id)


@dataclass(frozen=True)
class CachedPage:
    """A kept page as its data stand now: its address (one slot a page, in the cache and in the
    database) and what identifies its content (the address and the state of its data)."""

    key: str
    etag: str
    timeout: int
    last_modified: float | None  # the data's own date; None: the time the page is rendered


class KeptPage(NamedTuple):
    """A rendered page as kept, in the cache and in the database (PublicPage)."""

    etag: str
    generation: str | None  # the site's generation it was rendered or checked in (a per-process cache)
    status: int
    headers: list
    body: bytes  # gzip-compressed; CSP nonces replaced by _NONCE_MARK
    modified: float
    has_nonce: bool
    expires: float  # a timestamp


@dataclass(frozen=True)
class PageSlot:
    """A request for a kept page, before its state is known."""

    view_name: str
    state_of: Callable
    kwargs: dict
    key: str


def page_slot(request) -> PageSlot | None:
    """The kept page this request asks for, or None for any other request. Costs no query."""
    if request.method not in ("GET", "HEAD") or (kept := _kept_view(get_resolver(), request.path_info)) is None:
        return None
    view_name, state_of, kwargs = kept
    address = repr(
        (
            release(),
            view_name,
            request.path_info,
            request.scheme,
            request.get_host(),
            translation.get_language_from_request(request),
        )
    )
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return PageSlot(view_name, state_of, kwargs, f"public-page:v5:{digest}")


def cached_page(slot: PageSlot, kept_states=_UNREAD, epoch=_UNREAD) -> CachedPage | None:
    """The page `slot` asks for, as its data stand now, or None for a page that does not exist."""
    if (state := page_state(slot.view_name, slot.state_of, slot.kwargs, kept_states, epoch)) is None:
        return None
    digest = hashlib.blake2b(repr((slot.key, state.summary)).encode(), digest_size=16).hexdigest()
    modified = state.last_modified.timestamp() if state.last_modified else None
    return CachedPage(slot.key, f'W/"{digest}"', state.timeout, modified)


@functools.lru_cache(maxsize=65536)  # every public page of a national install
def _kept_view(resolver, path: str) -> tuple | None:
    """The kept view a path resolves to (its name, state function and arguments), remembered per
    URLconf: resolving a public URL walks the URLconf (up to 0.25 ms), for every request."""
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    state_of = getattr(match.func, "page_state", None)
    return None if state_of is None else (match.view_name, state_of, match.kwargs)


@functools.cache
def release() -> str:
    """What this installation renders pages with: its code, templates and static files, summed up
    once per process. Part of every kept page's address, so that an upgrade never serves a page
    that an earlier release rendered (from the database, or from a shared cache)."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    files = [root / name for name in RELEASE_FILES]
    for folder in RELEASE_FOLDERS:
        files += sorted(path for path in (root / folder).rglob("*") if path.suffix in RELEASE_SUFFIXES)
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class PublicPageCache:
    """Middleware: serves the organisation page and the document pages from where they are kept.

    Installed right after WhiteNoise (settings, "Cache"). A page is looked for in Django's cache
    (one round trip for the page with what proves it current), then in the database
    (PublicPage: one indexed query, shared by every worker and server, kept across restarts), and
    rendered only when neither holds it as its data stand now. A kept page is current when its
    etag is the one its data's state gives now or when it was rendered or checked in the present
    generation: the site's, with a per-process cache; the organisation's and the site's tokens,
    with a shared one (nothing the page shows has changed since: no state read). The headers the
    inner middleware added when the page was rendered (CSP, X-Frame-Options, Vary,
    Content-Language, Cache-Control) are kept with it. ETag and Last-Modified answer conditional
    requests with 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        release()  # read when the code is loaded: files changed on disk since are not this code

    def __call__(self, request):
        slot = page_slot(request)
        if slot is None:
            return self.get_response(request)
        org = slot.kwargs["org"]
        states_key, epoch_key = _states_key(org), _epoch_key(org)
        shared = state_timeout() == SHARED_STATE_TIMEOUT
        if shared:  # the page and the tokens it was checked in; the states only when it must be checked
            found = cache.get_many([SITE_EPOCH_KEY, epoch_key, slot.key])
            generation = shared_generation(org, found)
        else:  # the page, with what its check would need; the site's generation is this worker's
            found = cache.get_many([states_key, epoch_key, slot.key])
            generation = public_generation()
        kept = found.get(slot.key)
        if kept is not None and generation is not None and kept.generation == generation:
            return replay_entry(request, kept)  # the common case: nothing to check

        def current_page():  # read from the data's state only when needed
            return cached_page(slot, _UNREAD if shared else found.get(states_key), found.get(epoch_key))

        page = None
        # Answered from the state alone; but `*` asks whether the page exists at all, which a
        # withdrawn version's page (410) does not: the kept page answers it (replay_entry).
        if request.META.get("HTTP_IF_NONE_MATCH", "*").strip() != "*":
            if (page := current_page()) is None:
                return self.get_response(request)
            not_modified = get_conditional_response(request, etag=page.etag)
            if not_modified is not None:
                return _not_modified(not_modified, page.etag, None)
        for source in ("cache", "database"):
            if source == "database":
                kept = stored_page(slot.key)
            if kept is None:
                continue
            # A copy in the database is current by its generation only with per-process caches:
            # with a shared one it is checked once more (at most every SHARED_STATE_TIMEOUT, the
            # bound for a change made outside Django) and kept in the cache.
            if generation is not None and kept.generation == generation and not (shared and source == "database"):
                break
            if page is None and (page := current_page()) is None:
                return self.get_response(request)  # no such page now (answered by the view)
            if kept.etag == page.etag:
                if source == "database" and not shared and generation is not None:
                    mark_checked(slot.key, kept.etag, generation)  # the other workers need not check it
                break
        else:
            if page is None and (page := current_page()) is None:
                return self.get_response(request)
            response = self.get_response(request)
            kept = stored_entry(response, page, generation)
            if kept is None:
                return response
            # The database's copy holds the site's generation of per-process caches only (a shared
            # cache's tokens are not trusted for it, see above).
            store_page(page.key, kept._replace(generation=None) if shared else kept)
            source = "rendered"
        if source != "cache" or kept.generation != generation:  # kept again, with what was checked
            kept = kept._replace(generation=generation)
            timeout = kept.expires - time.time()
            cache.set(slot.key, kept, max(1, int(min(timeout, SHARED_STATE_TIMEOUT) if shared else timeout)))
        return replay_entry(request, kept)


def stored_entry(response, page: CachedPage, generation: str | None = None) -> KeptPage | None:
    """What is kept of a rendered page, or None when it must not be kept."""
    if (
        response.status_code not in (200, 410)
        or response.streaming
        or response.cookies
        or has_vary_header(response, "Cookie")
    ):
        return None
    headers = [(k, v) for k, v in response.items() if k.lower() not in _NOT_REPLAYED]
    body = response.content
    nonces = {n for k, v in headers if k.lower().startswith("content-security-policy") for n in _NONCE.findall(v)}
    for nonce in nonces:
        body = body.replace(nonce.encode(), _NONCE_MARK.encode())
        headers = [(k, v.replace(nonce, _NONCE_MARK)) for k, v in headers]
    now = time.time()
    return KeptPage(
        etag=page.etag,
        generation=generation,
        status=response.status_code,
        headers=headers,
        body=_gzip(body),
        modified=page.last_modified if page.last_modified is not None else now,
        has_nonce=bool(nonces),
        expires=now + page.timeout,
    )


def _gzip(body: bytes) -> bytes:
    compressor = zlib.compressobj(BODY_COMPRESSION, zlib.DEFLATED, GZIP_FORMAT)
    return compressor.compress(body) + compressor.flush()


@functools.lru_cache(maxsize=256)  # browsers send a handful of different headers
def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header accepts gzip: named without `q=0` (RFC 9110, 12.5.3).
    Django's GZipMiddleware only looks for the word, so `gzip;q=0` would still get gzip."""
    for coding in accept_encoding.split(","):
        if (match := _GZIP_CODING.match(coding)) is None:
            continue
        quality = _QUALITY.search(match[1] or "")
        try:
            return quality is None or float(quality[1]) > 0
        except ValueError:  # a malformed weight: as if none were given
            return True
    return False


def replay_entry(request, kept: KeptPage) -> HttpResponse:
    if kept.status == 200:
        not_modified = get_conditional_response(request, etag=kept.etag, last_modified=int(kept.modified))
        if not_modified is not None:
            return _not_modified(not_modified, kept.etag, kept.modified)
    # A page with a CSP nonce gets a new one each time: expanded (public pages have none today).
    sends_gzip = not kept.has_nonce and accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    body = kept.body if sends_gzip else zlib.decompress(kept.body, GZIP_FORMAT)
    headers = kept.headers
    if kept.has_nonce:
        nonce = base64.b64encode(os.urandom(16)).decode()
        body = body.replace(_NONCE_MARK.encode(), nonce.encode())
        headers = [(k, v.replace(_NONCE_MARK, nonce)) for k, v in headers]
    response = HttpResponse(body, status=kept.status)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(body))
    if sends_gzip:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    if kept.status == 200:
        response["ETag"] = kept.etag
        response["Last-Modified"] = http_date(kept.modified)
    return response


def _not_modified(response, etag: str, modified: float | None):
    """A 304 with the validators and the Vary a 200 would carry (RFC 9110, 15.4.5)."""
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    patch_vary_headers(response, ("Accept-Encoding",))
    return cache_headers(response, immutable=False)


# --- The second level: pages kept in the database -------------------------------------------

_PAGE_FIELDS = ("etag", "generation", "status", "headers", "body", "modified", "has_nonce", "expires")


def stored_page(key: str) -> KeptPage | None:
    """The page kept in the database at this address, unless it has expired (current or not: the
    caller checks). Written in SQL: the ORM's building of this one query cost as much as the
    rest of a cold page (bench/throughput.py --long-tail)."""
    with connection.cursor() as cursor:
        cursor.execute(_stored_page_sql(), [key, time.time()])
        row = cursor.fetchone()
    if row is None:
        return None
    etag, generation, status, headers, body, modified, has_nonce, expires = row
    headers = json.loads(headers) if isinstance(headers, str) else headers  # JSON as text (both engines)
    return KeptPage(
        etag, generation, status, [tuple(h) for h in headers], bytes(body), modified, bool(has_nonce), expires
    )


@functools.cache
def _stored_page_sql() -> str:  # made once the connection is known
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field) for field in _PAGE_FIELDS)
    return f"SELECT {columns} FROM {quote(PublicPage._meta.db_table)} WHERE {quote('key')} = %s AND {quote('expires')} > %s"  # noqa: S608 - our names


def mark_checked(key: str, etag: str, generation: str) -> None:
    """Record in the database that the page kept at `key` was found current in this generation of
    the site (per-process caches): the other workers then serve it without checking it again."""
    try:
        PublicPage.objects.filter(key=key, etag=etag).update(generation=generation)
    except DatabaseError:  # a locked SQLite database, say: the next worker checks it itself
        logger.warning("A public page's check could not be recorded in the database", exc_info=True)


_stores = itertools.count(1)


def store_page(key: str, kept: KeptPage) -> None:
    """Keep a rendered page in the database (one row an address: a new state replaces the old
    page). A failed write (a locked SQLite database, say) loses only the copy, never the answer.
    Every PRUNE_EVERY-th write of a process deletes the rows that expired PRUNE_AFTER ago."""
    try:
        with transaction.atomic():
            PublicPage.objects.bulk_create(
                [PublicPage(key=key, **(kept._asdict() | {"generation": kept.generation or ""}))],
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=_PAGE_FIELDS,
            )
            if next(_stores) % PRUNE_EVERY == 0:
                PublicPage.objects.filter(expires__lt=time.time() - PRUNE_AFTER.total_seconds()).delete()
    except DatabaseError:
        logger.warning("A public page could not be kept in the database", exc_info=True)
