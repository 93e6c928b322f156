"""The write services: their refusals (Thai ServiceError) and their effects.

Copying a document is in test_services_copy.py, the audit trail in test_services_history.py.
"""

from datetime import date
from decimal import Decimal

import pytest

from measures import services
from measures.models import (
    Assessment,
    Evidence,
    IndicatorScore,
    Measure,
    MeasuresDocument,
    ProgressEntry,
    ProgressReport,
    Theme,
)
from measures.services import ConcurrentEditError, ServiceError
from tests.factories import UnitFactory
from tests.measures.services_data import data, framework

pytestmark = pytest.mark.django_db


# --- Assessments -------------------------------------------------------------------------


def test_saving_an_assessment_twice_updates_the_same_row(organisation, officer):
    ita = framework(2565)
    first = {i: Decimal("80.00") for i in ita.indicators.all()}
    services.assessment_save(organisation=organisation, framework=ita, by=officer, indicator_scores=first)
    second = first | {ita.indicators.get(number=9): Decimal("91.25")}
    services.assessment_save(
        organisation=organisation,
        framework=ita,
        by=officer,
        indicator_scores=second,
        official_total=Decimal("82.00"),
        official_rating=" B ",
    )
    assessment = Assessment.objects.get(organisation=organisation)
    assert Assessment.objects.count() == 1
    assert (assessment.official_total, assessment.official_rating) == (Decimal("82.00"), "B")
    assert assessment.indicator_scores.get(indicator__number=9).score == Decimal("91.25")
    assert assessment.indicator_scores.count() == 10


def test_saving_an_assessment_with_an_emptied_score_removes_that_score(organisation, officer):
    ita = framework(2565)
    scores = {i: Decimal("80.00") for i in ita.indicators.all()}
    services.assessment_save(organisation=organisation, framework=ita, by=officer, indicator_scores=scores)
    services.assessment_save(
        organisation=organisation,
        framework=ita,
        by=officer,
        indicator_scores=scores | {ita.indicators.get(number=10): None},
    )
    numbers = IndicatorScore.objects.filter(assessment__organisation=organisation).values_list(
        "indicator__number", flat=True
    )
    assert sorted(numbers) == list(range(1, 10))


# --- Documents ---------------------------------------------------------------------------


def test_a_new_document_analyses_the_ita_of_the_previous_year(document):
    assert document.basis_framework.year == 2565
    assert document.status == "draft"
    assert "2566" in document.title


def test_a_second_document_of_the_same_fiscal_year_is_refused_in_thai(document, organisation, officer):
    with pytest.raises(ServiceError) as refused:
        services.document_create(organisation=organisation, fiscal_year=2566, by=officer)
    assert refused.value.message == "หน่วยงานนี้มีเอกสารมาตรการของปีงบประมาณนี้แล้ว"
    assert MeasuresDocument.objects.filter(organisation=organisation).count() == 1


def test_updating_a_document_with_a_stale_revision_changes_nothing(document, officer):
    services.document_update(document=document, by=officer, revision=1, title="ชื่อใหม่", introduction="")
    with pytest.raises(ConcurrentEditError):
        services.document_update(document=document, by=officer, revision=1, title="ชื่อเก่า", introduction="")
    document.refresh_from_db()
    assert (document.title, document.revision) == ("ชื่อใหม่", 2)


def test_a_submitted_document_cannot_be_changed(document, theme, officer):
    MeasuresDocument.objects.filter(pk=document.pk).update(status="submitted")
    document.refresh_from_db()
    with pytest.raises(ServiceError):
        services.measure_create(document=document, by=officer, data=data(theme=theme, all_units=True))
    assert not document.measures.exists()


# --- Measures ----------------------------------------------------------------------------


def test_a_measure_without_units_is_refused(document, theme, officer):
    with pytest.raises(ServiceError) as refused:
        services.measure_create(document=document, by=officer, data=data(theme=theme))
    assert "หน่วยงานผู้รับผิดชอบ" in refused.value.message
    assert not Measure.objects.exists()


def test_a_measure_for_every_unit_needs_no_unit(document, theme, officer):
    measure = services.measure_create(document=document, by=officer, data=data(theme=theme, all_units=True))
    assert measure.all_units and not measure.units.exists()


