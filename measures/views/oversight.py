"""The oversight dashboard (ผู้กำกับดูแล: อำเภอ/จังหวัด): where every overseen organisation stands.

States only. Each row tells how far an organisation's measures document and its two rounds of
one fiscal year have got, how many measures are overdue and its latest ITA result; it links to
the organisation's public page and to what is published, never to a draft (the oversight role
may not open one: measures.access). The same filtered rows give the CSV/XLSX export.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from .. import selectors, tabular
from ..access import overseen_organisations
from ..filters import OversightFilter
from ..tables import STATE_CHOICES, TARGET_LABELS, OversightTable, oversight_export_table

# A province has up to about 330 organisations, most far fewer: one page shows nearly any of them.
PAGE_SIZE = 250
# The filter that selects a state of each followed document (see OversightFilter).
STATE_FILTERS = {"doc": "state", "r6": "round_6", "r12": "round_12"}


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


@login_required
@require_GET
def oversight(request):
    organisations = overseen_organisations(request)
    filterset = OversightFilter(request.GET, queryset=organisations, today=timezone.localdate())
    year, rows = filterset.fiscal_year, filterset.qs
    fmt = request.GET.get("export")
    if fmt:
        if fmt not in tabular.FORMATS:
            raise Http404(_("ไม่มีไฟล์รูปแบบนี้"))
        table = oversight_export_table(
            rows.order_by("province", "district", "name"), fiscal_year=year, absolute=request.build_absolute_uri
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
        },
    )
