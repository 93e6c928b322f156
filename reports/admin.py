"""The Django admin for publications (read-only: they are immutable) and OIT index entries."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from measures.admin import ReadOnlyAdmin

from .models import OitEntry, Publication


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    """Look only: a publication is changed by nobody; withdrawal happens on the staff screens."""

    list_display = ("title", "organisation", "fiscal_year", "kind", "version", "published_at", "withdrawn_at")
    list_filter = ("kind", "fiscal_year", "organisation__province", "published_at")  # not date_hierarchy: CE years
    search_fields = ("title", "organisation__name", "sha256")
    exclude = ("html", "body_html", "data", "memo_html")
    readonly_fields = [
        f.name for f in Publication._meta.fields if f.name not in ("html", "body_html", "data", "memo_html")
    ]


@admin.register(OitEntry)
class OitEntryAdmin(SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # an address typed without a scheme
    list_display = ("organisation", "fiscal_year", "item_code", "title", "url")
    list_filter = ("fiscal_year", "organisation__province")
    search_fields = ("organisation__name", "item_code", "title", "url")
