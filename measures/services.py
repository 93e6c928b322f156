"""Every write of the domain goes through a named service here.

Each service checks the state it needs, runs in one transaction, records who acted (the audit
trail is django-simple-history: each save writes a history row with `history_user`), and
raises `ServiceError` with a Thai message that a view can show as it is. Access rights are
checked by `measures.access` before a service is called.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from . import parsing, thai
from .models import (
    Assessment,
    DocumentStatus,
    Evidence,
    Finding,
    Framework,
    Indicator,
    IndicatorScore,
    Item,
    Measure,
    MeasuresDocument,
    MeasureStep,
    Organisation,
    PeriodPrecision,
    ProgressEntry,
    ProgressReport,
    Theme,
    Tool,
    ToolPart,
    ToolPartScore,
    ToolScore,
    Unit,
)


class ServiceError(Exception):
    """A refused write; the message is Thai and meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ConcurrentEditError(ServiceError):
    def __init__(self):
        super().__init__(_("ข้อมูลนี้ถูกแก้ไขโดยผู้อื่นระหว่างที่คุณกำลังแก้ไข กรุณาเปิดหน้าใหม่เพื่อดูข้อมูลล่าสุด แล้วแก้ไขอีกครั้ง"))


def stamp(obj, by) -> None:
    """Tell django-simple-history who made this change (also outside a request)."""
    obj._history_user = by


def _lock_row(model, pk: int) -> None:
    """Hold the row's lock until the transaction ends (a no-op on SQLite, which locks it all)."""
    model.objects.select_for_update().values_list("pk", flat=True).get(pk=pk)


def check_revision(model, pk: int, revision: int | None) -> None:
    """Optimistic locking: refuse to overwrite a row changed since the form was opened."""
    current = model.objects.select_for_update().values_list("revision", flat=True).get(pk=pk)
    if revision is not None and current != revision:
        raise ConcurrentEditError()


def require_draft(target: MeasuresDocument | ProgressReport) -> None:
    """Refuse to write into a document or report that is not a draft.

    The status is read again under a row lock, never taken from the caller's object: a form
    opened before the document went up the chain must not write into it afterwards, and a
    submission waits for a write in progress (workflow.submit locks the same row).
    """
    model = type(target)
    status = model.objects.select_for_update().values_list("status", flat=True).get(pk=target.pk)
    if status != DocumentStatus.DRAFT:
        if model is ProgressReport:
            raise ServiceError(_("รายงานรอบนี้อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว จึงแก้ไขไม่ได้"))
        raise ServiceError(_("เอกสารนี้อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว จึงแก้ไขไม่ได้"))


def default_document_title(organisation: Organisation, fiscal_year: int) -> str:
    return _("มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน %(org)s %(year)s") % {
        "org": organisation.name,
        "year": thai.fiscal_year_label(fiscal_year, thai_digits=False),
    }


# --- Assessments -------------------------------------------------------------------------


@transaction.atomic
def assessment_save(
    *,
    organisation: Organisation,
    framework: Framework,
    by,
    indicator_scores: dict[Indicator, Decimal | None],
    tool_scores: dict[Tool, Decimal | None] | None = None,
    part_scores: dict[ToolPart, Decimal | None] | None = None,
    official_total: Decimal | None = None,
    official_rating: str = "",
    notes: str = "",
) -> Assessment:
    """Create or replace the organisation's result for the framework's year."""
    assessment, _created = Assessment.objects.select_for_update().get_or_create(
        organisation=organisation, framework=framework, defaults={"updated_by": by}
    )
    assessment.official_total = official_total
    assessment.official_rating = official_rating.strip()
    assessment.notes = notes
    assessment.updated_by = by
    stamp(assessment, by)
    assessment.save()
    _replace_scores(assessment, IndicatorScore, "indicator", indicator_scores, by)
    _replace_scores(assessment, ToolScore, "tool", tool_scores or {}, by)
    _replace_scores(assessment, ToolPartScore, "part", part_scores or {}, by)
    return assessment


def _replace_scores(assessment, model, key: str, scores: dict, by) -> None:
    existing = {getattr(row, f"{key}_id"): row for row in model.objects.filter(assessment=assessment)}
    for target, score in scores.items():
        row = existing.pop(target.pk, None)
        if score is None:
            if row is not None:
                stamp(row, by)
                row.delete()
            continue
        if row is None:
            row = model(assessment=assessment, **{key: target}, score=score)
        elif row.score == score:
            continue
        row.score = score
        stamp(row, by)
        row.save()


