"""Editions: the complete data of a document or report, as one plain, JSON-ready dict.

One builder (`edition_data`) produces everything any rendering of a measures document or of a
progress report shows: the organisation as it prints (name, place, digit style, column
layout), the title and introduction, the ITA result with every figure the document prints and
the years of its charts, the analysis (its introduction, the findings with what their headings
need, the limitations of each tool: measures.analysis), the introduction of the measures, the
themes, every field of every measure and every column of every result of a round.

At submission this dict is frozen in `Submission.snapshot`: the approvers decide on it, and the
print, the PDF, the publication and the open data of a submitted, approved or published
edition are made from it alone (`frozen_edition`). Live data only ever feed the draft preview.

`readiness` says what blocks a submission and what only warns, before it is sent.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from . import analysis, selectors, thai
from .models import (
    DocumentStatus,
    Measure,
    MeasuresDocument,
    ProgressEntry,
    ProgressReport,
    Submission,
)
from .scoring import ScoreCard, round2, scorecard_for

SCHEMA = 2  # Submission.snapshot written before editions carried everything had no "schema"

Target = MeasuresDocument | ProgressReport


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(round2(value))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def parse_date(value: str | None) -> date | None:
    """A date of the edition data (ISO text) back as a date."""
    return date.fromisoformat(value) if value else None


def parse_decimal(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


# --- The builder -------------------------------------------------------------------------


# Each part of an edition is made by a pure function of plain values and in-memory rows
# (nothing below reads a relation that is not handed to it), so that a bulk writer
# (measures.devdata.national) builds exactly what `edition_data` reads from the tables.


def organisation_data(organisation) -> dict:
    """The organisation as the edition prints it. "all_units_text" (how a measure of every unit is
    worded) and "logo" (the stored file name of its emblem, "" without one; files are never
    overwritten) are missing from editions frozen before they were added: texts.all_units_wording
    and the printing fall back to the constant wording and no emblem."""
    return {
        "name": organisation.name,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "district": organisation.district,
        "province": organisation.province,
        "place": organisation.place,
        "thai_digits": organisation.thai_digits,
        "layout": organisation.report_layout,
        "all_units_text": organisation.all_units_text,
        "logo": organisation.logo.name or "",
    }


def measure_row(
    measure: Measure,
    *,
    number: str,
    theme: int | None,
    indicators: list[int],
    items: list[str],
    steps: list[str],
    units: list[str],
) -> dict:
    """One measure: its own fields, with its display number, theme number, the numbers of its
    indicators, the codes of its items, its steps and the names of its units (in print order).
    "number_text" (the number as typed, "" to print the display number) and the period's
    "precision" (PeriodPrecision) are missing from editions frozen before they were added: the
    printing falls back to the display number and months."""
    return {
        "number": number,
        "number_text": measure.number_text,
        "theme": theme,
        "title": measure.title,
        "issue": measure.issue,
        "indicators": indicators,
        "items": items,
        "steps": steps,
        "units": units,
        "all_units": measure.all_units,
        "owner": measure.owner,
        "period": {
            "start": _iso(measure.period_start),
            "end": _iso(measure.period_end),
            "whole_year": measure.whole_year,
            "precision": measure.period_precision,
        },
        "deadline": _iso(measure.deadline),
        "monitoring": measure.monitoring,
        "target": measure.target,
        "budget": _decimal(measure.budget) if measure.budget is not None else None,
    }


def _measure(measure: Measure) -> dict:
    return measure_row(
        measure,
        number=measure.display_number,
        theme=measure.theme.number if measure.theme_id else None,
        indicators=[i.number for i in measure.indicators.all()],
        items=[i.code for i in measure.items.all()],
        steps=[s.text for s in measure.steps.all()],
        units=[u.name for u in measure.units.all()],
    )


def result_data(entry: ProgressEntry) -> dict:
    """One measure's result of a round (its own fields only)."""
    return {
        "status": entry.status,
        "status_label": str(entry.get_status_display()),
        "percent": entry.percent,
        "summary": entry.summary,
        "outcome": entry.outcome,
        "problems": entry.problems,
        "suggestions": entry.suggestions,
        "completed_on": _iso(entry.completed_on),
    }


