"""Atom feeds of publications: one per organisation and one for the whole site.

An entry is a live published version (withdrawn ones leave the feed), linked on its permanent
versioned URL, with its PDF as an enclosure. The feeds carry an ETag and Last-Modified so that
feed readers polling them get a 304 until something is published or withdrawn.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.translation import gettext as _
from django.views.decorators.http import condition

from measures import thai
from measures.models import Organisation

from ..models import Publication
from .caching import cache_headers

ORGANISATION_ENTRIES = 50
SITE_ENTRIES = 100
SITE_NAME = "ITA ท้องถิ่น: มาตรการส่งเสริมคุณธรรมและความโปร่งใส"


class PublicationFeed(Feed):
    feed_type = Atom1Feed
    language = "th"

    def __init__(self, request):
        super().__init__()
        self.request = request

    def _items(self, queryset, limit: int):
        return (
            queryset.filter(withdrawn_at__isnull=True)
            .select_related("organisation")
            .only(
                "organisation__name",
                "organisation__slug",
                "fiscal_year",
                "kind",
                "version",
                "title",
                "published_at",
                "pdf_size",
                "withdrawn_at",
            )
            .order_by("-published_at", "-pk")[:limit]
        )

    def item_title(self, item: Publication) -> str:
        return _("%(title)s (ฉบับเผยแพร่ที่ %(version)s)") % {"title": item.title, "version": item.version}

    def item_description(self, item: Publication) -> str:
        return _("%(kind)s %(year)s ของ%(org)s ฉบับเผยแพร่ที่ %(version)s เผยแพร่เมื่อ %(date)s") % {
            "kind": item.get_kind_display(),
            "year": thai.fiscal_year_label(item.fiscal_year, thai_digits=False),
            "org": item.organisation.name,
            "version": item.version,
            "date": thai.format_date_long(timezone.localdate(item.published_at), thai_digits=False),
        }

    def _args(self, item: Publication) -> list:
        return [item.organisation.slug, item.fiscal_year, item.kind, item.version]

    def item_link(self, item: Publication) -> str:
        return reverse("reports:publication_version", args=self._args(item))

    def item_pubdate(self, item: Publication):
        return item.published_at

    def item_updateddate(self, item: Publication):
        return item.published_at

    def item_author_name(self, item: Publication) -> str:
        return item.organisation.name

    def item_categories(self, item: Publication) -> list[str]:
        return [item.get_kind_display(), thai.fiscal_year_label(item.fiscal_year, thai_digits=False)]

    def item_enclosures(self, item: Publication) -> list[Enclosure]:
        url = self.request.build_absolute_uri(reverse("reports:publication_pdf", args=self._args(item)))
        return [Enclosure(url, str(item.pdf_size), "application/pdf")]


class OrganisationFeed(PublicationFeed):
    def get_object(self, request, org):
        return get_object_or_404(Organisation, slug=org)

    def title(self, obj: Organisation) -> str:
        return _("เอกสาร ITA ที่เผยแพร่ของ%(org)s") % {"org": obj.name}

    def subtitle(self, obj: Organisation) -> str:
        return _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส และรายงานผลการดำเนินการ รอบ 6 และ 12 เดือน ของ%(org)s %(place)s") % {
            "org": obj.name,
            "place": obj.place,
        }

    def link(self, obj: Organisation) -> str:
        return reverse("reports:organisation", args=[obj.slug])

    def author_name(self, obj: Organisation) -> str:
        return obj.name

    def items(self, obj: Organisation):
        return self._items(Publication.objects.filter(organisation=obj), ORGANISATION_ENTRIES)


class SiteFeed(PublicationFeed):
    title = _("เอกสาร ITA ที่เผยแพร่ล่าสุดของทุกหน่วยงาน")
    subtitle = _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส และรายงานผลการดำเนินการ ขององค์กรปกครองส่วนท้องถิ่น")
    author_name = SITE_NAME

    def link(self) -> str:
        return reverse("reports:home")

    def items(self):
        return self._items(Publication.objects.all(), SITE_ENTRIES)


# --- Views with conditional GET --------------------------------------------------------------


def feed_state(request, org=None) -> dict:
    """What the feed depends on: its newest publication and its latest withdrawal (see stamp)."""
    if not hasattr(request, "_feed_state"):
        queryset = Publication.objects.all()
        if org is not None:
            queryset = queryset.filter(organisation__slug=org)
        request._feed_state = queryset.stamp()
    return request._feed_state


def _etag(request, org=None) -> str:
    state = feed_state(request, org)
    stamps = [str(state[k].timestamp()) if state[k] else "0" for k in ("published", "withdrawn")]
    return f"feed-{state['newest'] or 0}-{'-'.join(stamps)}"


def _modified(request, org=None):
    state = feed_state(request, org)
    return max((d for d in (state["published"], state["withdrawn"]) if d), default=None)


def _respond(response):
    response["Access-Control-Allow-Origin"] = "*"
    return cache_headers(response, immutable=False)


@condition(etag_func=_etag, last_modified_func=_modified)
def organisation_feed(request, org):
    return _respond(OrganisationFeed(request)(request, org=org))


@condition(etag_func=_etag, last_modified_func=_modified)
def site_feed(request):
    return _respond(SiteFeed(request)(request))
