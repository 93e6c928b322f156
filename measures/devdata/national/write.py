"""Writing the planned national data: bulk inserts, one transaction per batch of organisations.

Rows are written with bulk_create; no query is made per row. The foreign keys the plan left
out (see measures.devdata.national.plan) are filled in as plain ids once their parents are
inserted. The publications are written by measures.devdata.national.publications.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model

from measures.models import (
    ApprovalPosition,
    Assessment,
    Decision,
    Evidence,
    Finding,
    IndicatorScore,
    Measure,
    MeasuresDocument,
    MeasureStep,
    Membership,
    Organisation,
    OversightScope,
    ProgressEntry,
    ProgressReport,
    Submission,
    Theme,
    ToolPartScore,
    ToolScore,
    Unit,
)

from .plan import PlannedDocument, PlannedOrganisation
from .publications import write_publications

ROWS_PER_INSERT = 2000
LARGE_ROWS_PER_INSERT = 50  # submissions carry their whole edition (~100 KB as JSON): one INSERT ~5 MB


class Writer:
    """Inserts planned organisations and counts the rows written per model ("app.Model" → n)."""

    def __init__(self, *, log: Callable[[str], None]):
        self.log = log
        self.specimens: dict[str, object] = {}  # publication kind → the Publication rendered for real
        self.counts: dict[str, int] = {}

    def insert(self, model, rows: list, size: int = ROWS_PER_INSERT) -> None:
        if rows:
            model.objects.bulk_create(rows, batch_size=size)
            label = model._meta.label
            self.counts[label] = self.counts.get(label, 0) + len(rows)

    def write(self, planned: list[PlannedOrganisation]) -> None:
        User = get_user_model()
        self.insert(Organisation, [po.organisation for po in planned])
        for po in planned:
            for unit in po.units:
                unit.organisation_id = po.organisation.pk
        self.insert(Unit, [u for po in planned for u in po.units if u._parent is None])
        for unit in (u for po in planned for u in po.units if u._parent is not None):
            unit.parent_id = unit._parent.pk
        self.insert(Unit, [u for po in planned for u in po.units if u._parent is not None])
        self.insert(User, [user for po in planned for user in (po.officer, po.approver)])
        self.insert(
            Membership,
            [
                row
                for po in planned
                for row in (
                    Membership(
                        user_id=po.officer.pk,
                        organisation_id=po.organisation.pk,
                        role=Membership.Role.OFFICER,
                        position="นิติกร",
                    ),
                    Membership(
                        user_id=po.approver.pk,
                        organisation_id=po.organisation.pk,
                        role=Membership.Role.APPROVER,
                        position=po.chain[-1],
                    ),
                )
            ],
        )
        positions = [
            (ApprovalPosition(organisation_id=po.organisation.pk, order=order, title=title), po.approver)
            for po in planned
            for order, title in enumerate(po.chain, start=1)
        ]
        self.insert(ApprovalPosition, [position for position, _ in positions])
        Approvers = ApprovalPosition.approvers.through
        self.insert(Approvers, [Approvers(approvalposition_id=p.pk, user_id=u.pk) for p, u in positions])
        for po in planned:
            for assessment, _scores in po.assessments:
                assessment.organisation_id, assessment.updated_by_id = po.organisation.pk, po.officer.pk
        self.insert(Assessment, [a for po in planned for a, _ in po.assessments])
        scores: dict[type, list] = {IndicatorScore: [], ToolScore: [], ToolPartScore: []}
        for po in planned:
            for assessment, rows in po.assessments:
                for row in rows:
                    row.assessment_id = assessment.pk
                    scores[type(row)].append(row)
        for model, rows in scores.items():
            self.insert(model, rows)
        documents = [pd for po in planned for pd in po.documents]
        for pd in documents:
            pd.document.created_by_id = pd.officer.pk
        self._write_documents(documents)

    def _write_documents(self, documents: list[PlannedDocument]) -> None:
        self.insert(MeasuresDocument, [pd.document for pd in documents])
        for pd in documents:
            for row in [pf.finding for pf in pd.findings] + pd.themes + [pm.measure for pm in pd.measures]:
                row.document_id = pd.document.pk
        self.insert(Finding, [pf.finding for pd in documents for pf in pd.findings])
        FindingIndicators = Finding.indicators.through
        self.insert(
            FindingIndicators,
            [
                FindingIndicators(finding_id=pf.finding.pk, indicator_id=i.pk)
                for pd in documents
                for pf in pd.findings
                for i in pf.indicators
            ],
        )
        self.insert(Theme, [t for pd in documents for t in pd.themes])
        measures = [pm for pd in documents for pm in pd.measures]
        for pm in measures:
            pm.measure.theme_id = pm.theme.pk if pm.theme is not None else None
        self.insert(Measure, [pm.measure for pm in measures])
        self.insert(
            MeasureStep,
            [
                MeasureStep(measure_id=pm.measure.pk, order=n, text=text)
                for pm in measures
                for n, text in enumerate(pm.steps, start=1)
            ],
        )
        units, items, indicators = Measure.units.through, Measure.items.through, Measure.indicators.through
        self.insert(units, [units(measure_id=pm.measure.pk, unit_id=u.pk) for pm in measures for u in pm.units])
        self.insert(items, [items(measure_id=pm.measure.pk, item_id=i.pk) for pm in measures for i in pm.items])
        # An item always speaks to its indicator (services.write_measure links both).
        self.insert(
            indicators,
            [
                indicators(measure_id=pm.measure.pk, indicator_id=indicator_id)
                for pm in measures
                for indicator_id in dict.fromkeys(i.indicator_id for i in pm.items)
            ],
        )
        self.insert(ProgressReport, [r for pd in documents for r in pd.reports.values()])
        entries = []
        for pd in documents:
            for pm in pd.measures:
                for round_months, entry in pm.entries.items():
                    entry.report_id, entry.measure_id = pd.reports[round_months].pk, pm.measure.pk
                    entry.updated_by_id = pd.officer.pk
                    entries.append(entry)
        self.insert(ProgressEntry, entries)
        evidence = []
        for pd in documents:
            for row, entry in pd.evidence:
                row.entry_id, row.uploaded_by_id = entry.pk, pd.officer.pk
                evidence.append(row)
        self.insert(Evidence, evidence)
        submissions = [(pd, ps) for pd in documents for ps in pd.submissions]
        for pd, ps in submissions:  # the approver's id is known only now
            for step in ps.submission.steps:
                step["approver_ids"] = [pd.approver.pk]
        self.insert(Submission, [ps.submission for _, ps in submissions], LARGE_ROWS_PER_INSERT)
        decisions = []
        for pd, ps in submissions:
            for decision in ps.decisions:
                decision.submission_id, decision.user_id = ps.submission.pk, pd.approver.pk
                decisions.append(decision)
        self.insert(Decision, decisions)
        write_publications(self, [(pd, ps) for pd, ps in submissions if ps.publication is not None])

    def oversight(self, provinces: set[tuple[str, str]], password: str) -> None:
        """One oversight account per province used, covering the province by an OversightScope."""
        users = [
            get_user_model()(
                username=f"oversight-{slug}",
                first_name="ท้องถิ่นจังหวัด",
                last_name=name,
                email=f"oversight-{slug}@national.invalid",
                password=password,
            )
            for name, slug in sorted(provinces)
        ]
        self.insert(get_user_model(), users)
        self.insert(OversightScope, [OversightScope(user_id=user.pk, province=user.last_name) for user in users])
