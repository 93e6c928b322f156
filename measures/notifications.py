"""E-mail through Django's mail framework (console backend unless EMAIL_URL says otherwise).

Called after the transaction that caused them has committed. A mail server that is down must
not undo a decision: failures are logged, and `send_reminders` reminds again later.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Submission

log = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def review_url(submission: Submission) -> str:
    return absolute(reverse("measures:review", args=[submission.organisation.slug, submission.pk]))


def send(template: str, recipients: list, context: dict) -> int:
    """Render emails/<template>.txt (first line = subject) and send it to each recipient."""
    sent = 0
    for user in recipients:
        if not user.email:
            continue
        text = render_to_string(f"emails/{template}.txt", {**context, "user": user}).strip()
        subject, _, body = text.partition("\n")
        try:
            sent += send_mail(subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [user.email])
        except Exception:  # noqa: BLE001 - any transport failure; the decision itself stands
            log.exception("could not send %s to %s", template, user.email)
    return sent


def _load(submission_pk: int) -> Submission:
    return Submission.objects.select_related(
        "submitted_by", "document__organisation", "report__document__organisation"
    ).get(pk=submission_pk)


def waiting_for_decision(submission_pk: int) -> int:
    submission = _load(submission_pk)
    step = submission.current
    if step is None:
        return 0
    approvers = list(get_user_model().objects.filter(pk__in=step["approver_ids"]))
    return send("waiting", approvers, {"submission": submission, "step": step, "url": review_url(submission)})


def returned(submission_pk: int) -> int:
    submission = _load(submission_pk)
    decision = submission.decisions.order_by("-step").first()
    return send("returned", [submission.submitted_by],
                {"submission": submission, "decision": decision, "url": review_url(submission)})


def approved(submission_pk: int) -> int:
    submission = _load(submission_pk)
    return send("approved", [submission.submitted_by], {"submission": submission, "url": review_url(submission)})
