"""Services of the sign-off workflow: chain, submit, approve, return, reopen, memo.

draft → submitted (step k of the chain) → approved; a return sends the document back to draft
with the comment; editing an approved document starts a new edition that needs the chain
again. Each service runs in one transaction, locks the row it changes, writes its history
and sends its mail only once the transaction has committed.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import editions, notifications, people, thai
from .models import (
    ApprovalPosition,
    Decision,
    DocumentStatus,
    Framework,
    Measure,
    MeasuresDocument,
    Membership,
    Memo,
    Organisation,
    ProgressReport,
    Submission,
)
from .services import ServiceError, check_revision, stamp

Target = MeasuresDocument | ProgressReport

DEFAULT_CHAINS = {
    # เทศบาล (all three kinds) and อบต. — ITA-DOMAIN.md §5; อบจ. and special forms start like เทศบาล.
    "municipality": ["หัวหน้าฝ่ายบริหารงานทั่วไป", "หัวหน้าสำนักปลัด", "ปลัดเทศบาล", "รองนายกเทศมนตรี", "นายกเทศมนตรี"],
    "subdistrict": ["หัวหน้าสำนักปลัด", "ปลัดองค์การบริหารส่วนตำบล", "นายกองค์การบริหารส่วนตำบล"],
    "provincial": ["หัวหน้าสำนักปลัด", "ปลัดองค์การบริหารส่วนจังหวัด", "นายกองค์การบริหารส่วนจังหวัด"],
}


def default_chain_titles(organisation: Organisation) -> list[str]:
    if organisation.kind == Organisation.Kind.SUBDISTRICT:
        return DEFAULT_CHAINS["subdistrict"]
    if organisation.kind == Organisation.Kind.PROVINCIAL:
        return DEFAULT_CHAINS["provincial"]
    return DEFAULT_CHAINS["municipality"]


# --- The chain -----------------------------------------------------------------------------


@transaction.atomic
def chain_create_default(*, organisation: Organisation, by) -> list[ApprovalPosition]:
    """Give an organisation the usual chain of its kind, if it has none yet."""
    if organisation.approval_positions.exists():
        return list(organisation.approval_positions.all())
    positions = []
    for order, title in enumerate(default_chain_titles(organisation), start=1):
        position = ApprovalPosition(organisation=organisation, order=order, title=title)
        stamp(position, by)
        position.save()
        positions.append(position)
    return positions


@transaction.atomic
def chain_save(*, organisation: Organisation, by, rows: list[dict]) -> list[ApprovalPosition]:
    """Replace the chain by `rows` (dicts: title, acting_for, approvers), in their order."""
    if not rows:
        raise ServiceError(_("ลำดับการพิจารณาต้องมีอย่างน้อยหนึ่งตำแหน่ง"))
    members = set(
        Membership.objects.active()
        .filter(organisation=organisation, role=Membership.Role.APPROVER)
        .values_list("user_id", flat=True)
    )
    for row in rows:
        outsiders = [u for u in row["approvers"] if u.pk not in members]
        if outsiders:
            raise ServiceError(_("%(name)s ไม่ได้เป็นผู้บริหาร/ผู้อนุมัติของหน่วยงานนี้") % {"name": outsiders[0].get_full_name()})
    existing = list(organisation.approval_positions.select_for_update())
    for position in existing:
        stamp(position, by)
        position.delete()
    positions = []
    for order, row in enumerate(rows, start=1):
        position = ApprovalPosition(
            organisation=organisation, order=order, title=row["title"].strip(), acting_for=row["acting_for"].strip()
        )
        stamp(position, by)
        position.save()
        position.approvers.set(row["approvers"])
        positions.append(position)
    return positions


def sole_approvers(steps: list[list]) -> list[str]:
    """Names of the people who are approvers at every step of a chain of two or more steps."""
    if len(steps) < 2:
        return []
    common = set.intersection(*(set(users) for users in steps))
    return sorted(user.get_full_name() or user.get_username() for user in common)


# --- The memo ------------------------------------------------------------------------------


def memo_defaults(target: Target, *, author) -> dict:
    """A sensible first draft of the memo, from the organisation, the document and the frameworks.

    The analysed ITA is the document's own basis framework (ITA N−1 unless it says otherwise);
    the OIT item the document is evidence for is that of the framework of the fiscal year, ITA N
    (ITA-DOMAIN.md §4, reports.oit). A year without a framework, or whose framework names no
    item, gets a sentence without a code: a code is never guessed from another year. Years and
    numbers are in the organisation's digits.
    """
    organisation = target.organisation
    digits = organisation.thai_digits
    document = target if isinstance(target, MeasuresDocument) else target.document
    year = thai.digits(document.fiscal_year, thai_digits=digits)
    evidence = (
        Framework.objects.filter(year=document.fiscal_year).only("measures_item_code", "report_item_code").first()
    )
    if isinstance(target, MeasuresDocument):
        code = evidence.measures_item_code.strip() if evidence else ""
        basis = document.basis_framework.year if document.basis_framework_id else document.analysed_year
        subject = f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year}"
        facts = (
            f"{organisation.name} ได้วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
            f"ประจำปี พ.ศ. {thai.digits(basis, thai_digits=digits)} และจัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
            f"ภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year} รายละเอียดตามสิ่งที่แนบมาพร้อมนี้"
        )
        what = "มาตรการดังกล่าว"
    else:
        code = evidence.report_item_code.strip() if evidence else ""
        round_label = thai.round_label(target.round, thai_digits=digits)
        period = thai.round_period_label(document.fiscal_year, target.round, thai_digits=digits)
        subject = (
            f"รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
            f"ประจำปีงบประมาณ พ.ศ. {year} {round_label}"
        )
        facts = (
            f"{organisation.name} ได้ติดตามผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
            f"{round_label} ({period}) รายละเอียดตามสิ่งที่แนบมาพร้อมนี้"
        )
        what = "รายงานดังกล่าว"
    if code:
        evidence_text = f"ตามข้อ {code} ของแบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) การประเมิน ITA ประจำปี พ.ศ. {year}"
    else:
        evidence_text = f"ประกอบการประเมิน ITA ประจำปี พ.ศ. {year}"
    proposal = f"เห็นควรพิจารณาให้ความเห็นชอบ{what} และอนุญาตให้เผยแพร่บนเว็บไซต์หลักของหน่วยงาน {evidence_text}"
    top = ApprovalPosition.objects.filter(organisation=organisation).order_by("-order").first()
    # The author as his profile names him ("นางสาวสมใจ ใจดี", นิติกรปฏิบัติการ); the membership's
    # position where the profile gives none.
    membership = Membership.objects.filter(user=author, organisation=organisation).exclude(position="").first()
    author_position = people.position_of(author) or (membership.position if membership else "")
    return {
        "department": f"สำนักปลัด {organisation.name}",
        "number": "",
        "date": timezone.localdate(),
        "subject": subject,
        "to": top.title if top else "",
        "attachments": subject,
        "background": (
            "ตามที่สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ (สำนักงาน ป.ป.ช.) ได้ดำเนินการประเมินคุณธรรม"
            "และความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (Integrity and Transparency Assessment: ITA) "
            "โดยกำหนดให้หน่วยงานวิเคราะห์ผลการประเมินและจัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
            "พร้อมทั้งรายงานผลการดำเนินการและเผยแพร่บนเว็บไซต์หลักของหน่วยงาน นั้น"
        ),
        "facts": facts,
        "proposal": proposal,
        "author_name": people.display_name(author),
        "author_position": author_position,
    }


def memo_draft(target: Target, *, by) -> Memo:
    """The target's memo, or before it is first saved an unsaved one with its defaults.

    For pages that only show the memo: opening a page writes nothing.
    """
    memo = Memo.objects.filter(**target.target_filter).first()
    return memo if memo is not None else Memo(**target.target_filter, **memo_defaults(target, author=by))


@transaction.atomic
def memo_for(target: Target, *, by) -> Memo:
    """The target's memo, created with its defaults the first time it is needed.

    The target's row is locked first, as submit() does: two first openings, or an opening
    during the submission, then wait for each other instead of both inserting the memo.
    """
    lock_target(target)
    memo = Memo.objects.filter(**target.target_filter).first()
    if memo is None:
        memo = Memo(**target.target_filter, **memo_defaults(target, author=by))
        stamp(memo, by)
        memo.save()
    return memo


MEMO_FIELDS = Memo.CONTENT_FIELDS


@transaction.atomic
def memo_update(*, memo: Memo, by, revision: int | None, **fields) -> Memo:
    check_revision(Memo, memo.pk, revision)
    target = lock_target(memo.document or memo.report)  # its status now, not when the memo was read
    if target.status != DocumentStatus.DRAFT:
        raise ServiceError(_("บันทึกข้อความแก้ไขได้เฉพาะเมื่อเอกสารยังเป็นร่าง"))
    for name, value in fields.items():
        if name not in MEMO_FIELDS:
            raise TypeError(name)
        setattr(memo, name, value)
    memo.revision += 1
    stamp(memo, by)
    memo.save()
    return memo


# --- Submit, decide, reopen -----------------------------------------------------------------


def lock_target(target: Target) -> Target:
    """The target read again under a row lock: its status now, not when it was first read."""
    return type(target).objects.select_for_update().get(pk=target.pk)


def _set_status(target: Target, status: str, by) -> None:
    target.status = status
    stamp(target, by)
    target.save(update_fields=["status", "updated_at"])


class NotReady(ServiceError):
    """The draft has something that blocks its submission (editions.readiness)."""

    def __init__(self, readiness: "editions.Readiness", data: dict):
        super().__init__(" ".join(readiness.blockers))
        self.readiness, self.data = readiness, data


@transaction.atomic
def submit(*, target: Target, by) -> Submission:
    """Freeze the draft as an edition and send it up the organisation's chain, at its first position.

    The edition's data (editions.edition_data) and its memo are frozen in the submission: from
    now on its print, PDF and publication are made from them alone.
    """
    target = lock_target(target)
    if target.status != DocumentStatus.DRAFT:
        raise ServiceError(_("เอกสารนี้ไม่ได้อยู่ในสถานะร่าง จึงเสนอไม่ได้"))
    data = editions.edition_data(target)
    readiness = editions.readiness(target, data)
    if not readiness.ready:
        raise NotReady(readiness, data)
    organisation = target.organisation
    positions = list(organisation.approval_positions.prefetch_related("approvers"))
    if not positions:
        raise ServiceError(_("หน่วยงานยังไม่ได้กำหนดลำดับการพิจารณา กรุณาติดต่อผู้ดูแลหน่วยงาน"))
    steps = []
    for position in positions:
        approver_ids = [u.pk for u in position.approvers.all() if u.pk != by.pk]
        if not approver_ids:
            raise ServiceError(
                _("ตำแหน่ง %(title)s ยังไม่มีผู้พิจารณา (ผู้เสนอพิจารณาเอกสารของตนเองไม่ได้) กรุณาติดต่อผู้ดูแลหน่วยงาน")
                % {"title": position.title}
            )
        steps.append({"title": position.title, "acting_for": position.acting_for, "approver_ids": approver_ids})
    memo = memo_for(target, by=by)
    data["memo"] = editions.memo_data(memo)
    now = timezone.now()
    submission = Submission(
        **target.target_filter,
        edition=target.edition,
        steps=steps,
        snapshot=data,
        submitted_by=by,
        submitted_at=now,
        waiting_since=now,
    )
    stamp(submission, by)
    submission.save()
    _set_status(target, DocumentStatus.SUBMITTED, by)
    transaction.on_commit(lambda: notifications.waiting_for_decision(submission.pk))
    return submission


def held_positions(user) -> set[tuple[int, str]]:
    """(organisation id, position title) of every step of a chain the user holds now. One query."""
    return set(ApprovalPosition.objects.holding(approvers=user).values_list("organisation_id", "title"))


def may_decide(submission: Submission, user, held: set[tuple[int, str]] | None = None) -> bool:
    """The user is named for the current step of the submission (as frozen when it was sent) and
    still holds that position in the organisation's chain at this moment."""
    if not submission.may_decide(user):
        return False
    held = held_positions(user) if held is None else held
    return (submission.organisation_id, submission.current["title"]) in held


