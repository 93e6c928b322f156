"""The write of an ITA result as published: its scores (services.assessment_save), the letter
grade printed beside the rating, and every other total the organisation's document states."""

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from . import services
from .models import Assessment, Framework, Organisation, StatedTotal


@transaction.atomic
def assessment_record(
    *,
    organisation: Organisation,
    framework: Framework,
    by,
    official_grade: str = "",
    stated_totals: Sequence[tuple[str, Decimal]] | None = (),
    **scores,
) -> Assessment:
    """Create or replace the organisation's result for the framework's year, as published.

    `scores` are the arguments of services.assessment_save (indicator, tool and part scores,
    official total and rating, notes); `stated_totals` the other totals as (label, value), in
    the order the document gives them (None leaves the stored ones as they are).
    """
    if stated_totals is not None and len(stated_totals) > StatedTotal.MAX_PER_ASSESSMENT:
        raise services.ServiceError(_("บันทึกคะแนนรวมอื่นได้ไม่เกิน %(n)s รายการ") % {"n": StatedTotal.MAX_PER_ASSESSMENT})
    assessment = services.assessment_save(organisation=organisation, framework=framework, by=by, **scores)
    grade = official_grade.strip()
    if assessment.official_grade != grade:
        assessment.official_grade = grade
        services.stamp(assessment, by)
        assessment.save(update_fields=["official_grade", "updated_at"])
    if stated_totals is not None:
        replace_stated_totals(assessment, stated_totals, by)
    return assessment


def replace_stated_totals(assessment: Assessment, stated_totals: Sequence[tuple[str, Decimal]], by) -> None:
    """Write the other totals in order; rows that did not change are left alone (no history row)."""
    existing = list(StatedTotal.objects.filter(assessment=assessment).order_by("order", "pk"))
    for order, (label, value) in enumerate(stated_totals, start=1):
        row = existing.pop(0) if existing else StatedTotal(assessment=assessment)
        if row.pk and (row.label, row.value, row.order) == (label.strip(), value, order):
            continue
        row.label, row.value, row.order = label.strip(), value, order
        services.stamp(row, by)
        row.save()
    for row in existing:
        services.stamp(row, by)
        row.delete()
