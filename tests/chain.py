"""Helpers for the sign-off chain used across the tests (the fixtures are in tests/conftest.py)."""

from measures import workflow
from measures.models import Membership
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
