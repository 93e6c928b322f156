"""Executive sign-off: the organisation's approval chain, submissions, decisions and the memo."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .documents import MeasuresDocument
from .organisations import Membership, Organisation
from .progress import ProgressReport

# A submission, a memo … belongs to exactly one of the two documents that need sign-off.
EXACTLY_ONE_TARGET = (Q(document__isnull=False) & Q(report__isnull=True)) | (
    Q(document__isnull=True) & Q(report__isnull=False)
)


class ApprovalPositionQuerySet(models.QuerySet):
    def holding(self, **where) -> "ApprovalPositionQuerySet":
        """Positions with the approvers who hold them now: named on the position and active
        approvers of its organisation. `where` adds conditions on the same position and approver
        (e.g. approvers=user): given in one filter(), they name the same approver."""
        return self.filter(
            approvers__memberships__organisation=F("organisation"),
            approvers__memberships__role=Membership.Role.APPROVER,
            approvers__memberships__is_active=True,
            **where,
        )

    def holders(self, organisation_id: int, title: str) -> set[int]:
        """Ids of the users who hold the position now (one query)."""
        return set(self.holding(organisation_id=organisation_id, title=title).values_list("approvers", flat=True))


class ApprovalPosition(models.Model):
    """One step of the organisation's approval chain (หัวหน้าสำนักปลัด, ปลัด, นายก …)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="approval_positions", verbose_name=_("หน่วยงาน")
    )
    order = models.PositiveIntegerField(_("ลำดับ"))
    title = models.CharField(_("ตำแหน่ง"), max_length=200)
    acting_for = models.CharField(
        _("ปฏิบัติราชการแทน/รักษาราชการแทน"),
        max_length=200,
        blank=True,
        help_text=_("เช่น ปฏิบัติราชการแทน นายกเทศมนตรี (เว้นว่างถ้าไม่มี)"),
    )
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="approval_positions", verbose_name=_("ผู้มีสิทธิ์พิจารณา")
    )

    history = HistoricalRecords(m2m_fields=[approvers])
    objects = ApprovalPositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ลำดับการพิจารณา")
        verbose_name_plural = _("ลำดับการพิจารณา")
        ordering = ["organisation", "order"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "order"], name="position_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Submission(models.Model):
    """One pass of a document (one edition of it) through the approval chain.

    The chain's positions are copied into `steps` when the document is submitted, so later
    changes to the chain never alter a document already on its way.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("รอการพิจารณา")
        APPROVED = "approved", _("อนุมัติแล้ว")
        RETURNED = "returned", _("ส่งกลับให้แก้ไข")

    document = models.ForeignKey(
        MeasuresDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="submissions"
    )
    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, null=True, blank=True, related_name="submissions"
    )
    edition = models.PositiveIntegerField(_("ฉบับที่"), default=1)
    status = models.CharField(_("สถานะ"), max_length=16, choices=Status.choices, default=Status.PENDING)
    current_step = models.PositiveSmallIntegerField(_("ขั้นที่รอการพิจารณา"), default=0)
    steps = models.JSONField(_("ลำดับการพิจารณา"), default=list)
    snapshot = models.JSONField(_("เนื้อหาที่เสนอ"), default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("ผู้เสนอ")
    )
    submitted_at = models.DateTimeField(_("เสนอเมื่อ"))
    waiting_since = models.DateTimeField(_("รอการพิจารณาตั้งแต่"))
    closed_at = models.DateTimeField(_("สิ้นสุดเมื่อ"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("การเสนอเพื่อพิจารณา")
        verbose_name_plural = _("การเสนอเพื่อพิจารณา")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(condition=EXACTLY_ONE_TARGET, name="submission_has_one_target"),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="pending"),
                name="submission_one_pending_per_document",
                violation_error_message=_("เอกสารนี้อยู่ระหว่างการพิจารณาแล้ว"),
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(status="pending"),
                name="submission_one_pending_per_report",
                violation_error_message=_("รายงานนี้อยู่ระหว่างการพิจารณาแล้ว"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} — {self.get_status_display()}"

    @property
    def target(self) -> MeasuresDocument | ProgressReport:
        return self.document if self.document_id else self.report

    @property
    def organisation(self) -> Organisation:
        return self.target.organisation

    @property
    def organisation_id(self) -> int:
        return self.target.organisation_id

    @property
    def current(self) -> dict | None:
        if self.status != self.Status.PENDING or self.current_step >= len(self.steps):
            return None
        return self.steps[self.current_step]

    def current_approver_ids(self) -> list[int]:
        """Who may decide the current step now: named for it when it was sent and still holding
        the position (the organisation's chain may have changed since)."""
        step = self.current
        if step is None:
            return []
        holders = ApprovalPosition.objects.holders(self.organisation_id, step["title"])
        return [pk for pk in step["approver_ids"] if pk in holders and pk != self.submitted_by_id]

    def may_decide(self, user) -> bool:
        step = self.current
        return bool(step) and user.pk in step["approver_ids"] and user.pk != self.submitted_by_id


class Decision(models.Model):
    """One approver's decision at one step; never edited afterwards."""

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("เห็นชอบ")
        RETURN = "return", _("ส่งกลับให้แก้ไข")

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="decisions")
    step = models.PositiveSmallIntegerField(_("ขั้นที่"))
    position = models.CharField(_("ตำแหน่ง"), max_length=200)
    acting_for = models.CharField(_("ปฏิบัติราชการแทน"), max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions")
    name = models.CharField(_("ชื่อ-สกุล"), max_length=200)
    outcome = models.CharField(_("ผลการพิจารณา"), max_length=16, choices=Outcome.choices)
    comment = models.TextField(_("ความเห็น"), blank=True)
    decided_at = models.DateTimeField(_("เมื่อ"))

    class Meta:
        verbose_name = _("ผลการพิจารณา")
        verbose_name_plural = _("ผลการพิจารณา")
        ordering = ["submission", "step"]
        constraints = [
            # Two approvers pressing the button at once: the database keeps exactly one.
            models.UniqueConstraint(fields=["submission", "step"], name="decision_one_per_step"),
            models.CheckConstraint(
                condition=~Q(outcome="return") | ~Q(comment=""),
                name="decision_return_has_comment",
                violation_error_message=_("การส่งกลับต้องระบุความเห็น"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.get_outcome_display()}"


class Memo(models.Model):
    """The cover memo (บันทึกข้อความ) that carries a document up the chain."""

    document = models.OneToOneField(
        MeasuresDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="memo"
    )
    report = models.OneToOneField(ProgressReport, on_delete=models.CASCADE, null=True, blank=True, related_name="memo")
    department = models.CharField(_("ส่วนราชการ"), max_length=300)
    number = models.CharField(_("ที่"), max_length=100, blank=True)
    date = models.DateField(_("วันที่"), null=True, blank=True)
    subject = models.CharField(_("เรื่อง"), max_length=500)
    to = models.CharField(_("เรียน"), max_length=300)
    attachments = models.CharField(_("สิ่งที่แนบมาด้วย"), max_length=500, blank=True)
    background_heading = models.CharField(_("หัวข้อส่วนที่ ๑"), max_length=200, default="เรื่องเดิม")
    background = models.TextField(_("เรื่องเดิม"), blank=True)
    facts_heading = models.CharField(_("หัวข้อส่วนที่ ๒"), max_length=200, default="ข้อเท็จจริง")
    facts = models.TextField(_("ข้อเท็จจริง"), blank=True)
    proposal_heading = models.CharField(_("หัวข้อส่วนที่ ๓"), max_length=200, default="ข้อเสนอ")
    proposal = models.TextField(_("ข้อเสนอ"), blank=True)
    closing = models.CharField(_("คำลงท้าย"), max_length=300, default="จึงเรียนมาเพื่อโปรดทราบและพิจารณา")
    author_name = models.CharField(_("ชื่อผู้เสนอ"), max_length=200, blank=True)
    author_position = models.CharField(_("ตำแหน่งผู้เสนอ"), max_length=200, blank=True)

    # What the officer writes (the memo form, its service and the edition it is sent with).
    CONTENT_FIELDS = (
        "department",
        "number",
        "date",
        "subject",
        "to",
        "attachments",
        "background_heading",
        "background",
        "facts_heading",
        "facts",
        "proposal_heading",
        "proposal",
        "closing",
        "author_name",
        "author_position",
    )
    revision = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("บันทึกข้อความ")
        verbose_name_plural = _("บันทึกข้อความ")
        constraints = [models.CheckConstraint(condition=EXACTLY_ONE_TARGET, name="memo_has_one_target")]

    def __str__(self) -> str:
        return self.subject
