"""The write services: copying a document into the next year (document_copy).

The source document (the `source` fixture) is in tests/measures/conftest.py.
"""

from datetime import date

import pytest

from measures import services
from measures.models import Finding, Measure, MeasuresDocument, ProgressEntry, ProgressReport
from measures.services import ServiceError
from tests.measures.services_data import data

pytestmark = pytest.mark.django_db


# --- Copying a document into the next year ------------------------------------------------


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
