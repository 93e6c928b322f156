"""What waits for the user on the dashboard: the year's work of each organisation, in order.

For the organisations where the user edits (officers, organisation administrators), from the
documents and rounds his access already holds (accesses_for_user prefetches them) and five
more queries whatever the number of organisations: returned submissions, the ITA results on
record, the years that have an ITA framework, the approval chains, and the measures past their
end date without a finished entry. The rounds' due dates are those of the e-mail reminders
(settings.ROUND_DUE_DATES, workflow.round_due); what the reminders e-mail, the dashboard shows
every day. Every round still open or sent back is listed, whatever its fiscal year; the list
never asks for the ITA result of a year without a framework (the forms could not take it): it
says what is missing and who can add it.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from . import thai, workflow
from .access import Action, OrgAccess
from .models import ApprovalPosition, Assessment, DocumentStatus, Framework, Measure, ProgressEntry, Submission


@dataclass(frozen=True)
class Todo:
    text: str
    url: str
    action: str  # the link's words
    urgent: bool = False  # late, or sent back: shown first and marked


def _date(value: date) -> str:
    return thai.format_date_long(value, thai_digits=False)


def missing_framework_text(ita_year: int) -> str:
    """What to say where the portal cannot take a year because its ITA framework is missing, and who can add it."""
    return _(
        "ผู้ดูแลระบบยังไม่ได้เพิ่มเกณฑ์ ITA ปี พ.ศ. %(year)s จึงยังบันทึกผลการประเมินของปีนี้"
        " และสร้างเอกสารมาตรการ %(fiscal)s ที่วิเคราะห์ผลปีนี้ไม่ได้"
        " กรุณาแจ้งผู้ดูแลระบบของเว็บไซต์ให้เพิ่มเกณฑ์ของปีนี้ (เริ่มจากเกณฑ์ปีก่อนในหน้าผู้ดูแลระบบได้)"
    ) % {"year": ita_year, "fiscal": thai.fiscal_year_label(ita_year + 1, thai_digits=False)}


def todo_by_organisation(accesses: list[OrgAccess], *, today: date) -> dict[int, list[Todo]]:
    """Organisation id → what the user should do there next, the urgent first (empty: nothing waits).

    Editors get the year's work (below); unit contributors the measures of their units still
    without a result in an open round. Approvers only read: the inbox is their list.
    """
    year = thai.fiscal_year_of(today)
    years = (year - 1, year)
    found = _contributor_todo([a for a in accesses if a.can(Action.PROGRESS) and not a.can(Action.EDIT)])
    return found | _editor_todo([a for a in accesses if a.can(Action.EDIT)], today=today, years=years)


def _contributor_todo(accesses: list[OrgAccess]) -> dict[int, list[Todo]]:
    """Per open round, how many of the measures the contributor's units answer for have no result yet (one query)."""
    # Every open round, whatever its fiscal year: a round left open last year still waits for them.
    rounds = [
        (access, document, report)
        for access in accesses
        for document in access.organisation.documents.all()
        for report in document.reports.all()
        if report.status == DocumentStatus.DRAFT
    ]
    found: dict[int, list[Todo]] = {access.organisation.pk: [] for access in accesses}
    if not rounds:
        return found
    theirs = Q()
    for access in accesses:
        theirs |= Q(report__document__organisation=access.organisation.pk) & (
            Q(measure__units__in=access.unit_ids) | Q(measure__all_units=True)
        )
    empty = dict(
        ProgressEntry.objects.filter(theirs, report__in=[report.pk for _a, _d, report in rounds], summary="")
        .order_by()
        .values("report")
        .annotate(n=Count("pk", distinct=True))
        .values_list("report", "n")
    )
    for access, document, report in rounds:
        if empty.get(report.pk):
            found[access.organisation.pk].append(
                Todo(
                    _("รายงานผล%(round)s %(year)s: มาตรการที่หน่วยงานของคุณรับผิดชอบ %(n)s รายการยังไม่ได้กรอกผล")
                    % {
                        "round": thai.round_label(report.round, thai_digits=False),
                        "year": thai.fiscal_year_label(document.fiscal_year, thai_digits=False),
                        "n": empty[report.pk],
                    },
                    reverse(
                        "measures:round_detail", args=[access.organisation.slug, document.fiscal_year, report.round]
                    ),
                    _("กรอกผล"),
                )
            )
    return found


