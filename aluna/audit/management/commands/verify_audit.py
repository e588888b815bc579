"""Walk the audit chain and report every event that was edited, removed or forged."""

from django.core.management.base import BaseCommand, CommandError

from aluna.audit.chain import GENESIS, hmac_matches
from aluna.audit.models import AuditEvent


def find_chain_problems(*, batch_size: int = 1000) -> tuple[int, list[str]]:
    """Return (events checked, problems). An empty list means the chain is intact.

    Limit: removing the newest events leaves a shorter chain that still
    verifies; compare the count with an earlier run to catch that.
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


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exits non-zero when it is broken."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        checked, problems = find_chain_problems(batch_size=batch_size)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"Audit chain broken: {len(problems)} problem(s) in {checked} event(s)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} event(s)."))
