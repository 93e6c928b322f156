"""Spreadsheets of the staff screens: export of a document or a round, the imports.

Exports need the VIEW right: a contributor, who sees only his unit's measures, gets 403 rather
than a file with part of the table. The one exception is a round's workbook to fill in
(``?unit=``), which a contributor may take for her own units. The import of measures needs EDIT,
the import of a round's results PROGRESS (a contributor: her units' measures only); both write
through measures.tabular, which checks every row first and writes all of them or none. A round's
import is previewed first: what the file would change is kept in the session under a random
token until it is confirmed or cancelled.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors, tabular
from ..access import Action, get_document_for_user, get_report_for_user
from ..forms import MeasureImportForm, RoundImportForm
from ..models import Unit
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
    if "unit" in request.GET:
        return _round_workbook(request, org, year, round_months, fmt)
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


def _round_workbook(request, org, year, round_months, fmt):
    """The workbook a unit fills in: ?unit=<pk> for one unit's measures, ?unit=all for every
    measure the user may see. A contributor takes it for her own units only."""
    access, document, report = get_report_for_user(request, org, year, round_months, action=Action.OPEN)
    if not (access.can(Action.VIEW) or access.can(Action.PROGRESS)):
        raise PermissionDenied(_("คุณไม่มีสิทธิ์ดำเนินการนี้"))
    if fmt != "xlsx":
        raise Http404(_("ไม่มีไฟล์รูปแบบนี้"))
    if report is None:
        raise Http404(_("ยังไม่ได้เริ่มรอบการรายงานนี้"))
    value = request.GET.get("unit", "")
    measures = access.measures_visible(document.measures.all())
    unit = None
    if value != "all":
        if not (value.isascii() and value.isdigit() and len(value) < 10):
            raise Http404(_("ไม่พบส่วนราชการ"))
        unit = get_object_or_404(Unit, organisation=access.organisation, pk=int(value))
        if not access.sees_all_measures and unit.pk not in access.unit_ids:
            raise PermissionDenied(_("ส่งออกได้เฉพาะมาตรการของหน่วยงานของคุณ"))
        measures = measures.for_units([unit])
    content = tabular.round_workbook(report, tabular.round_entries(report, measures), unit)
    who = f"unit-{unit.pk}" if unit else "all-units"
    filename = f"ita-progress-{document.organisation.slug}-{document.fiscal_year}-{report.round}m-{who}.xlsx"
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


PENDING_KEY = "round_imports"  # token → PendingImport.data, in the session until confirmed or cancelled
PENDING_KEPT = 3  # previews kept at once (one per round): the oldest goes first
NOT_DRAFT = gettext_lazy("รายงานรอบนี้อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว จึงแก้ไขไม่ได้")


def _keep(request, pending: tabular.PendingImport) -> str:
    kept = {
        token: data
        for token, data in request.session.get(PENDING_KEY, {}).items()
        if isinstance(data, dict) and data.get("report_id") != pending.report_id
    }
    token = secrets.token_urlsafe(16)
    kept[token] = pending.data
    request.session[PENDING_KEY] = dict(list(kept.items())[-PENDING_KEPT:])
    return token


def _import_page(request, access, document, report, form, problems=(), error=""):
    return render(
        request,
        "measures/round_import.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": document,
            "report": report,
            "form": form,
            "problems": problems,
            "error": error,
            "columns": [c for c in tabular.ROUND_COLUMNS if c.editable],
            "max_rows": tabular.IMPORT_MAX_ROWS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_import(request, org, year, round_months):
    """The upload form; a file without problems is previewed (nothing written yet); the preview's
    "ยืนยันนำเข้า" writes it (``token``), "ยกเลิก" drops it."""
    access, document, report = get_report_for_user(request, org, year, round_months, action=Action.PROGRESS)
    if report is None:
        raise Http404(_("ยังไม่ได้เริ่มรอบการรายงานนี้"))
    if request.method == "POST" and "token" in request.POST:
        return _decide(request, access, document, report)
    posted = request.method == "POST"
    form = RoundImportForm(request.POST if posted else None, request.FILES if posted else None)
    problems = []
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if not report.is_editable:
                raise ServiceError(str(NOT_DRAFT))  # checked again under the row lock when confirmed
            preview = tabular.read_round_import(report=report, upload=upload, may_edit=access.can_see_measure)
        except tabular.ImportRefused as refusal:
            problems = refusal.errors
        except ServiceError as refusal:
            form.add_error(None, refusal.message)
        else:
            context = {"access": access, "organisation": access.organisation, "document": document, "report": report}
            context |= {"preview": preview, "token": _keep(request, preview.pending), "filename": upload.name}
            return render(request, "measures/round_import_preview.html", context)
    return _import_page(request, access, document, report, form, problems)


def _decide(request, access, document, report):
    kept = request.session.get(PENDING_KEY, {})
    data = kept.pop(request.POST.get("token", ""), None)  # a preview is confirmed or cancelled once
    request.session[PENDING_KEY] = kept
    here = ("measures:round_import", access.organisation.slug, document.fiscal_year, report.round)
    if "cancel" in request.POST:
        messages.info(request, _("ยกเลิกการนำเข้าแล้ว ยังไม่ได้บันทึกข้อมูลใดเลย"))
        return redirect(*here)
    form = RoundImportForm()
    try:
        pending = tabular.PendingImport.from_data(data)
    except (KeyError, TypeError, ValueError, AttributeError):
        error = _("ไม่พบข้อมูลที่ตรวจไว้ (อาจยืนยันหรือยกเลิกไปแล้ว หรือหมดเวลา) กรุณาเลือกไฟล์แล้วนำเข้าอีกครั้ง")
        return _import_page(request, access, document, report, form, error=error)
    try:
        changed = tabular.apply_round_import(
            report=report, by=request.user, pending=pending, may_edit=access.can_see_measure
        )
    except ServiceError as refusal:
        return _import_page(request, access, document, report, form, error=refusal.message)
    text = _("นำเข้าผลการดำเนินการจากไฟล์ %(file)s แล้ว ปรับปรุง %(n)s มาตรการ")
    messages.success(request, text % {"file": pending.filename, "n": changed})
    return redirect("measures:round_detail", access.organisation.slug, document.fiscal_year, report.round)
