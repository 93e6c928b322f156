"""A mail server that is down: decisions stand, the public site answers, no message is lost (issue 8)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from measures import workflow
from measures.models import OutgoingEmail, Submission

pytestmark = pytest.mark.django_db


def test_submitting_while_the_mail_server_is_down_still_submits_and_keeps_the_mail(
    mail_server_down, client, officer, chain, measure, document, heads, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("measures:document_submit", args=[document.organisation.slug, 2566]), {"confirmed": "1"}
        )
    assert response.status_code == 302
    assert Submission.objects.get(document=document).status == Submission.Status.PENDING
    mail = OutgoingEmail.objects.get()
    assert (mail.to_address, mail.sent_at, mail.attempts) == (heads[0].email, None, 1)
    assert "ConnectionRefusedError" in mail.last_error
    assert mail.subject.startswith("[ITA] รอการพิจารณาของท่าน")


def test_public_pages_answer_while_the_mail_server_is_down(mail_server_down, client, organisation):
    assert client.get("/").status_code == 200
    assert client.get(reverse("reports:organisation", args=[organisation.slug])).status_code == 200


def test_send_reminders_delivers_what_the_mail_server_did_not_take(
    mail_server_down, officer, chain, measure, document, heads, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(target=document, by=officer)
    assert OutgoingEmail.objects.undelivered().count() == 1

    out = StringIO()
    call_command("send_reminders", "--retry-only", stdout=out)  # still down: kept, counted
    assert out.getvalue() == "Re-sent 0 earlier e-mail(s); 1 still waiting for the mail server.\n"
    assert OutgoingEmail.objects.get().attempts == 2

    mail_server_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    out = StringIO()
    call_command("send_reminders", "--retry-only", stdout=out)
    assert out.getvalue() == "Re-sent 1 earlier e-mail(s); 0 still waiting for the mail server.\n"
    assert [m.to for m in mailoutbox] == [[heads[0].email]]
    assert mailoutbox[0].subject.startswith("[ITA] รอการพิจารณาของท่าน")
    sent = OutgoingEmail.objects.get()
    assert sent.sent_at is not None and sent.attempts == 3

    call_command("send_reminders", "--retry-only", stdout=StringIO())  # nothing is sent twice
    assert len(mailoutbox) == 1


def test_a_delivered_mail_is_recorded_as_sent_at_the_first_attempt(
    officer, chain, measure, document, heads, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(target=document, by=officer)
    mail = OutgoingEmail.objects.get()
    assert mail.sent_at is not None and mail.attempts == 1 and mail.last_error == ""
    assert len(mailoutbox) == 1
