"""The sign-off behind a planned status: submissions, decisions, and the publication of a published target.

Each submission freezes its edition (schema 2) as workflow.submit does: exactly what
measures.editions.edition_data returns for the same rows, built from the plan in memory
(PlannedDocument.edition and report_edition).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from measures import editions
from measures.models import Decision, DocumentStatus, Submission
from reports import publishing

from .plan import PlannedDocument, PlannedSubmission

Status = DocumentStatus


def plan_signoff(
    planned: PlannedDocument,
    round_months: int | None,
    status: str,
    chain: list[str],
    when: datetime,
    rng: random.Random,
) -> None:
    """The submissions and decisions behind a status, and the publication of a published one."""
    if status == Status.DRAFT:
        if rng.random() < 0.15:  # returned once: back to draft with the approver's comment
            _submission(planned, round_months, chain, when, rng, Submission.Status.RETURNED)
        return
    outcome = Submission.Status.PENDING if status == Status.SUBMITTED else Submission.Status.APPROVED
    ps = _submission(planned, round_months, chain, when, rng, outcome)
    if status != Status.PUBLISHED:
        return
    target = planned.document if round_months is None else planned.reports[round_months]
    ps.publication = {
        "target": target,
        "kind": publishing.kind_of(target),
        "title": publishing.publication_title(ps.submission.snapshot)[:300],  # the title publish() gives
        # Added to the approved snapshot by the database (see publications.write_publications), as publish() adds it.
        "extra": {"approvals": editions.approval_rows(ps.decisions)},
        "published_at": ps.submission.closed_at + timedelta(days=rng.randint(1, 7), hours=1),
    }


def _submission(planned, round_months, chain, when, rng, outcome) -> PlannedSubmission:
    # What workflow.submit freezes, but the memo: the generator writes no memo (see measures.devdata.national).
    snapshot = planned.edition() if round_months is None else planned.report_edition(round_months)
    if outcome == Submission.Status.PENDING:
        decided = rng.randint(0, len(chain) - 1)
    elif outcome == Submission.Status.RETURNED:
        decided = rng.randint(1, len(chain))
    else:
        decided = len(chain)
    moment, decisions = when, []
    for step in range(decided):
        moment += timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 5))
        returned = outcome == Submission.Status.RETURNED and step == decided - 1
        decisions.append(
            Decision(
                step=step,
                position=chain[step],
                name=planned.approver.get_full_name(),
                decided_at=moment,
                comment="กรุณาปรับปรุงขั้นตอนการดำเนินงานให้ชัดเจน" if returned else rng.choice(["", "เห็นชอบ", "เห็นควรอนุมัติ"]),
                outcome=Decision.Outcome.RETURN if returned else Decision.Outcome.APPROVE,
            )
        )
    submission = Submission(
        document=planned.document if round_months is None else None,
        report=planned.reports[round_months] if round_months else None,
        edition=1,
        status=outcome,
        snapshot=snapshot,
        submitted_by=planned.officer,
        submitted_at=when,
        # where workflow.decide leaves it: the step waiting, or the step that decided last
        current_step=decided if outcome == Submission.Status.PENDING else decided - 1,
        waiting_since=moment,
        closed_at=None if outcome == Submission.Status.PENDING else moment,
        steps=[{"title": title, "acting_for": "", "approver_ids": []} for title in chain],
    )
    ps = PlannedSubmission(submission, decisions)
    planned.submissions.append(ps)
    return ps
