from django.urls import path

from . import staff_views, views

app_name = "reports"

document = "staff/<slug:org>/measures/<int:year>/"

urlpatterns = [
    path("", views.home, name="home"),
    path(document + "print/", staff_views.document_print, name="document_print"),
    path(document + "print.pdf", staff_views.document_print, {"fmt": "pdf"}, name="document_pdf"),
    path(document + "rounds/<int:round_months>/print/", staff_views.report_print, name="report_print"),
    path(document + "rounds/<int:round_months>/print.pdf", staff_views.report_print, {"fmt": "pdf"},
         name="report_pdf"),
    path("staff/<slug:org>/reviews/<int:pk>/memo/print/", staff_views.memo_print, name="memo_print"),
    path("staff/<slug:org>/reviews/<int:pk>/memo.pdf", staff_views.memo_print, {"fmt": "pdf"}, name="memo_pdf"),
]
