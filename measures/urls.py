from django.urls import path

from .views import assessments, documents, home, organisations, oversight, people, rounds, tabular, workflow

app_name = "measures"

document = "<slug:org>/measures/<int:year>/"
round_ = document + "rounds/<int:round_months>/"

urlpatterns = [
    path("", home.dashboard, name="dashboard"),
    path("inbox/", workflow.inbox, name="inbox"),  # before <org>/: "inbox" is not an organisation
    path("oversight/", oversight.oversight, name="oversight"),  # before <org>/ too
    # Organisations: creation by the platform, settings by their administrators (issue 16).
    path("platform/organisations/", organisations.platform_organisations, name="platform_organisations"),
    path("platform/organisations/new/", organisations.platform_organisation_new, name="platform_organisation_new"),
    path(
        "platform/organisations/import/",
        organisations.platform_organisation_import,
        name="platform_organisation_import",
    ),
    path(
        "platform/organisations/import/template.csv",
        organisations.platform_import_template,
        name="platform_organisation_import_template",
    ),
    path(
        "platform/organisations/<slug:org>/administrator/",
        organisations.platform_administrator_invite,
        name="platform_administrator_invite",
    ),
    path("<slug:org>/settings/", organisations.organisation_settings, name="organisation_settings"),
    path("<slug:org>/settings/address/", organisations.organisation_address, name="organisation_address"),
    # Units, people, invitations and one's own profile (issue 16).
    path("profile/", people.profile, name="profile"),  # before <org>/: "profile" is reserved
    path("<slug:org>/people/", people.people_list, name="people"),
    path("<slug:org>/people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("<slug:org>/people/<int:pk>/deactivate/", people.person_deactivate, name="person_deactivate"),
    path("<slug:org>/people/<int:pk>/reactivate/", people.person_reactivate, name="person_reactivate"),
    path("<slug:org>/people/<int:pk>/reinvite/", people.person_reinvite, name="person_reinvite"),
    path("<slug:org>/units/", people.units_list, name="units"),
    path("<slug:org>/units/<int:pk>/edit/", people.unit_edit, name="unit_edit"),
    path("<slug:org>/units/<int:pk>/move/", people.unit_move, name="unit_move"),
    path("<slug:org>/units/<int:pk>/deactivate/", people.unit_deactivate, name="unit_deactivate"),
    path("<slug:org>/units/<int:pk>/reactivate/", people.unit_reactivate, name="unit_reactivate"),
    path("<slug:org>/", home.organisation_home, name="organisation"),
    path("<slug:org>/ita/new/", assessments.assessment_new, name="assessment_new"),
    path("<slug:org>/ita/<int:year>/", assessments.assessment_detail, name="assessment_detail"),
    path("<slug:org>/ita/<int:year>/edit/", assessments.assessment_edit, name="assessment_edit"),
    path("<slug:org>/measures/new/", documents.document_new, name="document_new"),
    path(document, documents.document_detail, name="document_detail"),
    path(document + "edit/", documents.document_edit, name="document_edit"),
    path(document + "copy/", documents.document_copy, name="document_copy"),
    path(document + "export.<str:fmt>", tabular.document_export, name="document_export"),
    path(document + "import/", tabular.document_import, name="document_import"),
    path(document + "import/template.xlsx", tabular.document_import_template, name="document_import_template"),
    path(document + "findings/new/", documents.finding_edit, name="finding_new"),
    path(document + "findings/<int:pk>/edit/", documents.finding_edit, name="finding_edit"),
    path(document + "findings/<int:pk>/delete/", documents.finding_delete, name="finding_delete"),
    path(document + "limitations/new/", documents.limitation_edit, name="limitation_new"),
    path(document + "limitations/<int:pk>/edit/", documents.limitation_edit, name="limitation_edit"),
    path(document + "limitations/<int:pk>/delete/", documents.limitation_delete, name="limitation_delete"),
    path(document + "themes/new/", documents.theme_edit, name="theme_new"),
    path(document + "themes/<int:pk>/edit/", documents.theme_edit, name="theme_edit"),
    path(document + "themes/<int:pk>/delete/", documents.theme_delete, name="theme_delete"),
    path(document + "m/new/", documents.measure_edit, name="measure_new"),
    path(document + "m/<int:pk>/", documents.measure_detail, name="measure_detail"),
    path(document + "m/<int:pk>/edit/", documents.measure_edit, name="measure_edit"),
    path(document + "m/<int:pk>/delete/", documents.measure_delete, name="measure_delete"),
    path(document + "m/<int:pk>/history/", documents.measure_history, name="measure_history"),
    path(round_, rounds.round_detail, name="round_detail"),
    path(round_ + "start/", rounds.round_start, name="round_start"),
    path(round_ + "edit/", rounds.round_edit, name="round_edit"),
    path(round_ + "export.<str:fmt>", tabular.round_export, name="round_export"),
    path(round_ + "<int:measure>/", rounds.entry_edit, name="entry_edit"),
    path(round_ + "<int:measure>/evidence/", rounds.evidence_add, name="evidence_add"),
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
    path("<slug:org>/evidence/<int:pk>/", rounds.evidence_download, name="evidence_download"),
    path("<slug:org>/evidence/<int:pk>/delete/", rounds.evidence_delete, name="evidence_delete"),
]
