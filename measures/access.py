"""Who may do what, in one place per resource.

Every staff view gets its objects through these helpers: an object of an organisation the
user does not belong to answers 404 (its existence is not revealed); a forbidden action on an
object the user may see answers 403. Roles are data (Membership rows), never `is_superuser`.

Oversight (อำเภอ/จังหวัด) reads states, never content: the oversight dashboard shows where
each document stands, the public site shows what was published. A draft, a document waiting
for sign-off or approved but not yet published, its printed preview, PDF, memo and review
are the organisation's own, so the OVERSIGHT role does not hold VIEW and those pages answer
403. Who oversees what: an OVERSIGHT membership (one organisation) or an OversightScope (every
organisation of a province or district, later ones included).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import (
    Evidence,
    Measure,
    MeasuresDocument,
    Membership,
    Organisation,
    OversightScope,
    ProgressEntry,
    ProgressReport,
    Submission,
)

Role = Membership.Role


class Action(StrEnum):
    OPEN = "open"  # open a document or round to reach the measures one may see (all, or one's units')
    VIEW = "view"  # read the organisation's whole documents in any state, its scores and rounds
    EDIT = "edit"  # write scores, documents, measures; start rounds
    PROGRESS = "progress"  # fill in progress entries of measures the user may see
    MANAGE = "manage"  # organisation settings, units and people
    OVERSEE = "oversee"  # the state of each document on the oversight dashboard, never its content


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.OFFICER: frozenset({Action.OPEN, Action.VIEW, Action.EDIT, Action.PROGRESS}),
    Role.ORG_ADMIN: frozenset({Action.OPEN, Action.VIEW, Action.EDIT, Action.PROGRESS, Action.MANAGE}),
    Role.APPROVER: frozenset({Action.OPEN, Action.VIEW}),
    Role.OVERSIGHT: frozenset({Action.OVERSEE}),
    Role.CONTRIBUTOR: frozenset({Action.OPEN, Action.PROGRESS}),
}


@dataclass(frozen=True)
class OrgAccess:
    """The user's standing in one organisation."""

    organisation: Organisation
    roles: frozenset[str]
    unit_ids: frozenset[int]

    @property
    def actions(self) -> frozenset[Action]:
        return frozenset().union(*(ROLE_ACTIONS[r] for r in self.roles))

    def can(self, action: Action) -> bool:
        return action in self.actions

    def require(self, action: Action) -> None:
        if not self.can(action):
            raise PermissionDenied("คุณไม่มีสิทธิ์ดำเนินการนี้")

    @property
    def sees_all_measures(self) -> bool:
        """Contributors only see the measures of their own units."""
        return self.can(Action.VIEW)

    def measures_visible(self, queryset):
        if self.sees_all_measures:
            return queryset
        return queryset.for_units(self.unit_ids)

    def can_see_measure(self, measure: Measure) -> bool:
        if self.sees_all_measures or measure.all_units:
            return True
        return any(unit.pk in self.unit_ids for unit in measure.units.all())

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in Role.values if r in self.roles]

    @property
    def oversees_only(self) -> bool:
        """Oversight is the user's only standing here: the oversight dashboard is his page for it."""
        return self.roles == {Role.OVERSIGHT}


def _access_from_rows(organisation: Organisation, rows: list[tuple[str, int | None]]) -> OrgAccess:
    return OrgAccess(
        organisation=organisation,
        roles=frozenset(role for role, _ in rows),
        unit_ids=frozenset(unit_id for role, unit_id in rows if role == Role.CONTRIBUTOR and unit_id),
    )


def organisation_access(user, organisation: Organisation) -> OrgAccess | None:
    if not user.is_authenticated:
        return None
    rows = list(Membership.objects.active().filter(user=user, organisation=organisation).values_list("role", "unit_id"))
    return _access_from_rows(organisation, rows) if rows else None


def accesses_for_user(user) -> list[OrgAccess]:
    """The user's access to each of his organisations, in two queries."""
    if not user.is_authenticated:
        return []
    rows: dict[int, list[tuple[str, int | None]]] = {}
    for org_id, role, unit_id in (
        Membership.objects.active().filter(user=user).values_list("organisation_id", "role", "unit_id")
    ):
        rows.setdefault(org_id, []).append((role, unit_id))
    organisations = Organisation.objects.filter(pk__in=rows).prefetch_related("documents__reports")
    return [_access_from_rows(org, rows[org.pk]) for org in organisations]


def get_access(request, org_slug: str, action: Action | None = None) -> OrgAccess:
    """The user's access to the organisation in the URL: 404 if not a member, 403 if not allowed."""
    organisation = get_object_or_404(Organisation, slug=org_slug)
    access = organisation_access(request.user, organisation)
    if access is None:
        raise Http404("ไม่พบหน่วยงาน")
    if action is not None:
        access.require(action)
    return access


