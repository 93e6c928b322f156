"""Staff access to the printed documents: the HTML preview and the PDF, for any state."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.text import slugify

from measures.access import Action, get_document_for_user, get_report_for_user, get_submission_for_user

from . import rendering


def _respond(html: str, fmt: str, filename: str) -> HttpResponse:
    if fmt == "pdf":
        response = HttpResponse(rendering.as_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
        return response
    return HttpResponse(html)


@login_required
def document_print(request, org, year, fmt="html"):
    access, document = get_document_for_user(request, org, year, action=Action.VIEW)
    access.require(Action.VIEW)
    return _respond(rendering.measures_html(document), fmt, f"ita-measures-{slugify(org)}-{year}")


@login_required
def report_print(request, org, year, round_months, fmt="html"):
    access, _document, report = get_report_for_user(request, org, year, round_months, action=Action.VIEW)
    access.require(Action.VIEW)
    if report is None:
        from django.http import Http404

        raise Http404("ยังไม่ได้เริ่มรอบการรายงานนี้")
    return _respond(rendering.report_html(report), fmt, f"ita-report-{slugify(org)}-{year}-{round_months}")


@login_required
def memo_print(request, org, pk, fmt="html"):
    _access, submission = get_submission_for_user(request, org, pk)
    return _respond(rendering.memo_html(submission), fmt, f"ita-memo-{slugify(org)}-{pk}")
