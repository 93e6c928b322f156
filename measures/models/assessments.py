"""An organisation's ITA result of one year: the official figures as published."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .frameworks import SCORE_VALIDATORS, Framework, Indicator, Item, Tool, ToolPart
from .organisations import Organisation


def score_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs)


class Assessment(models.Model):
    """The ITA result of one organisation for one assessment year (as published by NACC).

    Official figures are stored as entered: the main total, the rating as printed (a letter
    grade such as "A", a Thai label such as "ผ่านดี", or both) and, where the document states
    more than one total, each of them (StatedTotal). The computed figures and the check of
    every stated figure come from `measures.scoring`.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("หน่วยงาน")
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("ปีที่ประเมิน")
    )
    official_total = score_field(_("คะแนนรวมที่ประกาศ"), null=True, blank=True)
    official_grade = models.CharField(
        _("อักษรระดับที่ประกาศ"), max_length=8, blank=True, help_text=_("ตามที่พิมพ์ในประกาศผล เช่น A หรือ AA")
    )
    official_rating = models.CharField(
        _("ระดับผลการประเมินที่ประกาศ"),
        max_length=64,
        blank=True,
        help_text=_("ชื่อระดับตามที่พิมพ์ในประกาศผล เช่น ผ่านดี หรือ ผ่านดีเยี่ยม"),
    )
    notes = models.TextField(_("หมายเหตุ"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ผลการประเมิน ITA")
        verbose_name_plural = _("ผลการประเมิน ITA")
        ordering = ["organisation", "-framework__year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "framework"],
                name="assessment_unique_per_year",
                violation_error_message=_("หน่วยงานนี้มีผลการประเมินของปีนี้แล้ว"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — ITA {self.framework.year}"

    @property
    def year(self) -> int:
        return self.framework.year


class StatedTotal(models.Model):
    """Another total the organisation's document states beside the main one, with its label.

    E.g. the total before rounding, or a total printed elsewhere in the document. Each is
    checked against the computation on its own, so the check says which one differs.
    """

    MAX_PER_ASSESSMENT = 5

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="stated_totals")
    label = models.CharField(_("ระบุว่าเป็นคะแนนรวมใด"), max_length=200)
    value = models.DecimalField(_("คะแนนรวม"), max_digits=7, decimal_places=4, validators=SCORE_VALIDATORS)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("คะแนนรวมอื่นที่ประกาศ")
        verbose_name_plural = _("คะแนนรวมอื่นที่ประกาศ")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


class ToolScore(models.Model):
    """The official score of one tool (IIT/EIT/OIT) as published."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="tool_scores")
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="+")
    score = score_field(_("คะแนน"))

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "tool"], name="toolscore_unique")]

    def __str__(self) -> str:
        return f"{self.tool.code} {self.score}"


class ToolPartScore(models.Model):
    """The score of a separately reported part of a tool (EIT ส่วนที่ 1/2)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="part_scores")
    part = models.ForeignKey(ToolPart, on_delete=models.PROTECT, related_name="+")
    score = score_field(_("คะแนน"))

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "part"], name="toolpartscore_unique")]

    def __str__(self) -> str:
        return f"{self.part.code} {self.score}"


class IndicatorScore(models.Model):
    """The score of one of the ten indicators."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="indicator_scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    score = score_field(_("คะแนน"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="indicatorscore_unique")]

    def __str__(self) -> str:
        return f"{self.indicator.number}: {self.score}"


class ItemResult(models.Model):
    """Optional item-level result, e.g. an OIT item that scored 0."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="item_results")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    score = score_field(_("คะแนน"), null=True, blank=True)
    note = models.CharField(_("หมายเหตุ"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="itemresult_unique")]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.score}"
