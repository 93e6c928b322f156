"""A document's trash (issue 18): what was deleted from it, and the button that brings one back."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import thai, trash
from ..access import Action, get_document_for_user
from .base import run_service


@login_required
def trash_list(request, org, year):
    access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    found = trash.trash_of(document)
    rows = [
        {
            "item": item,
            "when": thai.format_datetime_short(item.deleted_at),  # "7 ธ.ค. 2569 10:32 น."
            "by": (item.deleted_by.get_full_name() or item.deleted_by.username) if item.deleted_by else "",
        }
        for item in found.items
    ]
    return render(
        request,
        "measures/trash.html",
        {
            "access": access,
            "organisation": access.organisation,
            "document": document,
            "trash": found,
            "rows": rows,
            "limit": trash.TRASH_LIMIT,
        },
    )


def _restored_url(org: str, year: int, restored: trash.Restored) -> tuple:
    """Where the restored thing is: the measure's page, the entry's page, else the document's."""
    if restored.kind == "measure":
        return ("measures:measure_detail", org, year, restored.obj.pk)
    if restored.kind == "evidence":
        entry = restored.obj.entry
        return ("measures:entry_edit", org, year, entry.report.round, entry.measure_id)
    return ("measures:document_detail", org, year)


@login_required
@require_POST
def trash_restore(request, org, year, kind, history_id):
    access, document = get_document_for_user(request, org, year, action=Action.EDIT)
    record = trash.deleted_record(document, kind, history_id)
    if record is None:
        raise Http404("ไม่พบรายการในถังขยะ")
    back = ("measures:document_trash", org, year)
    return run_service(
        request,
        None,
        lambda: trash.restore(document=document, kind=kind, record=record, by=request.user),
        success_message=lambda restored: restored.message,
        redirect_to=lambda restored: _restored_url(org, year, restored),
    ) or redirect(*back)
