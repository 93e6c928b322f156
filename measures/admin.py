"""The Django admin, for platform administrators: organisations, frameworks, users."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assessment,
    Framework,
    Indicator,
    IndicatorScore,
    Item,
    Measure,
    MeasuresDocument,
    MeasureStep,
    Membership,
    Organisation,
    OutgoingEmail,
    OversightScope,
    ProgressEntry,
    ProgressReport,
    RatingRule,
    Signatory,
    Theme,
    Tool,
    ToolPart,
    ToolScore,
    Unit,
)


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["name", "kind", "parent", "order"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "unit", "position", "is_active"]


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0
    fields = ["order", "name", "position", "acting_for", "user"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # an address typed without a scheme
    list_display = ["name", "kind", "district", "province", "slug"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "province", "district", "slug"]
    prepopulated_fields = {}
    inlines = [UnitInline, MembershipInline, SignatoryInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "unit", "is_active"]
    list_select_related = ["user", "organisation", "unit"]  # the unit may be blank: not joined by default
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(OversightScope)
class OversightScopeAdmin(SimpleHistoryAdmin):
    """Who oversees a province (district blank) or a district: every organisation there, later ones too."""

    list_display = ["user", "province", "district", "is_active"]
    list_filter = ["is_active", "province"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "province", "district"]
    autocomplete_fields = ["user"]


class ToolInline(admin.TabularInline):
    model = Tool
    extra = 0
    fields = ["order", "code", "name", "weight"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["number", "name", "tool", "weight"]


class RatingRuleInline(admin.TabularInline):
    model = RatingRule
    extra = 0
    fields = ["order", "label", "description", "min_total", "min_tool_score", "passed", "uncertain"]


@admin.register(Framework)
class FrameworkAdmin(SimpleHistoryAdmin):
    list_display = ["year", "title", "pass_mark", "measures_item_code", "report_item_code"]
    inlines = [ToolInline, IndicatorInline, RatingRuleInline]


@admin.register(Tool)
class ToolAdmin(SimpleHistoryAdmin):
    list_display = ["code", "framework", "name", "weight"]
    list_filter = ["framework"]


@admin.register(ToolPart)
class ToolPartAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "tool"]
    list_filter = ["tool__framework"]


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "indicator", "framework", "uncertain"]
    list_filter = ["framework", "indicator__number", "uncertain"]
    search_fields = ["code", "title"]


class IndicatorScoreInline(admin.TabularInline):
    model = IndicatorScore
    extra = 0


class ToolScoreInline(admin.TabularInline):
    model = ToolScore
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "framework", "official_total", "official_rating"]
    list_filter = ["framework"]
    search_fields = ["organisation__name"]
    inlines = [ToolScoreInline, IndicatorScoreInline]


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(MeasuresDocument)
class MeasuresDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "fiscal_year", "status"]
    list_select_related = ["organisation"]
    list_filter = ["fiscal_year", "status"]
    search_fields = ["title", "organisation__name"]
    inlines = [ThemeInline]


class StepInline(admin.TabularInline):
    model = MeasureStep
    extra = 0


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "document"]
    list_select_related = ["theme", "document__organisation"]  # the number shows the theme's
    list_filter = ["document__fiscal_year"]
    search_fields = ["title", "document__organisation__name"]
    inlines = [StepInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ["document", "round", "status"]
    list_select_related = ["document__organisation"]
    list_filter = ["round", "status"]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "report", "status", "percent"]
    list_select_related = ["measure__theme", "report__document__organisation"]
    list_filter = ["status", "report__round"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """What the portal has sent and what still waits for the mail server (read only)."""

    list_display = ["created_at", "to_address", "subject", "sent_at", "attempts"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "template"]
    search_fields = ["to_address", "subject"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