class NotTheApprover(ServiceError):
    pass


@transaction.atomic
def decide(*, submission: Submission, by, approve: bool, comment: str = "") -> Decision:
    """The current step's approver approves (comment optional) or returns (comment required)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    comment = comment.strip()
    if submission.status != Submission.Status.PENDING:
        raise ServiceError(_("เอกสารนี้ได้รับการพิจารณาไปแล้ว"))
    if by.pk == submission.submitted_by_id:
        raise ServiceError(_("ผู้เสนอไม่สามารถพิจารณาเอกสารของตนเองได้"))
    if not submission.may_decide(by):
        raise NotTheApprover(_("คุณไม่ใช่ผู้พิจารณาในขั้นนี้"))
    if not may_decide(submission, by):
        raise NotTheApprover(
            _("คุณไม่ได้ดำรงตำแหน่ง %(title)s ในลำดับการพิจารณาของหน่วยงานแล้ว จึงพิจารณาขั้นนี้ไม่ได้ กรุณาติดต่อผู้ดูแลหน่วยงาน")
            % {"title": submission.current["title"]}
        )
    if not approve and not comment:
        raise ServiceError(_("กรุณาระบุความเห็นหรือสิ่งที่ต้องแก้ไขเมื่อส่งกลับ"))
    step = submission.current
    now = timezone.now()
    # The sign-off block prints the approver as his profile names him, with his own position and
    # acting text (รองปลัดเทศบาล, ปฏิบัติราชการแทนปลัดเทศบาล) where he gave them, else the step's.
    position = people.position_of(by) or step["title"]
    acting_for = people.acting_for_of(by) or step["acting_for"]
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                submission=submission,
                step=submission.current_step,
                position=position[: Decision._meta.get_field("position").max_length],
                acting_for=acting_for[: Decision._meta.get_field("acting_for").max_length],
                user=by,
                name=people.display_name(by)[: Decision._meta.get_field("name").max_length],
                outcome=Decision.Outcome.APPROVE if approve else Decision.Outcome.RETURN,
                comment=comment,
                decided_at=now,
            )
    except IntegrityError as error:  # another approver decided this step a moment earlier
        raise ServiceError(_("ขั้นนี้มีผู้พิจารณาไปแล้ว กรุณาเปิดหน้าใหม่")) from error
    target = lock_target(submission.target)
    last = submission.current_step + 1 >= len(submission.steps)
    if not approve:
        submission.status = Submission.Status.RETURNED
        submission.closed_at = now
        _set_status(target, DocumentStatus.DRAFT, by)
        transaction.on_commit(lambda: notifications.returned(submission.pk))
    elif last:
        submission.status = Submission.Status.APPROVED
        submission.closed_at = now
        _set_status(target, DocumentStatus.APPROVED, by)
        transaction.on_commit(lambda: notifications.approved(submission.pk))
    else:
        submission.current_step += 1
        submission.waiting_since = now
        transaction.on_commit(lambda: notifications.waiting_for_decision(submission.pk))
    stamp(submission, by)
    submission.save(update_fields=["status", "closed_at", "current_step", "waiting_since"])
    return decision


@transaction.atomic
def reopen(*, target: Target, by) -> Target:
    """Start a new edition of an approved (or published) document; it goes through the chain again.

    Published versions are frozen copies (reports.Publication): they stay as they are.
    """
    target = lock_target(target)
    if target.status not in (DocumentStatus.APPROVED, DocumentStatus.PUBLISHED):
        raise ServiceError(_("เริ่มฉบับปรับปรุงได้เฉพาะเอกสารที่อนุมัติแล้ว"))
    target.edition += 1
    target.status = DocumentStatus.DRAFT
    stamp(target, by)
    target.save(update_fields=["edition", "status", "updated_at"])
    return target


def pending_for(user, accesses) -> list[Submission]:
    """The submissions waiting for the user's decision, the longest waiting first.

    Found by the ids of the user's documents and reports (prefetched with his accesses), not by
    their organisation through joins: the partial indexes of pending submissions then find his
    few rows, where the joins read every pending submission of the country (115–330 ms with
    5,000 of them at 7,850 organisations, 0.2–0.3 ms this way).
    """
    documents = [d for access in accesses for d in access.organisation.documents.all()]
    reports = [r.pk for d in documents for r in d.reports.all()]
    pending = (
        Submission.objects.filter(
            Q(document__in=[d.pk for d in documents]) | Q(report__in=reports), status=Submission.Status.PENDING
        )
        .select_related("document__organisation", "report__document__organisation", "submitted_by")
        .order_by("waiting_since")
    )
    held = held_positions(user)
    return [s for s in pending if may_decide(s, user, held)]


# --- Reminders ------------------------------------------------------------------------------


def approvals_waiting(*, older_than_days: int, now=None) -> list[Submission]:
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=older_than_days)
    return list(
        Submission.objects.filter(status=Submission.Status.PENDING, waiting_since__lte=cutoff).select_related(
            "document__organisation", "report__document__organisation"
        )
    )


def round_due_date(fiscal_year: int, months: int, due: dict[int, tuple[int, int]]) -> date:
    """When a round's report is due, from `due` (settings.ROUND_DUE_DATES: months → (month, day)).
    Both reports fall due in the Christian year in which the fiscal year ends (FY 2566: 30 April
    2023 and 31 October 2023)."""
    month, day = due[months]
    return date(fiscal_year - thai.BE_OFFSET, month, day)


def round_due(
    document: MeasuresDocument, months: int, *, today: date, due: dict[int, tuple[int, int]], days_before: int
) -> date | None:
    """The due date of the document's round when it is due within `days_before` days or late and not
    handed in yet; None otherwise. Uses the document's prefetched reports."""
    due_date = round_due_date(document.fiscal_year, months, due)
    report = next((r for r in document.reports.all() if r.round == months), None)
    # Submitted counts as handed in: from then on the approvers are reminded, not the officers.
    finished = report is not None and report.status != DocumentStatus.DRAFT
    return due_date if not finished and (due_date - today).days <= days_before else None


