"""HTTP caching of the public site: the Cache-Control of every public answer, and the rendered
organisation and document pages kept in Django's cache (PublicPageCache, a middleware)."""

import base64
import functools
import hashlib
import os
import re
import time
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.db.models.functions import JSONObject
from django.http import HttpResponse
from django.urls import Resolver404, get_resolver
from django.utils import translation
from django.utils.cache import get_conditional_response, has_vary_header, patch_cache_control
from django.utils.http import http_date

from measures.models import Assessment, Organisation

from ..models import OitEntry, Publication

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
# kept in Django's cache (settings.CACHES) once rendered, under a key made of the state of the
# data it shows, and PublicPageCache serves it from there before the rest of the middleware
# and the view run. Which pages are kept is said by their views (@kept_page, with the function
# that reads their state); the URL is resolved by Django's own URLconf. The state is read on
# every request with one indexed aggregate query (a document: its versions; an organisation:
# its row with a summary of its publications, ITA results and OIT links). Publishing or
# withdrawing a version changes the state, so the very next request renders the new page:
# nothing has to be deleted, which holds with one cache per worker process (the default) as
# with a shared one. The state holds the versions' dates and PDF digests as well as their
# ids, so that a database restored from a backup or rebuilt, whose ids start again, does not
# find the old database's pages.
#
# Only what every visitor sees is kept: public pages are rendered without the visitor's
# messages, and a response that sets a cookie or varies by cookie (a session or CSRF token was
# used) is served but not kept. A CSP nonce is replaced by a new one each time a page is served.

PAGE_TIMEOUT = 24 * 3600  # the key changes with the content: the timeout only frees memory
# The organisation page's scores also depend on the ITA frameworks (rating rules), which its
# key leaves out: an edit of a framework shows on it within this many seconds.
ORGANISATION_PAGE_TIMEOUT = 600
PUBLIC_CONTEXT = {"messages": ()}  # a visitor's messages are never part of a public page

_NONCE = re.compile(r"'nonce-([^']+)'")
_NONCE_MARK = "\x00csp-nonce\x00"
_NOT_REPLAYED = {"etag", "last-modified", "content-length", "date"}


@dataclass(frozen=True)
class PageState:
    """What a kept page shows, as read by its view's state function: the key's material."""

    summary: tuple
    timeout: int = PAGE_TIMEOUT
    last_modified: datetime | None = None  # the data's own date; None: the time the page is rendered


def kept_page(state):
    """Keep the view's pages in the cache, keyed by `state(**url_kwargs)`: a PageState, or None
    when there is no such page (the view then answers 404 as usual)."""

    def mark(view):
        view.page_state = state
        return view

    return mark


