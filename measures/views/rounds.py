"""Progress rounds of a document (6 and 12 months): the round, its introduction, each measure's entry and evidence."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event
from django_tables2 import RequestConfig

from .. import selectors, services, uploads
from ..access import Action, get_entry_for_user, get_evidence_for_user, get_report_for_user
from ..forms import EntryForm, EvidenceForm, ReportForm
from ..models import ProgressReport
from ..services import ServiceError
from ..storage import stored_file_response
from ..tables import EntryTable
from .base import PAGE_SIZE, run_service, signoff_context
from .confirm import confirm_page, is_confirmed

# --- Progress rounds ---------------------------------------------------------------------


@login_required
def round_detail(request, org, year, round_months):
    access, document, report = get_report_for_user(request, org, year, round_months, action=Action.OPEN)
    context = {
        "access": access,
        "organisation": access.organisation,
        "document": document,
        "round_months": round_months,
        "report": report,
        "round_label": ProgressReport.Round(round_months).label,
    }
    if report is not None:
        measures = access.measures_visible(document.measures.all())
        entries = selectors.entries_for_table(report, measures)
        can_edit = access.can(Action.PROGRESS) and report.is_editable
        table = EntryTable(
            entries, org_slug=org, fiscal_year=year, round_months=round_months, can_edit=lambda entry: can_edit
        )
        RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
        context["table"] = table
        context["done"], context["total"] = selectors.entries_done(entries)
        context |= signoff_context(org, year, round_months, report)
    return render(request, "measures/round_detail.html", context)


@login_required
@require_POST
def round_start(request, org, year, round_months):
    access, document, report = get_report_for_user(request, org, year, round_months, action=Action.EDIT)
    back = ("measures:round_detail", org, year, round_months)
    return run_service(
        request,
        None,
        lambda: services.report_start(document=document, round_months=round_months, by=request.user),
        success_message=_("เริ่มการรายงานผล%(round)sแล้ว") % {"round": ProgressReport.Round(round_months).label},
        redirect_to=back,
    ) or redirect(*back)


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request, org, year, round_months):
    access, document, report = get_report_for_user(request, org, year, round_months, action=Action.EDIT)
    if report is None:
        raise Http404(_("ยังไม่ได้เริ่มรอบการรายงานนี้"))
    form = ReportForm(request.POST or None, initial={"revision": report.revision, "introduction": report.introduction})
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request,
            form,
            lambda: services.report_update(report=report, by=request.user, **form.cleaned_data),
            success_message=_("บันทึกบทนำของรายงานแล้ว"),
            redirect_to=("measures:round_detail", org, year, round_months),
        )
        if response:
            return response
    return render(
        request,
        "measures/round_form.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": document,
            "report": report,
            "form": form,
        },
    )


# --- Entries and evidence ----------------------------------------------------------------


EVIDENCE_PREFIX = "evidence"


def _evidence_given(request) -> bool:
    """Did the entry's form carry evidence to attach (a file, a link or a title)?"""
    typed = any(request.POST.get(f"{EVIDENCE_PREFIX}-{name}", "").strip() for name in ("title", "url"))
    return typed or bool(request.FILES.getlist(f"{EVIDENCE_PREFIX}-file"))


def _files_chosen(request) -> bool:
    """Were files sent with the entry's evidence (the browser will not send them again)?"""
    return bool(request.FILES.getlist(f"{EVIDENCE_PREFIX}-file"))


def _save_together(entry, by, *, result: dict | None = None, evidence: EvidenceForm | None = None) -> int:
    """The result and each file and link of the evidence: all saved, or none (one transaction).

    Answers how many evidence were attached. A failure after a file reached the storage takes
    the stored files away again, so that nothing is left of a save that did not happen.
    """
    items = evidence.items() if evidence is not None else []
    stored = []
    try:
        with transaction.atomic():
            if result is not None:
                services.entry_update(entry=entry, by=by, **result)
            for item in items:
                added = services.evidence_add(entry=entry, by=by, **item)
                if added.file:
                    stored.append((added.file.storage, added.file.name))
    except Exception:
        for storage, name in stored:
            storage.delete(name)
        raise
    return len(items)


def _attached_message(count: int) -> str:
    if count == 1:
        return _("แนบหลักฐานแล้ว")
    return _("แนบหลักฐาน %(count)s รายการแล้ว") % {"count": count}


