"""sitemap.xml: every public page that answers 200, never a withdrawn version.

/sitemap.xml is a sitemap index pointing at one sitemap per section (/sitemap-<section>.xml):
at national scale (7,850 organisations × years × documents × versions) a single file would
pass the 50,000-URL limit. Each section pages itself with ?p= at PAGE_SIZE URLs, well under
the protocol's 50,000: a page of 50,000 versions took ~10 s to build at national size, a page of
5,000 about a tenth of that, and the index names every page. PDFs are left out: the pages link
them.
"""

import hashlib
from functools import wraps

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils.cache import get_conditional_response

from measures.models import Organisation

from ..models import Publication
from .caching import cache_headers

PAGE_SIZE = 5000
SITEMAP_TIMEOUT = 600  # seconds
PUBLICATION_FIELDS = ("organisation__slug", "fiscal_year", "kind", "version", "published_at", "withdrawn_at")


def _superseded():
    """A newer version of the same document exists (NOT EXISTS: an anti-join, where comparing each
    row with a subquery of its newest version took 0.4 s to count at national size, this 0.17 s)."""
    return Exists(
        Publication.objects.filter(
            organisation=OuterRef("organisation"),
            fiscal_year=OuterRef("fiscal_year"),
            kind=OuterRef("kind"),
            version__gt=OuterRef("version"),
        )
    )


class PagedSitemap(Sitemap):
    limit = PAGE_SIZE

    def get_latest_lastmod(self):
        """The index's <lastmod> for this section: the newest live publication, in one indexed query.

        Django's default calls lastmod() on every item of the section: 75,000 publications and
        five seconds for /sitemap.xml at national size. Every section's dates are those of its
        live publications, so their newest is the section's.
        """
        return Publication.objects.live().aggregate(newest=Max("published_at"))["newest"]


class OrganisationSitemap(PagedSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return (
            Organisation.objects.annotate(
                updated=Max("publications__published_at", filter=Q(publications__withdrawn_at__isnull=True))
            )
            .only("slug")
            .order_by("slug")
        )

    def location(self, item: Organisation) -> str:
        return reverse("reports:organisation", args=[item.slug])

    def lastmod(self, item: Organisation):
        return item.updated


class LatestSitemap(PagedSitemap):
    """The unversioned URL of each document whose newest version is live (else it shows a notice)."""

    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return (
            Publication.objects.live()
            .filter(~_superseded())
            .select_related("organisation")
            .only(*PUBLICATION_FIELDS)
            .order_by("organisation__slug", "-fiscal_year", "kind")
        )

    def location(self, item: Publication) -> str:
        return reverse("reports:publication_latest", args=[item.organisation.slug, item.fiscal_year, item.kind])

    def lastmod(self, item: Publication):
        return item.published_at


class VersionSitemap(PagedSitemap):
    """Every live version on its permanent URL: it never changes."""

    changefreq = "never"
    priority = 0.4

    def items(self):
        return (
            Publication.objects.live()
            .select_related("organisation")
            .only(*PUBLICATION_FIELDS)
            .order_by("organisation__slug", "-fiscal_year", "kind", "-version")
        )

    def location(self, item: Publication) -> str:
        return reverse(
            "reports:publication_version", args=[item.organisation.slug, item.fiscal_year, item.kind, item.version]
        )

    def lastmod(self, item: Publication):
        return item.published_at


class OitSitemap(PagedSitemap):
    """The OIT evidence index of each organisation and year with a live publication."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return (
            Publication.objects.live()
            .values("organisation__slug", "fiscal_year")
            .annotate(updated=Max("published_at"))
            .order_by("organisation__slug", "-fiscal_year")
        )

    def location(self, item: dict) -> str:
        return reverse("reports:oit", args=[item["organisation__slug"], item["fiscal_year"]])

    def lastmod(self, item: dict):
        return item["updated"]


SITEMAPS = {
    "organisations": OrganisationSitemap,
    "documents": LatestSitemap,
    "versions": VersionSitemap,
    "oit": OitSitemap,
}


def _site_state(request) -> str | None:
    """What the sitemap asked for depends on, in two indexed aggregates: the publications (added
    or withdrawn) and the organisations (added or removed); and the address asked for (the URLs
    in the answer are absolute), with only its page number, read as a number (any other query
    string, or "?p=001", must not make a new copy). None for a page number that is not one."""
    page = request.GET.get("p", "1")
    if not page.isascii() or not page.isdigit() or len(page) > 6:
        return None
    organisations = Organisation.objects.aggregate(count=Count("pk"), newest=Max("pk"))
    state = repr(
        (request.scheme, request.get_host(), request.path, int(page), Publication.objects.stamp(), organisations)
    )
    return hashlib.sha256(state.encode()).hexdigest()


def _cached(view):
    """The sitemap as last built while the site's state is the same, else built anew and kept.

    Building is the costly part at national size (0.3 s for the index, which counts each
    section; 0.5-0.7 s for a page of 5,000 URLs), and a crawler, or anyone, may ask for it again
    and again. Publishing, withdrawing or adding an organisation changes the key at once; a
    change the key does not see (an organisation's new slug) shows within SITEMAP_TIMEOUT. The
    answer carries an ETag, so a crawler that kept it gets a 304.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if (state := _site_state(request)) is None:  # not kept: Django's view answers 404 (or reads "๑")
            return cache_headers(view(request, *args, **kwargs), immutable=False)
        key = f"sitemap:{state}"
        if (response := cache.get(key)) is None:
            response = cache_headers(view(request, *args, **kwargs), immutable=False)
            response.render()  # a TemplateResponse: kept with its content and headers
            response["ETag"] = f'"{state[:32]}"'
            cache.set(key, response, SITEMAP_TIMEOUT)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapper


index = _cached(sitemap_views.index)
section = _cached(sitemap_views.sitemap)