# --- Measures documents ------------------------------------------------------------------


def basis_framework_for(fiscal_year: int) -> Framework | None:
    """Measures for fiscal year N analyse the ITA N−1 result."""
    return Framework.objects.filter(year=fiscal_year - 1).first()


@transaction.atomic
def document_create(
    *, organisation: Organisation, fiscal_year: int, by, title: str = "", introduction: str = ""
) -> MeasuresDocument:
    # Two officers creating the same year at once: the second waits here, then is refused.
    _lock_row(Organisation, organisation.pk)
    if MeasuresDocument.objects.filter(organisation=organisation, fiscal_year=fiscal_year).exists():
        raise ServiceError(_("หน่วยงานนี้มีเอกสารมาตรการของปีงบประมาณนี้แล้ว"))
    document = MeasuresDocument(
        organisation=organisation,
        fiscal_year=fiscal_year,
        basis_framework=basis_framework_for(fiscal_year),
        title=title.strip() or default_document_title(organisation, fiscal_year),
        introduction=introduction,
        created_by=by,
    )
    stamp(document, by)
    document.save()
    return document


@transaction.atomic
def document_update(
    *, document: MeasuresDocument, by, revision: int | None, title: str, introduction: str
) -> MeasuresDocument:
    check_revision(MeasuresDocument, document.pk, revision)
    document.refresh_from_db()
    require_draft(document)
    document.title = title
    document.introduction = introduction
    document.revision += 1
    stamp(document, by)
    document.save(update_fields=["title", "introduction", "revision", "updated_at"])
    return document


@transaction.atomic
def document_copy(*, source: MeasuresDocument, fiscal_year: int, by) -> MeasuresDocument:
    """Start the document of another year from this one: themes, measures, steps, units.

    Periods move by the difference in years; indicators and items are matched by number and
    code in the new basis framework (codes that no longer exist are dropped). Findings and
    progress are not copied: the new year needs a new analysis.
    """
    target = document_create(
        organisation=source.organisation,
        fiscal_year=fiscal_year,
        by=by,
        title=source.title.replace(str(source.fiscal_year), str(fiscal_year)).replace(
            thai.to_thai_digits(source.fiscal_year), thai.to_thai_digits(fiscal_year)
        ),
        introduction="",
    )
    shift = fiscal_year - source.fiscal_year
    themes = {
        theme.pk: theme_save(document=target, by=by, number=theme.number, title=theme.title)
        for theme in source.themes.all()
    }
    framework = target.basis_framework
    indicators = {i.number: i for i in framework.indicators.all()} if framework else {}
    items = {i.code: i for i in framework.items.all()} if framework else {}
    measures = source.measures.prefetch_related("steps", "units", "indicators", "items")
    for old in measures:
        new = Measure(
            document=target,
            theme=themes.get(old.theme_id),
            number=old.number,
            number_text=old.number_text,
            title=old.title,
            issue=old.issue,
            all_units=old.all_units,
            owner=old.owner,
            period_start=_shift_years(old.period_start, shift),
            period_end=_shift_years(old.period_end, shift),
            period_precision=old.period_precision,
            whole_year=old.whole_year,
            monitoring=old.monitoring,
            target=old.target,
            budget=old.budget,
            deadline=_shift_years(old.deadline, shift),
        )
        stamp(new, by)
        new.save()
        for step in old.steps.all():
            copied = MeasureStep(measure=new, order=step.order, text=step.text)
            stamp(copied, by)
            copied.save()
        new.units.set(old.units.all())
        new.indicators.set([indicators[i.number] for i in old.indicators.all() if i.number in indicators])
        new.items.set([items[i.code] for i in old.items.all() if i.code in items])
    return target


def _shift_years(value: date | None, years: int) -> date | None:
    if value is None:
        return None
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


# --- Findings and themes -----------------------------------------------------------------


@transaction.atomic
def finding_save(
    *, document: MeasuresDocument, by, finding: Finding | None = None, indicators=(), items=(), **fields
) -> Finding:
    require_draft(document)
    finding = finding or Finding(document=document, order=document.findings.count() + 1)
    for name, value in fields.items():
        setattr(finding, name, value)
    stamp(finding, by)
    finding.save()
    finding.indicators.set(indicators)
    finding.items.set(items)
    return finding


