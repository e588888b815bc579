"""Publish the outbox's pending messages now, batch after batch.

Beat does this every 15 seconds; run it by hand after the broker was down for
long, or with `--wait` to keep trying until the broker is back and the outbox
is empty.
"""

import datetime as dt
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from aluna.outbox.selectors import outbox_pending
from aluna.outbox.services import outbox_dispatch

_GRACE_HORIZON = dt.timedelta(hours=1)


class Command(BaseCommand):
    help = "Publish the pending outbox messages to the broker."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="rows per batch")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="include_fresh",
            help="also publish rows still in their on-commit grace period",
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            metavar="SECONDS",
            help="while the broker is down, retry every SECONDS until the outbox is empty",
        )

    def handle(self, *, limit, include_fresh, wait, **options):
        total = 0
        while True:
            # --all: look past the grace period of rows created just now.
            now = timezone.now() + (_GRACE_HORIZON if include_fresh else dt.timedelta(0))
            published = outbox_dispatch(limit=limit, now=now)
            total += published
            if published == limit:
                continue
            left = outbox_pending().count()
            if not left or not wait:
                break
            self.stderr.write(f"{left} messages still pending; retrying in {wait:g} s")
            time.sleep(wait)
        self.stdout.write(f"{total} messages published, {outbox_pending().count()} pending")