class CompiledQuery:
    """A queryset the ORM builds and compiles once per process and database, then run again and
    again with new arguments.

    The state queries run on every request of the busiest pages, where building a queryset and
    compiling it (0.2–1 ms of Python each time) would cost more than the database spends answering
    (indexed lookups). The SQL is the ORM's own, made from the models; the queryset is built with
    stand-ins for the arguments, and each run puts the real ones in their places.
    """

    def __init__(self, build, *types: type):
        self.build, self.types = build, types
        self._compiled: dict[str, tuple] = {}

    def first(self, *args) -> tuple | None:
        """The first row, converted by the ORM as the queryset would give it; None when empty."""
        compiled = self._compiled.get(connection.vendor) or self._compile()
        compiler, sql, slots = compiled
        params = [args[slot.index] if isinstance(slot, _Slot) else slot for slot in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return None if row is None else tuple(next(iter(compiler.results_iter([[row]]))))

    def _compile(self) -> tuple:
        stand_ins = {self._stand_in(kind, i): _Slot(i) for i, kind in enumerate(self.types)}
        queryset = self.build(*stand_ins)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = [stand_ins.get(p, p) if isinstance(p, str | int) else p for p in params]
        if sorted(s for s in slots if isinstance(s, _Slot)) != sorted(stand_ins.values()):
            raise ValueError("every argument must reach the SQL as one parameter")
        compiled = self._compiled[connection.vendor] = compiler, sql, slots
        return compiled

    @staticmethod
    def _stand_in(kind: type, index: int):
        return f"\ue000argument-{index}\ue000" if kind is str else 2_147_480_000 + index


@dataclass(frozen=True, order=True)
class _Slot:
    """Where an argument goes among a compiled query's parameters."""

    index: int


def _summary(model, **aggregates):
    """One organisation's rows of `model`, summed up by `aggregates` in one JSON value."""
    rows = model.objects.filter(organisation=OuterRef("pk")).order_by().values("organisation")
    return Subquery(rows.annotate(summary=JSONObject(**aggregates)).values("summary"))


# The organisation page shows the organisation's details, the newest version of each of its
# documents (publications are only ever added, or withdrawn once), its ITA results (each save
# moves updated_at) and the years of its OIT links (added or deleted).
_ORGANISATION_STATE = CompiledQuery(
    lambda slug: (
        Organisation.objects.filter(slug=slug)
        .order_by()
        .annotate(
            publications_state=_summary(
                Publication, n=Count("pk"), last=Max("pk"), published=Max("published_at"), withdrawn=Max("withdrawn_at")
            ),
            assessments_state=_summary(Assessment, n=Count("pk"), last=Max("pk"), updated=Max("updated_at")),
            oit_state=_summary(OitEntry, n=Count("pk"), last=Max("pk"), years=Sum("fiscal_year")),
        )
        .values_list("pk", "updated_at", "publications_state", "assessments_state", "oit_state")
    ),
    str,
)

# A document's page shows its versions (numbered 1, 2, … and only ever added, or withdrawn once)
# and its organisation's name; it changes when a version is published or withdrawn.
_DOCUMENT_STATE = CompiledQuery(
    lambda slug, year, kind: (
        Publication.objects.filter(organisation__slug=slug, fiscal_year=year, kind=kind)
        .order_by()
        .values("organisation")
        .annotate(
            versions=Max("version"),
            last=Max("pk"),
            digest=Max("sha256"),
            published=Max("published_at"),
            withdrawn=Max("withdrawn_at"),
            withdrawals=Count("withdrawn_at"),
            organisation_changed=Max("organisation__updated_at"),
        )
        .values_list("versions", "last", "digest", "published", "withdrawn", "withdrawals", "organisation_changed")
    ),
    str,
    int,
    str,
)


def organisation_state(org: str) -> PageState | None:
    state = _ORGANISATION_STATE.first(org)
    return None if state is None else PageState(state, timeout=ORGANISATION_PAGE_TIMEOUT)


def document_state(org: str, year: int, kind: str, version: int | None = None) -> PageState | None:
    state = _DOCUMENT_STATE.first(org, year, kind)
    if state is None or (version is not None and not 1 <= version <= state[0]):
        return None
    published, withdrawn = state[3], state[4]
    return PageState(state, last_modified=max(d for d in (published, withdrawn) if d is not None))


@dataclass(frozen=True)
class CachedPage:
    """Where a public page is kept, and what identifies its content."""

    key: str
    etag: str
    timeout: int
    last_modified: float | None  # the data's own date; None: the time the page is rendered


def cached_page(request) -> CachedPage | None:
    """The cache slot of the public page this request asks for, or None for any other request
    and for a page that does not exist."""
    if request.method not in ("GET", "HEAD") or (kept := _kept_view(get_resolver(), request.path_info)) is None:
        return None
    view_name, state_of, kwargs = kept
    if (state := state_of(**kwargs)) is None:
        return None
    material = repr(
        (
            view_name,
            request.path_info,
            request.scheme,
            request.get_host(),
            translation.get_language_from_request(request),
            state.summary,
        )
    )
    digest = hashlib.blake2b(material.encode(), digest_size=16).hexdigest()
    modified = state.last_modified.timestamp() if state.last_modified else None
    return CachedPage(f"public-page:v2:{digest}", f'W/"{digest}"', state.timeout, modified)


@functools.lru_cache(maxsize=4096)
def _kept_view(resolver, path: str) -> tuple | None:
    """The kept view a path resolves to (its name, state function and arguments), remembered per
    URLconf: resolving a public URL walks the URLconf (up to 0.25 ms), for every request."""
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    state_of = getattr(match.func, "page_state", None)
    return None if state_of is None else (match.view_name, state_of, match.kwargs)


class PublicPageCache:
    """Middleware: serves the organisation page and the document pages from Django's cache.

    Installed right after WhiteNoise (settings, "Cache"), so that a page found in the cache
    costs its state query and nothing else; the headers the inner middleware added when the
    page was rendered (CSP, X-Frame-Options, Vary, Content-Language, Cache-Control) are kept
    with it. ETag and Last-Modified answer conditional requests with 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        page = cached_page(request)
        if page is None:
            return self.get_response(request)
        if request.META.get("HTTP_IF_NONE_MATCH"):  # answered from the key alone
            not_modified = get_conditional_response(request, etag=page.etag)
            if not_modified is not None:
                return _not_modified(not_modified, page)
        entry = cache.get(page.key)
        if entry is None:
            response = self.get_response(request)
            entry = stored_entry(response, page)
            if entry is None:
                return response
            cache.set(page.key, entry, page.timeout)
        return replay_entry(request, page, entry)


def stored_entry(response, page: CachedPage) -> tuple | None:
    """What the cache keeps of a rendered page, or None when it must not be kept."""
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
    modified = page.last_modified if page.last_modified is not None else time.time()
    return response.status_code, headers, body, modified, bool(nonces)


def replay_entry(request, page: CachedPage, entry: tuple) -> HttpResponse:
    status, headers, body, modified, has_nonce = entry
    if status == 200:
        not_modified = get_conditional_response(request, etag=page.etag, last_modified=int(modified))
        if not_modified is not None:
            return _not_modified(not_modified, page, modified)
    if has_nonce:
        nonce = base64.b64encode(os.urandom(16)).decode()
        body = body.replace(_NONCE_MARK.encode(), nonce.encode())
        headers = [(k, v.replace(_NONCE_MARK, nonce)) for k, v in headers]
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(body))
    if status == 200:
        response["ETag"] = page.etag
        response["Last-Modified"] = http_date(modified)
    return response


def _not_modified(response, page: CachedPage, modified: float | None = None):
    response["ETag"] = page.etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    return cache_headers(response, immutable=False)
