"""A bounded load test: every role's main journeys, 50 users, 2 minutes, on loopback.

    .venv/bin/python bench/load.py [--users 50] [--duration 120] [--strict]

Issue #10's budget: 0 errors and a 95th percentile under 300 ms with 50
concurrent users for 2 minutes, against gunicorn and PostgreSQL. This script:

1. uses the bench database (bench/README.md; seeded at the large scale by
   `bench/run.py`) and signs each virtual user in the way `bench/run.py` does
   (TOTP enrolled, then a real session row), so no password or code is typed;
2. starts gunicorn on a free loopback port with production-like settings
   (DEBUG off, Redis cache and task queue, whitenoise), 4 processes × 2 threads;
3. runs `--users` virtual users (arriving over the first seconds; the first
   `--warmup` seconds, while gunicorn's processes compile their templates, are
   not counted, but an error in them still is), each a thread with its own keep-alive
   connection and cookies, walking its role's journey in a loop with a think
   time of 1–3 s between pages (as a person reads the page; locust's usual
   `between(1, 3)`), including real form posts with their CSRF token (staff
   record sessions and crisis interventions, trainers take attendance pages);
4. prints the latency percentiles per step and overall, the errors (any status
   other than the one the step expects, or a connection error) and writes
   `bench/results/load.json`. `--strict` exits 1 over budget.

Only loopback is used: the server binds 127.0.0.1 and the users connect there.
The rows the users write (sessions, crisis interventions) stay in the bench database.
"""

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BUDGET_P95_MS = 300.0
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The share of each role among the virtual users (staff are most of the organisation).
ROLE_MIX = (("staff", 0.6), ("coordinator", 0.15), ("trainer", 0.13), ("advocate", 0.12))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds of ramp-up not counted")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn process")
    parser.add_argument("--strict", action="store_true", help="exit 1 when over budget")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "load.json")
    return parser.parse_args(argv)


# --- The journeys --------------------------------------------------------------------------


@dataclass
class Step:
    name: str
    path: str
    # A POST step: a callable (csrf token) -> form data; the page is fetched first for the token.
    form: object = None
    expect: int = 200


