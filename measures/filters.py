"""FilterSets of the staff lists (work with a plain GET form, no JavaScript needed)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Indicator, Measure, ProgressEntry, Theme, Unit


class MeasureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("ค้นหา"), method="filter_text")
    theme = django_filters.ModelChoiceFilter(label=_("ด้าน"), queryset=Theme.objects.none(), empty_label=_("ทุกด้าน"))
    unit = django_filters.ModelChoiceFilter(
        label=_("หน่วยงานผู้รับผิดชอบ"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("ทุกหน่วยงาน")
    )
    indicator = django_filters.ModelChoiceFilter(
        label=_("ตัวชี้วัด"), queryset=Indicator.objects.none(), field_name="indicators", empty_label=_("ทุกตัวชี้วัด")
    )
    status = django_filters.ChoiceFilter(
        label=_("สถานะล่าสุด"), choices=ProgressEntry.Status.choices, field_name="latest_status", empty_label=_("ทุกสถานะ")
    )

    class Meta:
        model = Measure
        fields = ["q", "theme", "unit", "indicator", "status"]

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["theme"].queryset = document.themes.all()
        self.filters["unit"].queryset = Unit.objects.filter(organisation=document.organisation)
        framework = document.basis_framework
        self.filters["indicator"].queryset = framework.indicators.all() if framework else Indicator.objects.none()
        if not document.themes.exists():
            del self.filters["theme"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(issue__icontains=value) | Q(steps__text__icontains=value)).distinct()

    def filter_unit(self, queryset, name, value):
        return queryset.filter(Q(units=value) | Q(all_units=True)).distinct()
