"""Restore an encrypted backup made by `manage.py backup` (see aluna/core/backup.py)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aluna.core import backup


class Command(BaseCommand):
    help = (
        "Decrypt a backup made by `manage.py backup` and restore it over the database "
        "(pg_restore --clean --if-exists --no-owner, in one transaction). Refuses a damaged "
        "or tampered file before touching the database. Prints no data."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup_file")
        parser.add_argument(
            "--database-url",
            help="Restore into this PostgreSQL database instead of the configured one.",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Do not ask: overwrite the database's tables with the backup's.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only decrypt and authenticate the whole file; touch no database.",
        )

    def handle(self, *, backup_file, database_url, yes, check, **options):
        path = Path(backup_file)
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        try:
            if check:
                backup.verify(path)
                self.stdout.write(self.style.SUCCESS(f"{path} decrypts and authenticates."))
                return
            config = backup.database_settings(database_url)
            target = f"{config['NAME']} on {config.get('HOST') or 'the local socket'}"
            if not yes and not self._confirmed(target):
                raise CommandError("Restore cancelled: nothing was changed.")
            restored = backup.restore(path, database_url=database_url)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Restored {path} into {restored['name']} on {restored['host']}.")
        )

    def _confirmed(self, target: str) -> bool:
        if not sys.stdin.isatty():
            raise CommandError(
                "restore overwrites the database: pass --yes to confirm when not at a terminal."
            )
        answer = input(
            f"This replaces every table of {target} with the backup's contents. "
            "Type 'yes' to continue: "
        )
        return answer.strip().lower() == "yes"
