"""The reading view of a published document: what a phone reads, from the publication's frozen data.

The print layout (a landscape table of five or six columns) stays for the print view and the
PDF. The public page shows the same edition as a list of sections and themes to jump to, the
sections the print has (introductions, the ITA result, the analysis, the limitations), and one
card per measure: its number and title as printed, then each field under the label the
organisation's layout prints over its column; for a report the status of each measure with its
results, and the count of measures by status for each theme and for the whole report.

Everything is read from ``Publication.data`` (the edition frozen at submission, never the live
tables) and worded by the print's own helpers: the cells of each printed row
(reports.documents), the context of the print (reports.rendering), the headings of the analysis
(measures.analysis). Keys added to editions later (introductions, limitations, finding headings)
are read with ``.get``: an edition frozen before them shows what it printed when approved.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from measures import analysis, editions, thai
from measures.models import Organisation, ProgressEntry

from .. import documents, linebreaks, rendering
from ..templatetags.documents import doc_text

Status = ProgressEntry.Status

# The order of the statuses in every count: what is done first, what has not started last.
STATUS_ORDER = [Status.DONE, Status.IN_PROGRESS, Status.DELAYED, Status.NOT_STARTED]

# Fields that no layout prints as a column of its own: the card labels them itself.
OWN_LABELS = {
    "target": "เป้าหมาย/ตัวชี้วัด",
    "problems": "ปัญหาอุปสรรค",
    "suggestions": "ข้อเสนอแนะ",
}


# The fields of a measure's plan that a report's card folds away (its units and period stay in view).
PLAN_KEYS = {"issue", "steps", "monitoring", "target"}


@dataclass
class Field:
    """One labelled part of a card: text (kept as typed, line breaks and all), a list, or steps."""

    key: str
    label: str
    value: str | list
    html: object = ""  # the value as printed (reading_html): escaped, digits, names kept whole


@dataclass
class Card:
    anchor: str
    number: str  # as printed, in the organisation's digits
    heading: str  # the number and title as the print's first column prints them
    fields: list[Field]
    heading_html: str = ""  # as printed (reading_html)
    plan: list[Field] = field(default_factory=list)  # a report's plan (steps, monitoring, …): folded
    status: str = ""  # a report's: ProgressEntry.Status
    status_label: str = ""
    results: list[Field] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)  # {"url", "title"}


@dataclass
class Count:
    status: str
    label: str
    count: int
    count_text: str  # in the organisation's digits


@dataclass
class Group:
    """The measures of one theme (heading as the print's theme row), or measures without a theme."""

    anchor: str
    heading: str
    cards: list[Card]
    counts: list[Count] = field(default_factory=list)

    @property
    def counts_text(self) -> str:
        return " · ".join(f"{c.label} {c.count_text}" for c in self.counts)


@dataclass
class Part:
    """A heading and its text: a finding, the limitations of one tool."""

    heading: str
    text: str


@dataclass
class Reading:
    kind: str  # "measures" | "report"
    thai_digits: bool
    groups: list[Group]
    counts: list[Count] = field(default_factory=list)
    measure_count: str = ""
    analysis_introduction: str = ""
    findings: list[Part] = field(default_factory=list)
    limitations_heading: str = ""
    limitations: list[Part] = field(default_factory=list)
    measures_introduction: str = ""

    @property
    def counts_text(self) -> str:
        return " · ".join(f"{c.label} {c.count_text}" for c in self.counts)

    @property
    def themed(self) -> bool:
        return any(g.heading for g in self.groups)


def _labels(layout: str, kind: str) -> dict[str, str]:
    """The label of each field: as the organisation's layout prints it over its column (a report's
    columns first, then its document's), else as the default layout does."""
    labels = dict(OWN_LABELS)
    for source in (Organisation.Layout.THEMES_12M, layout):
        for columns in ("measures", kind):
            labels |= {c.key: c.label for c in documents.columns_for(source, columns)}
    return labels


def _present(value) -> bool:
    return bool(value.strip() if isinstance(value, str) else value)


def _fields(cells: dict, keys: list[str], labels: dict[str, str]) -> list[Field]:
    return [Field(key, labels[key], cells[key]) for key in keys if _present(cells.get(key))]


def evidence_links(result: dict) -> list[dict]:
    """The evidence of a result, when the edition carries any: web addresses only (http, https)."""
    links = []
    for item in result.get("evidence") or []:
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict):
            continue
        url = str(item.get("url") or "").strip()
        if url.startswith(("https://", "http://")):
            title = str(item.get("title") or item.get("name") or item.get("label") or "").strip()
            links.append({"url": url, "title": title or url})
    return links


