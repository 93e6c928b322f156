"""The write services: their audit trail (history rows naming the acting user)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from measures import services
from measures.models import (
    Assessment,
    Evidence,
    Finding,
    IndicatorScore,
    Measure,
    MeasuresDocument,
    MeasureStep,
    ProgressEntry,
    ProgressReport,
    Theme,
)
from tests.measures.services_data import data, framework

pytestmark = pytest.mark.django_db


# --- Audit trail -------------------------------------------------------------------------


def latest_history(model, pk):
    return model.history.filter(id=pk).order_by("-history_date", "-history_id").first()


def record(model, pk) -> tuple[str, object]:
    """("ProgressReport 3", its latest history row or None)."""
    return f"{model.__name__} {pk}", latest_history(model, pk)


def not_stamped_by(rows, user) -> dict:
    """The rows whose latest history row is missing or names someone other than `user`."""
    return {
        label: getattr(row, "history_user", "no history row")
        for label, row in rows
        if getattr(row, "history_user", None) != user
    }


@pytest.fixture
def world(document, theme, officer, finance):
    """A draft document with a theme, a measure, a finding and a started 6-month round, built by the officer."""
    measure = services.measure_create(
        document=document, by=officer, data=data(theme=theme, units=[finance], steps=["หนึ่ง", "สอง"])
    )
    finding = services.finding_save(document=document, by=officer, text="ผลการวิเคราะห์")
    report = services.report_start(document=document, round_months=6, by=officer)
    evidence = services.evidence_add(entry=report.entries.get(), by=officer, title="ลิงก์", url="https://e.org/")
    return {
        "document": document,
        "theme": theme,
        "measure": measure,
        "finding": finding,
        "report": report,
        "entry": report.entries.get(),
        "evidence": evidence,
    }


def _assessment(w, by):
    ita = framework(2565)
    a = services.assessment_save(
        organisation=w["document"].organisation,
        framework=ita,
        by=by,
        indicator_scores={i: Decimal("90") for i in ita.indicators.all()},
    )
    return [record(Assessment, a.pk), *(record(IndicatorScore, s.pk) for s in a.indicator_scores.all())]


def _document_create(w, by):
    d = services.document_create(organisation=w["document"].organisation, fiscal_year=2567, by=by)
    return [record(MeasuresDocument, d.pk)]


def _document_update(w, by):
    services.document_update(document=w["document"], by=by, revision=None, title="ใหม่", introduction="")
    return [record(MeasuresDocument, w["document"].pk)]


def _document_copy(w, by):
    c = services.document_copy(source=w["document"], fiscal_year=2567, by=by)
    return [
        record(MeasuresDocument, c.pk),
        *(record(Theme, t.pk) for t in c.themes.all()),
        *(record(Measure, m.pk) for m in c.measures.all()),
        *(record(MeasureStep, s.pk) for s in MeasureStep.objects.filter(measure__document=c)),
    ]


def _finding_save(w, by):
    f = services.finding_save(document=w["document"], by=by, finding=w["finding"], text="แก้ไข")
    return [record(Finding, f.pk)]


def _finding_delete(w, by):
    pk = w["finding"].pk
    services.finding_delete(finding=w["finding"], by=by)
    return [record(Finding, pk)]


def _theme_save(w, by):
    t = services.theme_save(document=w["document"], by=by, number=2, title="ด้านใหม่")
    return [record(Theme, t.pk)]


def _theme_delete(w, by):
    t = services.theme_save(document=w["document"], by=w["document"].created_by, number=3, title="ว่าง")
    pk = t.pk
    services.theme_delete(theme=t, by=by)
    return [record(Theme, pk)]


def _measure_create(w, by):
    m = services.measure_create(
        document=w["document"], by=by, data=data(theme=w["theme"], number=2, all_units=True, steps=["ก", "ข"])
    )
    return [
        record(Measure, m.pk),
        *(record(MeasureStep, s.pk) for s in m.steps.all()),
        *(record(ProgressEntry, e.pk) for e in m.progress_entries.all()),
    ]


def _measure_update(w, by):
    m = services.measure_update(
        measure=w["measure"], by=by, revision=None, data=data(theme=w["theme"], all_units=True, steps=["ใหม่"])
    )
    return [record(Measure, m.pk), *(record(MeasureStep, s.pk) for s in m.steps.all())]


def _measure_delete(w, by):
    m = services.measure_create(
        document=w["document"], by=w["document"].created_by, data=data(theme=w["theme"], number=5, all_units=True)
    )
    pk = m.pk
    services.measure_delete(measure=m, by=by)
    return [record(Measure, pk)]


def _report_start(w, by):
    r = services.report_start(document=w["document"], round_months=12, by=by)
    return [record(ProgressReport, r.pk), *(record(ProgressEntry, e.pk) for e in r.entries.all())]


def _entry_update(w, by):
    services.entry_update(entry=w["entry"], by=by, revision=None, status="in_progress", percent=10)
    return [record(ProgressEntry, w["entry"].pk)]


def _evidence_add(w, by):
    e = services.evidence_add(entry=w["entry"], by=by, title="ไฟล์", file=SimpleUploadedFile("a.pdf", b"%PDF"))
    return [record(Evidence, e.pk)]


def _evidence_delete(w, by):
    pk = w["evidence"].pk
    services.evidence_delete(evidence=w["evidence"], by=by)
    return [record(Evidence, pk)]


WRITES = [
    _assessment,
    _document_create,
    _document_update,
    _document_copy,
    _finding_save,
    _finding_delete,
    _theme_save,
    _theme_delete,
    _measure_create,
    _measure_update,
    _measure_delete,
    _report_start,
    _entry_update,
    _evidence_add,
    _evidence_delete,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda f: f.__name__.strip("_"))
def test_every_service_write_leaves_history_rows_naming_the_acting_user(write, world, org_admin):
    rows = write(world, org_admin)
    assert rows
    assert not_stamped_by(rows, org_admin) == {}


def test_a_deletion_is_recorded_in_the_history(world, org_admin):
    pk = world["finding"].pk
    services.finding_delete(finding=world["finding"], by=org_admin)
    record = latest_history(Finding, pk)
    assert (record.history_type, record.text) == ("-", "ผลการวิเคราะห์")
