"""Forms of the ITA results: the scores of one year as published, the other totals it states, the choice of a year."""

from typing import ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Framework, StatedTotal
from ..thai_fields import ThaiDecimalField
from ..todo import missing_framework_text
from .fields import SCORE_ERRORS, ThaiTextLimits, score_field

__all__ = ["AssessmentForm", "AssessmentYearForm", "StatedTotalForm", "StatedTotalFormSet"]


class AssessmentForm(ThaiTextLimits, forms.Form):
    """The ten indicator scores (and the official figures as published) of one year."""

    official_total = score_field(_("คะแนนรวมที่ประกาศ"), required=False)
    official_grade = forms.CharField(
        label=_("อักษรระดับที่ประกาศ"),
        max_length=8,
        required=False,
        help_text=_("ถ้าประกาศผลพิมพ์เป็นอักษร เช่น A หรือ AA (เว้นว่างได้)"),
    )
    official_rating = forms.CharField(
        label=_("ระดับผลการประเมินที่ประกาศ"),
        max_length=64,
        required=False,
        help_text=_("ชื่อระดับตามที่พิมพ์ เช่น ผ่านดี หรือ ผ่านดีเยี่ยม (เว้นว่างได้)"),
    )
    notes = forms.CharField(label=_("หมายเหตุ"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.tool_groups = []
        for tool in framework.tools.all():
            names = []
            for indicator in tool.indicators.all():
                name = f"indicator_{indicator.number}"
                self.fields[name] = score_field(f"{indicator.number}. {indicator.name}", required=True)
                names.append(name)
            part_names = []
            for part in tool.parts.all():
                name = f"part_{part.code}"
                self.fields[name] = score_field(part.name, required=False)
                part_names.append(name)
            tool_name = f"tool_{tool.code}"
            self.fields[tool_name] = score_field(_("คะแนน %(tool)s ที่ประกาศ") % {"tool": tool.code}, required=False)
            self.tool_groups.append(
                {
                    "tool": tool,
                    "indicators": [self[n] for n in names],
                    "parts": [self[n] for n in part_names],
                    "official": self[tool_name],
                }
            )
        rules = list(framework.rating_rules.all())
        self.fields["official_rating"].widget.attrs["list"] = "rating-labels"
        self.fields["official_grade"].widget.attrs["list"] = "rating-grades"
        self.rating_labels = [rule.label for rule in rules]
        self.rating_grades = [rule.grade for rule in rules if rule.grade]
        # Keep the general fields after the scores.
        for name in ("official_total", "official_grade", "official_rating", "notes"):
            self.fields[name] = self.fields.pop(name)

    def indicator_scores(self) -> dict:
        return {
            indicator: self.cleaned_data[f"indicator_{indicator.number}"]
            for tool in self.framework.tools.all()
            for indicator in tool.indicators.all()
        }

    def tool_scores(self) -> dict:
        return {tool: self.cleaned_data[f"tool_{tool.code}"] for tool in self.framework.tools.all()}

    def part_scores(self) -> dict:
        return {
            part: self.cleaned_data[f"part_{part.code}"]
            for tool in self.framework.tools.all()
            for part in tool.parts.all()
        }


class StatedTotalForm(ThaiTextLimits, forms.Form):
    """Another total the document states (before rounding, printed elsewhere…), with what it is."""

    label = forms.CharField(
        label=_("คะแนนรวมนี้คือ"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("เช่น ก่อนปัดเศษ หรือ ตามตารางหน้า 3")}),
    )
    value = ThaiDecimalField(
        label=_("คะแนนรวม"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=7,
        decimal_places=4,
        error_messages=SCORE_ERRORS | {"max_decimal_places": _("คะแนนมีทศนิยมได้ไม่เกิน 4 ตำแหน่ง")},
    )

    def clean(self):
        data = super().clean()
        label, value = (data.get("label") or "").strip(), data.get("value")
        if label and value is None and "value" not in self.errors:
            self.add_error("value", _("กรุณากรอกคะแนนรวมที่ประกาศไว้ตามข้อความนี้"))
        if value is not None and not label and "label" not in self.errors:
            self.add_error("label", _("กรุณาระบุว่าเป็นคะแนนรวมใด เช่น ก่อนปัดเศษ เพื่อให้รู้ว่าตัวเลขใดไม่ตรง"))
        return data


class BaseStatedTotalFormSet(forms.BaseFormSet):
    default_error_messages: ClassVar[dict] = {
        "missing_management_form": _("ข้อมูลของแบบฟอร์มไม่ครบ กรุณาเปิดหน้านี้ใหม่แล้วกรอกอีกครั้ง"),
        "too_many_forms": _("บันทึกคะแนนรวมอื่นได้ไม่เกิน %(num)d รายการ"),
        "too_few_forms": _("ข้อมูลของแบบฟอร์มไม่ครบ กรุณาเปิดหน้านี้ใหม่แล้วกรอกอีกครั้ง"),
    }

    def get_form_kwargs(self, index):
        # Every row is read, even one equal to the row shown: an unchanged extra row would
        # otherwise count as empty and its total be dropped.
        return super().get_form_kwargs(index) | {"empty_permitted": False}

    def stated_totals(self) -> list[tuple[str, object]]:
        """(label, value) of the filled rows, in the order typed."""
        rows = [form.cleaned_data for form in self.forms if form.cleaned_data]
        return [(row["label"].strip(), row["value"]) for row in rows if row.get("value") is not None]


StatedTotalFormSet = forms.formset_factory(
    StatedTotalForm,
    formset=BaseStatedTotalFormSet,
    extra=2,
    max_num=StatedTotal.MAX_PER_ASSESSMENT,
    absolute_max=StatedTotal.MAX_PER_ASSESSMENT,
    validate_max=True,
)


class AssessmentYearForm(ThaiTextLimits, forms.Form):
    """The choice of an ITA year: only years that have a framework; the wanted one first chosen."""

    framework = forms.ModelChoiceField(
        label=_("ปีที่ประเมิน"),
        queryset=Framework.objects.order_by("-year"),
        empty_label=None,
        error_messages={"invalid_choice": _("ไม่มีเกณฑ์การประเมิน ITA ของปีที่เลือก กรุณาเลือกปีจากรายการ")},
    )

    def __init__(self, *args, wanted_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["framework"]
        field.label_from_instance = lambda f: f"ITA {f.year}"
        wanted = next((f for f in field.queryset if f.year == wanted_year), None)
        self.wanted_year = wanted_year
        self.missing_text = "" if wanted else missing_framework_text(wanted_year)
        if wanted is not None:
            field.initial = wanted.pk