def _editor_todo(editing: list[OrgAccess], *, today: date, years: tuple[int, int]) -> dict[int, list[Todo]]:
    if not editing:
        return {}
    year = years[1]
    org_ids = [a.organisation.pk for a in editing]
    documents = [d for a in editing for d in a.organisation.documents.all()]
    reports = [r for d in documents for r in d.reports.all()]
    # The latest submission of each draft, whatever its year, tells whether it was sent back.
    latest: dict[tuple, str] = {}
    drafts = Q(document__in=[d.pk for d in documents if d.status == DocumentStatus.DRAFT]) | Q(
        report__in=[r.pk for r in reports if r.status == DocumentStatus.DRAFT]
    )
    for document_id, report_id, status in (
        Submission.objects.filter(drafts)
        .order_by("submitted_at", "pk")
        .values_list("document_id", "report_id", "status")
    ):
        latest[(document_id, report_id)] = status
    returned = {key for key, status in latest.items() if status == Submission.Status.RETURNED}
    assessed = set(
        Assessment.objects.filter(organisation__in=org_ids, framework__year__in=years).values_list(
            "organisation_id", "framework__year"
        )
    )
    frameworks = set(Framework.objects.values_list("year", flat=True))
    chained = set(ApprovalPosition.objects.filter(organisation__in=org_ids).values_list("organisation_id", flat=True))
    overdue = dict(
        Measure.objects.filter(document__organisation__in=org_ids, document__fiscal_year__in=years)
        .overdue(today)
        .order_by()
        .values("document__organisation")
        .annotate(n=Count("pk", distinct=True))
        .values_list("document__organisation", "n")
    )

    found: dict[int, list[Todo]] = {}
    for access in editing:
        organisation = access.organisation
        slug = organisation.slug
        items = []
        if organisation.pk not in chained:
            items.append(
                Todo(
                    _("ยังไม่ได้กำหนดลำดับการพิจารณา จึงยังเสนอเอกสารไม่ได้"),
                    reverse("measures:chain_edit", args=[slug]) if access.can(Action.MANAGE) else "",
                    _("กำหนดลำดับ") if access.can(Action.MANAGE) else _("แจ้งผู้ดูแลหน่วยงาน"),
                )
            )
        by_year = {d.fiscal_year: d for d in organisation.documents.all()}
        mine = {fiscal_year: d for fiscal_year, d in by_year.items() if fiscal_year in years}
        if year not in mine:
            items += _new_year_todo(slug, year, frameworks=frameworks, assessed=(organisation.pk, year - 1) in assessed)
        for fiscal_year in sorted(by_year, reverse=True):
            document = by_year[fiscal_year]
            current = fiscal_year in years
            label = thai.fiscal_year_label(fiscal_year, thai_digits=False)
            document_url = reverse("measures:document_detail", args=[slug, fiscal_year])
            items += _target_todo(
                document,
                _("เอกสารมาตรการ %(year)s") % {"year": label},
                document_url,
                returned=(document.pk, None) in returned,
            )
            reports = {r.round: r for r in document.reports.all()}
            for months in sorted(settings.ROUND_DUE_DATES):
                report = reports.get(months)
                name = _("รายงานผล%(round)s %(year)s") % {
                    "round": thai.round_label(months, thai_digits=False),
                    "year": label,
                }
                url = reverse("measures:round_detail", args=[slug, fiscal_year, months])
                if report is not None:
                    items += _target_todo(report, name, url, returned=(None, report.pk) in returned)
                elif not current:
                    continue  # a round of a past year that was never started is not asked for now
                due = workflow.round_due(
                    document,
                    months,
                    today=today,
                    due=settings.ROUND_DUE_DATES,
                    days_before=settings.REMINDER_DAYS_BEFORE_DUE,
                )
                if due is not None:
                    late = due < today
                    text = (_("%(name)s เลยกำหนดส่งแล้วเมื่อ %(due)s") if late else _("%(name)s ครบกำหนดส่ง %(due)s")) % {
                        "name": name,
                        "due": _date(due),
                    }
                    items.append(
                        Todo(
                            text,
                            url if report is not None else document_url,
                            _("กรอกผล") if report is not None else _("เริ่มรายงาน"),
                            urgent=late,
                        )
                    )
                elif report is not None and report.status == DocumentStatus.DRAFT and (None, report.pk) not in returned:
                    items.append(Todo(_("%(name)s ยังไม่ได้เสนอเพื่อพิจารณา") % {"name": name}, url, _("กรอกผล")))
        if overdue.get(organisation.pk):
            items.append(
                Todo(
                    _("มาตรการ %(n)s รายการสิ้นสุดระยะเวลาแล้วแต่ยังไม่มีผลดำเนินการแล้วเสร็จ") % {"n": overdue[organisation.pk]},
                    reverse("measures:document_detail", args=[slug, max(mine)]) if mine else "",
                    _("ดูมาตรการ"),
                    urgent=True,
                )
            )
        found[organisation.pk] = sorted(items, key=lambda item: not item.urgent)
    return found


def _new_year_todo(slug: str, year: int, *, frameworks: set[int], assessed: bool) -> list[Todo]:
    """The work of a fiscal year without a document: its ITA result (N−1) and the document, if the portal can take them."""
    if year - 1 not in frameworks:
        # Neither form can take the year: say what is missing and who adds it, with no link.
        return [Todo(missing_framework_text(year - 1), "", _("แจ้งผู้ดูแลระบบ"))]
    items = []
    if not assessed:
        items.append(
            Todo(
                _("ยังไม่ได้บันทึกผลการประเมิน ITA ปี พ.ศ. %(year)s ที่ใช้วิเคราะห์ในเอกสารมาตรการปีนี้") % {"year": year - 1},
                reverse("measures:assessment_new", args=[slug]),
                _("บันทึกผล ITA"),
            )
        )
    items.append(
        Todo(
            _("ยังไม่มีเอกสารมาตรการส่งเสริมคุณธรรมและความโปร่งใส %(year)s")
            % {"year": thai.fiscal_year_label(year, thai_digits=False)},
            reverse("measures:document_new", args=[slug]),
            _("สร้างเอกสาร"),
        )
    )
    return items


def _target_todo(target, name: str, url: str, *, returned: bool) -> list[Todo]:
    if target.status == DocumentStatus.APPROVED:
        return [Todo(_("%(name)s อนุมัติแล้ว รอเผยแพร่บนเว็บไซต์") % {"name": name}, url, _("เผยแพร่"))]
    if target.status == DocumentStatus.DRAFT and returned:
        return [Todo(_("%(name)s ถูกส่งกลับให้แก้ไข") % {"name": name}, url, _("ดูความเห็นและแก้ไข"), urgent=True)]
    return []
