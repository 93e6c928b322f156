"""Render documents to HTML (screen, public site) and PDF from one template each."""

import hashlib
import re
from decimal import Decimal
from types import SimpleNamespace

from django.core.cache import cache
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone

from measures import editions, thai
from measures.models import MeasuresDocument, ProgressReport, Submission

from . import documents, linebreaks
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


def _base(thai_digits: bool) -> dict:
    return {"counter_style": "thai" if thai_digits else "decimal", "thai_digits": thai_digits}


def edition_context(data: dict, *, draft: bool, approvals: list[dict] | None = None) -> dict:
    """What the document templates print, from an edition's data alone (measures.editions).

    `draft`: the live preview of a draft, marked ร่าง on every page. `approvals`: who approved the
    edition, printed at its end. Empty sections are left out: an official document never prints
    a placeholder; the officer's check page says so before submission.
    """
    doc = documents.document_data(data)
    digits = doc.thai_digits
    context = _base(digits) | {
        "data": doc,
        "draft": draft,
        "edition": data.get("edition"),
        "fiscal_year_label": thai.fiscal_year_label(data["fiscal_year"], thai_digits=digits),
        "approvals": [
            a | {"date_label": thai.format_date_long(editions.parse_date(a["date"]), thai_digits=digits)}
            for a in approvals or []
        ],
    }
    assessment = doc.assessment
    if assessment is not None:
        context |= {
            "score_rows": documents.score_rows(assessment, digits),
            "total": documents.fmt(assessment["total"], digits),
            "rating": assessment["rating"],
            "pass_mark": thai.digits(int(Decimal(assessment["pass_mark"])), thai_digits=digits),
            "weak": [
                f"{thai.digits(i['number'], thai_digits=digits)}. {i['name']} ({documents.fmt(i['score'], digits)})"
                for i in assessment["weak"]
            ],
        }
    # Sections are numbered as they print: an empty one leaves no gap in the numbering.
    sections = []
    if doc.kind == "measures":
        if assessment is not None or doc.chart_svg:
            sections.append("scores")
        if doc.findings or doc.analysis_introduction:
            sections.append("findings")
        if doc.limitations:
            sections.append("limitations")
        sections.append("measures")
    context["section_numbers"] = {name: thai.digits(n, thai_digits=digits) for n, name in enumerate(sections, 1)}
    return context


def template_name(data: dict) -> str:
    return "measures" if data["kind"] == "measures" else "report"


def render_kept(template: str, context: dict, names: list[str]) -> str:
    """A document's HTML in which its own names, dates, reference numbers and the official
    compounds never break at a line end (reports.linebreaks): typed text through the doc_text
    filter, everything else the templates print by a pass over the rendered text."""
    with linebreaks.protecting(names):
        return linebreaks.protect_html(render_to_string(template, context), linebreaks.current_names())


def edition_html(data: dict, *, draft: bool, approvals: list[dict] | None = None, **extra) -> str:
    context = edition_context(data, draft=draft, approvals=approvals) | extra
    names = linebreaks.edition_names(data, approvals or [])
    return render_kept(f"reports/documents/{template_name(data)}.html", context, names)


def target_html(target: MeasuresDocument | ProgressReport, **extra) -> str:
    """The staff print of a document or report in its present state: a draft's live data marked
    ร่าง, otherwise the frozen edition (with its approvals once approved)."""
    edition = editions.for_print(target)
    return edition_html(edition.data, draft=edition.draft, approvals=edition.approvals, **extra)


def page_and_body(data: dict, *, approvals: list[dict]) -> tuple[str, str]:
    """The standalone HTML (the PDF's source) and the body for the public site, of a frozen
    edition about to be published."""
    context = edition_context(data, draft=False, approvals=approvals)
    name, names = template_name(data), linebreaks.edition_names(data, approvals)
    return (
        render_kept(f"reports/documents/{name}.html", context, names),
        render_kept(f"reports/documents/_{name}_body.html", context, names),
    )


