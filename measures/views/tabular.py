"""Spreadsheets of the staff screens: export of a document or a round, the import of measures.

Exports need the VIEW right: a contributor, who sees only his unit's measures, gets 403 rather
than a file with part of the table. The import needs EDIT and writes through measures.tabular,
which checks every row first and writes all of them or none.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors, tabular
from ..access import Action, get_document_for_user, get_report_for_user
from ..forms import MeasureImportForm
from ..services import ServiceError

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _check_format(fmt: str) -> None:
    if fmt not in tabular.FORMATS:
        raise Http404(_("ไม่มีไฟล์รูปแบบนี้"))


@login_required
@require_GET
def document_export(request, org, year, fmt):
    access, document = get_document_for_user(request, org, year, action=Action.VIEW)
    _check_format(fmt)
    return tabular.document_export_response(document, fmt, selectors.measures_for_table(document))


@login_required
@require_GET
def round_export(request, org, year, round_months, fmt):
    access, document, report = get_report_for_user(request, org, year, round_months, action=Action.VIEW)
    _check_format(fmt)
    if report is None:
        raise Http404(_("ยังไม่ได้เริ่มรอบการรายงานนี้"))
    entries = selectors.entries_for_table(report, document.measures.all())
    return tabular.report_export_response(report, fmt, entries)


@login_required
@require_GET
def document_import_template(request, org, year):
    _access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    response = HttpResponse(tabular.template_bytes(document), content_type=XLSX_TYPE)
    filename = f"ita-measures-template-{document.organisation.slug}-{document.fiscal_year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_import(request, org, year):
    access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    form = MeasureImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = tabular.import_measures(document=document, by=request.user, upload=upload)
        except tabular.ImportRefused as refusal:
            problems = refusal.errors
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if result.themes:
                text = _("นำเข้ามาตรการ %(n)s รายการและด้านใหม่ %(themes)s ด้านจากไฟล์ %(file)s แล้ว")
            else:
                text = _("นำเข้ามาตรการ %(n)s รายการจากไฟล์ %(file)s แล้ว")
            messages.success(request, text % {"n": result.measures, "themes": result.themes, "file": upload.name})
            return redirect("measures:document_detail", org, year)
    return render(
        request,
        "measures/document_import.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": document,
            "form": form,
            "problems": problems,
            "columns": tabular.MEASURE_COLUMNS,
            "unit_names": tabular.unit_names(document),
            "max_rows": tabular.IMPORT_MAX_ROWS,
        },
    )


def round_import(request, org, year, round_months):  # issue 18: being built
    raise Http404
