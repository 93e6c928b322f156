"""`manage.py backup [FILE]`: the database and every uploaded and published file in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports import backup


class Command(BaseCommand):
    help = "Write a backup archive (.tar) of the database and every stored file (MEDIA_ROOT or the S3 bucket), with SHA-256 of every file."

    def add_arguments(self, parser):
        parser.add_argument(
            "output", nargs="?", type=Path, help="Archive to write (default: backups/ita-portal-<date-time>.tar)."
        )

    def handle(self, *args, output=None, **options):
        output = output or Path("backups") / f"ita-portal-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
        try:
            manifest = backup.create(output)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backup written to {output}: {manifest['engine']} database, {len(manifest['media'])} file(s)."
        )
