"""Staff screens. Each view: check access → bind the form → call a service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_tables2 import RequestConfig

from .. import selectors, services, thai, uploads, workflow
from ..access import (
    Action,
    accesses_for_user,
    get_access,
    get_document_for_user,
    get_entry_for_user,
    get_evidence_for_user,
    get_measure_for_user,
    get_report_for_user,
    has_oversight,
)
from ..filters import MeasureFilter
from ..forms import (
    AssessmentForm,
    AssessmentYearForm,
    DocumentCopyForm,
    DocumentCreateForm,
    DocumentForm,
    EntryForm,
    EvidenceForm,
    FindingForm,
    MeasureForm,
    ReportForm,
    ThemeForm,
)
from ..models import Finding, Membership, ProgressEntry, ProgressReport, Theme
from ..scoring import scorecard_for
from ..services import ServiceError
from ..tables import EntryTable, MeasureTable
from ..todo import todo_by_organisation
from .confirm import confirm_page, is_confirmed

PAGE_SIZE = 25


def _fail(request, error: ServiceError) -> None:
    messages.error(request, error.message)


def _signoff_urls(org: str, year: int, round_months: int | None, target) -> dict:
    """Links of the sign-off panel, and the latest submission of the target."""
    if round_months is None:
        prefix, args = "document", [org, year]
    else:
        prefix, args = "round", [org, year, round_months]
    return {
        "latest": target.submissions.prefetch_related("decisions").order_by("-submitted_at").first(),
        "submit_url": reverse(f"measures:{prefix}_submit", args=args),
        "reopen_url": reverse(f"measures:{prefix}_reopen", args=args),
        "memo_url": reverse(f"measures:{prefix}_memo", args=args),
        "editions_url": reverse(f"measures:{prefix}_editions", args=args),
        "print_url": reverse("reports:document_print" if round_months is None else "reports:report_print", args=args),
        "publish_url": reverse(
            "reports:document_publish" if round_months is None else "reports:report_publish", args=args
        ),
        "publications": target.publications.order_by("-version"),
        "pdf_url": reverse("reports:document_pdf" if round_months is None else "reports:report_pdf", args=args),
    }


# --- Dashboard and organisation ----------------------------------------------------------


@login_required
def dashboard(request):
    # Organisations the user only oversees are on the oversight dashboard, not listed one by one here.
    accesses = [access for access in accesses_for_user(request.user) if not access.oversees_only]
    todo = todo_by_organisation(accesses, today=timezone.localdate())
    rows = [
        {
            "organisation": access.organisation,
            "access": access,
            "documents": access.organisation.documents.all(),
            "todo": todo.get(access.organisation.pk, []),
            "has_todo": access.organisation.pk in todo,
        }
        for access in accesses
    ]
    return render(
        request,
        "measures/dashboard.html",
        {
            "rows": rows,
            "oversees": has_oversight(request.user),
            "waiting": len(workflow.pending_for(request.user, accesses)),
            "approves": any(Membership.Role.APPROVER in access.roles for access in accesses),
        },
    )


@login_required
def organisation_home(request, org):
    access = get_access(request, org)
    organisation = access.organisation
    documents = list(selectors.documents_for(organisation))
    assessments = list(selectors.assessments_for(organisation)) if access.can(Action.VIEW) else []
    cards = [(a, scorecard_for(a)) for a in assessments]
    return render(
        request,
        "measures/organisation.html",
        {"access": access, "organisation": organisation, "documents": documents, "cards": cards},
    )


# --- Assessments -------------------------------------------------------------------------


@login_required
def assessment_detail(request, org, year):
    access = get_access(request, org, Action.VIEW)
    assessment = next((a for a in selectors.assessments_for(access.organisation) if a.framework.year == year), None)
    if assessment is None:
        raise Http404(_("ไม่พบผลการประเมิน"))
    return render(
        request,
        "measures/assessment_detail.html",
        {
            "access": access,
            "organisation": access.organisation,
            "assessment": assessment,
            "card": scorecard_for(assessment),
        },
    )


@login_required
def assessment_new(request, org):
    access = get_access(request, org, Action.EDIT)
    form = AssessmentYearForm(request.GET or None)
    if form.is_valid():
        return redirect("measures:assessment_edit", org, form.cleaned_data["framework"].year)
    return render(
        request, "measures/assessment_new.html", {"access": access, "organisation": access.organisation, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request, org, year):
    access = get_access(request, org, Action.EDIT)
    framework = selectors.framework_with_structure(year)
    if framework is None:
        raise Http404(_("ไม่มีกรอบการประเมิน ITA ของปีนี้"))
    existing = next((a for a in selectors.assessments_for(access.organisation) if a.framework.year == year), None)
    initial = {}
    if existing:
        initial = {f"indicator_{s.indicator.number}": s.score for s in existing.indicator_scores.all()}
        initial |= {f"tool_{s.tool.code}": s.score for s in existing.tool_scores.all()}
        initial |= {f"part_{s.part.code}": s.score for s in existing.part_scores.all()}
        initial |= {
            "official_total": existing.official_total,
            "official_rating": existing.official_rating,
            "notes": existing.notes,
        }
    form = AssessmentForm(request.POST or None, framework=framework, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.assessment_save(
            organisation=access.organisation,
            framework=framework,
            by=request.user,
            indicator_scores=form.indicator_scores(),
            tool_scores=form.tool_scores(),
            part_scores=form.part_scores(),
            official_total=form.cleaned_data["official_total"],
            official_rating=form.cleaned_data["official_rating"],
            notes=form.cleaned_data["notes"],
        )
        messages.success(request, _("บันทึกผลการประเมิน ITA %(year)s แล้ว") % {"year": year})
        return redirect("measures:assessment_detail", org, year)
    return render(
        request,
        "measures/assessment_form.html",
        {
            "access": access,
            "organisation": access.organisation,
            "form": form,
            "framework": framework,
            "existing": existing,
        },
    )


# --- Measures documents ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request, org):
    access = get_access(request, org, Action.EDIT)
    form = DocumentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(organisation=access.organisation, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("สร้างเอกสารมาตรการแล้ว"))
            return redirect("measures:document_detail", org, document.fiscal_year)
    return render(
        request, "measures/document_new.html", {"access": access, "organisation": access.organisation, "form": form}
    )


@login_required
def document_detail(request, org, year):
    access, document = get_document_for_user(request, org, year, action=Action.VIEW)
    measures = access.measures_visible(selectors.measures_for_table(document))
    filterset = MeasureFilter(request.GET or None, queryset=measures, document=document)
    table = MeasureTable(filterset.qs, org_slug=org, fiscal_year=year)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    findings = document.findings.select_related("tool").prefetch_related("indicators", "items")
    reports = {r.round: r for r in document.reports.all()}
    rounds = [
        (value, label, reports.get(value), thai.round_period_label(year, value, thai_digits=False))
        for value, label in ProgressReport.Round.choices
    ]
    return render(
        request,
        "measures/document_detail.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": document,
            "filter": filterset,
            "table": table,
            "findings": findings if access.can(Action.VIEW) else [],
            "themes": document.themes.all(),
            "rounds": rounds,
            **_signoff_urls(org, year, None, document),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, org, year):
    access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    initial = {"revision": document.revision, "title": document.title, "introduction": document.introduction}
    form = DocumentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(document=document, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("บันทึกแล้ว"))
            return redirect("measures:document_detail", org, year)
    return render(
        request,
        "measures/document_form.html",
        {"access": access, "organisation": access.organisation, "document": document, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_copy(request, org, year):
    access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    form = DocumentCopyForm(request.POST or None, organisation=access.organisation, initial={"fiscal_year": year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.document_copy(
                source=document, fiscal_year=form.cleaned_data["fiscal_year"], by=request.user
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("คัดลอกมาตรการ %(n)s รายการไปยังปีงบประมาณ %(year)s แล้ว")
                % {"n": copy.measures.count(), "year": copy.fiscal_year},
            )
            return redirect("measures:document_detail", org, copy.fiscal_year)
    return render(
        request,
        "measures/document_copy.html",
        {"access": access, "organisation": access.organisation, "document": document, "form": form},
    )


# --- Findings and themes -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request, org, year, pk=None):
    access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    finding = get_object_or_404(Finding, document=document, pk=pk) if pk else None
    form = FindingForm(request.POST or None, instance=finding, document=document)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.finding_save(
                document=document,
                by=request.user,
                finding=finding,
                indicators=data["indicators"],
                items=data["item_codes"],
                kind=data["kind"],
                tool=data["tool"],
                issue_area=data["issue_area"],
                text=data["text"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("บันทึกผลการวิเคราะห์แล้ว"))
            return redirect("measures:document_detail", org, year)
    return render(
        request,
        "measures/finding_form.html",
        {"access": access, "organisation": access.organisation, "document": document, "form": form, "finding": finding},
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_delete(request, org, year, pk):
    access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    finding = get_object_or_404(Finding, document=document, pk=pk)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=_("ลบผลการวิเคราะห์นี้หรือไม่"),
            lead=_("ผลการวิเคราะห์ (%(kind)s) “%(text)s” จะถูกลบออกจากเอกสารมาตรการ %(year)s")
            % {
                "kind": finding.get_kind_display(),
                "text": Truncator(finding.text).chars(200),
                "year": thai.fiscal_year_label(document.fiscal_year, thai_digits=False),
            },
            consequences=[
                _("การเชื่อมโยงกับตัวชี้วัดและข้อคำถามของผลการวิเคราะห์นี้จะถูกลบด้วย"),
                _("ประวัติการแก้ไขยังเก็บไว้ในระบบ"),
            ],
            button=_("ลบผลการวิเคราะห์"),
            cancel_url=reverse("measures:document_detail", args=[org, year]),
            extra_context={"access": access, "organisation": access.organisation, "document": document},
        )
    try:
        services.finding_delete(finding=finding, by=request.user)
    except ServiceError as error:
        _fail(request, error)
    else:
        messages.success(request, _("ลบผลการวิเคราะห์แล้ว"))
    return redirect("measures:document_detail", org, year)


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request, org, year, pk=None):
    access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    theme = get_object_or_404(Theme, document=document, pk=pk) if pk else None
    initial = {} if theme else {"number": (document.themes.count() + 1)}
    form = ThemeForm(request.POST or None, instance=theme, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_save(
                document=document,
                by=request.user,
                theme=theme,
                number=form.cleaned_data["number"],
                title=form.cleaned_data["title"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("บันทึกด้านแล้ว"))
            return redirect("measures:document_detail", org, year)
    return render(
        request,
        "measures/theme_form.html",
        {"access": access, "organisation": access.organisation, "document": document, "form": form, "theme": theme},
    )


@login_required
@require_http_methods(["GET", "POST"])
def theme_delete(request, org, year, pk):
    access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    theme = get_object_or_404(Theme, document=document, pk=pk)
    if not is_confirmed(request):
        # Theme.measures is PROTECT and the service refuses a theme that still holds measures.
        in_theme = theme.measures.count()
        consequences = [_("ด้านที่ยังมีมาตรการอยู่จะลบไม่ได้ ระบบจะไม่ลบมาตรการไปพร้อมกับด้าน")]
        if in_theme:
            consequences.append(
                _("ขณะนี้ด้านนี้ยังมีมาตรการอยู่ %(count)s มาตรการ จึงยังลบไม่ได้ กรุณาย้ายหรือลบมาตรการก่อน") % {"count": in_theme}
            )
        consequences.append(_("ประวัติการแก้ไขยังเก็บไว้ในระบบ"))
        return confirm_page(
            request,
            title=_("ลบด้านนี้หรือไม่"),
            lead=_("ด้านที่ %(number)s %(title)s จะถูกลบออกจากเอกสารมาตรการ %(year)s")
            % {
                "number": theme.number,
                "title": theme.title,
                "year": thai.fiscal_year_label(document.fiscal_year, thai_digits=False),
            },
            consequences=consequences,
            button=_("ลบด้าน"),
            cancel_url=reverse("measures:document_detail", args=[org, year]),
            extra_context={"access": access, "organisation": access.organisation, "document": document},
        )
    try:
        services.theme_delete(theme=theme, by=request.user)
    except ServiceError as error:
        _fail(request, error)
    else:
        messages.success(request, _("ลบด้านแล้ว"))
    return redirect("measures:document_detail", org, year)


# --- Measures ----------------------------------------------------------------------------


@login_required
def measure_detail(request, org, year, pk):
    access, measure = get_measure_for_user(request, org, year, pk, action=Action.VIEW)
    entries = measure.progress_entries.select_related("report").prefetch_related("evidence")
    return render(
        request,
        "measures/measure_detail.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": measure.document,
            "measure": measure,
            "entries": entries,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request, org, year, pk=None):
    if pk is None:
        access, document = get_document_for_user(request, org, year, action=Action.EDIT)
        measure = None
        initial = {}
        theme_pk = request.GET.get("theme")
        if theme_pk and theme_pk.isdigit():
            initial["theme"] = int(theme_pk)
    else:
        access, measure = get_measure_for_user(request, org, year, pk, action=Action.EDIT)
        document = measure.document
        initial = MeasureForm.initial_for(measure)
    form = MeasureForm(request.POST or None, document=document, initial=initial)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"] or services.next_measure_number(document, form.cleaned_data["theme"])
        data = form.measure_data(number)
        try:
            if measure is None:
                measure = services.measure_create(document=document, by=request.user, data=data)
            else:
                services.measure_update(
                    measure=measure, by=request.user, revision=form.cleaned_data["revision"], data=data
                )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("บันทึกมาตรการ %(n)s แล้ว") % {"n": measure.display_number})
            if "save_add" in request.POST:
                url = reverse("measures:measure_new", args=[org, year])
                return redirect(f"{url}?theme={measure.theme_id or ''}")
            return redirect("measures:document_detail", org, year)
    return render(
        request,
        "measures/measure_form.html",
        {"access": access, "organisation": access.organisation, "document": document, "form": form, "measure": measure},
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_delete(request, org, year, pk):
    access, measure = get_measure_for_user(request, org, year, pk, action=Action.EDIT)
    if not is_confirmed(request):
        # Steps and progress entries cascade, the links to units, indicators and items go with the row;
        # the service refuses a measure whose progress has a summary or evidence.
        return confirm_page(
            request,
            title=_("ลบมาตรการนี้หรือไม่"),
            lead=_("มาตรการ %(number)s %(title)s จะถูกลบออกจากเอกสารมาตรการ %(year)s")
            % {
                "number": measure.display_number,
                "title": measure.title,
                "year": thai.fiscal_year_label(measure.document.fiscal_year, thai_digits=False),
            },
            consequences=[
                _("ขั้นตอน/วิธีการ ผู้รับผิดชอบ ตัวชี้วัดและข้อคำถามที่เชื่อมโยงไว้ และผลการดำเนินการของมาตรการนี้ในทุกรอบจะถูกลบด้วย"),
                _("มาตรการที่บันทึกผลการดำเนินการหรือแนบหลักฐานไว้แล้วจะลบไม่ได้"),
                _("ประวัติการแก้ไขยังเก็บไว้ในระบบ"),
            ],
            button=_("ลบมาตรการ"),
            cancel_url=reverse("measures:measure_detail", args=[org, year, pk]),
            extra_context={"access": access, "organisation": access.organisation, "document": measure.document},
        )
    try:
        services.measure_delete(measure=measure, by=request.user)
    except ServiceError as error:
        _fail(request, error)
        return redirect("measures:measure_detail", org, year, pk)
    messages.success(request, _("ลบมาตรการแล้ว"))
    return redirect("measures:document_detail", org, year)


@login_required
def measure_history(request, org, year, pk):
    access, measure = get_measure_for_user(request, org, year, pk, action=Action.VIEW)
    changes = selectors.measure_history(measure)
    return render(
        request,
        "measures/measure_history.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": measure.document,
            "measure": measure,
            "changes": changes,
        },
    )


# --- Progress rounds ---------------------------------------------------------------------


@login_required
def round_detail(request, org, year, round_months):
    access, document, report = get_report_for_user(request, org, year, round_months, action=Action.VIEW)
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
        context["done"] = entries.filter(status=ProgressEntry.Status.DONE).count()
        context["total"] = entries.count()
        context |= _signoff_urls(org, year, round_months, report)
    return render(request, "measures/round_detail.html", context)


@login_required
@require_POST
def round_start(request, org, year, round_months):
    access, document, report = get_report_for_user(request, org, year, round_months, action=Action.EDIT)
    try:
        services.report_start(document=document, round_months=round_months, by=request.user)
    except ServiceError as error:
        _fail(request, error)
    else:
        messages.success(request, _("เริ่มการรายงานผล%(round)sแล้ว") % {"round": ProgressReport.Round(round_months).label})
    return redirect("measures:round_detail", org, year, round_months)


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request, org, year, round_months):
    access, document, report = get_report_for_user(request, org, year, round_months, action=Action.EDIT)
    if report is None:
        raise Http404(_("ยังไม่ได้เริ่มรอบการรายงานนี้"))
    form = ReportForm(request.POST or None, initial={"revision": report.revision, "introduction": report.introduction})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(report=report, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("บันทึกบทนำของรายงานแล้ว"))
            return redirect("measures:round_detail", org, year, round_months)
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


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, org, year, round_months, measure):
    access, entry = get_entry_for_user(request, org, year, round_months, measure, action=Action.VIEW)
    can_edit = access.can(Action.PROGRESS) and entry.report.is_editable
    form = EntryForm(request.POST or None, initial=EntryForm.initial_for(entry))
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("คุณไม่มีสิทธิ์แก้ไขผลการดำเนินการนี้"))
        if form.is_valid():
            try:
                services.entry_update(entry=entry, by=request.user, **form.cleaned_data)
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("บันทึกผลการดำเนินการของมาตรการ %(n)s แล้ว") % {"n": entry.measure.display_number}
                )
                return redirect("measures:round_detail", org, year, round_months)
    return render(
        request,
        "measures/entry_form.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": entry.report.document,
            "entry": entry,
            "measure": entry.measure,
            "form": form,
            "can_edit": can_edit,
            "evidence_form": EvidenceForm(),
            "round_label": entry.report.get_round_display(),
        },
    )


@login_required
@require_POST
def evidence_add(request, org, year, round_months, measure):
    access, entry = get_entry_for_user(request, org, year, round_months, measure, action=Action.VIEW)
    access.require(Action.PROGRESS)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(entry=entry, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            _fail(request, error)
        else:
            messages.success(request, _("แนบหลักฐานแล้ว"))
            return redirect("measures:entry_edit", org, year, round_months, measure)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("measures:entry_edit", org, year, round_months, measure)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_delete(request, org, pk):
    access, evidence = get_evidence_for_user(request, org, pk)
    access.require(Action.PROGRESS)
    entry = evidence.entry
    if not is_confirmed(request):
        report = entry.report
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
    try:
        services.evidence_delete(evidence=evidence, by=request.user)
    except ServiceError as error:
        _fail(request, error)
    else:
        messages.success(request, _("ลบหลักฐานแล้ว"))
    report = entry.report
    return redirect("measures:entry_edit", org, report.document.fiscal_year, report.round, entry.measure_id)


@login_required
def evidence_download(request, org, pk):
    _access, evidence = get_evidence_for_user(request, org, pk)
    if not evidence.file:
        raise Http404(_("ไม่มีไฟล์"))
    # Served as a download, never inline: an uploaded HTML or SVG must not run in our origin.
    # The type comes from the extension the upload was checked against, never from a guess
    # that could say text/html or image/svg+xml, and the browser may not sniff another one.
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.filename,
        content_type=uploads.content_type_for(evidence.filename),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
