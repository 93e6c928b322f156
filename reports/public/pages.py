"""The public site: organisations, their ITA pages and the published versions of documents.

Everything here reads frozen publications (reports.models.Publication) and the organisations'
published scores; nothing reads the live, editable documents, so a draft can never show.
Pages are the same for every visitor: no login, no cookies, cacheable (reports.public.caching).
"""

import html
import json
from decimal import Decimal

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import condition

from measures import editions, selectors, thai
from measures.filters import SEARCH_MAX_LENGTH
from measures.models import Organisation
from measures.scoring import scorecard_for
from measures.storage import stored_file_response

from ..documents import live_trend_charts
from ..models import OitEntry, Publication
from . import fragments
from .caching import PUBLIC_CONTEXT, cache_headers, document_state, kept_page, organisation_state
from .reading import reading_html


def home(request):
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    # Documents, not versions: a document republished as version 2 still counts once. Counted by
    # a subquery, which PostgreSQL runs only for the 200 organisations shown (after the sort and
    # the limit); joined and grouped, the count read every publication of the country on each
    # visit (335 ms at 7,850 organisations and 75,000 publications).
    counts = (
        Publication.objects.live()
        .filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("document", distinct=True) + Count("report", distinct=True))
        .values("n")
    )
    organisations = Organisation.objects.order_by("province", "name").annotate(
        published=Coalesce(Subquery(counts), Value(0))
    )
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query) | Q(province__icontains=query) | Q(district__icontains=query)
        )
    return cache_headers(
        render(request, "reports/public/home.html", {"organisations": organisations[:200], "query": query}),
        immutable=False,
    )


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


EMBED_RESIZE = """<script>
window.addEventListener("message", function (event) {{
  var frame = document.getElementById({frame_id});
  if (!frame || event.origin !== {origin} || event.source !== frame.contentWindow) return;
  if (!event.data || event.data.type !== "ita-embed-height") return;
  frame.style.height = Math.min(Math.max(Number(event.data.height) || 0, 120), 6000) + "px";
}});
</script>"""


def embed_snippets(request, organisation: Organisation) -> dict[str, str]:
    """What the organisation pastes into its own website: the iframe of its published documents
    with a short script that sets the iframe's height from what the embedded page posts
    (static/js/embed-height.js), and a plain link for the sites that strip iframes or scripts."""
    origin = f"{request.scheme}://{request.get_host()}"
    frame_id = f"ita-documents-{organisation.slug}"
    name = escape(organisation.name)
    iframe = (
        f'<iframe src="{origin}{reverse("reports:embed", args=[organisation.slug])}" title="เอกสาร ITA ของ{name}" '
        f'id="{frame_id}" width="100%" height="420" style="border:0" loading="lazy"></iframe>'
    )
    script = EMBED_RESIZE.format(frame_id=json.dumps(frame_id), origin=json.dumps(origin))
    page = f"{origin}{reverse('reports:organisation', args=[organisation.slug])}"
    link = f'<p><a href="{page}">มาตรการส่งเสริมคุณธรรมและความโปร่งใส (ITA) ของ{name}</a></p>'
    # Shown in a <textarea>: only <, > and & need escaping there, the quotes read as typed.
    codes = {"iframe": f"{iframe}\n{script}", "link": link}
    return {key: mark_safe(html.escape(code, quote=False)) for key, code in codes.items()}  # noqa: S308 - escaped


def _scores(organisation: Organisation) -> dict:
    """The organisation page's latest ITA result and its charts (kept: reports.public.fragments)."""
    assessments = list(selectors.assessments_for(organisation))
    latest = None
    if assessments:
        card = scorecard_for(assessments[-1])
        latest = {
            "year": assessments[-1].framework.year,
            "total": None if card.total is None else str(card.total),
            "rating": card.rating,
        }
    trend, bars = live_trend_charts(organisation, assessments=assessments)
    return {"latest": latest, "trend": trend, "bars": bars}


