"""The Django admin, for platform administrators: organisations, frameworks, users.

The admin is no way round the approval workflow. The status, edition and revision of a
measures document or progress report are only shown here, and what belongs to a document or
report that is not a draft (submitted, approved, published) is looked at, never changed or
deleted: such a change needs a new edition taken through sign-off again, on the staff screens.
The sign-off record (submissions and decisions) is read-only for everybody.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .loaders import framework_copy
from .models import (
    Assessment,
    Decision,
    DocumentStatus,
    Evidence,
    Finding,
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
    StatedTotal,
    Submission,
    Theme,
    Tool,
    ToolPart,
    ToolScore,
    Unit,
)
from .services import ServiceError

NOT_A_DRAFT = _("เอกสารนี้ไม่ได้อยู่ในสถานะร่าง จึงแก้ไขในหน้าผู้ดูแลระบบไม่ได้ (ต้องเริ่มฉบับปรับปรุงและเสนออนุมัติใหม่)")
HISTORY_LOOK_ONLY = _("ประวัติการแก้ไขเปิดดูได้อย่างเดียว คืนค่าฉบับเดิมในหน้าผู้ดูแลระบบไม่ได้")

# For each model written only while a document or report is a draft: the path from a row to
# that document or report ("" for the document or report itself). The first step of a
# non-empty path is the foreign key a form or an inline sets. The memo (of a document or of a
# report) and the sign-off record are not edited in the admin at all.
DRAFT_PATHS: dict[type[models.Model], str] = {
    MeasuresDocument: "",
    Finding: "document",
    Theme: "document",
    Measure: "document",
    MeasureStep: "measure__document",
    ProgressReport: "",
    ProgressEntry: "report",
    Evidence: "entry__report",
}


def _follow(obj, path: str):
    for name in filter(None, path.split("__")):
        obj = getattr(obj, name)
    return obj


def _is_draft(target: MeasuresDocument | ProgressReport) -> bool:
    return target.status == DocumentStatus.DRAFT


def _require_draft_now(target: MeasuresDocument | ProgressReport) -> None:
    """The status read again under a row lock, as the services do: a submission made since the
    form was opened waits for this write or refuses it, never the other way round."""
    if target.pk is None:
        return  # a document or report being added: a draft
    status = type(target).objects.select_for_update().values_list("status", flat=True).get(pk=target.pk)
    if status != DocumentStatus.DRAFT:
        raise PermissionDenied(NOT_A_DRAFT)


class DraftOnlyForm(forms.ModelForm):
    """Refuses to add or move a row into a document or report that is not a draft (add, change, save as new)."""

    def clean(self):
        cleaned = super().clean()
        parent_field, _sep, rest = DRAFT_PATHS[self._meta.model].partition("__")
        parent = cleaned.get(parent_field) if parent_field else None
        if parent is not None and not _is_draft(_follow(parent, rest)):
            raise ValidationError(NOT_A_DRAFT, code="not_a_draft")
        return cleaned


class DraftOnlyAdmin:
    """A model admin (mixed in before SimpleHistoryAdmin) whose rows are written only while their
    document or report is a draft; other rows are shown read-only and cannot be deleted."""

    form = DraftOnlyForm

    def draft_target(self, obj) -> MeasuresDocument | ProgressReport:
        return _follow(obj, DRAFT_PATHS[self.model])

    def is_locked(self, obj) -> bool:
        return obj is not None and not _is_draft(self.draft_target(obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.is_locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.is_locked(obj)

    def save_model(self, request, obj, form, change):
        _require_draft_now(self.draft_target(obj))
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        _require_draft_now(self.draft_target(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        """The "delete selected" action already refuses rows whose delete permission is denied; the last word."""
        path = DRAFT_PATHS[self.model]
        target_model = self.model
        for name in filter(None, path.split("__")):
            target_model = target_model._meta.get_field(name).related_model
        pks = queryset.values_list(f"{path}__pk" if path else "pk", flat=True)
        statuses = set(target_model.objects.select_for_update().filter(pk__in=pks).values_list("status", flat=True))
        if statuses - {DocumentStatus.DRAFT}:
            raise PermissionDenied(NOT_A_DRAFT)
        super().delete_queryset(request, queryset)

    # Reverting to a version from the history would write every field of that version, the
    # status too, and needs only the view permission: the history is looked at, never restored.
    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied(HISTORY_LOOK_ONLY)
        return super().history_form_view(request, object_id, version_id, extra_context)


class DraftOnlyInline:
    """An inline (mixed in before TabularInline) of rows written only while the parent's document
    or report is a draft; `obj` in the permission methods is the parent row."""

    form = DraftOnlyForm

    def parent_locked(self, obj) -> bool:
        _parent_field, _sep, rest = DRAFT_PATHS[self.model].partition("__")
        return obj is not None and not _is_draft(_follow(obj, rest))

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and not self.parent_locked(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.parent_locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.parent_locked(obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Look only, for everybody: the sign-off record is written by the workflow alone."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WorkflowStateAdmin:
    """The status, edition and revision of a document or report: shown, changed only by the workflow."""

    readonly_fields = ["status", "edition", "revision_shown"]

    @admin.display(description=_("ครั้งที่บันทึก"))
    def revision_shown(self, obj):
        return obj.revision


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

    def get_readonly_fields(self, request, obj=None):
        # A change of address keeps the old one answering (FormerSlug): only the organisation's
        # settings page makes it (measures.organisations.change_slug), never a plain edit here.
        return ["slug"] if obj is not None else []


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
    fields = ["order", "label", "grade", "description", "min_total", "min_tool_score", "passed", "uncertain"]


@admin.register(Framework)
class FrameworkAdmin(SimpleHistoryAdmin):
    """The frameworks of each ITA year; a new year starts as a copy of the previous one, then is edited."""

    list_display = ["year", "title", "pass_mark", "measures_item_code", "report_item_code"]
    inlines = [ToolInline, IndicatorInline, RatingRuleInline]
    actions = ["start_next_year"]

    @admin.action(permissions=["add"], description=_("เริ่มกรอบการประเมินปีถัดไป โดยคัดลอกจากปีที่เลือก"))
    def start_next_year(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("กรุณาเลือกกรอบการประเมินเพียงปีเดียว เพื่อคัดลอกเป็นปีถัดไป"), messages.ERROR)
            return None
        source = queryset.get()
        try:
            framework = framework_copy(source=source, year=source.year + 1, by=request.user)
        except ServiceError as error:
            self.message_user(request, error.message, messages.ERROR)
            return None
        self.message_user(
            request,
            _(
                "เริ่มกรอบการประเมิน ITA %(year)s จาก ITA %(source)s แล้ว ทุกข้อคำถามและเกณฑ์ระดับถูกทำเครื่องหมายว่ายังไม่ยืนยัน"
                " กรุณาแก้ไขให้ตรงกับเกณฑ์ที่ ป.ป.ช. ประกาศ"
            )
            % {"year": framework.year, "source": source.year},
            messages.SUCCESS,
        )
        return redirect("admin:measures_framework_change", framework.pk)


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


class StatedTotalInline(admin.TabularInline):
    model = StatedTotal
    extra = 0
    max_num = StatedTotal.MAX_PER_ASSESSMENT
    fields = ["order", "label", "value"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "framework", "official_total", "official_grade", "official_rating"]
    list_filter = ["framework"]
    search_fields = ["organisation__name"]
    inlines = [ToolScoreInline, IndicatorScoreInline, StatedTotalInline]


class ThemeInline(DraftOnlyInline, admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(MeasuresDocument)
class MeasuresDocumentAdmin(DraftOnlyAdmin, WorkflowStateAdmin, SimpleHistoryAdmin):
    list_display = ["title", "organisation", "fiscal_year", "status"]
    list_select_related = ["organisation"]
    list_filter = ["fiscal_year", "status"]
    search_fields = ["title", "organisation__name"]
    inlines = [ThemeInline]


class StepInline(DraftOnlyInline, admin.TabularInline):
    model = MeasureStep
    extra = 0


@admin.register(Measure)
class MeasureAdmin(DraftOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "document"]
    list_select_related = ["theme", "document__organisation"]  # the number shows the theme's
    list_filter = ["document__fiscal_year"]
    search_fields = ["title", "document__organisation__name"]
    inlines = [StepInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(DraftOnlyAdmin, WorkflowStateAdmin, SimpleHistoryAdmin):
    list_display = ["document", "round", "status"]
    list_select_related = ["document__organisation"]
    list_filter = ["round", "status"]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(DraftOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["measure", "report", "status", "percent"]
    list_select_related = ["measure__theme", "report__document__organisation"]
    list_filter = ["status", "report__round"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "edition", "status", "submitted_by", "submitted_at", "closed_at"]
    # The title shows the document, or the report and its document, with the organisation.
    list_select_related = ["document__organisation", "report__document__organisation", "submitted_by"]
    list_filter = ["status", "submitted_at"]  # not date_hierarchy: it would show Christian-era years


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["submission", "step", "position", "name", "outcome", "decided_at"]
    list_select_related = ["submission__document__organisation", "submission__report__document__organisation"]
    list_filter = ["outcome"]


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