def _measures(document: MeasuresDocument) -> list[Measure]:
    return list(
        document.measures.select_related("theme")
        .prefetch_related("units", "indicators", "items", "steps")
        .in_print_order()
    )


def scorecard_data(card: ScoreCard, part_scores: dict) -> dict:
    """One year's ITA result as a document prints it, from its score card (measures.scoring) and
    the entered scores of the tools' parts (part pk → score): every score, the rating, the EIT
    parts, the weakest indicators and the recomputation check (a note for the officer, never
    printed)."""
    framework = card.framework
    pass_mark = framework.pass_mark
    tools = []
    for result in card.tools:
        tool = result.tool
        tools.append(
            {
                "code": tool.code,
                "name": tool.name,
                "weight": _decimal(tool.weight),
                "score": _decimal(result.score),
                "parts": [
                    {"code": p.code, "name": p.name, "score": _decimal(part_scores.get(p.pk))} for p in tool.parts.all()
                ],
                "indicators": [
                    {
                        "number": ind.number,
                        "name": ind.name,
                        "score": _decimal(score),
                        "weak": score is not None and score < pass_mark,
                    }
                    for ind, score in result.indicators
                ],
            }
        )
    return {
        "year": framework.year,
        "framework": framework.title,
        "pass_mark": _decimal(pass_mark),
        "total": _decimal(card.total),
        "rating": card.rating,
        "computed_total": _decimal(card.total_computed),
        "tools": tools,
        "weak": [
            {"number": ind.number, "name": ind.name, "score": _decimal(score)} for ind, score in card.weak_indicators
        ],
        "mismatches": [
            {
                "label": str(m.label),
                "official": m.official if isinstance(m.official, str) else _decimal(m.official),
                "computed": m.computed if isinstance(m.computed, str) else _decimal(m.computed),
            }
            for m in card.mismatches
        ],
    }


def assessment_data(assessment) -> dict:
    """One year's ITA result as a document prints it (see scorecard_data)."""
    return scorecard_data(scorecard_for(assessment), {s.part_id: s.score for s in assessment.part_scores.all()})


def trend_year(card: ScoreCard) -> dict:
    """One year of the trend, from its score card: total, tools and indicators."""
    return {
        "year": card.framework.year,
        "pass_mark": _decimal(card.framework.pass_mark),
        "total": _decimal(card.total),
        "tools": {t.tool.code: _decimal(t.score) for t in card.tools},
        "indicators": [
            {"number": ind.number, "name": ind.name, "score": _decimal(score)}
            for t in card.tools
            for ind, score in t.indicators
        ],
    }


def trend_data(assessments) -> list[dict]:
    """The years on record, oldest first: total, tools and indicators (what the charts draw)."""
    return [trend_year(scorecard_for(assessment)) for assessment in assessments]


def theme_row(theme) -> dict:
    return {"number": theme.number, "title": theme.title}


def measures_edition(
    document: MeasuresDocument,
    *,
    organisation: dict,
    assessment: dict | None,
    trend: list[dict],
    findings: list[dict],
    themes: list[dict],
    measures: list[dict],
    limitations: list[dict] | None = None,
) -> dict:
    """The edition of a measures document from its own fields and its parts, made already (the
    introductions of the analysis and of the measures and the limitations of each tool are missing
    from editions frozen before they were printed: they print nothing)."""
    return {
        "schema": SCHEMA,
        "kind": "measures",
        "round": None,
        "fiscal_year": document.fiscal_year,
        "analysed_year": document.analysed_year,
        "edition": document.edition,
        "organisation": organisation,
        "title": document.title,
        "introduction": document.introduction,
        "assessment": assessment,
        "trend": trend,
        "analysis_introduction": document.analysis_introduction,
        "findings": findings,
        "limitations": limitations or [],
        "measures_introduction": document.measures_introduction,
        "themes": themes,
        "measures": measures,
    }