@kept_page(organisation_state)
def organisation(request, org):
    organisation = _organisation(org)
    publications = list(
        Publication.objects.filter(organisation=organisation)
        .only("fiscal_year", "kind", "version", "title", "published_at", "withdrawn_at")
        .order_by("-fiscal_year", "kind", "-version")
    )
    years: dict[int, dict[str, Publication]] = {}
    for p in publications:  # the newest version of each document per year
        years.setdefault(p.fiscal_year, {}).setdefault(p.kind, p)
    for year in OitEntry.objects.filter(organisation=organisation).order_by().values_list("fiscal_year", flat=True):
        years.setdefault(year, {})  # a year with only OIT links still gets its index linked
    scores = fragments.scores(organisation, lambda: _scores(organisation))
    latest = scores["latest"]
    if latest and latest["total"] is not None:
        latest["total"] = Decimal(latest["total"])
    return cache_headers(
        render(
            request,
            "reports/public/organisation.html",
            PUBLIC_CONTEXT
            | {
                "organisation": organisation,
                "years": [
                    {"year": y, "documents": [docs[k] for k in Publication.Kind.values if k in docs]}
                    for y, docs in sorted(years.items(), reverse=True)
                ],
                "latest": latest,
                "trend_svg": scores["trend"],
                "bars_svg": scores["bars"],
                "snippets": embed_snippets(request, organisation),
            },
        ),
        immutable=False,
    )


def _versions(organisation, year: int, kind: str) -> list[Publication]:
    if kind not in Publication.Kind.values:
        raise Http404("ไม่มีเอกสารประเภทนี้")
    versions = list(
        Publication.objects.filter(organisation=organisation, fiscal_year=year, kind=kind)
        .defer("data", "html")
        .select_related("organisation")
        .order_by("-version")
    )
    if not versions:
        raise Http404("ยังไม่มีเอกสารนี้ที่เผยแพร่")
    return versions


READING_VERSION = 2  # raise when the reading view's template or wording changes


def publication_reading(publication: Publication):
    """The phone reading view of a publication, made once from its frozen data and kept
    (reports.public.fragments): a publication never changes, and making the view (its cards, the
    names kept whole) is most of a cold page's time."""
    made = fragments.reading(publication, READING_VERSION, lambda: str(reading_html(publication.data) or ""))
    return mark_safe(made) if made else None  # noqa: S308 - the template's output, escaped there


def _publication_page(request, organisation, versions: list[Publication], publication: Publication, *, versioned: bool):
    approvals = [] if publication.is_withdrawn else publication.data.get("approvals", [])
    context = {
        "organisation": organisation,
        "publication": publication,
        "versions": versions,
        "approved": [a | {"date": editions.parse_date(a["date"])} for a in approvals],
        "newest": versions[0],
        "versioned": versioned,
        "year_label": thai.fiscal_year_label(publication.fiscal_year, thai_digits=False),
    }
    if publication.is_withdrawn:
        response = render(request, "reports/public/withdrawn.html", PUBLIC_CONTEXT | context, status=410)
        return cache_headers(response, immutable=False)
    # Phones read the edition as cards made from its frozen data; the print layout is the print
    # view's and the PDF's (a version published before editions were frozen whole shows its stored body).
    context["reading"] = publication_reading(publication)
    response = render(request, "reports/public/publication.html", PUBLIC_CONTEXT | context)
    return cache_headers(response, immutable=False)  # a newer version adds a note to this page


@kept_page(document_state)
def publication_latest(request, org, year, kind):
    organisation = _organisation(org)
    versions = _versions(organisation, year, kind)
    return _publication_page(request, organisation, versions, versions[0], versioned=False)


@kept_page(document_state)
def publication_version(request, org, year, kind, version):
    organisation = _organisation(org)
    versions = _versions(organisation, year, kind)
    publication = next((v for v in versions if v.version == version), None)
    if publication is None:
        raise Http404("ไม่มีฉบับนี้")
    return _publication_page(request, organisation, versions, publication, versioned=True)


