from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from measures.loaders import load_frameworks


class Command(BaseCommand):
    help = "Load (or update) the ITA frameworks from fixtures/frameworks/ita-*.json."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(Path(settings.BASE_DIR) / "fixtures" / "frameworks"))

    def handle(self, *args, dir, **options):
        frameworks = load_frameworks(Path(dir))
        years = ", ".join(str(f.year) for f in frameworks)
        self.stdout.write(self.style.SUCCESS(f"Loaded ITA frameworks: {years}"))