def report_edition(
    report: ProgressReport, document: MeasuresDocument, *, organisation: dict, themes: list[dict], measures: list[dict]
) -> dict:
    """The edition of a progress report from its own fields, its document's and its parts, made
    already (each measure's row with its "result")."""
    return {
        "schema": SCHEMA,
        "kind": "report",
        "round": report.round,
        "fiscal_year": document.fiscal_year,
        "analysed_year": document.analysed_year,
        "edition": report.edition,
        "organisation": organisation,
        "title": report_title(organisation["name"], document.fiscal_year, report.round),
        "document_title": document.title,
        "document_edition": document.edition,
        "introduction": report.introduction,
        "themes": themes,
        "measures": measures,
    }


def document_data(document: MeasuresDocument) -> dict:
    organisation = document.organisation
    assessments = list(selectors.assessments_for(organisation))
    analysed = next((a for a in assessments if a.framework.year == document.analysed_year), None)
    return measures_edition(
        document,
        organisation=organisation_data(organisation),
        assessment=assessment_data(analysed) if analysed is not None else None,
        # The charts show the years on record up to the analysed one (a later result is not
        # part of this year's document).
        trend=trend_data([a for a in assessments if a.framework.year <= document.analysed_year]),
        findings=analysis.findings_data(document),
        themes=[theme_row(t) for t in document.themes.all()],
        measures=[_measure(m) for m in _measures(document)],
        limitations=analysis.limitations_data(document),
    )


def report_data(report: ProgressReport) -> dict:
    document = report.document
    results = {e.measure_id: e for e in report.entries.all()}
    measures = []
    for measure in _measures(document):
        row = _measure(measure)
        entry = results.get(measure.pk)
        row["result"] = result_data(entry) if entry is not None else None
        measures.append(row)
    return report_edition(
        report,
        document,
        organisation=organisation_data(document.organisation),
        themes=[theme_row(t) for t in document.themes.all()],
        measures=measures,
    )


def report_title(organisation_name: str, fiscal_year: int, round_months: int) -> str:
    return _("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส %(round)s %(org)s %(year)s") % {
        "round": thai.round_label(round_months, thai_digits=False),
        "org": organisation_name,
        "year": thai.fiscal_year_label(fiscal_year, thai_digits=False),
    }


def edition_data(target: Target) -> dict:
    """Everything the target prints, read from the live tables now."""
    return document_data(target) if isinstance(target, MeasuresDocument) else report_data(target)


def memo_data(memo) -> dict:
    """The memo's fields as they are sent with the edition."""
    data = {name: getattr(memo, name) for name in memo.CONTENT_FIELDS}
    return data | {"date": _iso(memo.date)}


# --- Frozen editions -----------------------------------------------------------------------