def _one(org, year, kind, version=None) -> Publication:
    queryset = Publication.objects.filter(organisation__slug=org, fiscal_year=year, kind=kind)
    if version is not None:
        queryset = queryset.filter(version=version)
    publication = queryset.order_by("-version").first()
    if publication is None or publication.is_withdrawn:
        raise Http404("ไม่มีไฟล์นี้ หรือถอนการเผยแพร่แล้ว")
    return publication


def _served(org, year, kind, version=None) -> dict | None:
    """The SHA-256 and date of the version the URL serves, or None once that version is withdrawn.

    Not the newest live version: when the newest is withdrawn the unversioned PDF answers 404,
    and an older version's ETag must not turn a reader's conditional GET into a 304.
    """
    queryset = Publication.objects.filter(organisation__slug=org, fiscal_year=year, kind=kind)
    if version is not None:
        queryset = queryset.filter(version=version)
    row = queryset.order_by("-version").values("sha256", "published_at", "withdrawn_at").first()
    return row if row is not None and row["withdrawn_at"] is None else None


def _pdf_etag(request, org, year, kind, version=None):
    row = _served(org, year, kind, version)
    return row["sha256"] if row else None


def _last_modified(request, org, year, kind, version=None):
    row = _served(org, year, kind, version)
    return row["published_at"] if row else None


@condition(etag_func=_pdf_etag, last_modified_func=_last_modified)
def publication_pdf(request, org, year, kind, version=None):
    """The stored PDF, byte for byte as published; its ETag is its SHA-256."""
    publication = _one(org, year, kind, version)
    filename = f"ita-{org}-{year}-{kind}-v{publication.version}.pdf"
    response = stored_file_response(request, publication.pdf, content_type="application/pdf", filename=filename)
    if not isinstance(response, FileResponse):  # the storage failed: the Thai page says so
        return response
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return cache_headers(response, immutable=version is not None)


@condition(etag_func=_pdf_etag, last_modified_func=_last_modified)
# The frozen bytes carry their own <style> (the @page rules) and no nonce; no script may run at all.
@csp_replace({"style-src": [SELF, UNSAFE_INLINE], "script-src": [NONE], "connect-src": [NONE], "form-action": [NONE]})
def publication_html(request, org, year, kind, version):
    """The document's standalone HTML as frozen when it was published (the PDF's source)."""
    publication = _one(org, year, kind, version)
    return cache_headers(HttpResponse(publication.html, content_type="text/html; charset=utf-8"), immutable=True)


def _memo_etag(request, org, year, kind, version):
    row = _served(org, year, kind, version)
    return f"memo-{row['sha256']}" if row else None


@condition(etag_func=_memo_etag, last_modified_func=_last_modified)
def publication_memo_pdf(request, org, year, kind, version):
    """The signed memo published with a version, when the officer chose to publish it."""
    publication = _one(org, year, kind, version)
    if not publication.memo_pdf:
        raise Http404("ฉบับนี้ไม่ได้เผยแพร่บันทึกข้อความ")
    filename = f"ita-{org}-{year}-{kind}-v{publication.version}-memo.pdf"
    response = stored_file_response(request, publication.memo_pdf, content_type="application/pdf", filename=filename)
    if not isinstance(response, FileResponse):  # the storage failed: the Thai page says so
        return response
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return cache_headers(response, immutable=True)


def robots(request):
    """Search engines may read the public site, not the staff side; the sitemap lists it all."""
    sitemap = request.build_absolute_uri(reverse("reports:sitemap"))
    text = f"User-agent: *\nDisallow: /staff/\nDisallow: /admin/\nDisallow: /accounts/\nSitemap: {sitemap}\n"
    return cache_headers(HttpResponse(text, content_type="text/plain; charset=utf-8"), immutable=False)
