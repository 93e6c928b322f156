"""The oversight dashboard (ผู้กำกับดูแล: อำเภอ/จังหวัด): where every overseen organisation stands,
how they scored, who is behind.

Each row tells how far an organisation's measures document and its two rounds of one fiscal year
have got, how many measures are overdue and its latest ITA result; it links to the organisation's
public page and to what is published, never to a draft (the oversight role may not open one:
measures.access). Beside the states, the announced ITA results of the organisations in scope
(measures.oversight: bands of totals, each indicator, pass rate against the national target, the
change from the year before) and the organisations behind, whose officers the oversight user may
remind by e-mail (measures.oversight_reminders) after a confirmation. The same filtered rows give
the CSV/XLSX export, with the scores.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_tables2 import RequestConfig

from .. import oversight as scores
from .. import oversight_reminders, selectors, tabular, thai
from ..access import overseen_organisations
from ..filters import OversightFilter
from ..tables import STATE_CHOICES, TARGET_LABELS, OversightTable, oversight_export_table
from .base import run_service
from .confirm import confirm_page, is_confirmed

# A province has up to about 330 organisations, most far fewer: one page shows nearly any of them.
PAGE_SIZE = 250
# The filter that selects a state of each followed document (see OversightFilter).
STATE_FILTERS = {"doc": "state", "r6": "round_6", "r12": "round_12"}
# The organisations a confirmation page names; the others are counted.
CONFIRM_NAMES = 20


def _summary_rows(request, counts: dict[str, dict[str, int]]) -> list[dict]:
    """Per state, how many organisations' documents are in it, each count a link that filters on it."""
    rows = []
    for state, label in STATE_CHOICES:
        cells = []
        for prefix, param in STATE_FILTERS.items():
            query = request.GET.copy()
            query.pop("page", None)
            query[param] = state
            cells.append(
                {"document": TARGET_LABELS[prefix], "count": counts[prefix][state], "url": f"?{query.urlencode()}"}
            )
        rows.append({"state": state, "label": label, "cells": cells})
    return rows


def _filter_params(data: QueryDict, year: int) -> list[tuple[str, str]]:
    """The filters of the page as (name, value) pairs, the year always among them: what "remind
    every organisation behind" posts, so that it reminds the organisations the page lists."""
    pairs = [(name, value) for name in OversightFilter.Meta.fields if name != "year" for value in data.getlist(name)]
    return [("year", str(year)), *((name, value) for name, value in pairs if value)]