@transaction.atomic
def finding_delete(*, finding: Finding, by) -> None:
    require_draft(finding.document)
    stamp(finding, by)
    finding.delete()


@transaction.atomic
def theme_save(*, document: MeasuresDocument, by, number: int, title: str, theme: Theme | None = None) -> Theme:
    require_draft(document)
    clash = Theme.objects.filter(document=document, number=number).exclude(pk=getattr(theme, "pk", None))
    if clash.exists():
        raise ServiceError(_("มีด้านลำดับที่ %(n)s ในเอกสารนี้แล้ว") % {"n": number})
    theme = theme or Theme(document=document)
    theme.number = number
    theme.title = title
    stamp(theme, by)
    theme.save()
    return theme


@transaction.atomic
def theme_delete(*, theme: Theme, by) -> None:
    require_draft(theme.document)
    if theme.measures.exists():
        raise ServiceError(_("ยังมีมาตรการอยู่ในด้านนี้ กรุณาย้ายหรือลบมาตรการก่อน"))
    stamp(theme, by)
    theme.delete()


# --- Measures ----------------------------------------------------------------------------


@dataclass
class MeasureData:
    """What a measure form collects, ready for the service."""

    title: str
    number: int
    theme: Theme | None = None
    issue: str = ""
    steps: Iterable[str] = ()
    units: Iterable[Unit] = ()
    all_units: bool = False
    indicators: Iterable[Indicator] = ()
    items: Iterable[Item] = ()
    owner: str = ""
    period_start: date | None = None
    period_end: date | None = None
    whole_year: bool = False
    monitoring: str = ""
    target: str = ""
    budget: Decimal | None = None
    deadline: date | None = None
    period_precision: str = PeriodPrecision.MONTH  # typed as months, or with days (parsing.period_precision)
    number_text: str = ""  # the number as typed ("1)", "(๑)"), printed instead of "๑.๒"; "" prints that

    SCALAR_FIELDS = tuple(
        "title number number_text theme issue all_units owner period_start period_end period_precision"  # noqa: SIM905
        " whole_year monitoring target budget deadline".split()
    )


def _validate_measure(document: MeasuresDocument, data: MeasureData, exclude_pk: int | None) -> None:
    units = list(data.units)
    if too_many := parsing.too_many_steps([text for text in data.steps if text.strip()]):
        raise ServiceError(str(too_many))
    if not units and not data.all_units:
        raise ServiceError(_("กรุณาระบุหน่วยงานผู้รับผิดชอบอย่างน้อยหนึ่งหน่วย"))
    if any(unit.organisation_id != document.organisation_id for unit in units):
        raise ServiceError(_("หน่วยงานผู้รับผิดชอบต้องเป็นส่วนราชการของหน่วยงานนี้"))
    if data.theme is not None and data.theme.document_id != document.pk:
        raise ServiceError(_("ด้านที่เลือกไม่ได้อยู่ในเอกสารนี้"))
    if data.period_start and data.period_end and data.period_end < data.period_start:
        raise ServiceError(_("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"))
    clash = Measure.objects.filter(document=document, theme=data.theme, number=data.number).exclude(pk=exclude_pk)
    if clash.exists():
        raise ServiceError(_("มีมาตรการลำดับที่ %(n)s ในด้านนี้แล้ว") % {"n": data.number})


def write_measure(measure: Measure, data: MeasureData, by) -> Measure:
    for name in MeasureData.SCALAR_FIELDS:
        setattr(measure, name, getattr(data, name))
    stamp(measure, by)
    measure.save()
    steps = [text.strip() for text in data.steps if text.strip()]
    current = list(measure.steps.all())
    if [s.text for s in current] != steps:
        for step in current:
            stamp(step, by)
            step.delete()
        for order, text in enumerate(steps, start=1):
            step = MeasureStep(measure=measure, order=order, text=text)
            stamp(step, by)
            step.save()
    items = list(data.items)
    measure.units.set(list(data.units))
    # An item (I13, O35 …) always speaks to its indicator: link both.
    indicators = {i.pk: i for i in data.indicators} | {item.indicator_id: item.indicator for item in items}
    measure.indicators.set(list(indicators.values()))
    measure.items.set(items)
    return measure


def next_measure_number(document: MeasuresDocument, theme: Theme | None) -> int:
    numbers = Measure.objects.filter(document=document, theme=theme).values_list("number", flat=True)
    return max(numbers, default=0) + 1