def _card(n: int, row: documents.Row, measure: dict, *, report: bool, layout: str, labels: dict) -> Card:
    # The units on one line as texts.units_text joins them (with the owner the print adds).
    cells = dict(row.cells) | {"units": ", ".join(row.cells.get("units") or []), "target": measure.get("target", "")}
    keys = ["steps", "units", "period", "monitoring", "target"]
    issue = cells.get("issue", "")
    printed = {c.key for c in documents.columns_for(layout, "report" if report else "measures")}
    if "issue" in printed and issue.strip() and issue != cells["title"]:
        keys.insert(0, "issue")
    card = Card(anchor=f"m{n}", number=row.number, heading=cells["title"], fields=_fields(cells, keys, labels))
    if report:
        # A report is read for its results: the plan's longer fields fold away under the units and period.
        card.plan = [f for f in card.fields if f.key in PLAN_KEYS]
        card.fields = [f for f in card.fields if f.key not in PLAN_KEYS]
        result = measure.get("result") or {}
        card.status = result.get("status") or Status.NOT_STARTED
        card.status_label = cells.get("status") or Status(card.status).label
        # The print's summary says the status when nothing was written: the card shows it once.
        summary = (
            cells.get("summary", "") if (result.get("summary") or "").strip() or result.get("completed_on") else ""
        )
        values = {
            "summary": summary,
            "outcome": result.get("outcome", ""),
            "problems": result.get("problems", ""),
            "suggestions": result.get("suggestions", ""),
        }
        card.results = [Field(key, labels[key], value) for key, value in values.items() if _present(value)]
        card.evidence = evidence_links(result)
    return card


def status_counts(measures: list[dict], thai_digits: bool) -> list[Count]:
    """How many measures have each status, in STATUS_ORDER (none left out: a measure without a
    result counts as not started, as the print says); only the statuses that occur."""
    tally: dict[str, int] = {}
    labels: dict[str, str] = {}
    for measure in measures:
        result = measure.get("result") or {}
        status = result.get("status") or Status.NOT_STARTED
        tally[status] = tally.get(status, 0) + 1
        labels.setdefault(status, result.get("status_label") or Status(status).label)
    order = [*STATUS_ORDER, *sorted(set(tally) - set(STATUS_ORDER))]
    return [
        Count(status, labels[status], tally[status], thai.digits(tally[status], thai_digits=thai_digits))
        for status in order
        if status in tally
    ]


def _groups(data: dict, doc: documents.DocumentData) -> list[Group]:
    """The cards grouped by theme, in print order, from the rows the print makes (a theme row opens
    a theme, as in measures' order; a measure without a theme after themed ones opens a group of its own)."""
    report = data["kind"] == "report"
    layout = data["organisation"].get("layout", "")
    labels = _labels(layout, data["kind"])
    theme_rows = iter(r for r in doc.rows if r.is_theme)
    measure_rows = [r for r in doc.rows if not r.is_theme]
    groups: list[Group] = []
    members: list[list[dict]] = []
    current = object()
    for n, (row, measure) in enumerate(zip(measure_rows, data["measures"], strict=True), start=1):
        if measure["theme"] != current:
            current = measure["theme"]
            heading = next(theme_rows).cells["title"] if current is not None else ""
            anchor = f"theme-{current}" if current is not None else f"measures-{len(groups) + 1}"
            groups.append(Group(anchor=anchor, heading=heading, cards=[]))
            members.append([])
        groups[-1].cards.append(_card(n, row, measure, report=report, layout=layout, labels=labels))
        members[-1].append(measure)
    if report:
        for group, measures in zip(groups, members, strict=True):
            group.counts = status_counts(measures, doc.thai_digits)
    return groups