def test_a_measure_with_a_unit_of_another_organisation_is_refused(document, theme, officer, finance):
    stranger = UnitFactory(name="กองคลัง")  # same name, other organisation
    with pytest.raises(ServiceError) as refused:
        services.measure_create(document=document, by=officer, data=data(theme=theme, units=[finance, stranger]))
    assert "ส่วนราชการของหน่วยงานนี้" in refused.value.message
    assert not Measure.objects.exists()


def test_a_measure_ending_before_it_starts_is_refused(document, theme, officer, finance):
    with pytest.raises(ServiceError) as refused:
        services.measure_create(
            document=document,
            by=officer,
            data=data(theme=theme, units=[finance], period_start=date(2023, 3, 1), period_end=date(2023, 2, 28)),
        )
    assert refused.value.message == "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"


def test_a_measure_number_already_used_in_the_theme_is_refused(document, theme, officer, finance):
    services.measure_create(document=document, by=officer, data=data(theme=theme, units=[finance]))
    with pytest.raises(ServiceError) as refused:
        services.measure_create(document=document, by=officer, data=data(theme=theme, units=[finance]))
    assert "ลำดับที่ 1" in refused.value.message
    assert document.measures.count() == 1


def test_the_same_measure_number_may_be_used_in_another_theme(document, theme, officer, finance):
    other = services.theme_save(document=document, by=officer, number=2, title="ด้านที่สอง")
    services.measure_create(document=document, by=officer, data=data(theme=theme, units=[finance]))
    services.measure_create(document=document, by=officer, data=data(theme=other, units=[finance]))
    assert sorted(document.measures.values_list("theme__number", "number")) == [(1, 1), (2, 1)]


def test_a_theme_that_still_has_measures_cannot_be_deleted(document, theme, officer, finance):
    services.measure_create(document=document, by=officer, data=data(theme=theme, units=[finance]))
    with pytest.raises(ServiceError):
        services.theme_delete(theme=theme, by=officer)
    assert Theme.objects.filter(pk=theme.pk).exists()


def test_the_steps_of_a_measure_are_stored_in_the_given_order(document, theme, officer, finance):
    steps = ["แต่งตั้งคณะทำงาน", "จัดประชุมชี้แจง", "รายงานผลต่อผู้บริหาร"]
    measure = services.measure_create(
        document=document, by=officer, data=data(theme=theme, units=[finance], steps=[*steps, "  "])
    )
    assert list(measure.steps.values_list("order", "text")) == [(1, steps[0]), (2, steps[1]), (3, steps[2])]


def test_updating_a_measure_with_a_stale_revision_raises_and_changes_nothing(document, theme, officer, finance, works):
    measure = services.measure_create(
        document=document, by=officer, data=data(theme=theme, units=[finance], steps=["เดิม"])
    )
    services.measure_update(measure=measure, by=officer, revision=1, data=data(theme=theme, units=[finance]))
    stale = Measure.objects.get(pk=measure.pk)
    with pytest.raises(ConcurrentEditError):
        services.measure_update(
            measure=stale,
            by=officer,
            revision=1,
            data=data(theme=theme, title="ทับของคนอื่น", units=[works], steps=["ใหม่"]),
        )
    measure.refresh_from_db()
    assert (measure.title, measure.revision) == ("เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง", 2)
    assert list(measure.units.all()) == [finance]


def test_updating_a_measure_replaces_its_steps(document, theme, officer, finance):
    measure = services.measure_create(
        document=document, by=officer, data=data(theme=theme, units=[finance], steps=["หนึ่ง", "สอง"])
    )
    services.measure_update(
        measure=measure, by=officer, revision=1, data=data(theme=theme, units=[finance], steps=["สอง", "สาม", "สี่"])
    )
    assert list(measure.steps.values_list("text", flat=True)) == ["สอง", "สาม", "สี่"]


