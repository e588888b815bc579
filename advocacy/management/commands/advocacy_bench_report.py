"""Time a donor report's aggregates and PDF without saving anything (read-only).

DATABASE_URL=postgres://.../aluna_bench python manage.py advocacy_bench_report --days 365
"""

import datetime as dt
import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advocacy import aggregates
from advocacy.models import DonorReport
from advocacy.pdf import report_pdf_bytes
from advocacy.services import report_compute_tables


class Command(BaseCommand):
    help = "Time the aggregates and PDF of a donor report over the last N days (no writes)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--sections", default=",".join(s.code for s in aggregates.sections()))

    def handle(self, *args, days, sections, **options):
        end = timezone.localdate()
        report = DonorReport(
            title="Benchmark",
            start=end - dt.timedelta(days=days),
            end=end,
            sections=[s for s in sections.split(",") if s],
        )
        reset_queries()
        began = time.monotonic()
        with CaptureQueriesContext(connection) as queries:
            report.tables = report_compute_tables(report=report)
        aggregated = time.monotonic()
        pdf = report_pdf_bytes(report=report)
        done = time.monotonic()
        self.stdout.write(
            f"aggregates: {aggregated - began:.3f} s in {len(queries)} queries; "
            f"pdf: {done - aggregated:.3f} s ({len(pdf)} bytes); total {done - began:.3f} s"
        )