def _next_measure(access, entry) -> int | None:
    """The measure after this one in print order, among those of the round the user may open."""
    rows = access.measures_visible(entry.report.document.measures.filter(progress_entries__report=entry.report))
    order = sorted(
        set(rows.values_list("theme__number", "number", "pk")),
        key=lambda r: (r[0] is not None, r[0] or 0, r[1], r[2]),  # measures without a theme first, as printed
    )
    pks = [pk for _theme, _number, pk in order]
    position = pks.index(entry.measure_id) if entry.measure_id in pks else len(pks)
    return pks[position + 1] if position + 1 < len(pks) else None


def _evidence_context(access, entry, evidence_form, **extra) -> dict:
    """What the evidence partials (templates/measures/includes/evidence_*.html) read."""
    return {
        "organisation": access.organisation,
        "entry": entry,
        "can_edit": access.can(Action.PROGRESS) and entry.report.is_editable,
        "evidence_form": evidence_form,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, org, year, round_months, measure):
    """One form for the result and its evidence: what was typed is saved with every file and link
    attached, or shown again with the errors (nothing is saved then, nothing typed is lost)."""
    access, entry = get_entry_for_user(request, org, year, round_months, measure, action=Action.OPEN)
    can_edit = access.can(Action.PROGRESS) and entry.report.is_editable
    posted = request.method == "POST"
    form = EntryForm(request.POST if posted else None, initial=EntryForm.initial_for(entry))
    evidence_form = EvidenceForm(
        request.POST if posted else None, request.FILES if posted else None, prefix=EVIDENCE_PREFIX
    )
    file_lost = False
    if posted:
        if not can_edit:
            raise PermissionDenied(_("คุณไม่มีสิทธิ์แก้ไขผลการดำเนินการนี้"))
        attach = _evidence_given(request)
        if form.is_valid() and (not attach or evidence_form.is_valid()):
            here = ("measures:entry_edit", org, year, round_months, measure)
            then = ("measures:round_detail", org, year, round_months)
            if "stay" in request.POST:
                then = here
            elif "next" in request.POST and (following := _next_measure(access, entry)):
                then = ("measures:entry_edit", org, year, round_months, following)
            response = run_service(
                request,
                form,
                lambda: _save_together(
                    entry, request.user, result=form.cleaned_data, evidence=evidence_form if attach else None
                ),
                success_message=lambda count: (
                    (
                        _("บันทึกผลการดำเนินการและแนบหลักฐาน %(count)s รายการของมาตรการ %(n)s แล้ว")
                        if count
                        else _("บันทึกผลการดำเนินการของมาตรการ %(n)s แล้ว")
                    )
                    % {"n": entry.measure.display_number, "count": count}
                ),
                redirect_to=then,
            )
            if response:
                return response
        # A browser never sends a chosen file again: say so, next to the file field.
        file_lost = _files_chosen(request)
        if not attach:
            evidence_form = EvidenceForm(prefix=EVIDENCE_PREFIX)  # untouched: no errors to show
    return render(
        request,
        "measures/entry_form.html",
        {
            "access": access,
            "document": entry.report.document,
            "measure": entry.measure,
            "form": form,
            "round_label": entry.report.get_round_display(),
        }
        | _evidence_context(access, entry, evidence_form, file_lost=file_lost),
    )


def _login_required_htmx(view):
    """``login_required``, but an htmx upload whose session expired is answered in the page.

    A redirect to the login page would be followed by the browser and the login page swapped
    into the evidence list; instead the upload's status says what happened and how to go on:
    the main save leads to the login, and keep-typed.js fills the typed text in again after it.
    """
    protected = login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "htmx", False) and not request.user.is_authenticated:
            response = HttpResponse(
                _(
                    "ยังไม่ได้แนบหลักฐาน เพราะหมดเวลาการเข้าสู่ระบบ ข้อความที่พิมพ์ไว้ยังอยู่ในหน้านี้ "
                    "กด “บันทึกผลการดำเนินการ” เพื่อเข้าสู่ระบบอีกครั้ง ระบบจะกรอกข้อความให้ใหม่ "
                    "แล้วเลือกไฟล์อีกครั้ง"
                )
            )
            return reswap(retarget(response, "#evidence-status"), "innerHTML")
        return protected(request, *args, **kwargs)

    return wrapper


