"""Suggested measures for an indicator of an ITA year (issue 20): the page reached from each weak
indicator of the score page and from the measure form, and its button that copies a suggestion into
the draft of the measures document that analyses that year."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import selectors, suggestions
from ..access import Action, get_access
from ..scoring import scorecard_for
from ..services import ServiceError


def _indicator_number(value: str | None, numbers: set[int]) -> int | None:
    """The indicator asked for, if it is one of the year's (digits only, short)."""
    value = (value or "").strip()
    if not value or len(value) > 3 or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number in numbers else None


def _page_url(org: str, year: int, number: int | None) -> str:
    url = reverse("measures:suggestions", args=[org, year])
    return f"{url}?{urlencode({'indicator': number})}" if number is not None else url


def _public_url(suggestion: suggestions.Suggestion) -> str:
    """Where the public reads the document a published suggestion comes from (its version's page)."""
    if not suggestion.published:
        return ""
    return reverse(
        "reports:publication_version", args=[suggestion.slug, suggestion.fiscal_year, "measures", suggestion.version]
    )


def _framework(year: int):
    framework = selectors.framework_with_structure(year)
    if framework is None:
        raise Http404(_("ไม่มีกรอบการประเมิน ITA ปี %(year)s") % {"year": year})
    return framework


@login_required
@require_GET
def suggestions_page(request, org, year):
    access = get_access(request, org, Action.VIEW)
    framework = _framework(year)
    assessment = selectors.assessment_for_year(access.organisation, year)
    card = scorecard_for(assessment) if assessment is not None else None
    scores = {ind.number: score for tool in card.tools for ind, score in tool.indicators} if card else {}
    weak = [ind.number for ind, _score in card.weak_indicators] if card else []
    indicators = [ind for tool in framework.tools.all() for ind in tool.indicators.all()]
    asked = request.GET.get("indicator")
    number = _indicator_number(asked, {ind.number for ind in indicators})
    status = 200
    if asked is not None and number is None:
        messages.error(request, _("ไม่พบตัวชี้วัดที่ระบุในกรอบการประเมิน ITA %(year)s กรุณาเลือกจากรายการ") % {"year": year})
        status = 400
    elif asked is None and weak:
        number = weak[0]  # the weakest first, as the score page lists them
    document = suggestions.target_document(access.organisation, year)
    context = {
        "access": access,
        "organisation": access.organisation,
        "framework": framework,
        "year": year,
        "assessment": assessment,
        "choices": [(ind, scores.get(ind.number), ind.number in weak) for ind in indicators],
        "indicator": next((ind for ind in indicators if ind.number == number), None),
        "target": document,
        "can_copy": access.can(Action.EDIT) and document is not None and document.is_editable,
        "max_documents": suggestions.MAX_DOCUMENTS,
    }
    if number is not None:
        copied = suggestions.copied_keys(document)
        context["library"] = [(s, copied.get(s.key)) for s in suggestions.library_for(year, number)]
        context["published"] = [
            (s, copied.get(s.key), _public_url(s))
            for s in suggestions.published_for(organisation=access.organisation, number=number)
        ]
    return render(request, "measures/suggestions.html", context, status=status)


@login_required
@require_POST
def suggestion_copy(request, org, year):
    access = get_access(request, org, Action.EDIT)
    framework = _framework(year)
    number = _indicator_number(request.POST.get("indicator"), {i.number for i in framework.indicators.all()})
    back = _page_url(org, year, number)
    document = suggestions.target_document(access.organisation, year)
    if document is None:
        messages.error(
            request,
            _("ยังไม่มีเอกสารมาตรการปีงบประมาณ %(year)s ที่วิเคราะห์ผล ITA %(ita)s กรุณาสร้างเอกสารก่อน แล้วจึงคัดลอกมาตรการ")
            % {"year": year + 1, "ita": year},
        )
        return redirect(back)
    found = None
    if number is not None:
        key = request.POST.get("key", "")
        found = suggestions.find(organisation=access.organisation, year=year, number=number, key=key)
    if found is None:
        messages.error(request, _("ไม่พบมาตรการที่แนะนำนี้แล้ว (อาจถอนการเผยแพร่หรือมีฉบับใหม่) กรุณาเลือกจากรายการอีกครั้ง"))
        return redirect(back)

    try:
        copied = suggestions.copy(
            document=document, suggestion=found, number=number, by=request.user, source_url=_public_url(found)
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(
        request,
        _("คัดลอกมาตรการไปยังร่างเป็นมาตรการ %(n)s แล้ว กรุณาตรวจแก้ขั้นตอน ผู้รับผิดชอบ และระยะเวลาให้เป็นของหน่วยงาน")
        % {"n": copied.measure.display_number},
    )
    if copied.every_unit and copied.missing_units:
        messages.warning(
            request,
            _("ไม่พบส่วนราชการชื่อ %(names)s ในหน่วยงาน จึงกำหนดผู้รับผิดชอบเป็นทุกกอง/สำนักไว้ก่อน กรุณาเลือกผู้รับผิดชอบ")
            % {"names": ", ".join(copied.missing_units)},
        )
    elif copied.every_unit:
        messages.warning(request, _("ต้นฉบับไม่ได้ระบุส่วนราชการ จึงกำหนดผู้รับผิดชอบเป็นทุกกอง/สำนักไว้ก่อน กรุณาเลือกผู้รับผิดชอบ"))
    elif copied.missing_units:
        messages.warning(request, _("ไม่พบส่วนราชการชื่อ %(names)s ในหน่วยงาน") % {"names": ", ".join(copied.missing_units)})
    return redirect("measures:measure_edit", org, document.fiscal_year, copied.measure.pk)
