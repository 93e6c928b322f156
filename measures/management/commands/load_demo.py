from django.core.management.base import BaseCommand

from measures.devdata.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the ITA frameworks, the demo organisations from the seed documents and demo accounts."

    def handle(self, *args, **options):
        accounts = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data is ready. Demo logins (password for all: {DEMO_PASSWORD}):"))
        for account in accounts:
            self.stdout.write(f"  {account.username:<12} {account.name} — {account.description}")
