"""E-mail through Django's mail framework (console backend unless EMAIL_URL says otherwise).

Called after the transaction that caused them has committed. A mail server that is down must
not undo a decision, nor lose the message: each message is written to the outbox
(OutgoingEmail) before it is sent; what the server did not take is sent again by
`manage.py send_reminders` (daily) or `manage.py send_reminders --retry-only`.

A password-reset message (measures.views.accounts) goes through the outbox too; its stored
body, which holds a link that sets the password, is struck out once the server has taken it,
and it is not sent again after the link has expired (PASSWORD_RESET_TIMEOUT).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import OutgoingEmail, Submission

log = logging.getLogger(__name__)

PASSWORD_RESET = "password_reset"  # noqa: S105 - the outbox template of reset messages
INVITATION = "invitation"  # an invitation to a new account (measures.people): its link sets the password too
SETS_PASSWORD = (PASSWORD_RESET, INVITATION)
STRUCK_OUT = "(ข้อความมีลิงก์ตั้งรหัสผ่านใหม่ จึงไม่เก็บไว้)\n"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def review_url(submission: Submission) -> str:
    return absolute(reverse("measures:review", args=[submission.organisation.slug, submission.pk]))


def send(template: str, recipients: list, context: dict) -> int:
    """Render emails/<template>.txt (first line = subject), queue it for each recipient and try to send it.

    Returns how many messages the mail server took now; the others wait in the outbox.
    """
    sent = 0
    for user in recipients:
        if not user.email:
            continue
        text = render_to_string(f"emails/{template}.txt", {**context, "user": user}).strip()
        subject, _newline, body = text.partition("\n")
        sent += queue(recipient=user, to_address=user.email, template=template, subject=subject, body=body)
    return sent


def queue(*, recipient, to_address: str, template: str, subject: str, body: str) -> int:
    """Write one message to the outbox and try to send it: 1 if the server took it now, else 0."""
    mail = OutgoingEmail.objects.create(
        recipient=recipient,
        to_address=to_address,
        template=template,
        subject=subject.strip()[:300],
        body=body.strip() + "\n",
    )
    return deliver(mail)


def deliver(mail: OutgoingEmail) -> int:
    """One attempt to hand `mail` to the mail server: 1 if it took it, 0 if not (kept for a retry)."""
    mail.attempts += 1
    try:
        send_mail(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to_address])
    except Exception as error:  # noqa: BLE001 - any transport failure; the decision itself stands
        log.warning("could not send %s to %s (attempt %s): %s", mail.template, mail.to_address, mail.attempts, error)
        mail.last_error = f"{type(error).__name__}: {error}"[:2000]
        mail.save(update_fields=["attempts", "last_error"])
        return 0
    mail.sent_at = timezone.now()
    if mail.template in SETS_PASSWORD:  # its link sets the password: not kept once delivered
        mail.body = STRUCK_OUT
    mail.save(update_fields=["attempts", "sent_at", "body"])
    return 1


def retry_undelivered(*, max_attempts: int = 20) -> tuple[int, int]:
    """Send again what the mail server did not take. Returns (sent now, still waiting)."""
    sent = waiting = 0
    expired = timezone.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    stale = OutgoingEmail.objects.undelivered().filter(template__in=SETS_PASSWORD, created_at__lt=expired)
    stale.exclude(body=STRUCK_OUT).update(body=STRUCK_OUT, last_error=_("ลิงก์ตั้งรหัสผ่านหมดอายุก่อนส่งได้ จึงไม่ส่งอีก"))
    pending = (
        OutgoingEmail.objects.undelivered()
        .filter(attempts__lt=max_attempts)
        .exclude(template__in=SETS_PASSWORD, created_at__lt=expired)
    )
    for mail in pending.iterator():
        if deliver(mail):
            sent += 1
        else:
            waiting += 1
    return sent, waiting


def _load(submission_pk: int) -> Submission:
    return Submission.objects.select_related(
        "submitted_by", "document__organisation", "report__document__organisation"
    ).get(pk=submission_pk)


def waiting_for_decision(submission_pk: int) -> int:
    submission = _load(submission_pk)
    step = submission.current
    if step is None:
        return 0
    approvers = list(get_user_model().objects.filter(pk__in=submission.current_approver_ids()))
    return send("waiting", approvers, {"submission": submission, "step": step, "url": review_url(submission)})


def returned(submission_pk: int) -> int:
    submission = _load(submission_pk)
    decision = submission.decisions.order_by("-step").first()
    return send(
        "returned",
        [submission.submitted_by],
        {"submission": submission, "decision": decision, "url": review_url(submission)},
    )


def approved(submission_pk: int) -> int:
    submission = _load(submission_pk)
    return send("approved", [submission.submitted_by], {"submission": submission, "url": review_url(submission)})
