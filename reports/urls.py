from django.urls import path, register_converter

from measures.models import DocumentKind

from . import staff_views
from .public import feeds, opendata, sitemaps
from .public import pages as views


class KindConverter:
    regex = DocumentKind.url_pattern()

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(KindConverter, "kind")

app_name = "reports"

document = "staff/<slug:org>/measures/<int:year>/"
public = "<slug:org>/<int:year>/<kind:kind>/"

urlpatterns = [
    path("", views.home, name="home"),
    # Site-wide files: before "<slug:org>/…" so that they are never read as an organisation.
    path("feed.atom", feeds.site_feed, name="site_feed"),
    path("robots.txt", views.robots, name="robots"),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "reports:sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemaps.section, {"sitemaps": sitemaps.SITEMAPS}, name="sitemap_section"),
    # Staff: printed documents of any state, publishing.
    path(document + "print/", staff_views.document_print, name="document_print"),
    path(document + "print.pdf", staff_views.document_print, {"fmt": "pdf"}, name="document_pdf"),
    path(document + "publish/", staff_views.publish, name="document_publish"),
    path(document + "rounds/<int:round_months>/print/", staff_views.report_print, name="report_print"),
    path(document + "rounds/<int:round_months>/print.pdf", staff_views.report_print, {"fmt": "pdf"}, name="report_pdf"),
    path(document + "rounds/<int:round_months>/publish/", staff_views.publish, name="report_publish"),
    path("staff/<slug:org>/reviews/<int:pk>/memo/print/", staff_views.memo_print, name="memo_print"),
    path("staff/<slug:org>/reviews/<int:pk>/memo.pdf", staff_views.memo_print, {"fmt": "pdf"}, name="memo_pdf"),
    path("staff/<slug:org>/publications/<int:pk>/withdraw/", staff_views.withdraw, name="publication_withdraw"),
    path("staff/<slug:org>/oit/<int:year>/", staff_views.oit_edit, name="oit_edit"),
    path("staff/<slug:org>/oit/<int:year>/<int:pk>/delete/", staff_views.oit_delete, name="oit_delete"),
    # Public: permanent URLs per organisation, fiscal year, document and version.
    path("<slug:org>/", views.organisation, name="organisation"),
    path(public, views.publication_latest, name="publication_latest"),
    path("<slug:org>/<int:year>/<kind:kind>.pdf", views.publication_pdf, name="publication_latest_pdf"),
    path(public + "v<int:version>/", views.publication_version, name="publication_version"),
    path(public + "v<int:version>.pdf", views.publication_pdf, name="publication_pdf"),
    path(public + "v<int:version>.html", views.publication_html, name="publication_html"),
    path(public + "v<int:version>-memo.pdf", views.publication_memo_pdf, name="publication_memo_pdf"),
    # Open data: the frozen data of each version, the scores, feeds, the OIT index, the embed.
    path(public + "v<int:version>.json", opendata.publication_json, name="publication_json"),
    path(public + "v<int:version>.csv", opendata.publication_csv, name="publication_csv"),
    path("<slug:org>/<int:year>/<kind:kind>.json", opendata.publication_json, name="publication_latest_json"),
    path("<slug:org>/<int:year>/<kind:kind>.csv", opendata.publication_csv, name="publication_latest_csv"),
    path("<slug:org>/<int:year>/oit/", opendata.oit_page, name="oit"),
    path("<slug:org>/scores.json", opendata.scores_json, name="scores_json"),
    path("<slug:org>/scores.csv", opendata.scores_csv, name="scores_csv"),
    path("<slug:org>/feed.atom", feeds.organisation_feed, name="organisation_feed"),
    path("<slug:org>/embed/", opendata.embed, name="embed"),
]
