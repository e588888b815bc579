"""Time a year's donor report end to end in a real Celery worker, at the large scale.

    .venv/bin/python bench/donor_report.py [--runs 3] [--days 365] [--strict]

Issue #9's budget: from the click on "Generate" (the report queued after commit)
to the encrypted PDF stored by the worker, under 10 seconds. This script starts
a worker of its own (prefork pool off: one process, like one busy worker),
queues the report exactly as the page does (`report_request_generation`), polls
the database for the result as the page's progress bar does, and prints:

- end to end: queued → DONE, as the user waits for it;
- in the worker: the report's own `generation_seconds` (aggregates + PDF + encryption);
- the number of SQL queries of the aggregates (they must not grow with the data).

Uses the bench database (see bench/README.md; run `bench/run.py` first to seed
it). The reports it creates are deleted afterwards; their audit events stay.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 10.0
QUEUE = "bench-reports"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--strict", action="store_true", help="exit 1 when over budget")
    return parser.parse_args(argv)


def start_worker(log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "CELERY_QUEUE": QUEUE, "PYTHONUNBUFFERED": "1", "CONN_MAX_AGE": "0"}
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "aluna",
        "worker",
        "--pool=solo",
        "-Q",
        QUEUE,
        "-n",
        f"bench-{os.getpid()}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while " ready." not in log_path.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"The worker did not start:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.2)
    return process


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def time_one_report(*, days: int) -> dict:
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from advocacy import aggregates
    from advocacy.models import DonorReport, ReportStatus
    from advocacy.services import report_compute_tables, report_request_generation
    from aluna.accounts import seeding
    from aluna.accounts.models import User

    advocate = User.objects.get(email=seeding.demo_user("advocate").email)
    end = timezone.localdate()
    report = DonorReport.objects.create(
        title="Benchmark",
        start=end - dt.timedelta(days=days),
        end=end,
        sections=[s.code for s in aggregates.sections()],
        created_by=advocate,
    )
    try:
        began = time.perf_counter()
        report_request_generation(report=report, actor=advocate)
        while True:
            report.refresh_from_db(fields=["status", "progress", "generation_seconds"])
            if report.status in (ReportStatus.DONE, ReportStatus.FAILED):
                break
            if time.perf_counter() - began > 120:
                raise SystemExit("The report did not finish within 120 s.")
            time.sleep(0.05)
        elapsed = time.perf_counter() - began
        if report.status != ReportStatus.DONE:
            raise SystemExit("The report failed in the worker (see its log).")
        with CaptureQueriesContext(connection) as queries:
            report_compute_tables(report=report)
        return {
            "end_to_end": elapsed,
            "in_worker": float(report.generation_seconds or 0),
            "queries": len(queries),
        }
    finally:
        report.delete()


def main(argv=None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench.run import configure_environment, ensure_database, is_seeded

    os.environ.setdefault("CELERY_QUEUE", QUEUE)
    configure_environment()
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings

    if not settings.REDIS_URL:
        raise SystemExit("Set REDIS_URL: the report is generated by a real worker.")
    if not is_seeded(scale="large"):
        raise SystemExit("Seed the bench database first: .venv/bin/python bench/run.py")

    with tempfile.TemporaryDirectory() as workdir:
        worker = start_worker(Path(workdir) / "worker.log")
        try:
            runs = [time_one_report(days=args.days) for _ in range(args.runs)]
        finally:
            stop_worker(worker)

    end_to_end = [r["end_to_end"] for r in runs]
    in_worker = [r["in_worker"] for r in runs]
    print(f"Donor report over {args.days} days, all sections, {args.runs} runs:")
    for index, run in enumerate(runs, start=1):
        print(
            f"  run {index}: end to end {run['end_to_end']:.2f} s, "
            f"in the worker {run['in_worker']:.2f} s, aggregates {run['queries']} queries"
        )
    worst = max(end_to_end)
    print(
        f"median end to end {statistics.median(end_to_end):.2f} s (worst {worst:.2f} s), "
        f"median in the worker {statistics.median(in_worker):.2f} s; "
        f"budget {BUDGET_SECONDS:.0f} s: {'ok' if worst < BUDGET_SECONDS else 'OVER'}"
    )
    return 1 if args.strict and worst >= BUDGET_SECONDS else 0


if __name__ == "__main__":
    sys.exit(main())
