"""Password reset by e-mail: through the outbox, and limited per address and per client.

Django's PasswordResetView sends the message straight through the mail framework: a mail
server that is down gives the visitor a server error, and the form can be used to send any
number of messages to a colleague's inbox. Here the message goes through the outbox
(measures.notifications), so a failed send is retried by `manage.py send_reminders`, and its
link is struck from the stored copy once it has been delivered; it is built from SITE_URL, never
from the request's Host. The answer never says whether the address has an account.

Limits, per hour: RESETS_PER_ADDRESS messages to one address (counted in the outbox, so they
hold across workers and restarts: a further request sends nothing, silently, as for an unknown
address) and REQUESTS_PER_CLIENT requests from one client address (counted in the cache: a
further request is refused with a Thai message and 429).
"""

import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _

from measures import notifications
from measures.models import OutgoingEmail

RESETS_PER_ADDRESS = 3
REQUESTS_PER_CLIENT = 10
WINDOW = timedelta(hours=1)
TEMPLATE = notifications.PASSWORD_RESET


class PasswordResetForm(auth_forms.PasswordResetForm):
    def save(self, domain_override=None, use_https=False, **kwargs):
        # The link goes to SITE_URL, never to the Host the request named (a forged Host would
        # send a colleague a link to another site, with a valid token in it).
        site = urlsplit(settings.SITE_URL)
        return super().save(domain_override=site.netloc, use_https=site.scheme == "https", **kwargs)

    def get_users(self, email):
        since = timezone.now() - WINDOW
        recent = OutgoingEmail.objects.filter(template=TEMPLATE, to_address__iexact=email, created_at__gte=since)
        if recent.count() >= RESETS_PER_ADDRESS:
            return iter(())
        return super().get_users(email)

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        notifications.queue(
            recipient=context["user"], to_address=to_email, template=TEMPLATE, subject=subject, body=body
        )


def _client_key(request) -> str:
    address = get_client_ip_address(request) or "unknown"
    return "password-reset:" + hashlib.sha256(address.encode()).hexdigest()


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm

    def post(self, request, *args, **kwargs):
        key = _client_key(request)
        cache.add(key, 0, timeout=int(WINDOW.total_seconds()))
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, count := 1, timeout=int(WINDOW.total_seconds()))
        if count > REQUESTS_PER_CLIENT:
            form = self.get_form()
            form.is_valid()
            form.add_error(None, _("ขอตั้งรหัสผ่านใหม่บ่อยเกินไป กรุณารอประมาณ 1 ชั่วโมงแล้วลองใหม่ หรือติดต่อผู้ดูแลหน่วยงาน"))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)
