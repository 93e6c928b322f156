"""Daily reminders by e-mail (run it from cron): late approvals, rounds due, overdue measures."""

from collections import defaultdict
from datetime import date
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from measures import notifications, thai, workflow


class Command(BaseCommand):
    help = "E-mail each user a digest of what waits for them: approvals, progress rounds due, overdue measures."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Pretend today is this ISO date (for tests).")
        parser.add_argument("--approval-days", type=int, default=settings.REMINDER_APPROVAL_DAYS)
        parser.add_argument("--days-before", type=int, default=settings.REMINDER_DAYS_BEFORE_DUE)
        parser.add_argument(
            "--retry-only",
            action="store_true",
            help="Only send again the e-mails the mail server did not take earlier.",
        )

    def handle(self, *args, today=None, approval_days, days_before, retry_only=False, **options):
        # First what is owed from earlier (a mail server that was down): nothing is lost.
        resent, waiting = notifications.retry_undelivered()
        if resent or waiting or retry_only:
            self.stdout.write(f"Re-sent {resent} earlier e-mail(s); {waiting} still waiting for the mail server.")
        if retry_only:
            return
        today = today or timezone.localdate()
        now = (
            timezone.now()
            if today == timezone.localdate()
            else timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time()))
        )
        items: dict[int, list[dict]] = defaultdict(list)
        officers_of = cache(workflow.officers_of)  # one query per organisation, not per item

        for submission in workflow.approvals_waiting(older_than_days=approval_days, now=now):
            text = _("“%(document)s” รอการพิจารณาของท่าน (%(position)s) ตั้งแต่ %(since)s") % {
                "document": submission.target,
                "position": submission.current["title"],
                "since": thai.format_date_short(timezone.localdate(submission.waiting_since), thai_digits=False),
            }
            for user_id in submission.current_approver_ids():
                items[user_id].append({"text": text, "url": notifications.review_url(submission)})

        for document, months, due in workflow.rounds_due(
            today=today, due=settings.ROUND_DUE_DATES, days_before=days_before
        ):
            if due < today:
                message = _(
                    "รายงานผลการดำเนินการตามมาตรการ %(round)s ของ %(org)s ปีงบประมาณ %(year)s เลยกำหนดส่งแล้วเมื่อ %(due)s"
                )
            else:
                message = _("รายงานผลการดำเนินการตามมาตรการ %(round)s ของ %(org)s ปีงบประมาณ %(year)s ครบกำหนดส่ง %(due)s")
            text = message % {
                "round": thai.round_label(months, thai_digits=False),
                "org": document.organisation.name,
                "year": document.fiscal_year,
                "due": thai.format_date_long(due, thai_digits=False),
            }
            url = notifications.absolute(
                reverse("measures:round_detail", args=[document.organisation.slug, document.fiscal_year, months])
            )
            for user in officers_of(document.organisation_id):
                items[user.pk].append({"text": text, "url": url})

        for measure in workflow.measures_overdue(today=today):
            document = measure.document
            text = _("มาตรการ %(number)s “%(title)s” (%(org)s) สิ้นสุดเมื่อ %(end)s แต่ยังไม่มีผลดำเนินการแล้วเสร็จ") % {
                "number": measure.display_number,
                "title": measure.title[:80],
                "org": document.organisation.name,
                "end": thai.format_date_short(measure.period_end, thai_digits=False),
            }
            url = notifications.absolute(
                reverse("measures:measure_detail", args=[document.organisation.slug, document.fiscal_year, measure.pk])
            )
            for user in officers_of(document.organisation_id):
                items[user.pk].append({"text": text, "url": url})

        users = get_user_model().objects.in_bulk(list(items))
        delivered = {pk: found for pk, found in items.items() if pk in users and users[pk].email}
        sent = sum(notifications.send("reminder", [users[pk]], {"items": found}) for pk, found in delivered.items())
        self.stdout.write(f"Sent {sent} reminder e-mail(s) about {sum(len(v) for v in delivered.values())} item(s).")
