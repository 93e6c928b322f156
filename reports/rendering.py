"""Render documents to HTML (screen, public site) and PDF from one template each."""

import re

from django.template.loader import render_to_string
from django.templatetags.static import static

from measures import thai
from measures.models import MeasuresDocument, ProgressReport, Submission

from . import documents
from .pdf import BASE_URL, render_pdf, static_response

STYLESHEET = re.compile(r'<link rel="stylesheet"(?P<media> media="[a-z]+")? href="(?P<href>[^"]+)">')


def freeze_styles(html: str) -> str:
    """The document with its stylesheets copied in, so a later change to our CSS never alters a
    published version (its fonts stay linked: they are the same files for every version)."""

    def inline(match: re.Match) -> str:
        href = match["href"]
        if not href.startswith(static("")):
            return match[0]
        css, _mime = static_response(BASE_URL + href.lstrip("/"))
        return f"<style{match['media'] or ''}>\n{css.decode()}</style>"

    return STYLESHEET.sub(inline, html)


def _base(data_or_digits) -> dict:
    digits = data_or_digits if isinstance(data_or_digits, bool) else data_or_digits.thai_digits
    return {"counter_style": "thai" if digits else "decimal", "thai_digits": digits}


def measures_context(document: MeasuresDocument) -> dict:
    data = documents.measures_document_data(document)
    context = _base(data) | {"data": data, "fiscal_year_label": thai.fiscal_year_label(
        document.fiscal_year, thai_digits=data.thai_digits)}
    card = data.scores
    if card is not None:
        fmt = lambda value: thai.format_number(value, 2, thai_digits=data.thai_digits) if value is not None else "—"  # noqa: E731
        context |= {
            "score_rows": documents.score_rows(card, data.thai_digits, data.part_scores),
            "total": fmt(card.total),
            "computed_total": fmt(card.total_computed),
            "pass_mark": thai.digits(int(card.framework.pass_mark), thai_digits=data.thai_digits),
            "mismatches": [
                {"label": m.label, "official": fmt(m.official) if not isinstance(m.official, str) else m.official,
                 "computed": fmt(m.computed) if not isinstance(m.computed, str) else m.computed}
                for m in card.mismatches
            ],
            "weak": [f"{thai.digits(i.number, thai_digits=data.thai_digits)}. {i.name} ({fmt(s)})"
                     for i, s in card.weak_indicators],
        }
    return context


def report_context(report: ProgressReport) -> dict:
    data = documents.progress_report_data(report)
    return _base(data) | {"data": data}


def measures_html(document: MeasuresDocument, **extra) -> str:
    return render_to_string("reports/documents/measures.html", measures_context(document) | extra)


def report_html(report: ProgressReport, **extra) -> str:
    return render_to_string("reports/documents/report.html", report_context(report) | extra)


def document_page_and_body(target: MeasuresDocument | ProgressReport) -> tuple[str, str, dict]:
    """The standalone HTML (the PDF's source), the body for the public site, and the data."""
    if isinstance(target, MeasuresDocument):
        context, name = measures_context(target), "measures"
    else:
        context, name = report_context(target), "report"
    page = render_to_string(f"reports/documents/{name}.html", context)
    body = render_to_string(f"reports/documents/_{name}_body.html", context)
    return page, body, context


def memo_context(submission: Submission) -> dict:
    from measures import workflow  # the memo exists from the submission on

    memo = workflow.memo_draft(submission.target, by=submission.submitted_by)
    decisions = {d.step: d for d in submission.decisions.all()}
    return _base(submission.organisation.thai_digits) | {
        "memo": memo,
        "blocks": [{"step": step, "decision": decisions.get(n)} for n, step in enumerate(submission.steps)],
    }


def memo_html(submission: Submission, **extra) -> str:
    return render_to_string("reports/documents/memo.html", memo_context(submission) | extra)


def as_pdf(html: str) -> bytes:
    return render_pdf(html)