@transaction.atomic
def measure_create(*, document: MeasuresDocument, by, data: MeasureData) -> Measure:
    require_draft(document)
    if document.measures.count() >= parsing.MAX_MEASURES:
        raise ServiceError(_("เอกสารหนึ่งมีมาตรการได้ไม่เกิน %(max)s มาตรการ") % {"max": parsing.MAX_MEASURES})
    _validate_measure(document, data, exclude_pk=None)
    measure = write_measure(Measure(document=document), data, by)
    for report in document.reports.all():
        entry = ProgressEntry(report=report, measure=measure)  # nobody has entered a result yet
        stamp(entry, by)
        entry.save()
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, by, revision: int | None, data: MeasureData) -> Measure:
    check_revision(Measure, measure.pk, revision)
    require_draft(measure.document)
    _validate_measure(measure.document, data, exclude_pk=measure.pk)
    measure.revision += 1
    return write_measure(measure, data, by)


@transaction.atomic
def measure_delete(*, measure: Measure, by) -> None:
    require_draft(measure.document)
    if ProgressEntry.objects.filter(measure=measure).exclude(summary="", evidence__isnull=True).exists():
        raise ServiceError(_("มาตรการนี้มีผลการดำเนินการบันทึกไว้แล้ว จึงลบไม่ได้"))
    stamp(measure, by)
    measure.delete()


# --- Progress rounds ---------------------------------------------------------------------


@transaction.atomic
def report_start(*, document: MeasuresDocument, round_months: int, by) -> ProgressReport:
    """Open a reporting round with one empty entry per measure."""
    if round_months not in ProgressReport.Round.values:
        raise ServiceError(_("รอบการรายงานต้องเป็น 6 หรือ 12 เดือน"))
    # Two officers starting the same round at once: the second waits here, then is refused.
    _lock_row(MeasuresDocument, document.pk)
    if ProgressReport.objects.filter(document=document, round=round_months).exists():
        raise ServiceError(_("เริ่มรอบการรายงานนี้แล้ว"))
    report = ProgressReport(document=document, round=round_months)
    stamp(report, by)
    report.save()
    if round_months == 12:
        # The 12-month report carries the 6-month results forward as its starting point.
        six = ProgressEntry.objects.filter(report__document=document, report__round=6)
        earlier = {e.measure_id: e for e in six}
    else:
        earlier = {}
    for measure in document.measures.all():
        base = earlier.get(measure.pk)
        entry = ProgressEntry(report=report, measure=measure)  # "updated by" names who enters a result
        if base is not None:
            for name in ("status", "percent", "summary", "outcome", "problems", "suggestions", "completed_on"):
                setattr(entry, name, getattr(base, name))
        stamp(entry, by)
        entry.save()
    return report


@transaction.atomic
def report_update(*, report: ProgressReport, by, revision: int | None, introduction: str) -> ProgressReport:
    check_revision(ProgressReport, report.pk, revision)
    require_draft(report)
    report.introduction = introduction
    report.revision += 1
    stamp(report, by)
    report.save(update_fields=["introduction", "revision", "updated_at"])
    return report


ENTRY_FIELDS = ("status", "percent", "summary", "outcome", "problems", "suggestions", "completed_on")


@transaction.atomic
def entry_update(*, entry: ProgressEntry, by, revision: int | None, **fields) -> ProgressEntry:
    check_revision(ProgressEntry, entry.pk, revision)
    require_draft(entry.report)
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {unknown}")
    for name, value in fields.items():
        setattr(entry, name, value)
    if entry.status == ProgressEntry.Status.DONE and entry.percent < 100:
        entry.percent = 100
    entry.revision += 1
    entry.updated_by = by
    stamp(entry, by)
    entry.save(update_fields=[*fields, "percent", "revision", "updated_by", "updated_at"])
    return entry


@transaction.atomic
def evidence_add(*, entry: ProgressEntry, by, title: str, file=None, url: str = "") -> Evidence:
    require_draft(entry.report)
    if not file and not url:
        raise ServiceError(_("กรุณาแนบไฟล์หรือใส่ลิงก์อย่างน้อยหนึ่งอย่าง"))
    evidence = Evidence(entry=entry, title=title, url=url, uploaded_by=by)
    if file:
        evidence.file = file
    stamp(evidence, by)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by) -> None:
    require_draft(evidence.entry.report)
    # The file stays in storage: the history row still points at it (nothing is lost).
    stamp(evidence, by)
    evidence.delete()
