"""A measures document and what it holds: the document itself, its ITA findings, the limitations of
its ITA tools, its themes and its measures."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import analysis, sections, selectors, services, thai
from ..access import Action, get_access, get_document_for_user, get_measure_for_user
from ..forms import DocumentCopyForm, DocumentCreateForm, DocumentForm, FindingForm, MeasureForm, ThemeForm
from ..forms.documents import LimitationForm
from ..models import Finding, ProgressReport, Theme, ToolLimitation
from .base import run_service, signoff_context
from .confirm import confirm_page, is_confirmed
from .measure_list import list_url, return_url, row_url

# --- Measures documents ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request, org):
    access = get_access(request, org, Action.EDIT)
    form = DocumentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request,
            form,
            lambda: services.document_create(organisation=access.organisation, by=request.user, **form.cleaned_data),
            success_message=_("สร้างเอกสารมาตรการแล้ว"),
            redirect_to=lambda document: ("measures:document_detail", org, document.fiscal_year),
        )
        if response:
            return response
    return render(
        request, "measures/document_new.html", {"access": access, "organisation": access.organisation, "form": form}
    )


@login_required
def document_detail(request, org, year):
    access, document = get_document_for_user(request, org, year, action=Action.OPEN)
    if access.can(Action.VIEW):
        findings = [(f, analysis.heading_of(f)) for f in selectors.findings_for(document)]
        limitations = list(selectors.limitations_for(document))
    else:
        findings, limitations = [], []
    reports = selectors.reports_by_round(document)
    rounds = [
        (value, label, reports.get(value), thai.round_period_label(year, value, thai_digits=False))
        for value, label in ProgressReport.Round.choices
    ]
    # The measures themselves are on their own page (measure_list); here, how many each theme holds.
    counts = selectors.measure_counts_by_theme(access.measures_visible(document.measures.all()))
    themes = list(document.themes.all())
    return render(
        request,
        "measures/document_detail.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": document,
            "findings": findings,
            "limitations": limitations,
            "limitation_tools": sections.tools_for_limitations(document).exclude(
                pk__in=[limitation.tool_id for limitation in limitations]
            ),
            "themes": [(theme, counts.get(theme.pk, 0)) for theme in themes],
            "unthemed_count": counts.get(None, 0),
            "measure_count": sum(counts.values()),
            "list_url": reverse("measures:measure_list", args=[org, year]),
            "rounds": rounds,
            **signoff_context(org, year, None, document),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, org, year):
    access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    form = DocumentForm(request.POST or None, initial=DocumentForm.initial_for(document))
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request,
            form,
            lambda: sections.document_texts_update(document=document, by=request.user, **form.cleaned_data),
            success_message=_("บันทึกแล้ว"),
            redirect_to=("measures:document_detail", org, year),
        )
        if response:
            return response
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
        response = run_service(
            request,
            form,
            lambda: services.document_copy(
                source=document, fiscal_year=form.cleaned_data["fiscal_year"], by=request.user
            ),
            success_message=lambda copy: (
                _("คัดลอกมาตรการ %(n)s รายการไปยังปีงบประมาณ %(year)s แล้ว")
                % {"n": copy.measures.count(), "year": copy.fiscal_year}
            ),
            redirect_to=lambda copy: ("measures:document_detail", org, copy.fiscal_year),
        )
        if response:
            return response
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
        response = run_service(
            request,
            form,
            lambda: services.finding_save(
                document=document,
                by=request.user,
                finding=finding,
                indicators=data["indicators"],
                items=data["item_codes"],
                kind=data["kind"],
                tool=data["tool"],
                issue_area=data["issue_area"],
                text=data["text"],
            ),
            success_message=_("บันทึกผลการวิเคราะห์แล้ว"),
            redirect_to=("measures:document_detail", org, year),
        )
        if response:
            return response
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
    return _delete_from_document(
        request,
        access,
        document,
        title=_("ลบผลการวิเคราะห์นี้หรือไม่"),
        lead=_("ผลการวิเคราะห์ (%(kind)s) “%(text)s” จะถูกลบออกจากเอกสารมาตรการ %(year)s")
        % {"kind": finding.get_kind_display(), "text": Truncator(finding.text).chars(200), "year": _year(document)},
        consequences=[
            _("การเชื่อมโยงกับตัวชี้วัดและข้อคำถามของผลการวิเคราะห์นี้จะถูกลบด้วย"),
            _("ประวัติการแก้ไขยังเก็บไว้ในระบบ"),
        ],
        button=_("ลบผลการวิเคราะห์"),
        delete=lambda: services.finding_delete(finding=finding, by=request.user),
        done=_("ลบผลการวิเคราะห์แล้ว — กู้คืนได้จากถังขยะของเอกสาร"),
    )


def _year(document) -> str:
    return thai.fiscal_year_label(document.fiscal_year, thai_digits=False)


def _delete_from_document(request, access, document, *, title, lead, consequences, button, delete, done):
    """A part of a document deleted after its confirmation page; back to the document."""
    back = ("measures:document_detail", document.organisation.slug, document.fiscal_year)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=title,
            lead=lead,
            consequences=consequences,
            button=button,
            cancel_url=reverse(back[0], args=back[1:]),
            extra_context={"access": access, "organisation": access.organisation, "document": document},
        )
    return run_service(request, None, delete, success_message=done, redirect_to=back) or redirect(*back)


# --- Limitations of the ITA tools -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def limitation_edit(request, org, year, pk=None):
    access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    limitation = get_object_or_404(ToolLimitation, document=document, pk=pk) if pk else None
    initial = {}
    tool = request.GET.get("tool", "")
    if limitation is None and tool.isdigit():
        initial["tool"] = int(tool)
    form = LimitationForm(request.POST or None, instance=limitation, initial=initial, document=document)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = run_service(
            request,
            form,
            lambda: sections.limitation_save(
                document=document, by=request.user, limitation=limitation, tool=data["tool"], text=data["text"]
            ),
            success_message=lambda saved: _("บันทึกข้อจำกัดของเครื่องมือ %(tool)s แล้ว") % {"tool": saved.tool.code},
            redirect_to=("measures:document_detail", org, year),
        )
        if response:
            return response
    return render(
        request,
        "measures/limitation_form.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": document,
            "form": form,
            "limitation": limitation,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def limitation_delete(request, org, year, pk):
    access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    limitation = get_object_or_404(ToolLimitation.objects.select_related("tool"), document=document, pk=pk)
    return _delete_from_document(
        request,
        access,
        document,
        title=_("ลบข้อจำกัดนี้หรือไม่"),
        lead=_("ข้อจำกัดของเครื่องมือ %(tool)s “%(text)s” จะถูกลบออกจากเอกสารมาตรการ %(year)s")
        % {"tool": limitation.tool.code, "text": Truncator(limitation.text).chars(200), "year": _year(document)},
        consequences=[
            _("ถ้าไม่มีข้อจำกัดของเครื่องมือใดเหลืออยู่ เอกสารจะไม่พิมพ์ส่วนข้อจำกัดของการประเมิน"),
            _("ประวัติการแก้ไขยังเก็บไว้ในระบบ"),
        ],
        button=_("ลบข้อจำกัด"),
        delete=lambda: sections.limitation_delete(limitation=limitation, by=request.user),
        done=_("ลบข้อจำกัดแล้ว — กู้คืนได้จากถังขยะของเอกสาร"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request, org, year, pk=None):
    access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    theme = get_object_or_404(Theme, document=document, pk=pk) if pk else None
    initial = {} if theme else {"number": (document.themes.count() + 1)}
    form = ThemeForm(request.POST or None, instance=theme, initial=initial)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request,
            form,
            lambda: services.theme_save(
                document=document,
                by=request.user,
                theme=theme,
                number=form.cleaned_data["number"],
                title=form.cleaned_data["title"],
            ),
            success_message=_("บันทึกด้านแล้ว"),
            redirect_to=("measures:document_detail", org, year),
        )
        if response:
            return response
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
    back = ("measures:document_detail", org, year)
    return run_service(
        request,
        None,
        lambda: services.theme_delete(theme=theme, by=request.user),
        success_message=_("ลบด้านแล้ว — กู้คืนได้จากถังขยะของเอกสาร"),
        redirect_to=back,
    ) or redirect(*back)


# --- Measures ----------------------------------------------------------------------------


@login_required
def measure_detail(request, org, year, pk):
    access, measure = get_measure_for_user(request, org, year, pk, action=Action.OPEN)
    return render(
        request,
        "measures/measure_detail.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": measure.document,
            "measure": measure,
            "entries": selectors.entries_of_measure(measure),
            "back_url": row_url(return_url(request, org, year), measure.pk),
            "next_query": _next_query(request, org, year),
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
    back = return_url(request, org, year)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"] or services.next_measure_number(document, form.cleaned_data["theme"])
        data = form.measure_data(number)

        def save():
            if measure is None:
                return services.measure_create(document=document, by=request.user, data=data)
            services.measure_update(measure=measure, by=request.user, revision=form.cleaned_data["revision"], data=data)
            return measure

        def then(saved):
            # Back to the list as she left it (filters, sort, page), at the saved measure's row.
            if "save_add" in request.POST:
                url = reverse("measures:measure_new", args=[org, year])
                return f"{url}?{urlencode({'theme': saved.theme_id or '', 'next': back})}"
            return row_url(back, saved.pk)

        response = run_service(
            request,
            form,
            save,
            success_message=lambda saved: _("บันทึกมาตรการ %(n)s แล้ว") % {"n": saved.display_number},
            redirect_to=then,
        )
        if response:
            return response
    return render(
        request,
        "measures/measure_form.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": document,
            "form": form,
            "measure": measure,
            "next": back,
            "cancel_url": row_url(back, measure.pk) if measure else back,
        },
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
            cancel_url=reverse("measures:measure_detail", args=[org, year, pk]) + _next_query(request, org, year),
            extra_context={
                "access": access,
                "organisation": access.organisation,
                "document": measure.document,
                "hidden": [("next", return_url(request, org, year))],
            },
        )
    return run_service(
        request,
        None,
        lambda: services.measure_delete(measure=measure, by=request.user),
        success_message=_("ลบมาตรการแล้ว — กู้คืนได้จากถังขยะของเอกสาร"),
        redirect_to=return_url(request, org, year),  # the list she came from
    ) or redirect("measures:measure_detail", org, year, pk)  # refused: back to the measure


def _next_query(request, org, year) -> str:
    """``?next=<the list she came from>`` for the links of a measure's pages, or "" for the plain list."""
    back = return_url(request, org, year)
    return "" if back == list_url(org, year) else "?" + urlencode({"next": back})


@login_required
def measure_history(request, org, year, pk):
    access, measure = get_measure_for_user(request, org, year, pk, action=Action.OPEN)
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
