"""What the national generator reads once: the frameworks and the texts of the seed documents."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch

from measures.models import Framework, Tool


@dataclass
class Texts:
    """Sentences of the seed documents, to fill the synthetic measures and results."""

    titles: list[str]
    steps: list[str]
    monitoring: list[str]
    themes: list[str]
    summaries: list[str]
    outcomes: list[str]
    problems: list[str]
    suggestions: list[str]
    findings: list[str]

    @classmethod
    def from_seeds(cls) -> Texts:
        pools: dict[str, list[str]] = {name: [] for name in cls.__dataclass_fields__}
        for path in sorted((Path(settings.BASE_DIR) / "fixtures" / "demo").glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            for document in data.get("documents", []):
                pools["themes"] += [t["title"] for t in document.get("themes", [])]
                pools["findings"] += [f["text"] for f in document.get("findings", [])]
                for measure in document.get("measures", []):
                    pools["titles"].append(measure["title"])
                    pools["steps"] += measure.get("steps", [])
                    pools["monitoring"].append(measure.get("monitoring", ""))
                    for progress in measure.get("progress", {}).values():
                        for key, pool in (
                            ("summary", "summaries"),
                            ("outcome", "outcomes"),
                            ("problems", "problems"),
                            ("suggestions", "suggestions"),
                        ):
                            pools[pool].append(progress.get(key, ""))
        texts = {name: sorted({t.strip() for t in pool if t and t.strip()}) for name, pool in pools.items()}
        defaults = {
            "problems": ["งบประมาณมีจำกัด"],
            "suggestions": ["ควรดำเนินการอย่างต่อเนื่อง"],
            "findings": ["หน่วยงานควรพัฒนาการเปิดเผยข้อมูลให้ครบถ้วนและเป็นปัจจุบัน"],
        }
        for name, fallback in defaults.items():
            texts[name] = texts[name] or fallback
        return cls(**texts)


@dataclass
class FrameworkInfo:
    framework: Framework
    tools: list[Tool]
    items: list  # Item, in the framework's order, with .indicator
    items_by_indicator: dict[int, list]


def read_frameworks() -> dict[int, FrameworkInfo]:
    """Every framework in the database with its tools, indicators and items, by year."""
    tools = Tool.objects.prefetch_related("indicators", "parts").order_by("order")
    infos = {}
    for framework in Framework.objects.prefetch_related(
        Prefetch("tools", queryset=tools), "rating_rules", "items__indicator"
    ):
        items = sorted(framework.items.all(), key=lambda i: (i.order, i.pk))
        by_indicator: dict[int, list] = {}
        for item in items:
            by_indicator.setdefault(item.indicator_id, []).append(item)
        infos[framework.year] = FrameworkInfo(framework, list(framework.tools.all()), items, by_indicator)
    return infos