@dataclass
class VirtualUser:
    role: str
    email: str
    cookies: dict
    steps: list[Step]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _session_cookies(user) -> dict:
    """A signed-in session for `user`, as after login and the second factor."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.test import Client

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def _staff_steps(user, rng: random.Random) -> list[Step]:
    from django.urls import reverse
    from django.utils import timezone

    from accompaniment.models import ProcessStatus
    from accompaniment.selectors.access import processes_for_user, subjects_for_user

    subjects = list(subjects_for_user(user=user).order_by("alias").values_list("pk", "alias")[:30])
    processes = list(
        processes_for_user(user=user)
        .exclude(status=ProcessStatus.CLOSED)
        .filter(is_archived=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:30]
    )
    subject_id, alias = rng.choice(subjects)
    process_id = rng.choice(processes)

    def session_form(_user=user):
        now = timezone.localtime()
        return {
            "started_at": now.strftime("%Y-%m-%dT%H:%M"),
            "modality": "phone",
            "duration_minutes": "60",
            "participants_count": "1",
            "fields_worked": ["psychoemotional", "security"],
            "notes": "Sesión de seguimiento (prueba de carga).",
            "agreements": "",
            "next_session_on": "",
        }

    def crisis_form(alias=alias):
        return {
            "subject_query": alias,
            "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone",
            "risk_level": "medium",
        }

    return [
        Step("home", reverse("core:home")),
        Step("subject list", reverse("accompaniment:index")),
        Step("subject detail", reverse("accompaniment:subject-detail", args=[subject_id])),
        Step("process detail", reverse("accompaniment:process-detail", args=[process_id])),
        Step("process timeline", reverse("accompaniment:process-timeline", args=[process_id])),
        Step(
            "session save",
            reverse("accompaniment:session-create", args=[process_id]),
            form=session_form,
            expect=302,
        ),
        Step("attention lists", reverse("accompaniment:attention")),
        Step("crisis board", reverse("crisis:crisis-board")),
        Step(
            "crisis save",
            reverse("crisis:crisis-create"),
            form=crisis_form,
            expect=302,
        ),
        Step("security", reverse("security:index")),
        Step("notifications", reverse("notifications:list")),
    ]


def _coordinator_steps(user, rng: random.Random) -> list[Step]:
    from django.urls import reverse

    from accompaniment.selectors.access import processes_for_user

    process_id = rng.choice(list(processes_for_user(user=user).values_list("pk", flat=True)[:50]))
    return [
        Step("home", reverse("core:home")),
        Step("dashboard", reverse("accompaniment:dashboard")),
        Step("attention lists", reverse("accompaniment:attention")),
        Step("subject list", reverse("accompaniment:index")),
        Step("process detail", reverse("accompaniment:process-detail", args=[process_id])),
        Step("crisis board", reverse("crisis:crisis-board")),
        Step("security", reverse("security:index")),
    ]


def _trainer_steps(user, rng: random.Random) -> list[Step]:
    from django.urls import reverse

    from training.models import Cohort

    cohort = rng.choice(list(Cohort.objects.filter(facilitators=user).order_by("starts_on")[:20]))
    session = rng.choice(list(cohort.sessions.order_by("date")))
    return [
        Step("home", reverse("core:home")),
        Step("training index", reverse("training:index")),
        Step("programmes", reverse("training:programme-list")),
        Step("cohort detail", reverse("training:cohort-detail", kwargs={"cohort_id": cohort.pk})),
        Step("attendance", reverse("training:attendance", kwargs={"session_id": session.pk})),
    ]


def _advocate_steps(user, rng: random.Random) -> list[Step]:
    from django.urls import reverse

    return [
        Step("home", reverse("core:home")),
        Step("advocacy index", reverse("advocacy:index")),
        Step("outputs", reverse("advocacy:output-list")),
        Step("grants", reverse("advocacy:grant-list")),
        Step("reports", reverse("advocacy:report-list")),
    ]


JOURNEYS = {
    "staff": _staff_steps,
    "coordinator": _coordinator_steps,
    "trainer": _trainer_steps,
    "advocate": _advocate_steps,
}


def build_users(count: int, seed: int = 2026) -> list[VirtualUser]:
    from aluna.accounts import seeding
    from aluna.accounts.models import User

    rng = random.Random(seed)
    staff_pool = [seeding.demo_user(key).email for key in ("accompanier1", "accompanier2")]
    accounts = {
        "staff": staff_pool,
        "coordinator": [seeding.demo_user("coordinator").email],
        "trainer": [seeding.demo_user("trainer").email],
        "advocate": [seeding.demo_user("advocate").email],
    }
    users = []
    for index in range(count):
        # Deterministic role mix: walk the cumulative shares.
        position, role = (index + 0.5) / count, ROLE_MIX[-1][0]
        total = 0.0
        for name, share in ROLE_MIX:
            total += share
            if position < total:
                role = name
                break
        email = accounts[role][index % len(accounts[role])]
        user = User.objects.get(email=email)
        users.append(
            VirtualUser(
                role=role,
                email=email,
                cookies=_session_cookies(user),
                steps=JOURNEYS[role](user, rng),
            )
        )
    return users


# --- Running them ---------------------------------------------------------------------------


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    samples: list = field(default_factory=list)  # (role, step, ms, ok)
    errors: list = field(default_factory=list)

    def add(self, role, step, ms, ok, detail=""):
        with self.lock:
            self.samples.append((role, step, ms, ok))
            if not ok:
                self.errors.append(f"{role} {step}: {detail}")


class Browser:
    """One user's keep-alive connection and cookie jar."""

    def __init__(self, port: int, cookies: dict):
        self.port = port
        self.cookies = dict(cookies)
        self.connection = None

    def request(self, method: str, path: str, body: dict | None = None):
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        payload = None
        if body is not None:
            payload = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, content


