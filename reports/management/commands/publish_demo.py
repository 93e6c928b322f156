"""`manage.py publish_demo`: give the demo's public site something to show (scripts/demo.sh runs it).

ทต.ถาวร's 2566 measures (seed 002) and its 6-month report go through the organisation's chain,
signed by the demo executive at each step, and are published. ทต.เขาหัวช้าง and ทต.บ่อพลอย stay
drafts, for walking through the workflow in the browser. Safe to run again: what is published
stays as it is.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from measures import workflow
from measures.models import DocumentStatus, MeasuresDocument
from reports import publishing

ORGANISATION, YEAR = "thawon", 2566


class Command(BaseCommand):
    help = "Publish ทต.ถาวร's 2566 measures and 6-month report of the demo data (run after load_demo)."

    def handle(self, *args, **options):
        users = get_user_model().objects
        try:
            officer = users.get(username="officer")
            document = MeasuresDocument.objects.get(organisation__slug=ORGANISATION, fiscal_year=YEAR)
        except (MeasuresDocument.DoesNotExist, get_user_model().DoesNotExist) as missing:
            raise CommandError("ยังไม่มีข้อมูลตัวอย่าง: เรียก manage.py load_demo ก่อน") from missing
        targets = [document, *document.reports.filter(round=6)]
        for target in targets:
            self._publish(target, officer)

    @transaction.atomic
    def _publish(self, target, officer) -> None:
        target.refresh_from_db()
        if target.status == DocumentStatus.PUBLISHED:
            self.stdout.write(f"Already published: {target}")
            return
        if target.status == DocumentStatus.DRAFT:
            submission = workflow.submit(target=target, by=officer)
            while submission.current:
                approver = get_user_model().objects.get(pk=submission.current["approver_ids"][0])
                workflow.decide(
                    submission=submission, by=approver, approve=True, comment="เห็นชอบ ให้เผยแพร่บนเว็บไซต์ของหน่วยงาน"
                )
                submission.refresh_from_db()
            target.refresh_from_db()
        publication = publishing.publish(target=target, by=officer)
        self.stdout.write(
            f"Published: {publication.title} (version {publication.version}, {publication.pdf_size:,} bytes)"
        )
