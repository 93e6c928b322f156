"""The staff home pages: the dashboard of the user's organisations, and one organisation's page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .. import selectors, workflow
from ..access import Action, accesses_for_user, get_access, has_oversight
from ..models import Membership
from ..scoring import scorecard_for
from ..todo import todo_by_organisation


@login_required
def dashboard(request):
    # Organisations the user only oversees are on the oversight dashboard, not listed one by one here.
    accesses = [access for access in accesses_for_user(request.user) if not access.oversees_only]
    todo = todo_by_organisation(accesses, today=timezone.localdate())
    rows = [
        {
            "organisation": access.organisation,
            "access": access,
            "documents": access.organisation.documents.all(),  # prefetched by accesses_for_user
            "todo": todo.get(access.organisation.pk, []),
            "has_todo": access.organisation.pk in todo,
        }
        for access in accesses
    ]
    return render(
        request,
        "measures/dashboard.html",
        {
            "rows": rows,
            "oversees": has_oversight(request.user),
            "waiting": len(workflow.pending_for(request.user, accesses)),
            "approves": any(Membership.Role.APPROVER in access.roles for access in accesses),
        },
    )


@login_required
def organisation_home(request, org):
    access = get_access(request, org)
    organisation = access.organisation
    documents = list(selectors.documents_for(organisation))
    assessments = list(selectors.assessments_for(organisation)) if access.can(Action.VIEW) else []
    cards = [(a, scorecard_for(a)) for a in assessments]
    return render(
        request,
        "measures/organisation.html",
        {"access": access, "organisation": organisation, "documents": documents, "cards": cards},
    )
