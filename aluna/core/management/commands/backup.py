"""Write an encrypted PostgreSQL dump of the database (see aluna/core/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aluna.core import backup


class Command(BaseCommand):
    help = (
        "Dump the PostgreSQL database (pg_dump --format=custom) encrypted with BACKUP_KEY "
        "into a file readable only by its owner. Prints no data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            help="File to write (default: aluna-<date>-<time>.backup in the current folder).",
        )
        parser.add_argument(
            "--database-url",
            help="Back up this PostgreSQL database instead of the configured one.",
        )

    def handle(self, *, output, database_url, **options):
        if output is None:
            output = f"aluna-{timezone.localtime():%Y%m%d-%H%M%S}.backup"
        path = Path(output)
        if path.is_dir():
            raise CommandError(f"{path} is a folder: give the backup file's name.")
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")
        if database_url is None:
            for _receiver, result in backup.backup_starting.send_robust(sender=self.__class__):
                if isinstance(result, Exception):
                    # The backup matters more than the anchor: go on, but say so.
                    self.stderr.write(f"Warning: {result}")
        try:
            key_id = backup.backup(path, database_url=database_url)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {path} ({path.stat().st_size} bytes, key {key_id})."
            )
        )
