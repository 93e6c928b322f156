"""A round's measures in one table (issue 18): every result the user may fill, saved with one press.

Every row is checked before anything is written: one wrong row shows the page again with what was
typed, a summary naming each row and field at the top and each error next to its field, and
nothing saved (measures.progress writes the changed rows in one transaction, or none).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import progress
from ..access import Action, get_report_for_user
from ..forms import GRID_PREFIX, GridRowForm, GridUnitFilter, grid_formset
from ..models import ProgressEntry, ProgressReport
from ..services import ServiceError

NOT_DRAFT = "รายงานรอบนี้อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว จึงแก้ไขไม่ได้ ตารางนี้แสดงผลที่บันทึกไว้เพื่ออ่านเท่านั้น"


# The grid's columns of fields (after the measure and its units), each with its fields.
CELLS = (
    ("status", ("status",)),
    ("percent", ("percent",)),
    ("texts", ("summary", "outcome")),
    ("texts", ("problems", "suggestions")),
    ("completed_on", ("completed_on",)),
)


@dataclass
class Row:
    """One line of the grid: its number as shown, its entry (measure, units) and its form."""

    number: int
    entry: ProgressEntry
    form: GridRowForm | None = None

    @property
    def anchor(self) -> str:
        return f"row-{self.number}"

    def cells(self) -> list[tuple[str, list]]:
        """The row's fields, by column: the texts two to a column so that a row fits a 1280-pixel screen."""
        return [(name, [self.form[field] for field in fields]) for name, fields in CELLS]


@dataclass
class RowProblem:
    """One line of the error summary: "แถวที่ k (มาตรการ 1.2): <field>: <message>", linked to the field."""

    row: Row
    label: str
    message: str
    anchor: str


def _problems(rows: list[Row]) -> list[RowProblem]:
    problems = []
    for row in rows:
        for name, errors in row.form.errors.items():
            field = row.form[name] if name != NON_FIELD_ERRORS else None
            if field is None or field.is_hidden:
                label, anchor = "", row.anchor
            else:
                label, anchor = str(field.label), field.id_for_label
            problems.extend(RowProblem(row, label, str(message), anchor) for message in errors)
    return problems


def _shown(entries: list[ProgressEntry], unit) -> list[ProgressEntry]:
    """The entries of the unit chosen (its measures and those of every unit), from the prefetched units."""
    if unit is None:
        return entries
    return [e for e in entries if e.measure.all_units or any(u.pk == unit.pk for u in e.measure.units.all())]


@login_required
@require_http_methods(["GET", "POST"])
def round_grid(request, org, year, round_months):
    access, document, report = get_report_for_user(request, org, year, round_months, action=Action.PROGRESS)
    if report is None:
        raise Http404(_("ยังไม่ได้เริ่มรอบการรายงานนี้"))
    units = access.organisation.units.all()
    if not access.sees_all_measures:
        units = units.filter(pk__in=access.unit_ids)
    unit_filter = GridUnitFilter(request.GET or None, units=units)
    unit = unit_filter.cleaned_data["unit"] if unit_filter.is_valid() else None
    entries = list(progress.fillable_entries(report, access))
    shown = _shown(entries, unit)
    capped = len(shown) > progress.MAX_ROWS
    shown = shown[: progress.MAX_ROWS]
    here = reverse("measures:round_grid", args=[org, year, round_months])
    if unit is not None:
        here += "?" + urlencode({"unit": unit.pk})
    editable = report.is_editable
    formset_class = grid_formset(len(entries))
    page_errors: list[str] = []

    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("รายงานรอบนี้อยู่ระหว่างการพิจารณาหรืออนุมัติแล้ว จึงแก้ไขไม่ได้"))
        formset = formset_class(request.POST, prefix=GRID_PREFIX)
        valid = formset.is_valid()
        page_errors = list(formset.non_form_errors())
        if page_errors:  # a broken or oversized table: shown again as it is in the database
            formset = formset_class(initial=[GridRowForm.initial_for(e) for e in shown], prefix=GRID_PREFIX)
            rows = [Row(n, e, f) for n, (e, f) in enumerate(zip(shown, formset.forms, strict=True), start=1)]
        else:
            by_pk = {e.pk: e for e in entries}
            posted = [form.entry_pk() for form in formset.forms]
            if any(pk not in by_pk for pk in posted):
                # Another unit's measure, another round's entry: refused unread, nothing saved.
                raise Http404(_("ไม่พบมาตรการ"))
            rows = [Row(n, by_pk[pk], f) for n, (pk, f) in enumerate(zip(posted, formset.forms, strict=True), start=1)]
            if valid:
                try:
                    saved = progress.entries_save(
                        report=report, by=request.user, access=access, rows=[f.cleaned_data for f in formset.forms]
                    )
                except progress.NotFillable as refusal:
                    raise Http404(refusal.message) from refusal
                except progress.RowsRefused as refusal:
                    for error in refusal.errors:
                        rows[error.index].form.add_error(None, error.message)
                except ServiceError as refusal:
                    page_errors.append(refusal.message)
                else:
                    if saved:
                        messages.success(request, _("บันทึกผลการดำเนินการ %(n)s มาตรการแล้ว") % {"n": saved})
                    else:
                        messages.success(request, _("ไม่มีการเปลี่ยนแปลง ผลการดำเนินการทุกแถวเหมือนเดิม"))
                    return redirect(here)
    elif editable:
        formset = formset_class(initial=[GridRowForm.initial_for(e) for e in shown], prefix=GRID_PREFIX)
        rows = [Row(n, e, f) for n, (e, f) in enumerate(zip(shown, formset.forms, strict=True), start=1)]
    else:
        formset = None
        rows = [Row(n, e) for n, e in enumerate(shown, start=1)]

    problems = _problems(rows) if formset is not None and formset.is_bound else []
    return render(
        request,
        "measures/round_grid.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": document,
            "report": report,
            "round_label": ProgressReport.Round(round_months).label,
            "unit_filter": unit_filter,
            "unit": unit,
            "formset": formset,
            "rows": rows,
            "editable": editable,
            "not_draft": NOT_DRAFT,
            "capped": capped,
            "max_rows": progress.MAX_ROWS,
            "action": here,
            "page_errors": page_errors,
            "problems": problems,
            "error_rows": len({p.row.number for p in problems}),
            "total": len(entries),
        },
    )
