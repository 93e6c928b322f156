"""Forms of the ITA results: the scores of one year, the choice of a year."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Framework
from .fields import ThaiTextLimits, score_field

__all__ = ["AssessmentForm", "AssessmentYearForm"]


class AssessmentForm(ThaiTextLimits, forms.Form):
    """The ten indicator scores (and the official totals as published) of one year."""

    official_total = score_field(_("คะแนนรวมที่ประกาศ"), required=False)
    official_rating = forms.CharField(label=_("ระดับผลการประเมินที่ประกาศ"), max_length=64, required=False)
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
        labels = [rule.label for rule in framework.rating_rules.all()]
        self.fields["official_rating"].widget.attrs["list"] = "rating-labels"
        self.rating_labels = labels
        # Keep the general fields after the scores.
        for name in ("official_total", "official_rating", "notes"):
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


class AssessmentYearForm(ThaiTextLimits, forms.Form):
    framework = forms.ModelChoiceField(
        label=_("ปีที่ประเมิน"),
        queryset=Framework.objects.all(),
        empty_label=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].label_from_instance = lambda f: f"ITA {f.year}"