def run_user(
    user: VirtualUser, port: int, counted_from: float, deadline: float, think, results, seed: int
):
    rng = random.Random(seed)
    browser = Browser(port, user.cookies)
    position = rng.randrange(len(user.steps))
    time.sleep(rng.uniform(0, think[1]))  # users arrive over the first seconds, not at once
    while time.monotonic() < deadline:
        step = user.steps[position % len(user.steps)]
        position += 1
        began = time.perf_counter()
        try:
            if step.form is None:
                status, _body = browser.request("GET", step.path)
            else:
                status, body = browser.request("GET", step.path)
                token = CSRF_INPUT.search(body.decode(errors="replace"))
                if status != 200 or token is None:
                    results.add(user.role, step.name, 0, False, f"form page {status}")
                    continue
                data = step.form()
                data["csrfmiddlewaretoken"] = token.group(1)
                began = time.perf_counter()  # time the save itself
                status, _body = browser.request("POST", step.path, data)
            elapsed = (time.perf_counter() - began) * 1000
            if time.monotonic() >= counted_from or status != step.expect:
                results.add(user.role, step.name, elapsed, status == step.expect, f"HTTP {status}")
        except (OSError, http.client.HTTPException) as exc:
            elapsed = (time.perf_counter() - began) * 1000
            results.add(user.role, step.name, elapsed, False, type(exc).__name__)
        time.sleep(rng.uniform(*think))


def start_gunicorn(port: int, workers: int, threads: int, log_path: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "aluna.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--keep-alive",
        "10",
        "--log-level",
        "warning",
    ]
    env = {**os.environ, "CONN_MAX_AGE": "60"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log_path.read_text(errors='replace')}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def summarise(results: Results, args, elapsed: float) -> dict:
    by_step: dict[tuple, list] = {}
    for role, step, ms, ok in results.samples:
        if ok:
            by_step.setdefault((role, step), []).append(ms)
    timings = [ms for _r, _s, ms, ok in results.samples if ok]
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "users": args.users,
        "duration_s": round(elapsed, 1),
        "think_s": list(args.think),
        "gunicorn": {"workers": args.workers, "threads": args.threads},
        "requests": len(results.samples),
        "errors": len(results.errors),
        "error_samples": results.errors[:20],
        "throughput_rps": round(len(results.samples) / elapsed, 1),
        "median_ms": round(statistics.median(timings), 1) if timings else None,
        "p95_ms": round(percentile(timings, 95), 1),
        "p99_ms": round(percentile(timings, 99), 1),
        "max_ms": round(max(timings), 1) if timings else None,
        "steps": {
            f"{role}: {step}": {
                "n": len(values),
                "median_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 95), 1),
            }
            for (role, step), values in sorted(by_step.items())
        },
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench.run import configure_environment, ensure_database, is_seeded

    configure_environment()
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    if not is_seeded(scale="large"):
        raise SystemExit("Seed the bench database first: .venv/bin/python bench/run.py")

    print(f"==> Signing in {args.users} virtual users")
    users = build_users(args.users)
    from django.db import connections

    connections.close_all()

    port = _free_port()
    log_path = args.output.with_suffix(".gunicorn.log")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    print(f"==> gunicorn on 127.0.0.1:{port} ({args.workers} × {args.threads} threads)")
    server = start_gunicorn(port, args.workers, args.threads, log_path)
    results = Results()
    try:
        print(
            f"==> {args.users} users for {args.warmup:.0f} s of ramp-up, then "
            f"{args.duration:.0f} s counted (think time {args.think} s)"
        )
        began = time.monotonic()
        counted_from = began + args.warmup
        deadline = counted_from + args.duration
        threads = [
            threading.Thread(
                target=run_user,
                args=(user, port, counted_from, deadline, args.think, results, index),
                daemon=True,
            )
            for index, user in enumerate(users)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.duration + 60)
        elapsed = time.monotonic() - counted_from
    finally:
        stop(server)

    summary = summarise(results, args, elapsed)
    args.output.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(f"\n{'step':40} {'n':>6} {'median ms':>10} {'p95 ms':>8}")
    for name, row in summary["steps"].items():
        print(f"{name:40} {row['n']:>6} {row['median_ms']:>10} {row['p95_ms']:>8}")
    within = summary["errors"] == 0 and summary["p95_ms"] < BUDGET_P95_MS
    print(
        f"\n{summary['requests']} requests in {summary['duration_s']} s "
        f"({summary['throughput_rps']} req/s), {summary['errors']} errors; "
        f"median {summary['median_ms']} ms, p95 {summary['p95_ms']} ms, "
        f"p99 {summary['p99_ms']} ms, max {summary['max_ms']} ms. "
        f"Budget: 0 errors, p95 < {BUDGET_P95_MS:.0f} ms: {'ok' if within else 'OVER'}"
    )
    for error in summary["error_samples"]:
        print(f"  error: {error}")
    print(f"Wrote {args.output}")
    return 1 if args.strict and not within else 0


if __name__ == "__main__":
    sys.exit(main())
