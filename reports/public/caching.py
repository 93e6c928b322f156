"""HTTP caching of the public site: the Cache-Control of every public answer, and the rendered
organisation and document pages kept in Django's cache (PublicPageCache, a middleware)."""

import base64
import hashlib
import os
import re
import time
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, has_vary_header, patch_cache_control
from django.utils.http import http_date

from measures.models import Assessment, DocumentKind, Organisation
from measures.models.organisations import RESERVED_SLUGS

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
# and the view run. The state is read on every request with one small indexed query
# (a document: its versions; an organisation: its row with a summary of its publications,
# ITA results and OIT links). Publishing or withdrawing a version changes the state, so
# the very next request renders the new page: nothing has to be deleted, which holds with one
# cache per worker process (the default) as with a shared one. The state names versions by
# their PDF's SHA-256 and their dates as well as their ids, so that a database restored from a
# backup or rebuilt, whose ids start again, does not find the old database's pages.
#
# Only what every visitor sees is kept: public pages are rendered without the visitor's
# messages, and a response that sets a cookie or varies by cookie (a session or CSRF token was
# used) is served but not kept. A CSP nonce is replaced by a new one each time a page is served.

PAGE_TIMEOUT = 24 * 3600  # the key changes with the content: the timeout only frees memory
# The organisation page's scores also depend on the ITA frameworks (rating rules), which its
# key leaves out: an edit of a framework shows on it within this many seconds.
ORGANISATION_PAGE_TIMEOUT = 600
PUBLIC_CONTEXT = {"messages": ()}  # a visitor's messages are never part of a public page

_PUBLIC_PAGE = re.compile(
    rf"/(?P<org>[-a-zA-Z0-9_]+)/(?:(?P<year>[0-9]{{1,9}})/(?P<kind>{DocumentKind.url_pattern()})/(?:v(?P<version>[0-9]{{1,9}})/)?)?"
)
_NONCE = re.compile(r"'nonce-([^']+)'")
_NONCE_MARK = "\x00csp-nonce\x00"
_NOT_REPLAYED = {"etag", "last-modified", "content-length", "date"}

# The state queries run on every request of these pages, so they are plain SQL: the ORM would
# spend more time building them than the database spends answering (indexed lookups).
_DOCUMENT_STATE_SQL = f"""
    SELECT p.id, p.version, p.sha256, p.published_at, p.withdrawn_at, o.name
    FROM {Publication._meta.db_table} p JOIN {Organisation._meta.db_table} o ON o.id = p.organisation_id
    WHERE o.slug = %s AND p.fiscal_year = %s AND p.kind = %s ORDER BY p.version"""  # noqa: S608 - table names
# The organisation page's state: its row, and a summary of each table it shows (publications are
# only ever added or withdrawn once, ITA results bump updated_at, OIT links are added or deleted).
_ORGANISATION_STATE_SQL = f"""
    SELECT o.id, o.name, o.district, o.province, o.thai_digits,
        (SELECT COUNT(*) || ' ' || COALESCE(MAX(p.id), 0) || ' ' || COALESCE(CAST(MAX(p.published_at) AS TEXT), '')
            || ' ' || COUNT(p.withdrawn_at) || ' ' || COALESCE(CAST(MAX(p.withdrawn_at) AS TEXT), '')
         FROM {Publication._meta.db_table} p WHERE p.organisation_id = o.id),
        (SELECT COUNT(*) || ' ' || COALESCE(MAX(a.id), 0) || ' ' || COALESCE(CAST(MAX(a.updated_at) AS TEXT), '')
         FROM {Assessment._meta.db_table} a WHERE a.organisation_id = o.id),
        (SELECT COUNT(*) || ' ' || COALESCE(MAX(e.id), 0) || ' ' || COALESCE(SUM(e.fiscal_year), 0)
         FROM {OitEntry._meta.db_table} e WHERE e.organisation_id = o.id)
    FROM {Organisation._meta.db_table} o WHERE o.slug = %s"""  # noqa: S608 - table names


@dataclass(frozen=True)
class CachedPage:
    """Where a public page is kept, and what identifies its content."""

    view_name: str
    key: str
    etag: str
    timeout: int
    last_modified: float | None  # the data's own date; None: the time the page is rendered


def cached_page(request) -> CachedPage | None:
    """The cache slot of the public page this request asks for, or None for any other request.

    None too when the page does not exist (unknown organisation, nothing published, no such
    version): the view then answers 404 as usual.
    """
    if request.method not in ("GET", "HEAD") or (match := _PUBLIC_PAGE.fullmatch(request.path_info)) is None:
        return None
    org, year, kind, version = match["org"], match["year"], match["kind"], match["version"]
    if org.lower() in RESERVED_SLUGS:  # /staff/, /admin/ …: never an organisation, no query
        return None
    last_modified, timeout = None, PAGE_TIMEOUT
    if year is None:
        state = _rows(_ORGANISATION_STATE_SQL, [org])
        if not state:
            return None
        view_name, timeout = "reports:organisation", ORGANISATION_PAGE_TIMEOUT
    else:
        state = _rows(_DOCUMENT_STATE_SQL, [org, int(year), kind])
        if not state or (version is not None and int(version) not in {row[1] for row in state}):
            return None
        view_name = "reports:publication_latest" if version is None else "reports:publication_version"
        # The page changes when a version is published or withdrawn, and at no other time.
        last_modified = max(_timestamp(t) for row in state for t in row[3:5] if t is not None)
    material = repr(
        (request.path_info, request.scheme, request.get_host(), translation.get_language_from_request(request), state)
    )
    digest = hashlib.blake2b(material.encode(), digest_size=16).hexdigest()
    return CachedPage(view_name, f"public-page:v1:{digest}", f'W/"{digest}"', timeout, last_modified)


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
            match = getattr(request, "resolver_match", None)  # the URL may belong to another view
            entry = stored_entry(response, page) if match is not None and match.view_name == page.view_name else None
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


# PostgreSQL plans a statement each time it is sent; a prepared statement is planned once per
# connection: about half the database's time for these small lookups. Worth it only with
# persistent connections (CONN_MAX_AGE), and not through a pooler in transaction mode.
# Prepared statements outlive a rolled-back transaction, so a connection is marked once it has them.
_prepared: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()


def _rows(sql: str, params: list) -> tuple:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.settings_dict.get("CONN_MAX_AGE") != 0:
            name = "ita_public_" + hashlib.blake2b(sql.encode(), digest_size=6).hexdigest()
            prepared = _prepared.setdefault(connection.connection, set())
            if name not in prepared:
                numbered = iter(range(1, len(params) + 1))
                cursor.execute(f"PREPARE {name} AS " + re.sub(r"%s", lambda _m: f"${next(numbered)}", sql))
                prepared.add(name)
            cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(params))})", params)
        else:
            cursor.execute(sql, params)
        return tuple(cursor.fetchall())


def _timestamp(value: datetime | str) -> float:
    """A date read by plain SQL: a datetime, naive from SQLite (where it is stored in UTC)."""
    value = datetime.fromisoformat(value) if isinstance(value, str) else value
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
