"""django-tables2 tables of the staff screens."""

from collections.abc import Callable
from urllib.parse import urlencode

import django_tables2 as tables
from django.db.models import F, OrderBy, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import texts, thai
from .models import DocumentKind, DocumentStatus, Measure, Organisation, ProgressEntry, Unit
from .oversight import OrganisationScore, ScoreColumns, plain
from .scoring import scorecard_for
from .selectors import NOT_STARTED, OVERSIGHT_TARGETS, STATE_DATE_FIELDS


def _label(bound_column) -> str:
    return str(bound_column.header)


# On a narrow screen the table stacks into cards; each cell shows its column's name.
STACKED = {"class": "table stack", "td": {"data-label": _label}}
NUMBER_CELL = {"td": {"class": "num", "data-label": _label}}


class MeasureTable(tables.Table):
    """A document's measures (views/measure_list.py): each row is ``#m-<pk>``, the anchor the
    officer comes back to after saving it; its links carry ``next``, the list as she left it."""

    number = tables.Column(verbose_name=_("ลำดับ"), accessor="number", attrs=NUMBER_CELL)
    theme = tables.Column(verbose_name=_("ด้าน"), accessor="theme__number", empty_values=())
    title = tables.Column(verbose_name=_("มาตรการ/แนวทาง"))
    units = tables.Column(verbose_name=_("ผู้รับผิดชอบ"), empty_values=())
    period = tables.Column(verbose_name=_("ระยะเวลา"), empty_values=(), order_by=("period_start", "period_end"))
    indicators = tables.Column(verbose_name=_("ตัวชี้วัด"), empty_values=(), orderable=False)
    latest_status = tables.Column(verbose_name=_("สถานะล่าสุด"), empty_values=())
    links = tables.Column(verbose_name=_("จัดการ"), empty_values=(), orderable=False)

    class Meta:
        model = Measure
        fields = ("number", "theme", "title", "units", "period", "indicators", "latest_status", "links")
        empty_text = _("ยังไม่มีมาตรการ")
        attrs = {**STACKED, "class": "table stack measure-table"}
        row_attrs = {"id": lambda record: f"m-{record.pk}"}
        order_by = ("number",)

    def __init__(self, *args, org_slug: str, fiscal_year: int, can_edit: bool = False, back: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.org_slug = org_slug
        self.fiscal_year = fiscal_year
        self.can_edit = can_edit
        self.next_query = f"?{urlencode({'next': back})}" if back else ""

    def _url(self, name: str, record: Measure) -> str:
        return reverse(f"measures:{name}", args=[self.org_slug, self.fiscal_year, record.pk]) + self.next_query

    # Print order (measures without a theme first, on every database), the theme's too.
    def order_number(self, queryset, is_descending: bool):
        keys = (F("theme__number").asc(nulls_first=True), F("number").asc(), F("pk").asc())
        return _ordered(queryset, keys, is_descending), True

    order_theme = order_number

    def order_units(self, queryset, is_descending: bool):
        """Every unit's measures first, then by the first responsible unit's name."""
        first = Unit.objects.filter(measures=OuterRef("pk")).order_by("name").values("name")[:1]
        keys = (F("all_units").desc(), F("first_unit").asc(nulls_last=True), F("number").asc(), F("pk").asc())
        return _ordered(queryset.annotate(first_unit=Subquery(first)), keys, is_descending), True

    def render_number(self, record: Measure) -> str:
        return record.display_number

    def render_theme(self, record: Measure) -> str:
        return f"{record.theme.number}. {record.theme.title}" if record.theme else "—"

    def render_title(self, record: Measure, value: str):
        return format_html('<a href="{}">{}</a>', self._url("measure_detail", record), value)

    def render_units(self, record: Measure) -> str:
        return texts.units_text(record)

    def render_period(self, record: Measure) -> str:
        return texts.period_text(record) or "—"

    def render_indicators(self, record: Measure) -> str:
        return ", ".join(str(i.number) for i in record.indicators.all()) or "—"

    def render_latest_status(self, record: Measure, value):
        if not value:
            return "—"
        return format_html('<span class="status status-{}">{}</span>', value, ProgressEntry.Status(value).label)

    def render_links(self, record: Measure):
        number = record.display_number
        view = format_html(
            '<a href="{}" aria-label="{}">{}</a>',
            self._url("measure_detail", record),
            gettext("ดูมาตรการ %(n)s") % {"n": number},
            gettext("ดู"),
        )
        if not self.can_edit:
            return view
        edit = format_html(
            '<a class="button small secondary" href="{}" aria-label="{}">{}</a>',
            self._url("measure_edit", record),
            gettext("แก้ไขมาตรการ %(n)s") % {"n": number},
            gettext("แก้ไข"),
        )
        return format_html("{} {}", view, edit)


def _ordered(queryset, keys: tuple[OrderBy, ...], is_descending: bool):
    """The queryset in the order of ``keys``, or in exactly the reverse order (NULLs too)."""
    if is_descending:
        keys = tuple(key.copy().reverse_ordering() for key in keys)
    return queryset.order_by(*keys)


class EntryTable(tables.Table):
    number = tables.Column(verbose_name=_("ลำดับ"), accessor="measure__number", orderable=False, attrs=NUMBER_CELL)
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
        return texts.units_text(record.measure)

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
        if record.updated_by_id is None:
            return _("ยังไม่มีผู้บันทึก")  # the round opened it; nobody has entered a result
        who = record.updated_by.get_full_name() or record.updated_by.username
        # The date and the name each kept whole on one line: a narrow column split "สุ|นิสา".
        return format_html(
            '<span class="nowrap">{}</span> <span class="nowrap">{}</span>',
            thai.format_date_short(timezone.localdate(value), thai_digits=False),
            who,
        )


# --- Oversight -----------------------------------------------------------------------------

# The kind (in public URLs) of each followed document.
PUBLIC_KINDS = {"doc": DocumentKind.MEASURES, "r6": DocumentKind.REPORT_6, "r12": DocumentKind.REPORT_12}
TARGET_LABELS = {
    "doc": _("เอกสารมาตรการ"),
    "r6": _("รายงานรอบ 6 เดือน"),
    "r12": _("รายงานรอบ 12 เดือน"),
}
STATE_CHOICES = [(NOT_STARTED, _("ยังไม่เริ่ม")), *DocumentStatus.choices]
STATE_LABELS = dict(STATE_CHOICES)


def _day(value, *, nbsp: bool = False) -> str:
    """ "3 มี.ค. 2568"; on screen with no-break spaces, so a date never wraps inside."""
    text = thai.format_date_short(timezone.localdate(value), thai_digits=False) if value else ""
    return text.replace(" ", thai.NBSP) if nbsp else text


def state_date(record: Organisation, prefix: str):
    """When the document reached its state: waiting since, approved on, published on (or None)."""
    field = STATE_DATE_FIELDS.get(getattr(record, f"{prefix}_state"))
    return getattr(record, f"{prefix}_{field}") if field else None


def state_text(record: Organisation, prefix: str, *, nbsp: bool = False) -> str:
    """ "รอการพิจารณา: ปลัดเทศบาล ตั้งแต่ 3 มี.ค. 2568", "อนุมัติแล้ว 5 มี.ค. 2568" … of one document."""
    state = getattr(record, f"{prefix}_state")
    when = _day(state_date(record, prefix), nbsp=nbsp)
    if state == DocumentStatus.SUBMITTED:
        step = getattr(record, f"{prefix}_step")
        if step:
            return gettext("รอการพิจารณา: %(position)s ตั้งแต่ %(date)s") % {"position": step, "date": when}
        return gettext("รอการพิจารณา ตั้งแต่ %(date)s") % {"date": when}
    if state == DocumentStatus.APPROVED:
        return gettext("อนุมัติแล้ว %(date)s") % {"date": when}
    if state == DocumentStatus.PUBLISHED:
        return gettext("เผยแพร่แล้ว %(date)s") % {"date": when}
    return str(STATE_LABELS[state])


def public_url(record: Organisation, prefix: str, year: int) -> str:
    """The permanent public URL of the document if a version of it is on the public site, else ""."""
    if not getattr(record, f"{prefix}_published"):
        return ""
    return reverse("reports:publication_latest", args=[record.slug, year, PUBLIC_KINDS[prefix]])


def latest_ita(record: Organisation):
    """The score card of the organisation's newest ITA assessment (prefetched), or None."""
    return scorecard_for(record.latest_assessments[0]) if record.latest_assessments else None


class StateColumn(tables.Column):
    """The state of one of the year's documents, ordered from not started to published, then by date."""

    def __init__(self, prefix: str):
        super().__init__(
            verbose_name=TARGET_LABELS[prefix],
            accessor=f"{prefix}_state",
            empty_values=(),
            order_by=(f"{prefix}_rank", f"{prefix}_date"),
            attrs={"td": {"class": "state-cell", "data-label": _label}},
        )
        self.prefix = prefix

    def render(self, record, table, **kwargs):
        state = getattr(record, f"{self.prefix}_state")
        text = state_text(record, self.prefix, nbsp=True)
        url = public_url(record, self.prefix, table.fiscal_year)
        if state == DocumentStatus.PUBLISHED:
            return format_html('<a class="state state-{}" href="{}">{}</a>', state, url, text)
        cell = format_html('<span class="state state-{}">{}</span>', state, text)
        if url:  # a reopened document: the version approved earlier stays on the public site
            published = gettext("ฉบับที่เผยแพร่อยู่: %(date)s") % {
                "date": _day(getattr(record, f"{self.prefix}_published"), nbsp=True)
            }
            cell = format_html('{}<br><a class="small" href="{}">{}</a>', cell, url, published)
        return cell


class OversightTable(tables.Table):
    """Every overseen organisation's documents of one fiscal year: states only, never content."""

    organisation = tables.Column(verbose_name=_("หน่วยงาน"), accessor="name", order_by=("name",))
    province = tables.Column(verbose_name=_("จังหวัด"), order_by=("province", "district", "name"))
    district = tables.Column(verbose_name=_("อำเภอ"), order_by=("district", "name"))
    fiscal_year = tables.Column(verbose_name=_("ปีงบประมาณ"), empty_values=(), orderable=False, attrs=NUMBER_CELL)
    doc = StateColumn("doc")
    r6 = StateColumn("r6")
    r12 = StateColumn("r12")
    overdue = tables.Column(verbose_name=_("มาตรการเลยกำหนด"), attrs=NUMBER_CELL)
    ita = tables.Column(verbose_name=_("ผล ITA ล่าสุด"), empty_values=(), order_by=("ita_total",), attrs=NUMBER_CELL)

    class Meta:
        model = Organisation
        fields = ("organisation", "province", "district", "fiscal_year", "doc", "r6", "r12", "overdue", "ita")
        empty_text = _("ไม่มีหน่วยงานตามเงื่อนไขที่เลือก")
        attrs = STACKED
        order_by = ("province", "district", "name")

    def __init__(self, *args, fiscal_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fiscal_year = fiscal_year

    def render_organisation(self, record: Organisation, value: str):
        url = reverse("reports:organisation", args=[record.slug])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_district(self, value: str) -> str:
        return value or "—"

    def render_fiscal_year(self) -> int:
        return self.fiscal_year

    def render_overdue(self, value: int):
        if not value:
            return "0"
        return format_html('<span class="weak">{}</span>', value)

    def render_ita(self, record: Organisation):
        card = latest_ita(record)
        if card is None or card.total is None:
            return "—"
        return format_html(
            '{} {}<br><span class="muted small">ITA {}</span>',
            thai.format_number(card.total, thai_digits=False),
            card.rating,
            card.framework.year,
        )


class _TextColumn(tables.Column):
    """A plain-text column of an export, computed from the row."""

    def __init__(self, header, get: Callable[[Organisation], object]):
        super().__init__(verbose_name=header, accessor="pk", empty_values=(), orderable=False)
        self.get = get

    def value(self, record, **kwargs):
        return self.get(record)

    render = value


def oversight_export_table(
    rows, *, fiscal_year: int, absolute: Callable[[str], str], scores: ScoreColumns | None = None
) -> tables.Table:
    """The oversight table as a spreadsheet: one column per fact (state, step, BE date, public URL),
    then the announced ITA result the year's measures analyse (``scores``: measures.oversight)."""

    def date_of(prefix):
        return lambda r: thai.format_date_numeric(timezone.localdate(d)) if (d := state_date(r, prefix)) else ""

    def url_of(prefix):
        return lambda r: absolute(url) if (url := public_url(r, prefix, fiscal_year)) else ""

    def ita(get):
        return lambda r: get(card) if (card := latest_ita(r)) else ""

    columns = {
        "organisation": _TextColumn(_("หน่วยงาน"), lambda r: r.name),
        "kind": _TextColumn(_("ประเภท"), lambda r: r.get_kind_display()),
        "district": _TextColumn(_("อำเภอ"), lambda r: r.district),
        "province": _TextColumn(_("จังหวัด"), lambda r: r.province),
        "fiscal_year": _TextColumn(_("ปีงบประมาณ"), lambda r: fiscal_year),
    }
    for prefix in OVERSIGHT_TARGETS:
        label = TARGET_LABELS[prefix]
        columns |= {
            f"{prefix}_state": _TextColumn(
                gettext("สถานะ%(document)s") % {"document": label},
                lambda r, p=prefix: str(STATE_LABELS[getattr(r, f"{p}_state")]),
            ),
            f"{prefix}_step": _TextColumn(
                gettext("รอการพิจารณาที่ (%(document)s)") % {"document": label},
                lambda r, p=prefix: getattr(r, f"{p}_step") or "",
            ),
            f"{prefix}_date": _TextColumn(gettext("วันที่ (%(document)s)") % {"document": label}, date_of(prefix)),
            f"{prefix}_url": _TextColumn(gettext("ที่อยู่เผยแพร่ (%(document)s)") % {"document": label}, url_of(prefix)),
        }
    columns |= {
        "overdue": _TextColumn(_("มาตรการเลยกำหนด"), lambda r: r.overdue),
        "ita_year": _TextColumn(_("ปีที่ประเมิน ITA ล่าสุด"), ita(lambda c: c.framework.year)),
        "ita_total": _TextColumn(_("คะแนน ITA"), ita(lambda c: c.total)),
        "ita_rating": _TextColumn(_("ระดับผลการประเมิน ITA"), ita(lambda c: c.rating)),
        **(_score_columns(scores) if scores is not None else {}),
        "page": _TextColumn(_("หน้าเว็บของหน่วยงาน"), lambda r: absolute(reverse("reports:organisation", args=[r.slug]))),
    }
    table_class = type("OversightExportTable", (tables.Table,), columns)
    return table_class(rows)


def _score_columns(scores: ScoreColumns) -> dict[str, tables.Column]:
    """Total, rating, pass, change from the year before and each indicator, as announced (blank if not)."""

    def score(get):
        return lambda r: "" if (found := scores.of(r.pk)) is None or (value := get(found)) is None else value

    def passed(found: OrganisationScore):
        return None if found.passed is None else gettext("ผ่าน") if found.passed else gettext("ไม่ผ่าน")

    year = {"year": scores.year}
    columns = {
        "score_total": _TextColumn(gettext("คะแนนรวม ITA %(year)s (ที่ประกาศ)") % year, score(lambda s: s.total)),
        "score_rating": _TextColumn(gettext("ระดับผล ITA %(year)s (ที่ประกาศ)") % year, score(lambda s: s.rating)),
        "score_passed": _TextColumn(
            gettext("ผ่านเกณฑ์ %(mark)s คะแนน (ITA %(year)s)") % {"mark": plain(scores.pass_mark), **year}, score(passed)
        ),
        "score_previous": _TextColumn(
            gettext("คะแนนรวม ITA %(year)s (ที่ประกาศ)") % {"year": scores.year - 1}, score(lambda s: s.previous)
        ),
        "score_change": _TextColumn(
            gettext("เปลี่ยนแปลงจาก ITA %(year)s") % {"year": scores.year - 1}, score(lambda s: s.change)
        ),
    }
    for number, name in scores.indicators:
        header = gettext("ตัวชี้วัดที่ %(number)s %(name)s (ITA %(year)s)") % {"number": number, "name": name, **year}
        columns[f"score_indicator_{number}"] = _TextColumn(header, score(lambda s, n=number: s.indicators.get(n)))
    return columns
