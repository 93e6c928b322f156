from django.urls import path

from .views import oversight, tabular, workflow
from .views import staff as views

app_name = "measures"

document = "<slug:org>/measures/<int:year>/"
round_ = document + "rounds/<int:round_months>/"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("inbox/", workflow.inbox, name="inbox"),  # before <org>/: "inbox" is not an organisation
    path("oversight/", oversight.oversight, name="oversight"),  # before <org>/ too
    path("<slug:org>/", views.organisation_home, name="organisation"),
    path("<slug:org>/ita/new/", views.assessment_new, name="assessment_new"),
    path("<slug:org>/ita/<int:year>/", views.assessment_detail, name="assessment_detail"),
    path("<slug:org>/ita/<int:year>/edit/", views.assessment_edit, name="assessment_edit"),
    path("<slug:org>/measures/new/", views.document_new, name="document_new"),
    path(document, views.document_detail, name="document_detail"),
    path(document + "edit/", views.document_edit, name="document_edit"),
    path(document + "copy/", views.document_copy, name="document_copy"),
    path(document + "export.<str:fmt>", tabular.document_export, name="document_export"),
    path(document + "import/", tabular.document_import, name="document_import"),
    path(document + "import/template.xlsx", tabular.document_import_template, name="document_import_template"),
    path(document + "findings/new/", views.finding_edit, name="finding_new"),
    path(document + "findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path(document + "findings/<int:pk>/delete/", views.finding_delete, name="finding_delete"),
    path(document + "themes/new/", views.theme_edit, name="theme_new"),
    path(document + "themes/<int:pk>/edit/", views.theme_edit, name="theme_edit"),
    path(document + "themes/<int:pk>/delete/", views.theme_delete, name="theme_delete"),
    path(document + "m/new/", views.measure_edit, name="measure_new"),
    path(document + "m/<int:pk>/", views.measure_detail, name="measure_detail"),
    path(document + "m/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path(document + "m/<int:pk>/delete/", views.measure_delete, name="measure_delete"),
    path(document + "m/<int:pk>/history/", views.measure_history, name="measure_history"),
    path(round_, views.round_detail, name="round_detail"),
    path(round_ + "start/", views.round_start, name="round_start"),
    path(round_ + "edit/", views.round_edit, name="round_edit"),
    path(round_ + "export.<str:fmt>", tabular.round_export, name="round_export"),
    path(round_ + "<int:measure>/", views.entry_edit, name="entry_edit"),
    path(round_ + "<int:measure>/evidence/", views.evidence_add, name="evidence_add"),
    path("<slug:org>/chain/", workflow.chain_edit, name="chain_edit"),
    path("<slug:org>/reviews/<int:pk>/", workflow.review, name="review"),
    path("<slug:org>/reviews/<int:pk>/decide/", workflow.decide, name="decide"),
    path("<slug:org>/reviews/<int:pk>/memo/", workflow.memo_view, name="memo"),
    path(document + "submit/", workflow.submit, name="document_submit"),
    path(document + "reopen/", workflow.reopen, name="document_reopen"),
    path(document + "memo/", workflow.memo_edit, name="document_memo"),
    path(document + "editions/", workflow.editions_view, name="document_editions"),
    path(round_ + "submit/", workflow.submit, name="round_submit"),
    path(round_ + "reopen/", workflow.reopen, name="round_reopen"),
    path(round_ + "memo/", workflow.memo_edit, name="round_memo"),
    path(round_ + "editions/", workflow.editions_view, name="round_editions"),
    path("<slug:org>/evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("<slug:org>/evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
