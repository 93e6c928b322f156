"""Reads built for the staff pages, with the joins they need (query counts stay flat)."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from .models import (
    Assessment,
    Framework,
    Measure,
    MeasuresDocument,
    Organisation,
    ProgressEntry,
    ProgressReport,
    Tool,
)


def framework_with_structure(year: int) -> Framework | None:
    tools = Tool.objects.prefetch_related("indicators", "parts").order_by("order")
    return (
        Framework.objects.prefetch_related(Prefetch("tools", queryset=tools), "rating_rules")
        .filter(year=year)
        .first()
    )


def assessments_for(organisation: Organisation) -> QuerySet[Assessment]:
    tools = Tool.objects.prefetch_related("indicators", "parts").order_by("order")
    return (
        Assessment.objects.filter(organisation=organisation)
        .select_related("framework")
        .prefetch_related(
            Prefetch("framework__tools", queryset=tools),
            "framework__rating_rules",
            "indicator_scores__indicator",
            "tool_scores__tool",
            "part_scores__part",
        )
        .order_by("framework__year")
    )


def documents_for(organisation: Organisation) -> QuerySet[MeasuresDocument]:
    return (
        MeasuresDocument.objects.filter(organisation=organisation)
        .prefetch_related("reports")
        .order_by("-fiscal_year")
    )


def measures_for_table(document: MeasuresDocument) -> QuerySet[Measure]:
    """The document's measures with what the table shows, and the latest round's status."""
    latest = ProgressEntry.objects.filter(measure=OuterRef("pk")).order_by("-report__round")
    return (
        document.measures.select_related("theme")
        .prefetch_related("units", "indicators", "items", "steps")
        .annotate(latest_status=Subquery(latest.values("status")[:1]))
        .in_print_order()
    )


def entries_for_table(report: ProgressReport, measures: QuerySet[Measure]) -> QuerySet[ProgressEntry]:
    return (
        report.entries.filter(measure__in=measures)
        .select_related("measure__theme", "updated_by")
        .prefetch_related("measure__units", "evidence")
        .order_by("measure__theme__number", "measure__number", "measure__pk")
    )


# --- Snapshots of what is submitted (for approved editions and their diffs) --------------


def _measure_snapshot(measure: Measure) -> dict:
    from . import thai

    period = ""
    if measure.whole_year:
        period = "ตลอดปีงบประมาณ"
    elif measure.period_start and measure.period_end:
        period = thai.format_month_range(measure.period_start, measure.period_end, thai_digits=False)
    units = (["ทุกกอง/สำนัก"] if measure.all_units else []) + [u.name for u in measure.units.all()]
    return {
        "number": measure.display_number,
        "title": measure.title,
        "issue": measure.issue,
        "items": [i.code for i in measure.items.all()],
        "steps": [s.text for s in measure.steps.all()],
        "units": units,
        "owner": measure.owner,
        "period": period,
        "monitoring": measure.monitoring,
        "target": measure.target,
    }


def document_snapshot(document: MeasuresDocument) -> dict:
    """The content of a measures document as plain data (what the approvers approve)."""
    measures = document.measures.select_related("theme").prefetch_related("units", "items", "steps").in_print_order()
    return {
        "kind": "document",
        "title": document.title,
        "introduction": document.introduction,
        "findings": [
            {"kind": f.get_kind_display(), "text": f.text}
            for f in document.findings.all()
        ],
        "themes": [{"number": t.number, "title": t.title} for t in document.themes.all()],
        "measures": [_measure_snapshot(m) for m in measures],
    }


def report_snapshot(report: ProgressReport) -> dict:
    entries = report.entries.select_related("measure__theme").order_by(
        "measure__theme__number", "measure__number", "measure__pk"
    )
    return {
        "kind": "report",
        "title": f"{report.document.title} — {report.get_round_display()}",
        "introduction": report.introduction,
        "entries": [
            {
                "number": e.measure.display_number,
                "title": e.measure.title,
                "status": e.get_status_display(),
                "percent": e.percent,
                "summary": e.summary,
                "outcome": e.outcome,
                "problems": e.problems,
                "suggestions": e.suggestions,
                "completed_on": e.completed_on.isoformat() if e.completed_on else "",
            }
            for e in entries
        ],
    }


SNAPSHOT_LABELS = {
    "title": "ชื่อเอกสาร", "introduction": "บทนำ", "issue": "ประเด็น", "items": "ข้อคำถาม", "steps": "ขั้นตอน",
    "units": "ผู้รับผิดชอบ", "owner": "ผู้รับผิดชอบ (บุคคล)", "period": "ระยะเวลา", "monitoring": "การติดตามผล",
    "target": "เป้าหมาย", "status": "สถานะ", "percent": "ร้อยละ", "summary": "สรุปผลการดำเนินงาน",
    "outcome": "ผลลัพธ์", "problems": "ปัญหาอุปสรรค", "suggestions": "ข้อเสนอแนะ", "completed_on": "วันที่แล้วเสร็จ",
}


def snapshot_lines(snapshot: dict) -> dict[str, str]:
    """Flatten a snapshot into 'where → text' pairs that can be compared one by one."""
    lines: dict[str, str] = {}

    def text(value) -> str:
        if isinstance(value, list):
            return "\n".join(f"{n}. {v}" for n, v in enumerate(value, start=1))
        return str(value)

    for key in ("title", "introduction"):
        lines[SNAPSHOT_LABELS[key]] = text(snapshot.get(key, ""))
    for n, finding in enumerate(snapshot.get("findings", []), start=1):
        lines[f"ผลการวิเคราะห์ {n}"] = f"{finding['kind']}: {finding['text']}"
    for theme in snapshot.get("themes", []):
        lines[f"ด้านที่ {theme['number']}"] = theme["title"]
    for row in snapshot.get("measures", []) + snapshot.get("entries", []):
        where = f"มาตรการ {row['number']}"
        lines[where] = row["title"]
        for key, value in row.items():
            if key not in ("number", "title"):
                lines[f"{where} — {SNAPSHOT_LABELS[key]}"] = text(value)
    return lines


def snapshot_diff(old: dict, new: dict) -> list[dict]:
    """What changed between two snapshots: [{'where', 'old', 'new'}], in reading order."""
    before, after = snapshot_lines(old), snapshot_lines(new)
    keys = list(dict.fromkeys([*before, *after]))
    return [
        {"where": key, "old": before.get(key, ""), "new": after.get(key, "")}
        for key in keys
        if before.get(key, "") != after.get(key, "")
    ]