# The three parts of a memo's body, with the headings an edition frozen before memos had their own
# headings printed (the model's defaults).
MEMO_PARTS = (("background_heading", "background"), ("facts_heading", "facts"), ("proposal_heading", "proposal"))
MEMO_HEADING_DEFAULTS = {"background_heading": "เรื่องเดิม", "facts_heading": "ข้อเท็จจริง", "proposal_heading": "ข้อเสนอ"}
# A heading the author numbered herself: "๑. เรื่องเดิม", "2) ข้อเท็จจริง", "(๓) ข้อพิจารณา", "ก. …".
OWN_NUMBER = re.compile(r"^\s*(?:\(?[0-9๐-๙]+(?:\.[0-9๐-๙]+)*[.)]|[0-9๐-๙]+\s|[ก-ฮ][.)]\s)")
# Ruled lines left to write on under a position that has not decided yet.
BLANK_COMMENT_LINES = 2


def frozen_memo(submission: Submission):
    """The memo as it was sent with the submission; for a submission made before memos were frozen
    with their edition, the memo as it is (editable only while the document is a draft). A memo
    frozen before it had its own part headings gets the headings it printed then."""
    frozen = submission.snapshot.get("memo")
    if frozen is None:
        from measures import workflow  # noqa: PLC0415 - only for these older submissions

        return workflow.memo_draft(submission.target, by=submission.submitted_by)
    return SimpleNamespace(**(MEMO_HEADING_DEFAULTS | frozen | {"date": editions.parse_date(frozen["date"])}))


def paragraphs(text: str) -> list[str]:
    """The paragraphs typed, one a line; blank lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def memo_parts(memo, digits: bool) -> list[dict]:
    """The body's parts that have text, each with its heading numbered as printed: the author's own
    number kept, the others numbered by their place among the printed headed parts (an empty part
    leaves no gap). A part without a heading prints as plain paragraphs."""
    parts, number = [], 0
    for heading_field, text_field in MEMO_PARTS:
        text = paragraphs(getattr(memo, text_field, ""))
        if not text:
            continue
        heading = (getattr(memo, heading_field, "") or "").strip()
        if heading:
            number += 1
            if not OWN_NUMBER.match(heading):
                heading = f"{thai.digits(number, thai_digits=digits)}. {heading}"
        parts.append({"heading": heading, "paragraphs": text})
    return parts


def memo_block(step: dict, decision, digits: bool) -> dict:
    """One position of the chain: its opinion, signature, name, position, acting text and date;
    a position that has not decided gets ruled lines to write on, never a placeholder."""
    block = {"heading": f"ความเห็น{step['title'].strip()}", "decided": decision is not None}
    if decision is None:
        return block | {
            "lines": [""] * BLANK_COMMENT_LINES,
            "position": step["title"],
            "acting_for": step.get("acting_for", ""),
        }
    lines = paragraphs(decision.comment)
    if decision.outcome == decision.Outcome.RETURN:
        lines.insert(0, decision.get_outcome_display())
    return block | {
        "lines": lines or [decision.get_outcome_display()],
        "name": decision.name,
        "position": decision.position,
        "acting_for": decision.acting_for,
        "date_label": thai.format_date_long(timezone.localtime(decision.decided_at).date(), thai_digits=digits),
    }


def memo_context(submission: Submission) -> dict:
    organisation = submission.snapshot.get("organisation")
    digits = organisation["thai_digits"] if organisation else submission.organisation.thai_digits
    decisions = {d.step: d for d in submission.decisions.all()}
    memo = frozen_memo(submission)
    return _base(digits) | {
        # The emblem frozen with the edition (none for an edition frozen before it was).
        "logo": documents.logo_src(organisation or {}),
        "organisation_name": organisation["name"] if organisation else submission.organisation.name,
        "memo": memo,
        "date_label": thai.format_date_long(memo.date, thai_digits=digits),
        "parts": memo_parts(memo, digits),
        "blocks": [memo_block(step, decisions.get(n), digits) for n, step in enumerate(submission.steps)],
    }


def memo_html(submission: Submission, **extra) -> str:
    context = memo_context(submission) | extra
    names = linebreaks.memo_names(submission.snapshot, context)
    return render_kept("reports/documents/memo.html", context, names)


def as_pdf(html: str) -> bytes:
    return render_pdf(html)


PDF_CACHE_SECONDS = 24 * 60 * 60


def cached_pdf(html: str) -> bytes:
    """The PDF of a staff print, rendered once per content: the key is the hash of the HTML (made
    from the data, cheap), so a draft asked for again is not laid out again, and any change to
    what it prints makes a new one. In the shared cache of production (Redis) for every worker."""
    key = "staff-pdf:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(html)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf
