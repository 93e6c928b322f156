"""The ITA frameworks as data: loaded from fixtures/frameworks/ (manage.py load_frameworks), or
a new year started from the previous one (framework_copy, the admin's "start ITA year N").

Frameworks are upserted by (year, code) so that re-loading a corrected file updates the data
an administrator may also edit in the admin. The demo organisations are loaded by
measures.devdata.seeds.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import models, transaction
from django.utils.translation import gettext as _

from .models import Framework, Indicator, Item, RatingRule, Tool, ToolPart
from .services import ServiceError, stamp


def read_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def decimal_or_none(value) -> Decimal | None:
    """A figure of a JSON file (number or string) as a Decimal; None when it is missing or empty."""
    return None if value in (None, "") else Decimal(str(value))


def _current(row, name: str, value):
    # Compare foreign keys by id: no query per row.
    if isinstance(value, models.Model):
        return value if getattr(row, f"{name}_id") == value.pk else None
    return getattr(row, name)


def _upsert(model, lookup: dict, values: dict):
    """update_or_create that saves (and writes a history row) only when something changed."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if _current(row, name, value) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)
    return row


@transaction.atomic
def load_framework(data: dict) -> Framework:
    framework = _upsert(
        Framework,
        {"year": data["year"]},
        {
            "title": data["title"],
            "pass_mark": decimal_or_none(data.get("pass_mark", "85")),
            "measures_item_code": data.get("measures_item_code", ""),
            "report_item_code": data.get("report_item_code", ""),
            "notes": data.get("notes", ""),
        },
    )
    tools = {}
    for t in data["tools"]:
        tool = _upsert(
            Tool,
            {"framework": framework, "code": t["code"]},
            {"name": t["name"], "weight": decimal_or_none(t["weight"]), "order": t.get("order", 0)},
        )
        tools[tool.code] = tool
        for p in t.get("parts", []):
            _upsert(ToolPart, {"tool": tool, "code": p["code"]}, {"name": p["name"], "order": p.get("order", 0)})
    indicators = {}
    for i in data["indicators"]:
        indicator = _upsert(
            Indicator,
            {"framework": framework, "number": i["number"]},
            {"name": i["name"], "tool": tools[i["tool"]], "weight": decimal_or_none(i.get("weight", "1"))},
        )
        indicators[indicator.number] = indicator
    for order, it in enumerate(data["items"], start=1):
        _upsert(
            Item,
            {"framework": framework, "code": it["code"]},
            {
                "title": it["title"],
                "indicator": indicators[it["indicator"]],
                "group": it.get("group", ""),
                "order": it.get("order", order),
                "uncertain": it.get("uncertain", False),
            },
        )
    for r in data["rating_rules"]:
        _upsert(
            RatingRule,
            {"framework": framework, "order": r["order"]},
            {
                "label": r["label"],
                "grade": r.get("grade", ""),
                "description": r.get("description", ""),
                "min_total": decimal_or_none(r["min_total"]),
                "min_tool_score": decimal_or_none(r.get("min_tool_score")),
                "passed": r.get("passed", False),
                "uncertain": r.get("uncertain", False),
            },
        )
    return framework


def load_frameworks(directory: Path) -> list[Framework]:
    return [load_framework(read_json(path)) for path in sorted(Path(directory).glob("ita-*.json"))]


@transaction.atomic
def framework_copy(*, source: Framework, year: int, by) -> Framework:
    """Start ITA `year` as a copy of `source`: tools and their parts, indicators, items, rating rules.

    The copy is a starting point to edit, not a confirmed framework: every item and rating rule
    is marked uncertain until the administrator checks it against the NACC's criteria.
    Refused (in Thai) when the year already has a framework.
    """
    # Two administrators starting the same year at once: the second waits, then is refused.
    Framework.objects.select_for_update().filter(pk=source.pk).values_list("pk", flat=True).get()
    if Framework.objects.filter(year=year).exists():
        raise ServiceError(
            _("มีกรอบการประเมิน ITA ปี %(year)s อยู่แล้ว จึงเริ่มใหม่จากปี %(source)s ไม่ได้ (แก้ไขกรอบที่มีอยู่แทน)")
            % {"year": year, "source": source.year}
        )

    def create(model, **values):
        row = model(**values)
        stamp(row, by)
        row.save()
        return row

    title = source.title.replace(str(source.year), str(year))
    framework = create(
        Framework,
        year=year,
        title=title if title != source.title else _("ITA ประจำปีงบประมาณ พ.ศ. %(year)s") % {"year": year},
        pass_mark=source.pass_mark,
        measures_item_code=source.measures_item_code,
        report_item_code=source.report_item_code,
        notes=_("คัดลอกจากกรอบการประเมิน ITA %(source)s ทุกข้อยังต้องตรวจกับเกณฑ์ที่ ป.ป.ช. ประกาศ") % {"source": source.year}
        + ("\n\n" + source.notes if source.notes else ""),
    )
    tools = {}
    for tool in source.tools.prefetch_related("parts"):
        tools[tool.pk] = create(
            Tool, framework=framework, code=tool.code, name=tool.name, weight=tool.weight, order=tool.order
        )
        for part in tool.parts.all():
            create(ToolPart, tool=tools[tool.pk], code=part.code, name=part.name, order=part.order)
    indicators = {}
    for indicator in source.indicators.all():
        indicators[indicator.pk] = create(
            Indicator,
            framework=framework,
            tool=tools[indicator.tool_id],
            number=indicator.number,
            name=indicator.name,
            weight=indicator.weight,
        )
    for item in source.items.all():
        create(
            Item,
            framework=framework,
            indicator=indicators[item.indicator_id],
            code=item.code,
            title=item.title,
            group=item.group,
            order=item.order,
            uncertain=True,
        )
    for rule in source.rating_rules.all():
        create(
            RatingRule,
            framework=framework,
            order=rule.order,
            label=rule.label,
            grade=rule.grade,
            description=rule.description,
            min_total=rule.min_total,
            min_tool_score=rule.min_tool_score,
            passed=rule.passed,
            uncertain=True,
        )
    return framework
