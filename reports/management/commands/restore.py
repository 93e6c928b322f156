"""`manage.py restore FILE`: restore a backup into an empty database and file storage, then verify it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports import backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into the configured (empty) database and (empty) file storage (MEDIA_ROOT or the S3 bucket), "
        "then check every file and every published PDF against its SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Do not restore: only check the files and the published PDFs in place.",
        )

    def handle(self, *args, archive, verify_only=False, **options):
        try:
            report = backup.verify() if verify_only else backup.restore(archive)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        for problem in report.problems:
            self.stderr.write(problem)
        if report.problems:
            raise CommandError(f"{len(report.problems)} problem(s) found")
        self.stdout.write(
            f"Restored and verified: {report.files} file(s), "
            f"{report.publications} published PDF(s) match their SHA-256."
        )
