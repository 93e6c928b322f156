from django.urls import path, register_converter

from . import staff_views, views


class KindConverter:
    regex = "measures|report-6|report-12"

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
    # Staff: printed documents of any state, publishing.
    path(document + "print/", staff_views.document_print, name="document_print"),
    path(document + "print.pdf", staff_views.document_print, {"fmt": "pdf"}, name="document_pdf"),
    path(document + "publish/", staff_views.publish, name="document_publish"),
    path(document + "rounds/<int:round_months>/print/", staff_views.report_print, name="report_print"),
    path(document + "rounds/<int:round_months>/print.pdf", staff_views.report_print, {"fmt": "pdf"},
         name="report_pdf"),
    path(document + "rounds/<int:round_months>/publish/", staff_views.publish, name="report_publish"),
    path("staff/<slug:org>/reviews/<int:pk>/memo/print/", staff_views.memo_print, name="memo_print"),
    path("staff/<slug:org>/reviews/<int:pk>/memo.pdf", staff_views.memo_print, {"fmt": "pdf"}, name="memo_pdf"),
    path("staff/<slug:org>/publications/<int:pk>/withdraw/", staff_views.withdraw, name="publication_withdraw"),
    # Public: permanent URLs per organisation, fiscal year, document and version.
    path("<slug:org>/", views.organisation, name="organisation"),
    path(public, views.publication_latest, name="publication_latest"),
    path("<slug:org>/<int:year>/<kind:kind>.pdf", views.publication_pdf, name="publication_latest_pdf"),
    path(public + "v<int:version>/", views.publication_version, name="publication_version"),
    path(public + "v<int:version>.pdf", views.publication_pdf, name="publication_pdf"),
    path(public + "v<int:version>.html", views.publication_html, name="publication_html"),
]
