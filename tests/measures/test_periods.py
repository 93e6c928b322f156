"""Periods as precise as typed: months typed without a day, days when days were given."""

import re
from datetime import date

import pytest

from measures import editions, services, texts, thai
from measures.forms import MeasureForm
from measures.models import PeriodPrecision
from measures.parsing import period_precision
from measures.services import MeasureData
from reports import rendering
from tests.measures.spreadsheets import export, import_file, row, row_of, sheet_rows, xlsx_upload

NBSP = "\u00a0"

# --- Reading a month or a day -------------------------------------------------------------


@pytest.mark.parametrize("typed", ["ต.ค. 2564", "ต.ค.64", "ตุลาคม 2564", "ตุลาคม พ.ศ. 2564", "10/2564", "๑๐/๒๕๖๔"])
def test_a_month_without_a_day_is_its_first_day_or_its_last(typed):
    start, end = thai.parse_date_or_month(typed), thai.parse_date_or_month(typed, end=True)
    assert (start, end) == (date(2021, 10, 1), date(2021, 10, 31))
    assert isinstance(start, thai.MonthDate) and isinstance(end, thai.MonthDate)


@pytest.mark.parametrize("typed", ["1 ต.ค.64", "1/10/2564", "๑ ตุลาคม ๒๕๖๔", "2021-10-01"])
def test_a_date_with_its_day_is_that_day(typed):
    read = thai.parse_date_or_month(typed, end=True)
    assert read == date(2021, 10, 1) and not isinstance(read, thai.MonthDate)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("มีนา 2564", "ไม่รู้จักชื่อเดือน “มีนา”"),
        ("13/2564", "เดือนต้องอยู่ระหว่าง 1 ถึง 12"),
        ("ต.ค. 2021", "ปีพุทธศักราช เช่น 2564"),
        ("เร็ว ๆ นี้", "หรือกรอกเฉพาะเดือน เช่น มี.ค. 2565"),
    ],
)
def test_a_month_that_cannot_be_read_is_refused_in_thai(typed, message):
    with pytest.raises(thai.ThaiInputError, match=message):
        thai.parse_date_or_month(typed)


def test_a_period_is_by_day_when_either_end_was_typed_with_its_day():
    month, day = thai.MonthDate(2021, 10, 1), date(2022, 3, 31)
    assert period_precision(month, thai.MonthDate(2022, 3, 31)) == PeriodPrecision.MONTH
    assert period_precision(month, day) == PeriodPrecision.DAY
    assert period_precision(day, None) == PeriodPrecision.DAY
    assert period_precision(None, None) == PeriodPrecision.MONTH


# --- Printing -----------------------------------------------------------------------------


def edition_measure(precision: str | None, *, whole_year: bool = False) -> dict:
    period = {"start": "2021-10-01", "end": "2022-03-31", "whole_year": whole_year}
    return {"period": period | ({"precision": precision} if precision else {}), "deadline": None}


def test_a_period_typed_with_days_prints_its_days():
    printed = texts.period_text(edition_measure("day"), fiscal_year=2565, thai_digits=True)
    assert printed == f"๑{NBSP}ต.ค.{NBSP}๒๕๖๔{NBSP}– ๓๑{NBSP}มี.ค.{NBSP}๒๕๖๕"


def test_a_period_typed_as_months_and_one_frozen_before_the_precision_print_months():
    expected = f"ต.ค.{NBSP}๒๕๖๔ – มี.ค.{NBSP}๒๕๖๕"
    assert texts.period_text(edition_measure("month"), fiscal_year=2565, thai_digits=True) == expected
    assert texts.period_text(edition_measure(None), fiscal_year=2565, thai_digits=True) == expected


def test_the_whole_year_names_the_fiscal_year():
    assert (
        texts.period_text(edition_measure("day", whole_year=True), fiscal_year=2565, thai_digits=True)
        == "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๕"
    )


# --- The measure form ---------------------------------------------------------------------


