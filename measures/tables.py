"""django-tables2 tables of the staff screens."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import thai
from .models import Measure, ProgressEntry


def period_text(measure: Measure) -> str:
    if measure.whole_year:
        return str(_("ตลอดปีงบประมาณ"))
    if measure.period_start and measure.period_end:
        return thai.format_month_range(measure.period_start, measure.period_end, thai_digits=False)
    return ""


def units_text(measure: Measure) -> str:
    names = [u.name for u in measure.units.all()]
    if measure.all_units:
        names.insert(0, str(_("ทุกกอง/สำนัก")))
    return ", ".join(names)


def _label(bound_column) -> str:
    return str(bound_column.header)


# On a narrow screen the table stacks into cards; each cell shows its column's name.
STACKED = {"class": "table stack", "td": {"data-label": _label}}
NUMBER_CELL = {"td": {"class": "num", "data-label": _label}}


class MeasureTable(tables.Table):
    number = tables.Column(
        verbose_name=_("ลำดับ"), accessor="number", order_by=("theme__number", "number"), attrs=NUMBER_CELL
    )
    title = tables.Column(verbose_name=_("มาตรการ/แนวทาง"))
    units = tables.Column(verbose_name=_("ผู้รับผิดชอบ"), empty_values=(), orderable=False)
    period = tables.Column(verbose_name=_("ระยะเวลา"), empty_values=(), order_by=("period_start",))
    indicators = tables.Column(verbose_name=_("ตัวชี้วัด"), empty_values=(), orderable=False)
    latest_status = tables.Column(verbose_name=_("สถานะล่าสุด"), empty_values=())

    class Meta:
        model = Measure
        fields = ("number", "title", "units", "period", "indicators", "latest_status")
        empty_text = _("ยังไม่มีมาตรการ")
        attrs = STACKED
        order_by = ("number",)

    def __init__(self, *args, org_slug: str, fiscal_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.org_slug = org_slug
        self.fiscal_year = fiscal_year

    def render_number(self, record: Measure) -> str:
        return record.display_number

    def render_title(self, record: Measure, value: str):
        url = reverse("measures:measure_detail", args=[self.org_slug, self.fiscal_year, record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_units(self, record: Measure) -> str:
        return units_text(record)

    def render_period(self, record: Measure) -> str:
        return period_text(record)

    def render_indicators(self, record: Measure) -> str:
        return ", ".join(str(i.number) for i in record.indicators.all())

    def render_latest_status(self, record: Measure, value):
        if not value:
            return "—"
        return format_html('<span class="status status-{}">{}</span>', value, ProgressEntry.Status(value).label)


class EntryTable(tables.Table):
    number = tables.Column(verbose_name=_("ลำดับ"), accessor="measure__number", orderable=False,
                           attrs=NUMBER_CELL)
    measure = tables.Column(verbose_name=_("มาตรการ/แนวทาง"), accessor="measure__title", orderable=False)
    units = tables.Column(verbose_name=_("ผู้รับผิดชอบ"), empty_values=(), orderable=False)
    status = tables.Column(verbose_name=_("สถานะ"), orderable=False)
    percent = tables.Column(verbose_name=_("ร้อยละ"), orderable=False, attrs=NUMBER_CELL)
    summary = tables.Column(verbose_name=_("สรุปผลการดำเนินงาน"), orderable=False)
    evidence = tables.Column(verbose_name=_("หลักฐาน"), empty_values=(), orderable=False)
    updated = tables.Column(verbose_name=_("ปรับปรุงล่าสุด"), accessor="updated_at", orderable=False)

    class Meta:
        model = ProgressEntry
        fields = ("number", "measure", "units", "status", "percent", "summary", "evidence", "updated")
        empty_text = _("ไม่มีมาตรการที่คุณรับผิดชอบในรอบนี้")
        attrs = STACKED
        orderable = False

    def __init__(self, *args, org_slug: str, fiscal_year: int, round_months: int, can_edit, **kwargs):
        super().__init__(*args, **kwargs)
        self.org_slug, self.fiscal_year, self.round_months = org_slug, fiscal_year, round_months
        self.can_edit = can_edit

    def render_number(self, record: ProgressEntry) -> str:
        return record.measure.display_number

    def render_measure(self, record: ProgressEntry, value: str):
        url = reverse(
            "measures:entry_edit", args=[self.org_slug, self.fiscal_year, self.round_months, record.measure_id]
        )
        label = _("กรอกผล") if self.can_edit(record) else _("ดู")
        return format_html('{}<br><a class="button small" href="{}">{}</a>', value, url, label)

    def render_units(self, record: ProgressEntry) -> str:
        return units_text(record.measure)

    def render_status(self, record: ProgressEntry):
        return format_html('<span class="status status-{}">{}</span>', record.status, record.get_status_display())

    def render_summary(self, value: str) -> str:
        return value if len(value) <= 160 else value[:160] + "…"

    def render_evidence(self, record: ProgressEntry):
        items = list(record.evidence.all())
        if not items:
            return "—"
        return format_html_join(", ", "{}", ((e.title,) for e in items))

    def render_updated(self, record: ProgressEntry, value):
        who = record.updated_by.get_full_name() or record.updated_by.username if record.updated_by else ""
        return f"{thai.format_date_short(timezone.localdate(value), thai_digits=False)} {who}".strip()
