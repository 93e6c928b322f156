"""FilterSets of the staff lists (work with a plain GET form, no JavaScript needed)."""

import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from . import selectors, thai
from .models import Indicator, Measure, MeasuresDocument, Organisation, ProgressEntry, Theme, Unit
from .tables import STATE_CHOICES

SEARCH_MAX_LENGTH = 200


class SearchFilter(django_filters.CharFilter):
    """A search box: a long paste is cut to SEARCH_MAX_LENGTH characters (nobody searches with
    more, and SQLite refuses LIKE patterns over 50,000 bytes)."""

    def filter(self, qs, value):
        return super().filter(qs, value[:SEARCH_MAX_LENGTH] if value else value)


class MeasureFilter(django_filters.FilterSet):
    """The filters of a document's measures list (views/measure_list.py): applied as they change
    through htmx, or by the form's button without JavaScript."""

    q = SearchFilter(
        label=_("ค้นหา"),
        method="filter_text",
        widget=forms.SearchInput(attrs={"placeholder": _("ชื่อมาตรการ ประเด็น หรือขั้นตอน"), "autocomplete": "off"}),
    )
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

    # The query-string keys of the filters: what a link back to a filtered list may carry.
    NAMES = ("q", "theme", "unit", "indicator", "status")

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["theme"].queryset = document.themes.all()
        self.filters["unit"].queryset = Unit.objects.filter(organisation=document.organisation)
        framework = document.basis_framework
        self.filters["indicator"].queryset = framework.indicators.all() if framework else Indicator.objects.none()
        if not document.themes.exists():
            del self.filters["theme"]

    @property
    def is_filtering(self) -> bool:
        """Whether a filter is set (a value typed or chosen), so that an empty list means "no match"."""
        return any(str(self.data.get(name, "")).strip() for name in self.filters)

    def filter_text(self, queryset, name, value):
        value = value[:SEARCH_MAX_LENGTH]  # a method filter bypasses SearchFilter.filter
        return queryset.filter(
            Q(title__icontains=value) | Q(issue__icontains=value) | Q(steps__text__icontains=value)
        ).distinct()

    def filter_unit(self, queryset, name, value):
        return queryset.filter(Q(units=value) | Q(all_units=True)).distinct()


class OversightFilter(django_filters.FilterSet):
    """The oversight dashboard's filters. The fiscal year is not a filter but the year the rows
    describe: it defaults to the current Thai fiscal year and is applied before the others."""

    q = SearchFilter(label=_("ชื่อหน่วยงาน"), field_name="name", lookup_expr="icontains")
    province = django_filters.ChoiceFilter(label=_("จังหวัด"), empty_label=_("ทุกจังหวัด"))
    district = django_filters.ChoiceFilter(label=_("อำเภอ"), empty_label=_("ทุกอำเภอ"))
    year = django_filters.ChoiceFilter(label=_("ปีงบประมาณ"), method="keep", empty_label=None)
    state = django_filters.ChoiceFilter(
        label=_("เอกสารมาตรการ"), field_name="doc_state", choices=STATE_CHOICES, empty_label=_("ทุกสถานะ")
    )
    round_6 = django_filters.ChoiceFilter(
        label=_("รายงานรอบ 6 เดือน"), field_name="r6_state", choices=STATE_CHOICES, empty_label=_("ทุกสถานะ")
    )
    round_12 = django_filters.ChoiceFilter(
        label=_("รายงานรอบ 12 เดือน"), field_name="r12_state", choices=STATE_CHOICES, empty_label=_("ทุกสถานะ")
    )
    overdue = django_filters.ChoiceFilter(
        label=_("มาตรการเลยกำหนด"),
        choices=[("yes", _("มี")), ("no", _("ไม่มี"))],
        method="filter_overdue",
        empty_label=_("ทั้งหมด"),
    )

    class Meta:
        model = Organisation
        fields = ["q", "province", "district", "year", "state", "round_6", "round_12", "overdue"]

    def __init__(self, data=None, *args, queryset, today, **kwargs):
        self.today = today
        self.default_year = thai.fiscal_year_of(today)
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("year"):
            data["year"] = str(self.default_year)
        super().__init__(data, *args, queryset=queryset, **kwargs)
        areas = queryset.order_by()
        provinces = areas.order_by("province").values_list("province", flat=True).distinct()
        self.filters["province"].extra["choices"] = [(p, p) for p in provinces]
        if data.get("province"):
            areas = areas.filter(province=data["province"])
        districts = areas.exclude(district="").order_by("district").values_list("district", flat=True).distinct()
        self.filters["district"].extra["choices"] = [(d, d) for d in districts]
        years = set(
            MeasuresDocument.objects.filter(organisation__in=queryset.order_by())
            .order_by()
            .values_list("fiscal_year", flat=True)
            .distinct()
        )
        years |= {self.default_year, self.default_year - 1}
        self.filters["year"].extra["choices"] = [(str(y), str(y)) for y in sorted(years, reverse=True)]

    @property
    def fiscal_year(self) -> int:
        """The fiscal year the rows describe: the chosen one, or the current one if none (or a wrong one)."""
        self.is_valid()
        return int(self.form.cleaned_data.get("year") or self.default_year)

    def filter_queryset(self, queryset):
        rows = selectors.oversight_rows(queryset, year=self.fiscal_year, today=self.today)
        return super().filter_queryset(rows)

    def keep(self, queryset, name, value):
        return queryset  # the year is applied by filter_queryset, before every other filter

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue__gt=0) if value == "yes" else queryset.filter(overdue=0)
