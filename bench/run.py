"""Time the main pages against a large, seeded database.

    .venv/bin/python bench/run.py --scale large [--requests 30] [--strict]

See bench/README.md. Uses DATABASE_URL (default: a local PostgreSQL database
`aluna_bench`, created and migrated if missing) and seeds it with
`seed_demo --scale large` the first time.
"""

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/aluna_bench"
# Budgets are ratios to yardsticks timed in the same run (see bench/README.md).
FLOOR_BUDGET = 5.0
ADMIN_BUDGET = 0.5


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "large"], default="large")
    parser.add_argument("--requests", "-n", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    parser.add_argument("--strict", action="store_true", help="exit 1 when over budget")
    parser.add_argument(
        "--reseed", action="store_true", help="run seed_demo even if the data is there"
    )
    parser.add_argument("--only", default="", help="time only pages whose name contains this")
    parser.add_argument(
        "--profile", default="", help="profile the first page whose name contains this"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    return parser.parse_args(argv)


BENCH_QUEUE = "bench"


def drop_bench_queue() -> None:
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).delete(BENCH_QUEUE)


def configure_environment() -> None:
    """Production-like settings (DEBUG off), with the dev keys from var/ and no HTTPS redirect."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aluna.settings")
    os.environ.setdefault("DEBUG", "false")
    # TESTING lets settings use the generated keys in var/ and plain HTTP cookies.
    os.environ.setdefault("ALUNA_TESTING", "1")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    # As in production, a save enqueues its alerts in Redis (a queue of the bench's
    # own that nobody consumes, emptied at the end) instead of sending them inline.
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    os.environ.setdefault("CELERY_QUEUE", BENCH_QUEUE)
    os.environ.setdefault("CACHE_KEY_PREFIX", "bench")
    os.environ.setdefault("EMAIL_URL", "dummymail://")
    sys.path.insert(0, str(ROOT))


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` if it does not exist yet."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        return
    import psycopg
    from psycopg import sql

    name = unquote(parts.path.lstrip("/"))
    with psycopg.connect(
        host=parts.hostname or "localhost",
        port=parts.port or 5432,
        user=unquote(parts.username or "") or None,
        password=unquote(parts.password or "") or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"==> Creating database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def is_seeded(*, scale: str) -> bool:
    from aluna.accounts import seeding
    from aluna.accounts.models import User

    emails = [u.email for u in seeding.DEMO_USERS]
    if User.objects.filter(email__in=emails).count() < len(emails):
        return False
    if scale == "large":
        extra = User.objects.filter(
            email__startswith="persona", email__endswith=seeding.DEMO_DOMAIN
        )
        if extra.count() < seeding.LARGE_EXTRA_USERS:
            return False
    return accompaniment_is_seeded(scale=scale)


def accompaniment_is_seeded(*, scale: str) -> bool:
    from accompaniment.models import PoliticalSubject
    from accompaniment.seeding import ALIAS_PREFIX, SIZES

    demo = PoliticalSubject.objects.filter(alias__startswith=ALIAS_PREFIX)
    return demo.count() >= SIZES[scale].subjects


def prepare_database(*, scale: str, reseed: bool) -> None:
    from django.core.management import call_command

    print("==> Migrating")
    call_command("migrate", interactive=False, verbosity=0)
    if reseed or not is_seeded(scale=scale):
        print(f"==> Seeding (scale={scale})")
        started = time.perf_counter()
        call_command("seed_demo", scale=scale, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"    seeded in {time.perf_counter() - started:.1f} s")
    else:
        print("==> Data already seeded (pass --reseed after an app adds a seeder)")


def client_for(user_ref: str, clients: dict):
    """A test client logged in as the user, with TOTP enrolled so the 2FA middleware admits it."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test import Client

    from aluna.accounts import seeding
    from aluna.accounts.models import User

    email = user_ref if "@" in user_ref else seeding.demo_user(user_ref).email
    if email not in clients:
        user = User.objects.get(email=email)
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[email] = client
    return clients[email], email


def user_for(user_ref: str):
    from aluna.accounts import seeding
    from aluna.accounts.models import User

    email = user_ref if "@" in user_ref else seeding.demo_user(user_ref).email
    return User.objects.get(email=email)


def resolve(page) -> str | None:
    from django.urls import NoReverseMatch, reverse

    if page.url:
        return page.url
    if page.url_for is not None:
        return page.url_for(user_for(page.user))
    names = (page.url_name,) if isinstance(page.url_name, str) else page.url_name
    for name in names:
        try:
            return reverse(name, kwargs=page.kwargs or None)
        except NoReverseMatch:
            continue
    return None


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile: the value below which pct% of the samples fall."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def prepare_page(page, *, clients: dict) -> dict:
    """The page's row (name, user, URL) and, when it can be timed, its `send` callable."""
    url = resolve(page)
    row = {"name": page.name, "user": page.user, "url": url, "list_of": page.list_of}
    if page.reference:
        row["reference"] = page.reference
    if url is None:
        return {**row, "status": "skipped", "reason": "no such URL yet"}
    client, row["email"] = client_for(page.user, clients)
    row["expected"], row["send"] = 200, partial(client.get, url)
    if page.post_data is not None:
        data = page.post_data(user_for(page.user))
        if data is None:
            return {**row, "status": "skipped", "reason": "no record to post for"}
        row["expected"], row["send"] = 302, partial(client.post, url, data)
    return {**row, "status": "ok", "samples": []}


def _fail(row: dict, status_code: int) -> None:
    row.update(status="error", http_status=status_code)
    row.pop("samples", None)


def interleaved(rows: list[dict], *, requests: int, warmup: int, clock=time.perf_counter) -> None:
    """Time every row's page `requests` times, one request per page per round.

    Interleaving puts the app's pages and their yardsticks (floor, admin) under the same
    load at the same moments, so their ratios hold on a shared, noisy machine. A page
    answering anything but its expected status is marked "error" and leaves the rounds.
    """
    live = [r for r in rows if r["status"] == "ok"]
    for _ in range(warmup):
        for row in [r for r in live if r["status"] == "ok"]:
            response = row["send"]()
            if response.status_code != row["expected"]:
                _fail(row, response.status_code)
    for _ in range(requests):
        for row in [r for r in live if r["status"] == "ok"]:
            started = clock()
            response = row["send"]()
            elapsed = (clock() - started) * 1000
            if response.status_code != row["expected"]:
                _fail(row, response.status_code)
                continue
            row["samples"].append(elapsed)


def count_queries(row: dict) -> None:
    """Queries of one extra request (the debug cursor would slow the timed ones)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        row["send"]()
    row["queries"] = len(queries)


def summarise(row: dict) -> dict:
    """The row as reported: times in ms, no callables."""
    out = {k: v for k, v in row.items() if k not in {"send", "samples", "expected"}}
    samples = row.get("samples")
    if row["status"] == "ok" and samples:
        out.update(
            http_status=row["expected"],
            requests=len(samples),
            median_ms=round(statistics.median(samples), 2),
            p95_ms=round(percentile(samples, 95), 2),
            min_ms=round(min(samples), 2),
            max_ms=round(max(samples), 2),
        )
    return out


def apply_budgets(rows: list[dict]) -> dict:
    """Each page's ratio to the floor and (list pages) to the admin changelist of its model.

    Budgets: every page <= FLOOR_BUDGET x the floor; every list page <= ADMIN_BUDGET x
    the admin changelist of its model. The yardsticks themselves have no budget. Returns
    the yardsticks' medians ({"floor": ms, "admin:subject": ms, ...}).
    """
    references = {
        r["reference"]: r["median_ms"] for r in rows if r.get("reference") and "median_ms" in r
    }
    floor = references.get("floor")
    for row in rows:
        if row.get("reference") or "median_ms" not in row:
            continue
        checks = []
        if floor:
            row["x_floor"] = round(row["median_ms"] / floor, 2)
            checks.append(row["x_floor"] <= FLOOR_BUDGET)
        else:
            checks.append(False)
        admin = references.get(f"admin:{row['list_of']}") if row.get("list_of") else None
        if row.get("list_of"):
            if admin:
                row["x_admin"] = round(row["median_ms"] / admin, 2)
                checks.append(row["x_admin"] <= ADMIN_BUDGET)
            else:
                checks.append(False)
        row["within_budget"] = all(checks)
    return references


def over_budget(rows: list[dict]) -> list[dict]:
    """Pages that fail `--strict`: over a ratio budget, erroring, or a yardstick missing."""
    failed = [r for r in rows if r["status"] == "error" or r.get("within_budget") is False]
    missing = [r for r in rows if r.get("reference") and "median_ms" not in r]
    return failed + [r for r in missing if r not in failed]


def time_pages(pages, *, clients: dict, requests: int, warmup: int) -> list[dict]:
    rows = [prepare_page(p, clients=clients) for p in pages]
    interleaved(rows, requests=requests, warmup=warmup)
    for row in rows:
        if row["status"] == "ok":
            count_queries(row)
    rows = [summarise(r) for r in rows]
    apply_budgets(rows)
    return rows


def _ratio(row: dict, key: str) -> str:
    return f"{row[key]:.2f}" if key in row else ""


def print_table(rows: list[dict]) -> None:
    line = "{:<46} {:<13} {:>9} {:>8} {:>7} {:>7} {:>7}  {}"
    header = line.format("page", "user", "median ms", "p95 ms", "queries", "×floor", "×admin", "")
    print()
    print(header)
    print("-" * len(header))
    for r in rows:
        if r["status"] == "ok":
            verdict = "yardstick" if r.get("reference") else "ok"
            if r.get("within_budget") is False:
                verdict = "OVER"
            cells = (
                f"{r['median_ms']:.1f}",
                f"{r['p95_ms']:.1f}",
                r["queries"],
                _ratio(r, "x_floor"),
                _ratio(r, "x_admin"),
                verdict,
            )
        elif r["status"] == "skipped":
            cells = ("-", "-", "-", "", "", f"skipped ({r['reason']})")
        else:
            cells = ("-", "-", "-", "", "", f"ERROR HTTP {r['http_status']}")
        print(line.format(r["name"][:46], r["user"], *cells))
    print(
        f"\nBudgets: every page <= {FLOOR_BUDGET:g}× the floor; every list page <= "
        f"{ADMIN_BUDGET:g}× the admin changelist of its model (medians, same run, interleaved)."
    )


def profile_page(page, *, clients: dict, requests: int) -> None:
    """Print where one page's time goes (pyinstrument), over `requests` requests."""
    from pyinstrument import Profiler

    row = prepare_page(page, clients=clients)
    if row["status"] != "ok":
        print(f"{page.name}: {row['status']}")
        return
    row["send"]()
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(requests):
            row["send"]()
    print(profiler.output_text(unicode=True, show_all=False, short_mode=False))


def counts() -> dict:
    """Row counts of the biggest tables, so results from different data sets are not compared."""
    from django.apps import apps
    from django.db import connection

    tables = set(connection.introspection.table_names())
    result = {}
    for model in apps.get_models():
        if model._meta.db_table in tables and not model._meta.proxy:
            result[model._meta.label] = model._default_manager.count()
    return {k: v for k, v in sorted(result.items()) if v}


def main(argv=None) -> int:
    args = parse_args(argv)
    configure_environment()
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    from bench.pages import PAGES, REFERENCES

    # The app's URLs plus the yardsticks (the bench's admin site and the floor page).
    override_settings(ROOT_URLCONF="bench.urls").enable()
    prepare_database(scale=args.scale, reseed=args.reseed)
    clients: dict = {}
    if args.profile:
        page = next(p for p in [*REFERENCES, *PAGES] if args.profile in p.name)
        profile_page(page, clients=clients, requests=args.requests)
        return 0
    pages = [*REFERENCES, *(p for p in PAGES if args.only in p.name)]
    print(
        f"==> Timing {len(pages)} pages ({len(REFERENCES)} yardsticks), interleaved: "
        f"{args.requests} rounds after {args.warmup} warm-up rounds"
    )
    rows = time_pages(pages, clients=clients, requests=args.requests, warmup=args.warmup)
    print_table(rows)

    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "database": connection.vendor,
        "debug": settings.DEBUG,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "budget": {"x_floor": FLOOR_BUDGET, "x_admin": ADMIN_BUDGET},
        "rows": counts(),
        "pages": rows,
    }
    drop_bench_queue()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"Wrote {args.output}")

    failed = over_budget(rows)
    if failed and args.strict:
        print(
            f"{len(failed)} page(s) over budget or failing: " + ", ".join(r["name"] for r in failed)
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
