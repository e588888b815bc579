"""`flush`, allowed to empty the append-only audit table in development and tests only.

Django's test runner flushes the database after every transactional test
(live server, browser, Celery worker tests) with a TRUNCATE, which the audit
table's trigger refuses. In DEBUG or under tests this command lets that one
TRUNCATE through for the session; in production `flush` keeps failing on the
audit table, as it should.
"""

from django.conf import settings
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        allowed = connection.vendor == "postgresql" and (
            settings.DEBUG or getattr(settings, "TESTING", False)
        )
        if not allowed:
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('aluna.audit_allow_truncate', 'on', false)")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('aluna.audit_allow_truncate', '', false)")
