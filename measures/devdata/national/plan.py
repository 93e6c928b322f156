"""The national data planned in memory: organisations, documents, measures and submissions before they are written.

Editions: what measures.editions.edition_data reads, built from memory.

The bulk of the rows (measures, steps, entries, decisions …) are made without their foreign
keys, which are filled in as plain ids once their parents are inserted: setting a related
object through Django's descriptor costs more than the rest of the row. The plan keeps the
parents next to them (PlannedMeasure.theme …) so the editions read no foreign key. Each part
of an edition is made by the same function of measures.editions as edition_data uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from measures import analysis, editions
from measures.models import (
    Assessment,
    Decision,
    Evidence,
    Finding,
    Measure,
    MeasuresDocument,
    Organisation,
    ProgressEntry,
    ProgressReport,
    Submission,
    Theme,
    Unit,
)


@dataclass
class PlannedMeasure:
    measure: Measure  # without document and theme (see above)
    theme: Theme | None
    steps: list[str]
    units: list[Unit]
    items: list  # Item, in the framework's order, with its indicator
    entries: dict[int, ProgressEntry] = field(default_factory=dict)  # round → entry, without its keys

    @property
    def number(self) -> str:
        """The display number, as Measure.display_number gives it."""
        return f"{self.theme.number}.{self.measure.number}" if self.theme is not None else str(self.measure.number)

    @property
    def print_order(self) -> tuple:
        """As MeasureQuerySet.in_print_order sorts: without a theme first, then theme and number."""
        return (self.theme is not None, self.theme.number if self.theme is not None else 0, self.measure.number)

    def edition_row(self) -> dict:
        return editions.measure_row(
            self.measure,
            number=self.number,
            theme=self.theme.number if self.theme is not None else None,
            # An item always speaks to its indicator: the measure links the indicators of its items.
            indicators=sorted({i.indicator.number for i in self.items}),
            items=[i.code for i in self.items],
            steps=list(self.steps),
            units=[u.name for u in self.units],
        )


@dataclass
class PlannedSubmission:
    submission: Submission  # with its target and submitter set (few rows); approver ids filled on insert
    decisions: list[Decision]  # without submission and user
    publication: dict | None = None  # the fields of its Publication, for a published target


@dataclass
class PlannedFinding:
    finding: Finding  # without document
    tool: str  # the code of its tool
    indicators: list  # Indicator


@dataclass
class PlannedDocument:
    document: MeasuresDocument
    officer: object
    approver: object
    findings: list[PlannedFinding]
    themes: list[Theme]  # without document
    measures: list[PlannedMeasure]
    printed: PrintedOrganisation
    reports: dict[int, ProgressReport] = field(default_factory=dict)
    evidence: list[tuple[Evidence, ProgressEntry]] = field(default_factory=list)
    submissions: list[PlannedSubmission] = field(default_factory=list)
    _rows: list[dict] | None = None  # the measures' rows, the same in the document and its reports

    def _measure_rows(self) -> list[tuple[PlannedMeasure, dict]]:
        planned = sorted(self.measures, key=lambda pm: pm.print_order)
        if self._rows is None:
            self._rows = [pm.edition_row() for pm in planned]
        return list(zip(planned, self._rows, strict=True))

    def _themes(self) -> list[dict]:
        return [editions.theme_row(t) for t in self.themes]

    def edition(self) -> dict:
        """What editions.document_data reads of the document once it is written."""
        analysed = self.document.analysed_year
        return editions.measures_edition(
            self.document,
            organisation=self.printed.organisation,
            assessment=self.printed.assessments.get(analysed),
            trend=[year for number, year in sorted(self.printed.trend.items()) if number <= analysed],
            findings=[
                analysis.finding_row(
                    pf.finding,
                    tool=pf.tool,
                    indicators=[i.number for i in pf.indicators],
                    items=[],
                    indicator_names=[i.name for i in pf.indicators],
                )
                for pf in self.findings
            ],
            themes=self._themes(),
            measures=[row for _, row in self._measure_rows()],
        )

    def report_edition(self, round_months: int) -> dict:
        """What editions.report_data reads of the round's report once it is written."""
        measures = []
        for pm, row in self._measure_rows():
            entry = pm.entries.get(round_months)
            measures.append(row | {"result": editions.result_data(entry) if entry is not None else None})
        return editions.report_edition(
            self.reports[round_months],
            self.document,
            organisation=self.printed.organisation,
            themes=self._themes(),
            measures=measures,
        )


@dataclass
class PrintedOrganisation:
    """What every edition of an organisation prints of it: the organisation block, and per
    assessment year its ITA result (editions.scorecard_data) and its year of the trend."""

    organisation: dict
    assessments: dict[int, dict] = field(default_factory=dict)
    trend: dict[int, dict] = field(default_factory=dict)


@dataclass
class PlannedOrganisation:
    organisation: Organisation
    units: list[Unit]  # parents before their children; a child's parent in `_parent`
    officer: object
    approver: object
    chain: list[str]  # the titles of its approval positions
    assessments: list[tuple[Assessment, list]]  # (assessment without organisation, its score rows without it)
    printed: PrintedOrganisation
    documents: list[PlannedDocument] = field(default_factory=list)
