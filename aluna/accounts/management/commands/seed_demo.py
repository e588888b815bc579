"""Fill the database with invented demo data: one user per role, then every app's data."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from aluna.accounts.seeding import DEMO_PASSWORD, DEMO_USERS
from aluna.core import seeding


class Command(BaseCommand):
    help = "Create demo users (one per role) and every registered app's demo data. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=seeding.SCALES, default="small")
        parser.add_argument("--seed", type=int, default=seeding.RNG_SEED)
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off (demo accounts share a published password).",
        )

    def handle(self, *, scale, seed, allow_production, verbosity, **options):
        # Demo accounts with a well-known password must never appear in production by accident.
        if not (settings.DEBUG or settings.TESTING or allow_production):
            raise CommandError(
                "Refusing to create demo accounts with DEBUG off. "
                "Set DEBUG=true (demo) or pass --allow-production if you really mean it."
            )
        self.stdout.write(f"Seeding demo data (scale={scale}, seed={seed})...")
        seeding.seed_all(
            scale=scale,
            seed=seed,
            log=lambda name: verbosity > 1 and self.stdout.write(f"  seeded: {name}"),
        )
        if connection.vendor == "postgresql":
            # Fresh statistics after a bulk load: without them the planner
            # guesses a few dozen rows where there are thousands.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self._print_users()

    def _print_users(self):
        rows = [(str(u.role.label), u.email, DEMO_PASSWORD) for u in DEMO_USERS]
        headers = ("Role", "E-mail", "Password")
        widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(3)]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo users:"))
        self.stdout.write(line.format(*headers).rstrip())
        self.stdout.write(line.format(*("-" * w for w in widths)))
        for row in rows:
            self.stdout.write(line.format(*row).rstrip())
        self.stdout.write("")
        self.stdout.write(f"Log in at {seeding.LOGIN_URL} with any of these e-mails.")
        if settings.DEBUG and not settings.MFA_REQUIRED:
            self.stdout.write("DEMO_SKIP_MFA is on (DEBUG): the second factor is skipped.")
        else:
            self.stdout.write(
                "The first login guides you through enrolling an authenticator app (TOTP); "
                "with DEBUG=true and DEMO_SKIP_MFA=true the second factor is skipped."
            )
