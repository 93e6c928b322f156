"""Helpers for the sign-off chain used across the tests (the fixtures are in tests/conftest.py)."""

from measures import services, workflow
from measures.models import Membership
from measures.services import MeasureData
from tests.factories import MembershipFactory, UserFactory

TITLES = ["หัวหน้าสำนักปลัด", "ปลัดเทศบาล", "นายกเทศมนตรี"]


def executive(organisation, username, role=Membership.Role.APPROVER):
    user = UserFactory(username=username, email=f"{username}@test-town.go.th")
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def rows(*approver_lists, titles=TITLES):
    return [{"title": t, "acting_for": "", "approvers": list(a)} for t, a in zip(titles, approver_lists, strict=False)]


def approve_all(submission, heads):
    for head in heads:
        workflow.decide(submission=submission, by=head, approve=True)
    submission.refresh_from_db()
    return submission


def new_edition(target, *, by, heads, title: str | None = None, approve: bool = True):
    """Reopen the published target, retitle its first measure, and take it through the chain again."""
    workflow.reopen(target=target, by=by)
    if title is not None:
        measure = target.measures.order_by("pk").first()
        data = MeasureData(title=title, number=measure.number, theme=measure.theme, all_units=True)
        services.measure_update(measure=measure, by=by, revision=None, data=data)
    if approve:
        approve_all(workflow.submit(target=target, by=by), heads)
    target.refresh_from_db()
    return target