def get_document_for_user(
    request, org_slug: str, fiscal_year: int, *, action: Action
) -> tuple[OrgAccess, MeasuresDocument]:
    """The document of the year, for a user who may do `action` (404 before 403: a missing
    document is not found for anybody). Action.OPEN lets unit contributors in, to reach their own
    measures; Action.VIEW is the whole document."""
    access = get_access(request, org_slug)
    document = get_object_or_404(
        MeasuresDocument.objects.select_related("organisation", "basis_framework"),
        organisation=access.organisation,
        fiscal_year=fiscal_year,
    )
    access.require(action)
    return access, document


def get_measure_for_user(
    request, org_slug: str, fiscal_year: int, pk: int, *, action: Action
) -> tuple[OrgAccess, Measure]:
    """A measure another unit owns is not revealed to a contributor (404), whatever the action."""
    access, document = get_document_for_user(request, org_slug, fiscal_year, action=Action.OPEN)
    measure = get_object_or_404(
        Measure.objects.select_related("document__organisation", "theme").prefetch_related("units"),
        document=document,
        pk=pk,
    )
    if not access.can_see_measure(measure):
        raise Http404("ไม่พบมาตรการ")
    access.require(action)
    return access, measure


def get_report_for_user(
    request, org_slug: str, fiscal_year: int, round_months: int, *, action: Action
) -> tuple[OrgAccess, MeasuresDocument, ProgressReport | None]:
    access, document = get_document_for_user(request, org_slug, fiscal_year, action=action)
    if round_months not in ProgressReport.Round.values:
        raise Http404("ไม่พบรอบการรายงาน")
    report = ProgressReport.objects.filter(document=document, round=round_months).first()
    return access, document, report


def get_entry_for_user(
    request, org_slug: str, fiscal_year: int, round_months: int, measure_pk: int, *, action: Action
) -> tuple[OrgAccess, ProgressEntry]:
    access, document, report = get_report_for_user(request, org_slug, fiscal_year, round_months, action=action)
    if report is None:
        raise Http404("ยังไม่ได้เริ่มรอบการรายงานนี้")
    entry = get_object_or_404(
        ProgressEntry.objects.select_related("report__document__organisation", "measure__theme").prefetch_related(
            "measure__units", "evidence"
        ),
        report=report,
        measure_id=measure_pk,
    )
    if not access.can_see_measure(entry.measure):
        raise Http404("ไม่พบมาตรการ")
    return access, entry


def get_evidence_for_user(request, org_slug: str, pk: int) -> tuple[OrgAccess, Evidence]:
    access = get_access(request, org_slug)
    if not (access.can(Action.VIEW) or access.can(Action.PROGRESS)):
        raise PermissionDenied("คุณไม่มีสิทธิ์ดำเนินการนี้")
    evidence = get_object_or_404(
        Evidence.objects.select_related("entry__measure").prefetch_related("entry__measure__units"),
        pk=pk,
        entry__report__document__organisation=access.organisation,
    )
    if not access.can_see_measure(evidence.entry.measure):
        raise Http404("ไม่พบหลักฐาน")
    return access, evidence


def get_signoff_target_for_user(request, org_slug: str, year: int, round_months: int | None, action: Action):
    """The measures document (round_months None) or one of its progress reports, for a user who
    may do `action` on the whole organisation's documents.

    Sign-off pages show whole documents: unit contributors (who see only their unit's measures)
    are refused even for reading.
    """
    if round_months is None:
        access, target = get_document_for_user(request, org_slug, year, action=Action.OPEN)
    else:
        access, _document, target = get_report_for_user(request, org_slug, year, round_months, action=Action.OPEN)
        if target is None:
            raise Http404("ยังไม่ได้เริ่มรอบการรายงานนี้")
    access.require(action)
    return access, target


def get_submission_for_user(request, org_slug: str, pk: int) -> tuple[OrgAccess, Submission]:
    """A submission of the user's organisation; reading it needs the VIEW right (not contributors)."""
    access = get_access(request, org_slug)
    submission = get_object_or_404(
        Submission.objects.select_related(
            "document__organisation", "report__document__organisation", "submitted_by"
        ).prefetch_related("decisions"),
        pk=pk,
    )
    if submission.organisation_id != access.organisation.pk:
        raise Http404("ไม่พบเอกสาร")
    access.require(Action.VIEW)
    return access, submission


def has_oversight(user) -> bool:
    """Whether the user oversees anything: an active OVERSIGHT membership or an active scope."""
    if not user.is_authenticated:
        return False
    return (
        Membership.objects.active().filter(user=user, role=Role.OVERSIGHT).exists()
        or OversightScope.objects.active().filter(user=user).exists()
    )


def overseen_organisations(request) -> QuerySet[Organisation]:
    """The organisations on the user's oversight dashboard; 403 for a user who oversees nothing."""
    if not has_oversight(request.user):
        raise PermissionDenied("หน้านี้สำหรับผู้กำกับดูแลเท่านั้น")
    return Organisation.objects.overseen_by(request.user)