@_login_required_htmx
@require_POST
def evidence_add(request, org, year, round_months, measure):
    """Attach files and a link to an entry, without its result.

    From the entry page's htmx upload (the entry form's ``evidence-`` fields only): the answer is
    the evidence list with a status, and the evidence fields again (empty, or with the errors),
    never a message kept for the next page. The typed result is neither sent nor touched.
    A plain post (no JavaScript): back to the entry with a message.
    """
    access, entry = get_entry_for_user(request, org, year, round_months, measure, action=Action.OPEN)
    access.require(Action.PROGRESS)
    if request.htmx:
        return _evidence_upload(request, access, entry)
    back = ("measures:entry_edit", org, year, round_months, measure)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(*back)
    # A refused upload is said in a message: the entry's page shows the evidence form empty again.
    return run_service(
        request,
        None,
        lambda: _save_together(entry, request.user, evidence=form),
        success_message=_attached_message,
        redirect_to=back,
    ) or redirect(*back)


def _evidence_upload(request, access, entry):
    """The htmx answer of evidence_add: templates/measures/includes/evidence_upload.html."""
    form = EvidenceForm(request.POST, request.FILES, prefix=EVIDENCE_PREFIX)
    count = 0
    if form.is_valid():
        try:
            count = _save_together(entry, request.user, evidence=form)
        except ServiceError as error:
            form.add_error(None, error.message)
    if count:
        status = _("%(attached)s ผลการดำเนินการที่พิมพ์ไว้ยังไม่ได้บันทึก กด “บันทึกผลการดำเนินการ” เพื่อบันทึก") % {
            "attached": _attached_message(count)
        }
        form = EvidenceForm(prefix=EVIDENCE_PREFIX)  # emptied: the same files are not sent twice
        entry.refresh_from_db()  # the evidence prefetched with the entry, read again with the new ones
    else:
        status = _("ยังไม่ได้แนบหลักฐาน กรุณาแก้ไขตามที่ระบุ")
    response = render(
        request,
        "measures/includes/evidence_upload.html",
        _evidence_context(
            access, entry, form, status=status, attached=bool(count), file_lost=not count and _files_chosen(request)
        ),
    )
    if count:
        # The emptied fields are new elements: a "change" from the upload button, after htmx has
        # settled them, lets keep-typed.js store the form as it now is (the typed result, and no
        # more the title or link already attached).
        trigger_client_event(response, "change", after="settle")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def evidence_delete(request, org, pk):
    access, evidence = get_evidence_for_user(request, org, pk)
    access.require(Action.PROGRESS)
    entry = evidence.entry
    report = entry.report
    back = ("measures:entry_edit", org, report.document.fiscal_year, report.round, entry.measure_id)
    if not is_confirmed(request):
        if evidence.file:
            # The service leaves the file in storage: the history row still points at it.
            gone = _("ไฟล์ %(filename)s จะไม่แสดงในผลการดำเนินการอีก แต่ตัวไฟล์ยังเก็บไว้ในระบบ") % {
                "filename": evidence.filename
            }
        else:
            gone = _("ลิงก์ %(url)s จะไม่แสดงในผลการดำเนินการอีก") % {"url": evidence.url}
        return confirm_page(
            request,
            title=_("ลบหลักฐานนี้หรือไม่"),
            lead=_("หลักฐาน “%(title)s” จะถูกนำออกจากผลการดำเนินการ%(round)s ของมาตรการ %(number)s %(measure)s")
            % {
                "title": evidence.title,
                "round": report.get_round_display(),
                "number": entry.measure.display_number,
                "measure": entry.measure.title,
            },
            consequences=[gone, _("ประวัติการแก้ไขยังเก็บไว้ในระบบ")],
            button=_("ลบหลักฐาน"),
            cancel_url=reverse(
                "measures:entry_edit", args=[org, report.document.fiscal_year, report.round, entry.measure_id]
            ),
            extra_context={"access": access, "organisation": access.organisation, "document": report.document},
        )
    return run_service(
        request,
        None,
        lambda: services.evidence_delete(evidence=evidence, by=request.user),
        success_message=_("ลบหลักฐานแล้ว — กู้คืนได้จากถังขยะของเอกสาร"),
        redirect_to=back,
    ) or redirect(*back)


@login_required
def evidence_download(request, org, pk):
    _access, evidence = get_evidence_for_user(request, org, pk)
    if not evidence.file:
        raise Http404(_("ไม่มีไฟล์"))
    # Served as a download, never inline: an uploaded HTML or SVG must not run in our origin.
    # The type comes from the extension the upload was checked against, never from a guess
    # that could say text/html or image/svg+xml, and the browser may not sniff another one.
    response = stored_file_response(
        request,
        evidence.file,
        as_attachment=True,
        filename=evidence.filename,
        content_type=uploads.content_type_for(evidence.filename),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