def measure_form(document, **overrides) -> MeasureForm:
    unit = document.organisation.units.get(name="กองคลัง")
    return MeasureForm({"title": "เผยแพร่ข้อมูล", "units": [unit.pk]} | overrides, document=document)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "stored", "precision"),
    [
        ("ต.ค. 2565", "มี.ค.66", (date(2022, 10, 1), date(2023, 3, 31)), PeriodPrecision.MONTH),
        ("1 ต.ค.65", "31 มี.ค.66", (date(2022, 10, 1), date(2023, 3, 31)), PeriodPrecision.DAY),
        ("ต.ค. 2565", "15/03/2566", (date(2022, 10, 1), date(2023, 3, 15)), PeriodPrecision.DAY),
        ("10/2565", "", (date(2022, 10, 1), None), PeriodPrecision.MONTH),
    ],
)
def test_the_form_reads_months_and_days_and_how_precisely_they_were_typed(
    document, finance, start, end, stored, precision
):
    form = measure_form(document, period_start=start, period_end=end)
    assert form.is_valid(), form.errors
    data = form.measure_data(1)
    assert ((data.period_start, data.period_end), data.period_precision) == (stored, precision)
    assert type(data.period_start) is date  # stored as a plain date


@pytest.mark.django_db
def test_the_deadline_may_be_a_month_its_last_day(document, finance):
    form = measure_form(document, deadline="มี.ค. 2566")
    assert form.is_valid(), form.errors
    assert form.measure_data(1).deadline == date(2023, 3, 31)


def saved(document, officer, finance, precision, start=date(2022, 10, 1), end=date(2023, 3, 31)):
    data = MeasureData(
        title="ก", number=1, units=[finance], period_start=start, period_end=end, period_precision=precision
    )
    return services.measure_create(document=document, by=officer, data=data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("precision", "end", "shown"),
    [
        (PeriodPrecision.MONTH, date(2023, 3, 31), ("ต.ค. 2565", "มี.ค. 2566")),
        (PeriodPrecision.DAY, date(2023, 3, 31), ("01/10/2565", "31/03/2566")),
        (PeriodPrecision.MONTH, date(2023, 3, 15), ("ต.ค. 2565", "15/03/2566")),  # a day is never lost
    ],
)
def test_the_form_shows_a_period_back_as_precisely_as_it_was_typed(document, officer, finance, precision, end, shown):
    measure = saved(document, officer, finance, precision, end=end)
    form = MeasureForm(initial=MeasureForm.initial_for(measure), document=document)
    assert (form["period_start"].value(), form["period_end"].value()) == (
        MeasureForm.initial_for(measure)["period_start"],
        MeasureForm.initial_for(measure)["period_end"],
    )
    widget = form.fields["period_start"].widget
    assert (widget.format_value(form["period_start"].value()), widget.format_value(form["period_end"].value())) == shown


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("precision", "printed"),
    [
        (PeriodPrecision.DAY, f"๑{NBSP}ต.ค.{NBSP}๒๕๖๕{NBSP}– ๓๑{NBSP}มี.ค.{NBSP}๒๕๖๖"),
        (PeriodPrecision.MONTH, f"ต.ค.{NBSP}๒๕๖๕ – มี.ค.{NBSP}๒๕๖๖"),
    ],
)
def test_the_document_prints_the_period_as_typed_and_freezes_its_precision(
    document, officer, finance, precision, printed
):
    saved(document, officer, finance, precision)
    data = editions.edition_data(document)
    assert data["measures"][0]["period"]["precision"] == precision
    html = rendering.edition_html(data, draft=False).replace("&nbsp;", NBSP)
    assert printed in re.sub(r"<[^>]+>", "", html)  # the text, whatever spans keep its words whole


@pytest.mark.django_db
def test_a_copied_document_keeps_the_precision(document, officer, finance):
    saved(document, officer, finance, PeriodPrecision.DAY)
    copy = services.document_copy(source=document, fiscal_year=2567, by=officer)
    assert copy.measures.get().period_precision == PeriodPrecision.DAY


# --- The spreadsheet ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "precision"),
    [("ต.ค. 2565", "มี.ค. 2566", PeriodPrecision.MONTH), ("1/10/2565", "มี.ค. 2566", PeriodPrecision.DAY)],
)
def test_the_import_keeps_how_precisely_a_period_was_typed_and_the_export_writes_it_so(
    staff, document, finance, start, end, precision
):
    assert import_file(staff, xlsx_upload([row(c11=start, c12=end)])).status_code == 302
    measure = document.measures.get()
    assert (measure.period_start, measure.period_end, measure.period_precision) == (
        date(2022, 10, 1),
        date(2023, 3, 31),
        precision,
    )
    exported = row_of(sheet_rows(export(staff).content), measure.title)
    written = ("ต.ค. 2565", "มี.ค. 2566") if precision == PeriodPrecision.MONTH else ("01/10/2565", "31/03/2566")
    assert (exported["ระยะเวลา: เริ่ม"], exported["ระยะเวลา: สิ้นสุด"]) == written
