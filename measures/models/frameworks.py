"""The ITA framework of one assessment year: tools, indicators, items and rating rules.

Frameworks are data (fixtures/frameworks/*.json, editable in the admin), never code: a new
year is added by loading a new file, and codes are always keyed by (year, code).
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Framework(models.Model):
    """ITA of one assessment year (BE), e.g. ITA 2566."""

    year = models.PositiveIntegerField(_("ปีที่ประเมิน (พ.ศ.)"), unique=True)
    title = models.CharField(_("ชื่อ"), max_length=200)
    pass_mark = models.DecimalField(
        _("เกณฑ์ผ่าน"), max_digits=5, decimal_places=2, default=Decimal("85.00"), validators=SCORE_VALIDATORS
    )
    measures_item_code = models.CharField(_("ข้อ OIT ของมาตรการ"), max_length=16, blank=True)
    report_item_code = models.CharField(_("ข้อ OIT ของการดำเนินการตามมาตรการ"), max_length=16, blank=True)
    notes = models.TextField(_("หมายเหตุ"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("กรอบการประเมิน ITA")
        verbose_name_plural = _("กรอบการประเมิน ITA")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"ITA {self.year}"


class Tool(models.Model):
    """A tool (เครื่องมือ): IIT, EIT or OIT, with its weight in the total."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="tools", verbose_name=_("กรอบการประเมิน")
    )
    code = models.CharField(_("รหัส"), max_length=8)
    name = models.CharField(_("ชื่อเครื่องมือ"), max_length=200)
    weight = models.DecimalField(_("น้ำหนัก (ร้อยละ)"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("เครื่องมือการประเมิน")
        verbose_name_plural = _("เครื่องมือการประเมิน")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="tool_unique_code_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.framework.year})"


class ToolPart(models.Model):
    """A separately reported part of a tool, e.g. EIT ส่วนที่ 1 and 2 from ITA 2567."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="parts", verbose_name=_("เครื่องมือ"))
    code = models.CharField(_("รหัส"), max_length=8)
    name = models.CharField(_("ชื่อ"), max_length=200)
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)

    class Meta:
        verbose_name = _("ส่วนของเครื่องมือ")
        verbose_name_plural = _("ส่วนของเครื่องมือ")
        ordering = ["tool", "order"]
        constraints = [models.UniqueConstraint(fields=["tool", "code"], name="toolpart_unique_code")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """One of the ten indicators (ตัวชี้วัด) of a year, belonging to a tool."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("กรอบการประเมิน")
    )
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("เครื่องมือ"))
    number = models.PositiveSmallIntegerField(_("ตัวชี้วัดที่"))
    name = models.CharField(_("ชื่อตัวชี้วัด"), max_length=200)
    weight = models.DecimalField(
        _("น้ำหนักภายในเครื่องมือ"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("1"),
        help_text=_("น้ำหนักเปรียบเทียบกับตัวชี้วัดอื่นในเครื่องมือเดียวกัน (เท่ากันทั้งหมดใส่ 1)"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ตัวชี้วัด")
        verbose_name_plural = _("ตัวชี้วัด")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="indicator_unique_number_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Item(models.Model):
    """A question or OIT item (I13, E5, O42 …) of one year, under an indicator."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="items", verbose_name=_("กรอบการประเมิน")
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="items", verbose_name=_("ตัวชี้วัด"))
    code = models.CharField(_("รหัส"), max_length=16)
    title = models.CharField(_("ชื่อข้อ"), max_length=500)
    group = models.CharField(_("ตัวชี้วัดย่อย"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("ลำดับ"), default=0)
    uncertain = models.BooleanField(_("ข้อมูลยังไม่ยืนยัน"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ข้อคำถาม/ข้อมูล")
        verbose_name_plural = _("ข้อคำถาม/ข้อมูล")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="item_unique_code_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class RatingRule(models.Model):
    """A grade band or rating rule; rules are tried in order and the first match wins.

    A legacy grade band (AA 95–100 …) uses only `min_total`; the newer ratings (ผ่านดีเยี่ยม …)
    also require every tool to reach `min_tool_score`. `grade` is the letter printed beside a
    newer rating where it is known ("A คือผ่านดี"), so that a result published as a letter and
    one published as a Thai label can be recognised as the same band.
    """

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="rating_rules", verbose_name=_("กรอบการประเมิน")
    )
    order = models.PositiveIntegerField(_("ลำดับ"))
    label = models.CharField(_("ระดับ/ผลการประเมิน"), max_length=64)
    grade = models.CharField(
        _("อักษรระดับ"),
        max_length=8,
        blank=True,
        help_text=_("อักษรที่ประกาศคู่กับระดับนี้ (ถ้ามี) เช่น A ของ ผ่านดี ใช้เทียบระดับที่ประกาศเป็นอักษรกับชื่อระดับ"),
    )
    description = models.CharField(_("คำอธิบาย"), max_length=200, blank=True)
    min_total = models.DecimalField(_("คะแนนรวมขั้นต่ำ"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)
    min_tool_score = models.DecimalField(
        _("คะแนนขั้นต่ำของทุกเครื่องมือ"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    passed = models.BooleanField(_("ถือว่าผ่าน"), default=False)
    uncertain = models.BooleanField(_("ข้อมูลยังไม่ยืนยัน"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("เกณฑ์ระดับผลการประเมิน")
        verbose_name_plural = _("เกณฑ์ระดับผลการประเมิน")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "order"], name="ratingrule_unique_order"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def names(self) -> list[str]:
        """Every way this band is printed: its label and, where known, its letter."""
        return [name for name in (self.label, self.grade) if name]

    def matches(self, total: Decimal, tool_scores: list[Decimal]) -> bool:
        if total < self.min_total:
            return False
        if self.min_tool_score is not None:
            return all(score >= self.min_tool_score for score in tool_scores)
        return True