def test_a_measure_with_reported_progress_cannot_be_deleted(source, officer):
    measure = source.measures.get(theme__number=1)  # its 6-month entry has a summary
    with pytest.raises(ServiceError):
        services.measure_delete(measure=measure, by=officer)
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_a_measure_whose_entry_has_only_evidence_cannot_be_deleted(document, theme, officer, finance):
    measure = services.measure_create(document=document, by=officer, data=data(theme=theme, units=[finance]))
    report = services.report_start(document=document, round_months=6, by=officer)
    services.evidence_add(entry=report.entries.get(), by=officer, title="ภาพ", url="https://example.org/p")
    with pytest.raises(ServiceError):
        services.measure_delete(measure=measure, by=officer)
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_a_measure_with_empty_entries_can_be_deleted(document, theme, officer, finance):
    measure = services.measure_create(document=document, by=officer, data=data(theme=theme, units=[finance]))
    services.report_start(document=document, round_months=6, by=officer)
    services.measure_delete(measure=measure, by=officer)
    assert not Measure.objects.filter(pk=measure.pk).exists()


def test_a_measure_added_after_a_round_started_gets_an_entry_in_it(document, theme, officer, finance):
    report = services.report_start(document=document, round_months=6, by=officer)
    measure = services.measure_create(document=document, by=officer, data=data(theme=theme, units=[finance]))
    assert list(report.entries.values_list("measure", flat=True)) == [measure.pk]


# --- Progress rounds ---------------------------------------------------------------------


@pytest.fixture
def three_measures(document, theme, officer, finance):
    return [
        services.measure_create(document=document, by=officer, data=data(theme=theme, number=n, units=[finance]))
        for n in (1, 2, 3)
    ]


def test_starting_a_round_creates_one_empty_entry_per_measure(document, three_measures, officer):
    report = services.report_start(document=document, round_months=6, by=officer)
    entries = report.entries.all()
    assert sorted(e.measure_id for e in entries) == sorted(m.pk for m in three_measures)
    assert {(e.status, e.percent, e.summary) for e in entries} == {("not_started", 0, "")}


def test_starting_the_same_round_twice_is_refused(document, three_measures, officer):
    services.report_start(document=document, round_months=6, by=officer)
    with pytest.raises(ServiceError) as refused:
        services.report_start(document=document, round_months=6, by=officer)
    assert refused.value.message == "เริ่มรอบการรายงานนี้แล้ว"
    assert ProgressEntry.objects.count() == 3


def test_a_round_other_than_6_or_12_months_is_refused(document, officer):
    with pytest.raises(ServiceError):
        services.report_start(document=document, round_months=9, by=officer)
    assert not ProgressReport.objects.exists()


def test_the_12_month_round_starts_from_the_6_month_entries(document, three_measures, officer):
    six = services.report_start(document=document, round_months=6, by=officer)
    first = six.entries.get(measure=three_measures[0])
    services.entry_update(
        entry=first,
        by=officer,
        revision=1,
        status="in_progress",
        percent=60,
        summary="จัดประชุมแล้ว 1 ครั้ง",
        problems="งบประมาณจำกัด",
    )
    twelve = services.report_start(document=document, round_months=12, by=officer)
    carried = twelve.entries.get(measure=three_measures[0])
    assert (carried.status, carried.percent, carried.summary, carried.problems) == (
        "in_progress",
        60,
        "จัดประชุมแล้ว 1 ครั้ง",
        "งบประมาณจำกัด",
    )
    assert twelve.entries.get(measure=three_measures[1]).status == "not_started"
    assert six.entries.get(measure=three_measures[0]).pk != carried.pk


def test_an_entry_marked_done_is_100_percent(document, three_measures, officer):
    entry = services.report_start(document=document, round_months=6, by=officer).entries.first()
    services.entry_update(entry=entry, by=officer, revision=1, status="done", percent=70)
    entry.refresh_from_db()
    assert (entry.status, entry.percent, entry.revision) == ("done", 100, 2)


def test_updating_an_entry_with_a_stale_revision_changes_nothing(document, three_measures, officer):
    entry = services.report_start(document=document, round_months=6, by=officer).entries.first()
    services.entry_update(entry=entry, by=officer, revision=1, summary="ฉบับแรก")
    with pytest.raises(ConcurrentEditError):
        services.entry_update(entry=ProgressEntry.objects.get(pk=entry.pk), by=officer, revision=1, summary="ทับ")
    entry.refresh_from_db()
    assert entry.summary == "ฉบับแรก"


def test_evidence_needs_a_file_or_a_link(document, three_measures, officer):
    entry = services.report_start(document=document, round_months=6, by=officer).entries.first()
    with pytest.raises(ServiceError):
        services.evidence_add(entry=entry, by=officer, title="ไม่มีอะไรแนบ")
    assert not Evidence.objects.exists()
