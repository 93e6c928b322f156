"""Progress reports of a measures document: the 6-month and 12-month rounds."""

import os

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .documents import DocumentKind, DocumentStatus, Measure, MeasuresDocument, SignOffTarget


class ProgressReport(SignOffTarget, models.Model):
    """One reporting round (รอบ ๖ เดือน / รอบ ๑๒ เดือน) of a measures document."""

    class Round(models.IntegerChoices):
        SIX_MONTHS = 6, _("รอบ 6 เดือน")
        TWELVE_MONTHS = 12, _("รอบ 12 เดือน")

    document = models.ForeignKey(MeasuresDocument, on_delete=models.CASCADE, related_name="reports")
    round = models.PositiveSmallIntegerField(_("รอบการรายงาน"), choices=Round.choices)
    introduction = models.TextField(_("บทนำ"), blank=True)
    status = models.CharField(_("สถานะ"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    edition = models.PositiveIntegerField(
        _("ฉบับที่"), default=1, editable=False, help_text=_("เพิ่มขึ้นทุกครั้งที่แก้ไขเอกสารที่อนุมัติแล้ว")
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("รายงานผลการดำเนินการตามมาตรการ")
        verbose_name_plural = _("รายงานผลการดำเนินการตามมาตรการ")
        ordering = ["document", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "round"],
                name="report_unique_round",
                violation_error_message=_("มีรายงานรอบนี้แล้ว"),
            ),
            models.CheckConstraint(condition=Q(round__in=[6, 12]), name="report_round_is_6_or_12"),
        ]

    def __str__(self) -> str:
        return f"{self.document} — {self.get_round_display()}"

    @property
    def organisation(self):
        return self.document.organisation

    @property
    def organisation_id(self) -> int:
        return self.document.organisation_id

    @property
    def fiscal_year(self) -> int:
        return self.document.fiscal_year

    @property
    def publication_kind(self) -> DocumentKind:
        return DocumentKind.of_round(self.round)

    @property
    def target_filter(self) -> dict:
        return {"report": self}

    @property
    def staff_url(self) -> tuple:
        return ("measures:round_detail", self.document.organisation.slug, self.document.fiscal_year, self.round)


class ProgressEntry(models.Model):
    """The progress of one measure in one round."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("ยังไม่ดำเนินการ")
        IN_PROGRESS = "in_progress", _("อยู่ระหว่างดำเนินการ")
        DONE = "done", _("ดำเนินการแล้วเสร็จ")
        DELAYED = "delayed", _("ล่าช้า")

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="entries")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress_entries")
    status = models.CharField(_("สถานะ"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(_("ความก้าวหน้า (ร้อยละ)"), default=0, validators=[MaxValueValidator(100)])
    summary = models.TextField(_("สรุปผลการดำเนินงาน"), blank=True)
    outcome = models.TextField(_("ผลลัพธ์/ความสำเร็จ"), blank=True)
    problems = models.TextField(_("ปัญหาอุปสรรค"), blank=True)
    suggestions = models.TextField(_("ข้อเสนอแนะ"), blank=True)
    completed_on = models.DateField(_("วันที่แล้วเสร็จ"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ผลการดำเนินการของมาตรการ")
        verbose_name_plural = _("ผลการดำเนินการของมาตรการ")
        ordering = ["report", "measure__theme__number", "measure__number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "measure"], name="entry_unique_per_measure"),
            models.CheckConstraint(
                condition=Q(percent__lte=100),
                name="entry_percent_at_most_100",
                violation_error_message=_("ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} — {self.get_status_display()}"


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    report = instance.entry.report
    return f"evidence/{report.document.organisation_id}/{report.pk}/{filename}"


class Evidence(models.Model):
    """A file or a link that shows a measure was carried out."""

    entry = models.ForeignKey(ProgressEntry, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("ชื่อหลักฐาน"), max_length=300)
    file = models.FileField(_("ไฟล์"), upload_to=evidence_upload_to, blank=True)
    url = models.URLField(_("ลิงก์"), max_length=1000, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("หลักฐาน")
        verbose_name_plural = _("หลักฐาน")
        ordering = ["entry", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""),
                name="evidence_has_file_or_url",
                violation_error_message=_("กรุณาแนบไฟล์หรือใส่ลิงก์อย่างน้อยหนึ่งอย่าง"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return os.path.basename(self.file.name) if self.file else ""
