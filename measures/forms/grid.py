"""The round grid (issue 18): one row form per entry, one formset for the round, the unit filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Unit
from ..progress import MAX_ROWS
from .progress import EntryForm

__all__ = ["GRID_PREFIX", "GridFormSet", "GridRowForm", "GridUnitFilter", "grid_formset"]

GRID_PREFIX = "rows"
STALE_PAGE = _("ข้อมูลของตารางไม่ครบหรือไม่ตรงกับหน้าที่เปิดไว้ กรุณาเปิดหน้านี้ใหม่แล้วกรอกอีกครั้ง")


class GridRowForm(EntryForm):
    """One measure's result in the grid: the fields of EntryForm (and its rules), with the entry
    the row belongs to and compact text boxes."""

    entry = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    # Compared with the entry's and looked up in its history: never past what the column holds.
    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"invalid": STALE_PAGE, "min_value": STALE_PAGE, "max_value": STALE_PAGE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["percent"].error_messages["required"] = _("กรุณากรอกร้อยละ 0 ถึง 100")
        self.fields["status"].error_messages["required"] = _("กรุณาเลือกสถานะ")
        self.fields["status"].error_messages["invalid_choice"] = _("ไม่พบสถานะที่เลือก กรุณาเลือกใหม่")
        for name in ("summary", "outcome", "problems", "suggestions"):
            self.fields[name].widget.attrs["rows"] = 2
        self.fields["percent"].widget.attrs["size"] = 4
        self.fields["completed_on"].widget.attrs["size"] = 11

    @classmethod
    def initial_for(cls, entry) -> dict:
        return {**super().initial_for(entry), "entry": entry.pk}

    def entry_pk(self) -> int | None:
        """The entry this row says it is, as posted (before validation), or None if it is not a number."""
        value = self["entry"].value()
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            return None
        return number if 0 < number < 2**63 else None


class GridFormSet(forms.BaseFormSet):
    """The grid's rows; refused whole (in Thai) when it carries more rows than the round or the
    cap, or the same entry twice."""

    default_error_messages = {  # noqa: RUF012 - Django reads the class attribute
        "missing_management_form": STALE_PAGE,
        "too_many_forms": _("ตารางมีมากกว่า %(num)d แถว ซึ่งเกินจำนวนมาตรการที่คุณกรอกได้ในรอบนี้"),
        "too_few_forms": STALE_PAGE,
    }

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            pk = form.cleaned_data.get("entry") if hasattr(form, "cleaned_data") else None
            if pk is None:
                continue
            if pk in seen:
                raise forms.ValidationError(STALE_PAGE, code="duplicate")
            seen.add(pk)


def grid_formset(rows: int) -> type[GridFormSet]:
    """The formset class of a grid of at most ``rows`` rows (the entries the user may fill), and
    never more than progress.MAX_ROWS: forms past that are not even built."""
    limit = max(0, min(rows, MAX_ROWS))
    return forms.formset_factory(
        GridRowForm, formset=GridFormSet, extra=0, max_num=limit, validate_max=True, absolute_max=MAX_ROWS
    )


class UnitChoiceField(forms.ModelChoiceField):
    """A unit chosen by id; an id that is no number, or too large for the column, is refused
    unread (it made the query itself fail)."""

    def to_python(self, value):
        if value not in self.empty_values and not (str(value).strip().isdigit() and len(str(value).strip()) < 19):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class GridUnitFilter(forms.Form):
    """Which unit's measures the grid shows (``?unit=<pk>``); empty: all the user may fill."""

    unit = UnitChoiceField(
        label=_("หน่วยงานที่รับผิดชอบ"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("ทุกหน่วยงาน"),
        error_messages={"invalid_choice": _("ไม่พบหน่วยงานที่เลือก กรุณาเลือกใหม่")},
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
