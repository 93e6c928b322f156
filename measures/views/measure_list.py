"""A document's measures on their own page (issue 18): filters applied as they change (htmx, or
the form's button without JavaScript), sorting, pages; the measure forms come back here, to the
row that was saved, with the filters, sort and page the officer left."""

from urllib.parse import urlencode, urlsplit

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from .. import selectors
from ..access import Action, get_document_for_user
from ..filters import MeasureFilter
from ..tables import MeasureTable
from .base import PAGE_SIZE

# What a link back to the list may carry: its filters, its sort and its page; nothing else.
LIST_PARAMETERS = (*MeasureFilter.NAMES, "sort", "page")
NEXT_MAX_LENGTH = 2000  # a longer "next" is not a list the portal made: the plain list instead
TABLE_TARGET = "measure-results"  # the element the filters' htmx requests replace


def list_url(org: str, year: int) -> str:
    return reverse("measures:measure_list", args=[org, year])


def return_url(request: HttpRequest, org: str, year: int) -> str:
    """The list to go back to after a measure's form: ``next`` (from the POST, else the query
    string) when it is this document's list on this site, with only its filters, sort and page;
    otherwise the plain list. Never another path or another host."""
    plain = list_url(org, year)
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if not candidate or len(candidate) > NEXT_MAX_LENGTH:
        return plain
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return plain
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc or parts.path != plain:
        return plain
    given = QueryDict(parts.query)
    kept = [(name, given[name]) for name in LIST_PARAMETERS if given.get(name, "").strip()]
    return f"{plain}?{urlencode(kept)}" if kept else plain


def row_url(back: str, pk: int) -> str:
    """The list at a measure's row (its anchor ``#m-<pk>``, which the list's stylesheet highlights)."""
    return f"{back}#m-{pk}"


@login_required
@require_GET
def measure_list(request, org, year):
    access, document = get_document_for_user(request, org, year, action=Action.OPEN)
    visible = access.measures_visible(selectors.measures_for_table(document))
    filterset = MeasureFilter(request.GET or None, queryset=visible, document=document)
    can_edit = access.can(Action.EDIT) and document.is_editable
    table = MeasureTable(
        filterset.qs,
        org_slug=org,
        fiscal_year=year,
        can_edit=can_edit,
        back=request.get_full_path(),
        exclude=() if "theme" in filterset.filters else ("theme",),
    )
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    count = table.paginator.count
    # An empty list says why: no measure matches the filters, or the document has none (yet).
    has_measures = bool(count) or visible.exists()
    if filterset.is_filtering:
        count_text = _("พบ %(n)s มาตรการที่ตรงกับตัวกรอง") % {"n": count} if count else _("ไม่พบมาตรการที่ตรงกับตัวกรอง")
    else:
        count_text = _("ทั้งหมด %(n)s มาตรการ") % {"n": count}
    context = {
        "access": access,
        "organisation": access.organisation,
        "document": document,
        "filter": filterset,
        "table": table,
        "count": count,
        "count_text": count_text,
        "has_measures": has_measures,
        "can_edit": can_edit,
        "list_url": list_url(org, year),
        "table_target": TABLE_TARGET,
        "sort": request.GET.get("sort", "")[:50],
        "add_url": reverse("measures:measure_new", args=[org, year])
        + "?"
        + urlencode({"next": request.get_full_path()}),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        # The filters' htmx request: only the table, and the count for the live region (out of band).
        response = render(request, "measures/includes/measure_table.html", {**context, "swap_count": True})
    else:
        response = render(request, "measures/measure_list.html", context)
    patch_vary_headers(response, ("HX-Request",))  # a page and its partial never share a cache entry
    return response
