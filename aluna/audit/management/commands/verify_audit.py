"""Walk the audit chain and report every event that was edited, removed or forged,
then compare its head with the anchors published outside the database."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aluna.audit.anchor import anchor_problems, read_anchors
from aluna.audit.chain import GENESIS, hmac_matches
from aluna.audit.models import AuditEvent


def find_chain_problems(*, batch_size: int = 1000) -> tuple[int, list[str]]:
    """Return (events checked, problems). An empty list means the chain is intact.

    Limit: removing the newest events leaves a shorter chain that still
    verifies; `check_anchors` catches that.
    """
    problems: list[str] = []
    checked = 0
    expected_sequence = 1
    previous_hmac = GENESIS
    last_sequence = 0
    while True:
        batch = list(
            AuditEvent.objects.filter(sequence__gt=last_sequence).order_by("sequence")[:batch_size]
        )
        if not batch:
            break
        for event in batch:
            checked += 1
            if event.sequence > expected_sequence:
                if event.sequence - expected_sequence == 1:
                    problems.append(f"event {expected_sequence}: missing (removed)")
                else:
                    problems.append(
                        f"events {expected_sequence}-{event.sequence - 1}: missing (removed)"
                    )
            if not hmac_matches(event, previous_hmac=previous_hmac):
                problems.append(
                    f"event {event.sequence}: hmac mismatch (edited, forged, or follows a gap)"
                )
            previous_hmac = event.hmac
            expected_sequence = event.sequence + 1
            last_sequence = event.sequence
    return checked, problems


def check_anchors(path, *, latest: int = 1440, max_age: timedelta | None = None) -> list[str]:
    """Problems found by comparing the table with the latest `latest` anchors of
    the file at `path` (a day of minutes by default)."""
    if max_age is None:
        max_age = timedelta(seconds=settings.AUDIT_ANCHOR_MAX_AGE)
    try:
        anchors, refused = read_anchors(Path(path), latest=latest)
    except FileNotFoundError:
        return [f"no audit anchor file at {path}: the newest events cannot be checked"]
    except OSError as exc:
        return [f"cannot read the audit anchor file {path}: {exc}"]
    problems = anchor_problems(anchors, max_age=max_age)
    if refused:
        problems.append(f"{refused} line(s) of {path} are not valid anchors (forged or damaged)")
    return problems


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain and compare its head with the latest anchors; "
        "exits non-zero when either is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--anchors",
            help="Anchor file to check against (default AUDIT_ANCHOR_PATH); a syslog "
            "extract works too.",
        )
        parser.add_argument(
            "--latest", type=int, default=1440, help="How many of the newest anchors to check."
        )
        parser.add_argument(
            "--no-anchors", action="store_true", help="Check the chain only (no anchor file)."
        )

    def handle(self, *args, batch_size, anchors, latest, no_anchors, **options):
        checked, problems = find_chain_problems(batch_size=batch_size)
        anchor_path = anchors or settings.AUDIT_ANCHOR_PATH
        if not no_anchors:
            if anchor_path:
                problems += check_anchors(anchor_path, latest=latest)
            else:
                problems.append("AUDIT_ANCHOR_PATH is not set: the newest events cannot be checked")
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"Audit chain broken: {len(problems)} problem(s) in {checked} event(s)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} event(s)."))
