"""The texts of a measure's period and of its responsible units, as every page, table and document prints them.

Each takes a measure either as a row (``Measure``) or as a measure of an edition (the dict of
``editions.measure_row``, dates as ISO text), so that the printed documents, the open data, the
staff tables, the spreadsheet export and the diff of two editions word them the same way.
"""

from collections.abc import Mapping
from datetime import date

from . import thai
from .editions import parse_date
from .models import Measure, PeriodPrecision

__all__ = ["ALL_UNITS", "WHOLE_YEAR", "all_units_wording", "period_text", "unit_names", "units_text"]

ALL_UNITS = "ทุกกอง/สำนัก"  # a measure of every unit (Measure.all_units), unless the organisation words it otherwise
WHOLE_YEAR = "ตลอดปีงบประมาณ"  # a measure of the whole fiscal year (Measure.whole_year)


def _period_of(measure: Measure | Mapping) -> tuple[bool, date | None, date | None, date | None, bool]:
    """(whole year, start, end, deadline, typed with days) of a row or of an edition's measure (an
    edition frozen before the precision was kept has none: its periods print as months)."""
    if isinstance(measure, Mapping):
        period = measure["period"]
        return (
            period["whole_year"],
            parse_date(period["start"]),
            parse_date(period["end"]),
            parse_date(measure.get("deadline")),
            period.get("precision") == PeriodPrecision.DAY,
        )
    by_day = measure.period_precision == PeriodPrecision.DAY
    return measure.whole_year, measure.period_start, measure.period_end, measure.deadline, by_day


def period_text(
    measure: Measure | Mapping,
    *,
    fiscal_year: int | None = None,
    thai_digits: bool = False,
    or_deadline: bool = False,
    by_day: bool = False,
    from_start: bool = False,
) -> str:
    """A measure's period as precisely as it was typed: the whole fiscal year, a range of days
    ("๑ ต.ค. ๒๕๖๔ – ๓๑ มี.ค. ๒๕๖๕", PeriodPrecision.DAY) or of months ("ต.ค. ๒๕๖๔ – มี.ค. ๒๕๖๕"), or "".

    - ``fiscal_year``: the whole year names the year ("ตลอดปีงบประมาณ พ.ศ. ๒๕๖๖", the printed
      documents and open data); without it, "ตลอดปีงบประมาณ" (staff pages, export, diff).
    - ``or_deadline``: a measure without a start and an end prints "ภายใน <deadline>" (documents).
    - ``by_day``: "1 ต.ค. 2565 – 31 มี.ค. 2566" even for a period typed as months (the diff of
      two editions, where a change of day must show).
    - ``from_start``: a start without an end prints its month or day (the measure's staff page).
    """
    whole_year, start, end, deadline, typed_by_day = _period_of(measure)
    if whole_year:
        if fiscal_year is None:
            return WHOLE_YEAR
        return "ตลอด" + thai.fiscal_year_label(fiscal_year, thai_digits=thai_digits)
    if start and end and by_day:
        first = thai.format_date_short(start, thai_digits=thai_digits)
        return f"{first} – {thai.format_date_short(end, thai_digits=thai_digits)}"
    if start and (end or from_start):
        if typed_by_day:
            return thai.format_day_range(start, end, thai_digits=thai_digits)
        return thai.format_month_range(start, end, thai_digits=thai_digits)
    if deadline and or_deadline:
        return "ภายใน " + thai.format_date_short(deadline, thai_digits=thai_digits)
    return ""


def all_units_wording(edition: Mapping) -> str:
    """How an edition words "every unit": the organisation's wording frozen with it
    (Organisation.all_units_text), or ALL_UNITS for an edition frozen before it carried one."""
    return (edition.get("organisation") or {}).get("all_units_text") or ALL_UNITS


def unit_names(measure: Measure | Mapping, *, all_units_text: str | None = None) -> list[str]:
    """The responsible units in print order: "ทุกกอง/สำนัก" (or ``all_units_text``, the
    organisation's own wording) first for a measure of every unit."""
    if isinstance(measure, Mapping):
        all_units, names = measure["all_units"], list(measure["units"])
    else:
        all_units, names = measure.all_units, [u.name for u in measure.units.all()]
    return ([all_units_text or ALL_UNITS] if all_units else []) + names


def units_text(measure: Measure | Mapping, *, all_units_text: str | None = None) -> str:
    """The responsible units on one line: "ทุกกอง/สำนัก, กองคลัง"."""
    return ", ".join(unit_names(measure, all_units_text=all_units_text))
