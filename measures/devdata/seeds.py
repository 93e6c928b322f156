"""Demo organisations from the seed documents under fixtures/demo/ (one JSON file each).

Demo organisations are built through the same services the screens use, so the demo exercises
the real write paths.
"""

from datetime import date

from django.db import transaction

from measures import services
from measures.loaders import decimal_or_none
from measures.models import Framework, Memo, Organisation, ProgressEntry, Signatory, Unit

# Titles a seed prints against the name ("นางสาวพอลาณ คนตรง"), the longest first.
TITLES = ("นางสาว", "นาง", "นาย")


def split_title(name: str) -> tuple[str, str, str]:
    """ "นางสาวพอลาณ คนตรง" → ("นางสาว", "พอลาณ", "คนตรง"): the Profile's title, the first and last names."""
    first, _space, last = " ".join(name.split()).partition(" ")
    title = next((t for t in TITLES if first.startswith(t) and len(first) > len(t)), "")
    return title, first.removeprefix(title), last


def _date(value) -> date | None:
    return date.fromisoformat(value) if value else None


def _create_units(organisation: Organisation, nodes: list[dict], parent: Unit | None = None, start: int = 0) -> int:
    order = start
    for node in nodes:
        order += 1
        unit, _ = Unit.objects.get_or_create(
            organisation=organisation,
            name=node["name"],
            defaults={"kind": node.get("kind", Unit.Kind.DIVISION), "parent": parent, "order": order},
        )
        order = _create_units(organisation, node.get("children", []), unit, order)
    return order


@transaction.atomic
def load_demo_organisation(data: dict, *, by) -> Organisation:
    """Create one organisation with its units, scores, documents and rounds from a demo file."""
    o = data["organisation"]
    organisation = Organisation.objects.create(
        name=o["name"],
        kind=o["kind"],
        district=o.get("district", ""),
        province=o.get("province", ""),
        slug=o["slug"],
        website=o.get("website", ""),
        thai_digits=o.get("thai_digits", True),
        report_layout=o.get("report_layout", Organisation.Layout.THEMES_12M),
    )
    _create_units(organisation, data.get("units", []))
    units = {u.name: u for u in organisation.units.all()}
    for order, s in enumerate(data.get("signatories", []), start=1):
        Signatory.objects.create(
            organisation=organisation,
            order=order,
            name=s["name"],
            position=s["position"],
            acting_for=s.get("acting_for", ""),
        )
    for a in data.get("assessments", []):
        framework = Framework.objects.prefetch_related("tools__indicators", "tools__parts").get(year=a["year"])
        indicators = {i.number: i for i in framework.indicators.all()}
        tools = {t.code: t for t in framework.tools.all()}
        services.assessment_save(
            organisation=organisation,
            framework=framework,
            by=by,
            indicator_scores={indicators[int(n)]: decimal_or_none(v) for n, v in a["indicators"].items()},
            tool_scores={tools[c]: decimal_or_none(v) for c, v in a.get("tools", {}).items()},
            official_total=decimal_or_none(a.get("official_total")),
            official_rating=a.get("official_rating", ""),
        )
    for d in data.get("documents", []):
        _load_document(organisation, d, units, by)
    if data.get("memo"):
        _load_memo(organisation, data["memo"], data.get("signatories", []), by)
    return organisation


def _load_memo(organisation: Organisation, m: dict, signatories: list[dict], by) -> None:
    """The cover memo as printed in the seed, with its author (the first signatory)."""
    document = organisation.documents.get(fiscal_year=m["fiscal_year"])
    author = signatories[0] if signatories else {"name": "", "position": ""}
    memo = Memo(
        document=document,
        department=m.get("department", ""),
        number=m.get("number", ""),
        date=_date(m.get("date")),
        subject=m.get("subject", ""),
        to=m.get("to", ""),
        attachments=m.get("attachments", ""),
        background=m.get("background", ""),
        facts=m.get("facts", ""),
        proposal=m.get("proposal", ""),
        closing=m.get("closing") or "จึงเรียนมาเพื่อโปรดทราบและพิจารณา",
        author_name=author["name"],
        author_position=author["position"],
    )
    services.stamp(memo, by)
    memo.save()


def _load_document(organisation: Organisation, d: dict, units: dict[str, Unit], by) -> None:
    document = services.document_create(
        organisation=organisation,
        fiscal_year=d["fiscal_year"],
        by=by,
        title=d.get("title", ""),
        introduction=d.get("introduction", ""),
    )
    framework = document.basis_framework
    indicators = {i.number: i for i in framework.indicators.all()} if framework else {}
    items = {i.code: i for i in framework.items.select_related("indicator")} if framework else {}
    tools = {t.code: t for t in framework.tools.all()} if framework else {}
    for f in d.get("findings", []):
        services.finding_save(
            document=document,
            by=by,
            indicators=[indicators[n] for n in f.get("indicators", []) if n in indicators],
            items=[items[c] for c in f.get("items", []) if c in items],
            kind=f.get("kind", "improve"),
            tool=tools.get(f.get("tool") or ""),
            issue_area=f.get("issue_area", ""),
            text=f["text"],
        )
    themes = {
        t["number"]: services.theme_save(document=document, by=by, number=t["number"], title=t["title"])
        for t in d.get("themes", [])
    }
    measures = []
    for m in d.get("measures", []):
        data = services.MeasureData(
            title=m["title"],
            number=m["number"],
            theme=themes.get(m.get("theme")),
            issue=m.get("issue", ""),
            steps=m.get("steps", []),
            units=[units[name] for name in m.get("units", [])],
            all_units=m.get("all_units", False),
            indicators=[indicators[n] for n in m.get("indicators", []) if n in indicators],
            items=[items[c] for c in m.get("items", []) if c in items],
            owner=m.get("owner", ""),
            period_start=_date(m.get("period_start")),
            period_end=_date(m.get("period_end")),
            whole_year=m.get("whole_year", False),
            monitoring=m.get("monitoring", ""),
            target=m.get("target", ""),
            budget=decimal_or_none(m.get("budget")),
            deadline=_date(m.get("deadline")),
        )
        measures.append((services.measure_create(document=document, by=by, data=data), m.get("progress", {})))
    rounds = sorted({int(r) for _, progress in measures for r in progress})
    for round_months in rounds:
        report = services.report_start(document=document, round_months=round_months, by=by)
        introduction = d.get("report_introductions", {}).get(str(round_months), "")
        if introduction:
            services.report_update(report=report, by=by, revision=None, introduction=introduction)
        entries = {e.measure_id: e for e in report.entries.all()}
        for measure, progress in measures:
            p = progress.get(str(round_months))
            if not p:
                continue
            entry = entries[measure.pk]
            services.entry_update(
                entry=entry,
                by=by,
                revision=None,
                status=p.get("status", ProgressEntry.Status.NOT_STARTED),
                percent=int(p.get("percent", 0)),
                summary=p.get("summary", ""),
                outcome=p.get("outcome", ""),
                problems=p.get("problems", ""),
                suggestions=p.get("suggestions", ""),
                completed_on=_date(p.get("completed_on")),
            )
