"""The yearly measures document (มาตรการส่งเสริมคุณธรรมและความโปร่งใส) and its measures."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .frameworks import Framework, Indicator, Item, Tool
from .organisations import Organisation, Unit

FISCAL_YEAR_VALIDATORS = [MinValueValidator(2500)]


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("ร่าง")
    SUBMITTED = "submitted", _("รอการพิจารณา")
    APPROVED = "approved", _("อนุมัติแล้ว")
    PUBLISHED = "published", _("เผยแพร่แล้ว")


class DocumentKind(models.TextChoices):
    """The official documents of a fiscal year: the one list that publications, public URLs, the
    public cache and the staff tables read (a new kind of document starts here)."""

    MEASURES = "measures", _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")
    REPORT_6 = "report-6", _("รายงานผลการดำเนินการ รอบ 6 เดือน")
    REPORT_12 = "report-12", _("รายงานผลการดำเนินการ รอบ 12 เดือน")

    @classmethod
    def of_round(cls, months: int) -> "DocumentKind":
        """The report of a round of 6 or 12 months."""
        return cls(f"report-{months}")

    @classmethod
    def url_pattern(cls) -> str:
        """A regular expression matching any kind, as public URLs spell it ("measures|report-6|…")."""
        return "|".join(re.escape(kind) for kind in cls.values)


class SignOffTarget:
    """What a measures document and a progress report share as things to sign off and publish.

    Workflow, publishing, rendering and open data ask these, never "document or report?".
    """

    status: str
    edition: int

    # Set by each model: DocumentKind.MEASURES for the document; the round's report kind for a round.
    @property
    def publication_kind(self) -> DocumentKind:
        raise NotImplementedError

    @property
    def target_filter(self) -> dict:
        """Keyword arguments that select its submissions, memo and publications."""
        raise NotImplementedError

    @property
    def staff_url(self) -> tuple:
        """(URL name, *args) of its staff page."""
        raise NotImplementedError

    @property
    def is_editable(self) -> bool:
        return self.status == DocumentStatus.DRAFT


class MeasuresDocumentQuerySet(models.QuerySet):
    def for_organisation(self, organisation) -> "MeasuresDocumentQuerySet":
        return self.filter(organisation=organisation)


class MeasuresDocument(SignOffTarget, models.Model):
    """The measures of one organisation for fiscal year N, based on the ITA N−1 result."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="documents", verbose_name=_("หน่วยงาน")
    )
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"), validators=FISCAL_YEAR_VALIDATORS)
    basis_framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ผลการประเมินที่ใช้วิเคราะห์"),
        help_text=_("กรอบการประเมิน ITA ของปีก่อนหน้า ซึ่งใช้อ้างอิงตัวชี้วัดและข้อคำถาม"),
    )
    title = models.CharField(_("ชื่อเอกสาร"), max_length=300)
    introduction = models.TextField(_("บทนำ"), blank=True)
    analysis_introduction = models.TextField(
        _("บทนำของผลการวิเคราะห์"), blank=True, help_text=_("พิมพ์ก่อนผลการวิเคราะห์ เว้นว่างได้")
    )
    measures_introduction = models.TextField(
        _("บทนำของมาตรการ"), blank=True, help_text=_("พิมพ์ก่อนตารางมาตรการ เว้นว่างได้")
    )
    status = models.CharField(_("สถานะ"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    edition = models.PositiveIntegerField(
        _("ฉบับที่"), default=1, editable=False, help_text=_("เพิ่มขึ้นทุกครั้งที่แก้ไขเอกสารที่อนุมัติแล้ว")
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = MeasuresDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")
        verbose_name_plural = _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")
        ordering = ["organisation", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"],
                name="document_unique_per_year",
                violation_error_message=_("หน่วยงานนี้มีเอกสารมาตรการของปีงบประมาณนี้แล้ว"),
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500),
                name="document_fiscal_year_is_be",
                violation_error_message=_("ปีงบประมาณต้องเป็นปีพุทธศักราช"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"

    @property
    def analysed_year(self) -> int:
        return self.fiscal_year - 1

    @property
    def publication_kind(self) -> DocumentKind:
        return DocumentKind.MEASURES

    @property
    def target_filter(self) -> dict:
        return {"document": self}

    @property
    def staff_url(self) -> tuple:
        return ("measures:document_detail", self.organisation.slug, self.fiscal_year)


class Finding(models.Model):
    """One result of the analysis of the ITA N−1 result."""

    class Kind(models.TextChoices):
        URGENT = "urgent", _("ข้อบกพร่องหรือจุดอ่อนที่ต้องแก้ไขโดยเร่งด่วน")
        IMPROVE = "improve", _("ประเด็นที่ต้องพัฒนาให้ดีขึ้น")
        LIMITATION = "limitation", _("ข้อจำกัด")

    document = models.ForeignKey(MeasuresDocument, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("ประเภท"), max_length=16, choices=Kind.choices, default=Kind.IMPROVE)
    tool = models.ForeignKey(
        Tool, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("เครื่องมือ")
    )
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+", verbose_name=_("ตัวชี้วัด"))
    items = models.ManyToManyField(Item, blank=True, related_name="+", verbose_name=_("ข้อคำถาม"))
    issue_area = models.CharField(_("ประเด็น"), max_length=300, blank=True)
    text = models.TextField(_("ผลการวิเคราะห์"))
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)

    history = HistoricalRecords(m2m_fields=[indicators, items])

    class Meta:
        verbose_name = _("ผลการวิเคราะห์")
        verbose_name_plural = _("ผลการวิเคราะห์")
        ordering = ["document", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class ToolLimitation(models.Model):
    """The limitations of one ITA tool (IIT, EIT, OIT), printed as their own headed section."""

    document = models.ForeignKey(MeasuresDocument, on_delete=models.CASCADE, related_name="limitations")
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="+", verbose_name=_("เครื่องมือ"))
    text = models.TextField(_("ข้อจำกัด"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ข้อจำกัดของเครื่องมือ")
        verbose_name_plural = _("ข้อจำกัดของเครื่องมือ")
        ordering = ["document", "tool__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "tool"],
                name="limitation_unique_per_tool",
                violation_error_message=_("มีข้อจำกัดของเครื่องมือนี้ในเอกสารแล้ว"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool}: {self.text[:60]}"


class Theme(models.Model):
    """A group of measures (ด้าน…), numbered ๑, ๒ … in the printed table."""

    document = models.ForeignKey(MeasuresDocument, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveIntegerField(_("ลำดับด้าน"), validators=[MinValueValidator(1)])
    title = models.CharField(_("ชื่อด้าน"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ด้าน")
        verbose_name_plural = _("ด้าน")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"],
                name="theme_unique_number",
                violation_error_message=_("มีด้านลำดับนี้ในเอกสารแล้ว"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class MeasureQuerySet(models.QuerySet):
    def for_organisation(self, organisation) -> "MeasureQuerySet":
        return self.filter(document__organisation=organisation)

    def for_units(self, units) -> "MeasureQuerySet":
        """Measures assigned to any of the units, or to every unit (ทุกกอง/สำนัก)."""
        return self.filter(Q(units__in=units) | Q(all_units=True)).distinct()

    def overdue(self, today) -> "MeasureQuerySet":
        """Measures whose period has ended without an entry marked done ("done": ProgressEntry.Status.DONE)."""
        return self.filter(period_end__lt=today).exclude(progress_entries__status="done")

    def in_print_order(self) -> "MeasureQuerySet":
        # Measures without a theme first, on every database (SQLite and PostgreSQL sort NULL apart).
        return self.order_by(models.F("theme__number").asc(nulls_first=True), "number", "pk")


class PeriodPrecision(models.TextChoices):
    """How precisely the officer typed a measure's period: documents print it as typed."""

    DAY = "day", _("ระบุวัน")
    MONTH = "month", _("ระบุเดือน")


class Measure(models.Model):
    """A measure (มาตรการ/แนวทาง) with its steps, responsible units, period and monitoring."""

    class Source(models.TextChoices):
        LIBRARY = "library", _("คลังมาตรการแนะนำ")
        PUBLISHED = "published", _("มาตรการที่หน่วยงานอื่นเผยแพร่")

    document = models.ForeignKey(MeasuresDocument, on_delete=models.CASCADE, related_name="measures")
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="measures", verbose_name=_("ด้าน")
    )
    number = models.PositiveIntegerField(_("ลำดับ"), validators=[MinValueValidator(1)])
    number_text = models.CharField(
        _("ลำดับตามที่พิมพ์"),
        max_length=20,
        blank=True,
        help_text=_("เลขลำดับตามรูปแบบที่เจ้าหน้าที่พิมพ์ เช่น 1) หรือ (๑) ถ้าว่างจะพิมพ์ลำดับตามด้าน เช่น ๑.๒"),
    )
    title = models.TextField(_("มาตรการ/แนวทาง"))
    issue = models.TextField(_("ประเด็นที่ต้องปรับปรุงแก้ไข/พัฒนา"), blank=True)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+", verbose_name=_("ตัวชี้วัด"))
    items = models.ManyToManyField(Item, blank=True, related_name="+", verbose_name=_("ข้อคำถาม"))
    units = models.ManyToManyField(Unit, blank=True, related_name="measures", verbose_name=_("หน่วยงานผู้รับผิดชอบ"))
    all_units = models.BooleanField(_("ทุกกอง/สำนัก"), default=False)
    owner = models.CharField(_("ผู้รับผิดชอบ (บุคคล/ตำแหน่ง)"), max_length=300, blank=True)
    period_start = models.DateField(_("เริ่ม"), null=True, blank=True)
    period_end = models.DateField(_("สิ้นสุด"), null=True, blank=True)
    period_precision = models.CharField(
        _("ความละเอียดของระยะเวลา"), max_length=8, choices=PeriodPrecision.choices, default=PeriodPrecision.MONTH
    )
    whole_year = models.BooleanField(_("ตลอดปีงบประมาณ"), default=False)
    monitoring = models.TextField(_("การติดตามและรายงานผล"), blank=True)
    target = models.TextField(_("เป้าหมาย/ตัวชี้วัดความสำเร็จ"), blank=True)
    budget = models.DecimalField(_("งบประมาณ (บาท)"), max_digits=14, decimal_places=2, null=True, blank=True)
    deadline = models.DateField(_("กำหนดแล้วเสร็จ"), null=True, blank=True)
    # Where a measure copied from a suggestion came from (measures.suggestions): shown on its page and
    # in its history, never printed (editions.measure_row leaves it out).
    source = models.CharField(_("ที่มาของมาตรการ"), max_length=16, choices=Source.choices, blank=True)
    source_reference = models.CharField(_("คัดลอกจาก"), max_length=500, blank=True)
    source_url = models.CharField(_("ที่อยู่ของต้นฉบับที่เผยแพร่"), max_length=500, blank=True)
    source_key = models.CharField(_("รหัสของต้นฉบับ"), max_length=120, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[indicators, items, units])
    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("มาตรการ")
        verbose_name_plural = _("มาตรการ")
        ordering = ["document", "theme__number", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "theme", "number"],
                condition=Q(theme__isnull=False),
                name="measure_unique_number_in_theme",
                violation_error_message=_("มีมาตรการลำดับนี้ในด้านนี้แล้ว"),
            ),
            models.UniqueConstraint(
                fields=["document", "number"],
                condition=Q(theme__isnull=True),
                name="measure_unique_number_without_theme",
                violation_error_message=_("มีมาตรการลำดับนี้ในเอกสารแล้ว"),
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="measure_period_in_order",
                violation_error_message=_("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_number} {self.title[:80]}"

    @property
    def display_number(self) -> str:
        """ "1.2" for the second measure of theme 1, "3" without a theme (digits as stored)."""
        if self.theme_id:
            return f"{self.theme.number}.{self.number}"
        return str(self.number)

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม")})


class MeasureStep(models.Model):
    """One ordered step (ขั้นตอน/วิธีการปฏิบัติ) of a measure."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(_("ลำดับ"))
    text = models.TextField(_("ขั้นตอน"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ขั้นตอน")
        verbose_name_plural = _("ขั้นตอน")
        ordering = ["measure", "order"]
        constraints = [models.UniqueConstraint(fields=["measure", "order"], name="step_unique_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:60]}"
