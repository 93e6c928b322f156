"""ITA scores of an organisation: one year's scorecard, the choice of a year, the entry form."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import results, selectors, thai
from ..access import Action, get_access
from ..forms import AssessmentForm, AssessmentYearForm, StatedTotalFormSet
from ..scoring import as_typed, scorecard_for
from ..todo import missing_framework_text
from .base import run_service

STATED_PREFIX = "stated"


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
    # Fiscal year N's measures analyse the ITA N−1 result: that is the year wanted now.
    wanted_year = thai.fiscal_year_of(timezone.localdate()) - 1
    form = AssessmentYearForm(request.GET or None, wanted_year=wanted_year)
    if form.is_valid():
        return redirect("measures:assessment_edit", org, form.cleaned_data["framework"].year)
    return render(
        request, "measures/assessment_new.html", {"access": access, "organisation": access.organisation, "form": form}
    )


def _initial(existing) -> tuple[dict, list[dict]]:
    """What the form and the stated totals show of a stored result."""
    if existing is None:
        return {}, []
    initial = {f"indicator_{s.indicator.number}": s.score for s in existing.indicator_scores.all()}
    initial |= {f"tool_{s.tool.code}": s.score for s in existing.tool_scores.all()}
    initial |= {f"part_{s.part.code}": s.score for s in existing.part_scores.all()}
    initial |= {
        "official_total": existing.official_total,
        "official_grade": existing.official_grade,
        "official_rating": existing.official_rating,
        "notes": existing.notes,
    }
    return initial, [{"label": s.label, "value": as_typed(s.value)} for s in existing.stated_totals.all()]


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request, org, year):
    access = get_access(request, org, Action.EDIT)
    framework = selectors.framework_with_structure(year)
    if framework is None:
        # Say what is missing and who can add it, rather than a bare "not found".
        return render(
            request,
            "measures/assessment_missing.html",
            {"access": access, "organisation": access.organisation, "year": year, "text": missing_framework_text(year)},
            status=404,
        )
    existing = selectors.assessment_for_year(access.organisation, year)
    initial, stated_initial = _initial(existing)
    data = request.POST or None
    form = AssessmentForm(data, framework=framework, initial=initial)
    # A post without the stated totals' part (a client that only sends the scores) leaves the
    # stored ones as they are; a browser always sends it, rows emptied included.
    sent = data is not None and f"{STATED_PREFIX}-TOTAL_FORMS" in data
    stated = StatedTotalFormSet(data if sent else None, initial=stated_initial, prefix=STATED_PREFIX)
    if request.method == "POST" and form.is_valid() & (not sent or stated.is_valid()):
        response = run_service(
            request,
            form,
            lambda: results.assessment_record(
                organisation=access.organisation,
                framework=framework,
                by=request.user,
                indicator_scores=form.indicator_scores(),
                tool_scores=form.tool_scores(),
                part_scores=form.part_scores(),
                official_total=form.cleaned_data["official_total"],
                official_grade=form.cleaned_data["official_grade"],
                official_rating=form.cleaned_data["official_rating"],
                stated_totals=stated.stated_totals() if sent else None,
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
            "stated": stated,
            "framework": framework,
            "existing": existing,
        },
    )
