"""Load ITA frameworks from the JSON files under fixtures/frameworks/ (manage.py load_frameworks).

Frameworks are upserted by (year, code) so that re-loading a corrected file updates the data
an administrator may also edit in the admin. The demo organisations are loaded by
measures.devdata.seeds.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import models, transaction

from .models import Framework, Indicator, Item, RatingRule, Tool, ToolPart


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