def rounds_due(
    *, today: date, due: dict[int, tuple[int, int]], days_before: int
) -> list[tuple[MeasuresDocument, int, date]]:
    """(document, round, due date) for rounds of the current documents not approved yet and due soon or late."""
    found = []
    documents = MeasuresDocument.objects.select_related("organisation").prefetch_related("reports")
    for document in documents.filter(fiscal_year__in=[thai.fiscal_year_of(today), thai.fiscal_year_of(today) - 1]):
        for months in due:
            due_date = round_due(document, months, today=today, due=due, days_before=days_before)
            if due_date is not None:
                found.append((document, months, due_date))
    return found


def measures_overdue(*, today: date) -> list[Measure]:
    """Measures whose period has ended without an entry marked done in any round."""
    return list(
        Measure.objects.filter(period_end__lt=today, document__fiscal_year__gte=thai.fiscal_year_of(today) - 1)
        .exclude(progress_entries__status="done")
        .select_related("document__organisation", "theme")
        .order_by("document__organisation_id", "document__fiscal_year", "theme__number", "number")
    )


def officers_of(organisation_id: int) -> list:
    return list(
        get_user_model()
        .objects.filter(
            memberships__organisation_id=organisation_id,
            memberships__role__in=[Membership.Role.OFFICER, Membership.Role.ORG_ADMIN],
            memberships__is_active=True,
        )
        .exclude(email="")
        .distinct()
    )