@login_required
@require_GET
def oversight(request):
    organisations = overseen_organisations(request)
    today = timezone.localdate()
    filterset = OversightFilter(request.GET, queryset=organisations, today=today)
    year, rows = filterset.fiscal_year, filterset.qs
    fmt = request.GET.get("export")
    if fmt:
        if fmt not in tabular.FORMATS:
            raise Http404(_("ไม่มีไฟล์รูปแบบนี้"))
        table = oversight_export_table(
            rows.order_by("province", "district", "name"),
            fiscal_year=year,
            absolute=request.build_absolute_uri,
            scores=scores.score_columns(rows, fiscal_year=year),
        )
        return tabular.export_response(
            table, fmt, sheet_title=_("สถานะ ITA %(year)s") % {"year": year}, filename=f"ita-oversight-{year}"
        )
    table = OversightTable(rows, fiscal_year=year)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    summary = selectors.oversight_summary(rows)
    query = request.GET.copy()
    query.pop("page", None)
    overdue_query = query.copy()
    overdue_query["overdue"] = "yes"
    behind = scores.behind(rows, fiscal_year=year, today=today)
    return render(
        request,
        "measures/oversight.html",
        {
            "filter": filterset,
            "table": table,
            "year": year,
            "summary": summary,
            "summary_rows": _summary_rows(request, summary["states"]),
            "documents": TARGET_LABELS.values(),
            "export_query": query.urlencode(),
            "overdue_url": f"?{overdue_query.urlencode()}",
            "stats": scores.score_statistics(rows, fiscal_year=year, organisations=summary["total"]),
            "rows_shown": PAGE_SIZE,
            "behind": behind[:PAGE_SIZE],
            "behind_count": len(behind),
            "behind_to_remind": sum(b.reminded_at is None for b in behind),
            "filter_params": _filter_params(request.GET, year),
            "interval_hours": int(scores.REMIND_INTERVAL.total_seconds() // 3600),
            "round_dues": scores.round_dues(year),
        },
    )


def _back(data: QueryDict) -> str:
    """The dashboard as it was (its filters), to go back to after a reminder."""
    query = QueryDict(mutable=True)
    for name in OversightFilter.Meta.fields:
        values = [value for value in data.getlist(name) if value]
        if values:
            query.setlist(name, values)
    url = reverse("measures:oversight")
    return f"{url}?{query.urlencode()}" if query else url


def _ask_or_remind(request, *, organisations, filterset, title: str, one: bool):
    """The confirmation page of a reminder (GET, or a POST without confirmed=1), or the reminder."""
    data = request.POST if request.method == "POST" else request.GET
    back = _back(data)
    if not filterset.is_valid():
        messages.error(request, _("ตัวกรองหรือปีงบประมาณที่ส่งมาไม่ถูกต้อง จึงยังไม่ได้ส่งอีเมลเตือน กรุณาเลือกใหม่จากหน้าภาพรวม"))
        return redirect(back)
    year, today = filterset.fiscal_year, timezone.localdate()
    if is_confirmed(request):

        def call():
            return oversight_reminders.remind(
                by=request.user, organisations=organisations, fiscal_year=year, today=today
            )

        return run_service(
            request, None, call, success_message=oversight_reminders.sent_text, redirect_to=back
        ) or redirect(back)
    plan = oversight_reminders.plan(organisations, by=request.user, fiscal_year=year, today=today)
    if not plan.due or len(plan.due) > oversight_reminders.MAX_ORGANISATIONS:
        refusal = (
            oversight_reminders.too_many_text(plan)
            if plan.due
            else oversight_reminders.nothing_to_send_text(plan, fiscal_year=year)
        )
        messages.error(request, refusal)
        return redirect(back)
    lines = [
        _("%(name)s: %(reasons)s") % {"name": b.name, "reasons": ", ".join(b.reasons)} for b in plan.due[:CONFIRM_NAMES]
    ]
    if len(plan.due) > CONFIRM_NAMES:
        lines.append(_("และอีก %(n)s หน่วยงาน") % {"n": len(plan.due) - CONFIRM_NAMES})
    lead = _(
        "ระบบจะส่งอีเมลภาษาไทยถึงเจ้าหน้าที่ผู้จัดทำและผู้ดูแลหน่วยงาน %(people)s คน ของ %(n)s หน่วยงานต่อไปนี้"
        " ขอให้เร่งดำเนินการ%(year)s อีเมลเข้าคิวส่งของระบบ หากเซิร์ฟเวอร์อีเมลขัดข้องจะส่งซ้ำให้โดยอัตโนมัติ"
        " หน่วยงานหนึ่งได้รับอีเมลเตือนได้ไม่เกินวันละครั้ง"
    ) % {
        "people": plan.recipients,
        "n": len(plan.due),
        "year": thai.fiscal_year_label(year, thai_digits=False),
    }
    if skipped := oversight_reminders.skipped_text(plan):
        lines.append(skipped)
    return confirm_page(
        request,
        title=title,
        lead=lead,
        consequences=lines,
        button=_("ส่งอีเมลเตือน") if one else _("ส่งอีเมลเตือนทุกหน่วยงาน (%(n)s แห่ง)") % {"n": len(plan.due)},
        cancel_url=back,
        danger=False,
        extra_context={"hidden": _filter_params(data, year)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def remind(request, org: str):
    """Remind the officers of one overseen organisation that is behind (404 outside the scope)."""
    overseen = overseen_organisations(request)
    organisation = get_object_or_404(overseen, slug=org)
    data = request.POST if request.method == "POST" else request.GET
    year_only = QueryDict(mutable=True)
    if data.get("year"):
        year_only["year"] = data["year"]
    filterset = OversightFilter(year_only, queryset=overseen, today=timezone.localdate())
    return _ask_or_remind(
        request,
        organisations=overseen.filter(pk=organisation.pk),
        filterset=filterset,
        title=_("ส่งอีเมลเตือน %(name)s") % {"name": organisation.name},
        one=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def remind_all(request):
    """Remind the officers of every organisation behind among those the dashboard's filters list."""
    overseen = overseen_organisations(request)
    data = request.POST if request.method == "POST" else request.GET
    filterset = OversightFilter(data, queryset=overseen, today=timezone.localdate())
    return _ask_or_remind(
        request,
        organisations=filterset.qs,
        filterset=filterset,
        title=_("ส่งอีเมลเตือนหน่วยงานที่ล่าช้า"),
        one=False,
    )
