"""The write services: their refusals (Thai ServiceError), their effects and their audit trail."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from measures import services
from measures.models import (
    Assessment,
    Evidence,
    Finding,
    Framework,
    IndicatorScore,
    Measure,
    MeasuresDocument,
    MeasureStep,
    ProgressEntry,
    ProgressReport,
    Theme,
)
from measures.services import ConcurrentEditError, MeasureData, ServiceError
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def framework(year: int) -> Framework:
    return Framework.objects.get(year=year)


def data(**overrides) -> MeasureData:
    return MeasureData(**{"title": "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง", "number": 1} | overrides)


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


# --- Copying a document into the next year ------------------------------------------------


@pytest.fixture
def source(document, theme, officer, finance, works):
    """A 2566 document: two themes, a measure with steps/units/items, a finding and a 6-month round."""
    second = services.theme_save(document=document, by=officer, number=2, title="ด้านการป้องกันการทุจริต")
    ita = document.basis_framework
    services.measure_create(
        document=document,
        by=officer,
        data=data(
            theme=theme,
            steps=["ขั้นที่หนึ่ง", "ขั้นที่สอง", "ขั้นที่สาม"],
            units=[finance, works],
            items=list(ita.items.filter(code__in=["I13", "O35"])),
            indicators=[ita.indicators.get(number=3)],
            period_start=date(2022, 10, 1),
            period_end=date(2023, 3, 31),
            deadline=date(2023, 9, 30),
        ),
    )
    services.measure_create(
        document=document, by=officer, data=data(theme=second, title="ประกาศเจตจำนงสุจริต", all_units=True)
    )
    services.finding_save(document=document, by=officer, kind="urgent", text="ตัวชี้วัดที่ 9 ต่ำกว่าเกณฑ์")
    report = services.report_start(document=document, round_months=6, by=officer)
    entry = report.entries.first()
    services.entry_update(entry=entry, by=officer, revision=None, status="done", summary="ดำเนินการแล้ว")
    return document


@pytest.fixture
def copy(source, officer):
    return services.document_copy(source=source, fiscal_year=2567, by=officer)


def copied_measure(copy) -> Measure:
    return copy.measures.get(theme__number=1, number=1)


def test_copying_a_document_copies_its_themes(copy):
    assert list(copy.themes.values_list("number", "title")) == [(1, "ด้านการเปิดเผยข้อมูล"), (2, "ด้านการป้องกันการทุจริต")]


def test_copying_a_document_copies_each_measure_into_the_copied_theme(source, copy):
    pairs = sorted(copy.measures.values_list("theme__document", "theme__number", "number", "title"))
    assert pairs == [(copy.pk, 1, 1, "เผยแพร่ข้อมูลการจัดซื้อจัดจ้าง"), (copy.pk, 2, 1, "ประกาศเจตจำนงสุจริต")]
    assert source.measures.count() == 2


def test_copying_a_document_keeps_the_steps_in_order(copy):
    steps = copied_measure(copy).steps.order_by("order").values_list("order", "text")
    assert list(steps) == [(1, "ขั้นที่หนึ่ง"), (2, "ขั้นที่สอง"), (3, "ขั้นที่สาม")]


def test_copying_a_document_keeps_the_responsible_units(copy, finance, works):
    assert set(copied_measure(copy).units.all()) == {finance, works}
    assert copy.measures.get(theme__number=2).all_units is True


def test_copying_a_document_moves_the_periods_by_one_year(copy):
    measure = copied_measure(copy)
    assert (measure.period_start, measure.period_end, measure.deadline) == (
        date(2023, 10, 1),
        date(2024, 3, 31),
        date(2024, 9, 30),
    )


def test_copying_a_document_maps_item_codes_to_the_new_basis_framework(copy):
    measure = copied_measure(copy)
    assert copy.basis_framework.year == 2566
    assert sorted((i.framework.year, i.code) for i in measure.items.all()) == [(2566, "I13"), (2566, "O35")]


def test_copying_a_document_maps_indicators_by_number_to_the_new_basis_framework(source, copy):
    old = source.measures.get(theme__number=1)
    new = copied_measure(copy)
    assert 3 in old.indicators.values_list("number", flat=True)
    assert sorted(new.indicators.values_list("framework__year", "number")) == sorted(
        (2566, n) for n in old.indicators.values_list("number", flat=True)
    )


def test_copying_a_document_starts_without_findings_or_progress(copy):
    assert not Finding.objects.filter(document=copy).exists()
    assert not ProgressReport.objects.filter(document=copy).exists()
    assert not ProgressEntry.objects.filter(measure__document=copy).exists()


def test_copying_a_document_renames_the_year_in_the_title(source, copy):
    assert "2566" in source.title
    assert copy.title == source.title.replace("2566", "2567")


def test_copying_into_a_year_that_already_has_a_document_is_refused(source, organisation, officer):
    services.document_create(organisation=organisation, fiscal_year=2567, by=officer)
    with pytest.raises(ServiceError):
        services.document_copy(source=source, fiscal_year=2567, by=officer)
    assert MeasuresDocument.objects.get(fiscal_year=2567).measures.count() == 0


def test_copying_a_period_ending_on_29_february_ends_on_28_february(organisation, officer, finance):
    leap = services.document_create(organisation=organisation, fiscal_year=2567, by=officer)
    services.measure_create(
        document=leap,
        by=officer,
        data=data(units=[finance], period_start=date(2023, 10, 1), period_end=date(2024, 2, 29)),
    )
    copy = services.document_copy(source=leap, fiscal_year=2568, by=officer)
    assert copy.measures.get().period_end == date(2025, 2, 28)


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