def reading(data: dict, doc: documents.DocumentData) -> Reading:
    digits = doc.thai_digits
    view = Reading(
        kind=data["kind"],
        thai_digits=digits,
        groups=_groups(data, doc),
        measure_count=thai.digits(len(data["measures"]), thai_digits=digits),
        measures_introduction=data.get("measures_introduction") or "",
    )
    if data["kind"] == "report":
        view.counts = status_counts(data["measures"], digits)
    else:
        view.analysis_introduction = data.get("analysis_introduction") or ""
        view.findings = [Part(analysis.finding_heading(f), f["text"]) for f in data.get("findings") or []]
        view.limitations = [Part(analysis.limitation_heading(x), x["text"]) for x in data.get("limitations") or []]
        view.limitations_heading = analysis.LIMITATIONS_HEADING
    return view


def reading_context(data: dict) -> dict | None:
    """What the reading view of a publication prints: the print's own context (scores, charts,
    approvals, section numbers) and the cards; None for a version published before editions
    carried their whole data (its page shows the print layout as it was stored)."""
    if data.get("schema") != editions.SCHEMA:
        return None
    context = rendering.edition_context(data, draft=False, approvals=data.get("approvals") or [])
    return context | {"view": reading(data, context["data"])}


class Printed:
    """Typed text as the print prints it (the doc_text filter: escaped, Thai digits in prose, names,
    dates and official compounds kept whole at line ends), worked out once per distinct text of a
    render: the units of a measure, the markers of steps and the labels repeat on every card."""

    def __init__(self, thai_digits: bool):
        self.thai_digits = thai_digits
        self.done: dict[str, str] = {}

    def __call__(self, text) -> str:
        text = "" if text is None else str(text)
        if text not in self.done:
            self.done[text] = doc_text(text, self.thai_digits)
        return self.done[text]

    def value(self, value):
        """A field's value: text, or the steps (numbering.StepLine) with marker and text printed."""
        if not isinstance(value, list):
            return self(value)
        return [
            step._replace(marker=self(step.marker) if step.marker else "", text=self(step.text))
            if hasattr(step, "_replace")
            else self(step)
            for step in value
        ]


def _print_cards(view: Reading, printed: Printed) -> None:
    for group in view.groups:
        for card in group.cards:
            card.heading_html = printed(card.heading)
            for f in (*card.fields, *card.plan, *card.results):
                f.html = printed.value(f.value)


def reading_html(data: dict) -> str | None:
    """The reading view as HTML, its names, dates and official compounds kept whole at line ends
    as the print keeps them (reports.linebreaks); None without a reading view (see reading_context).

    Typed text goes through the print's doc_text filter, once per distinct text (Printed); the
    print's second pass over the whole page (rendering.render_kept) is left out: it would search
    every label again for every name, and more than double the time of a page of 200 measures."""
    context = reading_context(data)
    if context is None:
        return None
    # Each name once: every measure repeats its units, and each text is searched for every name.
    names = list(dict.fromkeys(linebreaks.edition_names(data, data.get("approvals") or [])))
    with linebreaks.protecting(names):
        _print_cards(context["view"], Printed(context["thai_digits"]))
        html = render_to_string("reports/public/_reading.html", {"reading": context})
    return mark_safe(html)  # noqa: S308 - a template's output, escaped there