def current_submission(target: Target) -> Submission | None:
    """The submission whose frozen data a non-draft target prints: the pending one while it is
    submitted, the approved one of its edition once approved or published; None for a draft."""
    if target.status == DocumentStatus.DRAFT:
        return None
    status = Submission.Status.PENDING if target.status == DocumentStatus.SUBMITTED else Submission.Status.APPROVED
    return (
        Submission.objects.filter(**target.target_filter, edition=target.edition, status=status)
        .prefetch_related("decisions")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def approvals(submission: Submission | None) -> list[dict]:
    """Who approved the edition, step by step, as recorded when they decided."""
    if submission is None or submission.status != Submission.Status.APPROVED:
        return []
    return approval_rows(submission.decisions.all())


def approval_rows(decisions) -> list[dict]:
    """The approvals among the decisions on an approved submission, step by step."""
    return [
        {
            "position": d.position,
            "acting_for": d.acting_for,
            "name": d.name,
            "date": _iso(timezone.localdate(d.decided_at)),
        }
        for d in sorted(decisions, key=lambda d: d.step)
        if d.outcome == "approve"
    ]


@dataclass
class Edition:
    """What a target prints now: its data, whether it is a draft, and its approvals."""

    data: dict
    draft: bool
    submission: Submission | None = None
    approvals: list[dict] = field(default_factory=list)


def for_print(target: Target) -> Edition:
    """A draft prints its live data (marked ร่าง); any other state prints its frozen edition."""
    submission = current_submission(target)
    if submission is None or submission.snapshot.get("schema") != SCHEMA:
        # A draft, or a target submitted before editions were frozen whole (see migration 0006).
        return Edition(
            data=edition_data(target),
            draft=target.status == DocumentStatus.DRAFT,
            submission=submission,
            approvals=approvals(submission),
        )
    return Edition(data=submission.snapshot, draft=False, submission=submission, approvals=approvals(submission))


# --- Ready to submit? ----------------------------------------------------------------------


@dataclass
class Readiness:
    blockers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # sections the print leaves out, being empty

    @property
    def ready(self) -> bool:
        return not self.blockers


def readiness(target: Target, data: dict | None = None) -> Readiness:
    """What blocks the submission of a draft, what only warns, and which sections will not print."""
    data = data if data is not None else edition_data(target)
    found = Readiness()
    first, last = thai.fiscal_year_bounds(data["fiscal_year"])
    measures = data["measures"]
    if not measures:
        found.blockers.append(_("ยังไม่มีมาตรการในเอกสาร กรุณาเพิ่มมาตรการก่อนเสนอ"))
    # The measures of a report were approved with their document: only the document checks them.
    for m in measures if data["kind"] == "measures" else []:
        label = _("มาตรการ %(n)s") % {"n": m["number"]}
        if not m["units"] and not m["all_units"] and not m["owner"].strip():
            found.blockers.append(_("%(m)s ยังไม่ได้ระบุหน่วยงานผู้รับผิดชอบ") % {"m": label})
        start, end = parse_date(m["period"]["start"]), parse_date(m["period"]["end"])
        outside = [d for d in (start, end, parse_date(m["deadline"])) if d and not first <= d <= last]
        if outside:
            found.blockers.append(
                _("%(m)s มีระยะเวลาดำเนินการอยู่นอกปีงบประมาณ %(year)s (%(first)s – %(last)s)")
                % {
                    "m": label,
                    "year": data["fiscal_year"],
                    "first": thai.format_date_short(first, thai_digits=False),
                    "last": thai.format_date_short(last, thai_digits=False),
                }
            )
        if not m["steps"]:
            found.warnings.append(_("%(m)s ยังไม่มีขั้นตอน/วิธีการดำเนินการ") % {"m": label})
    if data["kind"] == "measures":
        if data["assessment"] is None:
            found.warnings.append(
                _("ยังไม่ได้บันทึกผลการประเมิน ITA ปี %(year)s ที่ใช้วิเคราะห์") % {"year": data["analysed_year"]}
            )
            found.left_out.append(_("ผลการประเมิน ITA (ตารางคะแนนและกราฟ)"))
        if not data["findings"]:
            found.warnings.append(_("ยังไม่มีผลการวิเคราะห์"))
            if not data.get("analysis_introduction", "").strip():  # else its heading prints with it
                found.left_out.append(_("ผลการวิเคราะห์"))
        if not data.get("limitations"):
            found.left_out.append(_("ข้อจำกัดของการประเมิน"))
    else:
        if all(m.get("result") is None for m in measures):  # a round without entries
            found.blockers.append(_("รายงานนี้ยังไม่มีมาตรการ"))
        empty = [
            m["number"]
            for m in measures
            if m.get("result") is None
            or (m["result"]["status"] == ProgressEntry.Status.NOT_STARTED and not m["result"]["summary"].strip())
        ]
        if empty:
            found.warnings.append(
                _("ยังไม่ได้บันทึกผลการดำเนินการ %(count)s มาตรการ (มาตรการ %(numbers)s) จะพิมพ์สถานะว่า ยังไม่ดำเนินการ")
                % {"count": len(empty), "numbers": ", ".join(empty[:15]) + (" …" if len(empty) > 15 else "")}
            )
    if not data["introduction"].strip():
        found.left_out.append(_("บทนำ"))
    return found
