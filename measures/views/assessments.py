"""ITA scores of an organisation: one year's scorecard, the choice of a year, the entry form."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..access import Action, get_access
from ..forms import AssessmentForm, AssessmentYearForm
from ..scoring import scorecard_for
from .base import run_service


@login_required
def assessment_detail(request, org, year):
    access = get_access(request, org, Action.VIEW)
    assessment = selectors.assessment_for_year(access.organisation, year)
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
    existing = selectors.assessment_for_year(access.organisation, year)
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
        response = run_service(
            request,
            form,
            lambda: services.assessment_save(
                organisation=access.organisation,
                framework=framework,
                by=request.user,
                indicator_scores=form.indicator_scores(),
                tool_scores=form.tool_scores(),
                part_scores=form.part_scores(),
                official_total=form.cleaned_data["official_total"],
                official_rating=form.cleaned_data["official_rating"],
                notes=form.cleaned_data["notes"],
            ),
            success_message=_("บันทึกผลการประเมิน ITA %(year)s แล้ว") % {"year": year},
            redirect_to=("measures:assessment_detail", org, year),
        )
        if response:
            return response
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
