"""Import of last year's Word document (.docx): a draft document's measures, a round's results (issue 20).

Upload → preview → confirm. The uploaded file is read and checked at once (measures.tabular:
every cap before python-docx opens it, every row checked); refused, the page names each
problem by table, row and column. Accepted, the rows read from the file (texts only) are kept
in the session under a random token and the browser goes to the preview's own address, which
shows every row of the file and what each cell becomes. "ยืนยันนำเข้า" checks the rows again and
writes all of them or none (refused if the document or an entry changed since the preview);
"ยกเลิก" drops them. Measures need EDIT on the document, results PROGRESS on the round (a unit
contributor: her units' measures only), as the Excel imports.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .. import tabular
from ..access import Action, get_document_for_user, get_report_for_user
from ..forms import WordImportForm
from ..services import ServiceError
from ..tabular.docx_import import apply_word_measures, document_state, plan_measures, read_word_measures
from ..tabular.docx_results import apply_word_results, plan_results, read_word_results
from ..tabular.docx_tables import Found

PENDING_KEY = "word_imports"  # token → what a preview keeps, until confirmed or cancelled
PENDING_KEPT = 2  # previews kept at once: the oldest goes first (each can hold a few hundred KB)
NOT_FOUND = gettext_lazy("ไม่พบข้อมูลที่ตรวจไว้ (อาจยืนยันหรือยกเลิกไปแล้ว หรือหมดเวลา) กรุณาเลือกไฟล์แล้วนำเข้าอีกครั้ง")
DOCUMENT_NOT_DRAFT = gettext_lazy("เอกสารนี้อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว จึงแก้ไขไม่ได้")
ROUND_NOT_DRAFT = gettext_lazy("รายงานรอบนี้อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว จึงแก้ไขไม่ได้")


# --- What a preview keeps in the session ----------------------------------------------------------


def _keep(request, record: dict) -> str:
    kept = {
        token: data
        for token, data in request.session.get(PENDING_KEY, {}).items()
        if isinstance(data, dict) and (data.get("kind"), data.get("target")) != (record["kind"], record["target"])
    }
    token = secrets.token_urlsafe(16)
    kept[token] = record
    request.session[PENDING_KEY] = dict(list(kept.items())[-PENDING_KEPT:])
    return token


def _kept(request, token: str, kind: str, target: int) -> tuple[dict | None, Found | None]:
    data = request.session.get(PENDING_KEY, {}).get(token)
    if not isinstance(data, dict) or data.get("kind") != kind or data.get("target") != target:
        return None, None
    try:
        return data, Found.from_data(data["found"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None, None


def _update(request, token: str, **values) -> None:
    kept = request.session.get(PENDING_KEY, {})
    if token in kept:
        kept[token] |= values
        request.session.modified = True


def _drop(request, token: str) -> None:
    kept = request.session.get(PENDING_KEY, {})
    if kept.pop(token, None) is not None:
        request.session[PENDING_KEY] = kept


# --- Pages ----------------------------------------------------------------------------------------


def _upload_page(request, access, document, report, form, problems=(), error=""):
    editable = report.is_editable if report is not None else document.is_editable
    return render(
        request,
        "measures/word_import.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": document,
            "report": report,
            "form": form,
            "problems": problems,
            "error": error,
            "editable": editable,
            "unit_names": tabular.unit_names(document),
            "max_rows": tabular.IMPORT_MAX_ROWS,
        },
    )


def _upload(request, access, document, report):
    """The form; a file without problems is kept and previewed at its own address."""
    posted = request.method == "POST"
    form = WordImportForm(request.POST if posted else None, request.FILES if posted else None)
    problems: list[str] = []
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if report is None:
                if not document.is_editable:
                    raise ServiceError(str(DOCUMENT_NOT_DRAFT))  # checked again under the row lock
                found, _plan = read_word_measures(document=document, upload=upload)
            else:
                if not report.is_editable:
                    raise ServiceError(str(ROUND_NOT_DRAFT))
                found, _plan = read_word_results(report=report, upload=upload, may_edit=access.can_see_measure)
        except tabular.ImportRefused as refusal:
            problems = refusal.errors
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            kind, target = ("measures", document.pk) if report is None else ("round", report.pk)
            token = _keep(request, {"kind": kind, "target": target, "filename": upload.name[:200], "found": found.data})
            if report is None:
                return redirect("measures:document_word_preview", access.organisation.slug, document.fiscal_year, token)
            return redirect(
                "measures:round_word_preview", access.organisation.slug, document.fiscal_year, report.round, token
            )
    return _upload_page(request, access, document, report, form, problems)


@login_required
@require_http_methods(["GET", "POST"])
def document_word_import(request, org, year):
    access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    return _upload(request, access, document, None)


@login_required
@require_http_methods(["GET", "POST"])
def round_word_import(request, org, year, round_months):
    access, document, report = get_report_for_user(request, org, year, round_months, action=Action.PROGRESS)
    if report is None:
        raise Http404(_("ยังไม่ได้เริ่มรอบการรายงานนี้"))
    return _upload(request, access, document, report)


@login_required
@require_http_methods(["GET", "POST"])
def document_word_preview(request, org, year, token):
    """GET: the preview of a kept file, checked again against the document as it is now.
    POST: "confirm" writes it (all or nothing), "cancel" drops it."""
    access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    record, found = _kept(request, token, "measures", document.pk)
    if found is None:
        return _upload_page(request, access, document, None, WordImportForm(), error=str(NOT_FOUND))
    if request.method == "POST":
        _drop(request, token)  # a preview is confirmed or cancelled once
        if "cancel" in request.POST:
            messages.info(request, _("ยกเลิกการนำเข้าแล้ว ยังไม่ได้บันทึกข้อมูลใดเลย"))
            return redirect("measures:document_word_import", org, year)
        try:
            result = apply_word_measures(document=document, by=request.user, found=found, state=record.get("state", ""))
        except tabular.ImportRefused as refusal:
            return _upload_page(request, access, document, None, WordImportForm(), problems=refusal.errors)
        except ServiceError as error:
            return _upload_page(request, access, document, None, WordImportForm(), error=error.message)
        text = _("นำเข้ามาตรการ %(n)s รายการและด้านใหม่ %(themes)s ด้านจากไฟล์ %(file)s แล้ว")
        if not result.themes:
            text = _("นำเข้ามาตรการ %(n)s รายการจากไฟล์ %(file)s แล้ว")
        messages.success(request, text % {"n": result.measures, "themes": result.themes, "file": record["filename"]})
        return redirect("measures:measure_list", org, year)
    if not document.is_editable:  # sent for sign-off since the upload
        _drop(request, token)
        return _upload_page(request, access, document, None, WordImportForm(), error=str(DOCUMENT_NOT_DRAFT))
    try:
        plan = plan_measures(found, document)
    except tabular.ImportRefused as refusal:  # the document changed since the upload: the file no longer fits
        _drop(request, token)
        return _upload_page(request, access, document, None, WordImportForm(), problems=refusal.errors)
    _update(request, token, state=document_state(document))  # what the confirmation must still find
    context = {"access": access, "organisation": access.organisation, "document": document, "report": None}
    context |= {"plan": plan, "token": token, "filename": record["filename"], "found": found}
    return render(request, "measures/word_import_preview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_word_preview(request, org, year, round_months, token):
    access, document, report = get_report_for_user(request, org, year, round_months, action=Action.PROGRESS)
    if report is None:
        raise Http404(_("ยังไม่ได้เริ่มรอบการรายงานนี้"))
    record, found = _kept(request, token, "round", report.pk)
    if found is None:
        return _upload_page(request, access, document, report, WordImportForm(), error=str(NOT_FOUND))
    if request.method == "POST":
        _drop(request, token)
        if "cancel" in request.POST:
            messages.info(request, _("ยกเลิกการนำเข้าแล้ว ยังไม่ได้บันทึกข้อมูลใดเลย"))
            return redirect("measures:round_word_import", org, year, round_months)
        revisions = {int(pk): int(n) for pk, n in (record.get("revisions") or {}).items()}
        try:
            changed = apply_word_results(
                report=report, by=request.user, found=found, revisions=revisions, may_edit=access.can_see_measure
            )
        except tabular.ImportRefused as refusal:
            return _upload_page(request, access, document, report, WordImportForm(), problems=refusal.errors)
        except ServiceError as error:
            return _upload_page(request, access, document, report, WordImportForm(), error=error.message)
        text = _("นำเข้าผลการดำเนินการจากไฟล์ %(file)s แล้ว ปรับปรุง %(n)s มาตรการ")
        messages.success(request, text % {"file": record["filename"], "n": changed})
        return redirect("measures:round_detail", org, year, round_months)
    if not report.is_editable:
        _drop(request, token)
        return _upload_page(request, access, document, report, WordImportForm(), error=str(ROUND_NOT_DRAFT))
    try:
        plan = plan_results(found, report, access.can_see_measure)
    except tabular.ImportRefused as refusal:
        _drop(request, token)
        return _upload_page(request, access, document, report, WordImportForm(), problems=refusal.errors)
    _update(request, token, revisions={str(pk): n for pk, n in plan.revisions.items()})
    context = {"access": access, "organisation": access.organisation, "document": document, "report": report}
    context |= {"results": plan, "token": token, "filename": record["filename"], "found": found}
    return render(request, "measures/word_import_preview.html", context)
