"""PostgreSQL restarts under the running app, under load: a Spanish 503 meanwhile, then it recovers.

A throwaway PostgreSQL cluster on a free port holds a copy of the test
database; a real gunicorn serves the app against it. A defender's browser that
still carries a session cookie asks for the login page, which loads the session
from the database. While the cluster is stopped the answer is our 503 page, in
Spanish, with Retry-After and no trace of the exception; once the cluster is back
the same gunicorn process answers 200 again, without a restart.
"""

import contextlib
import glob
import http.client
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext

from tests.fixtures.celery_worker import wait_for

BASE_DIR = Path(__file__).resolve().parents[2]


def _postgres_bindir() -> Path | None:
    """The newest installed PostgreSQL server binaries (Debian layout), or PG_BINDIR."""
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return Path(found[-1]).parent if found else None


BINDIR = _postgres_bindir()

# The cluster starts as a copy of the migrated test database: ask for one.
pytestmark = pytest.mark.django_db

needs_postgres_server = pytest.mark.skipif(
    BINDIR is None or not (BINDIR / "pg_ctl").exists() or shutil.which("pg_dump") is None,
    reason="PostgreSQL server binaries (initdb, pg_ctl) are not installed",
)

SESSION_COOKIE = f"sessionid={secrets.token_hex(16)}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster of its own, run as the `postgres` user when we are root."""

    def __init__(self, directory: Path, port: int):
        self.directory = directory
        self.data = directory / "data"
        self.port = port
        self.as_postgres = os.geteuid() == 0

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, timeout=60)

    def init(self) -> None:
        if self.as_postgres:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(
            str(BINDIR / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--no-sync", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip

    def start(self) -> None:
        self._run(
            str(BINDIR / "pg_ctl"), "-D", str(self.data), "-l", str(self.directory / "log"),
            "-w", "-t", "30", "-o",
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(str(BINDIR / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture
def cluster(django_db_setup, django_db_blocker):
    """A running cluster holding a copy of the (migrated) test database as `aluna`."""
    directory = Path(tempfile.mkdtemp(prefix="aluna-pg-"))
    cluster = Cluster(directory, _free_port())
    cluster.init()
    cluster.start()
    try:
        config = connections["default"].settings_dict
        source = [
            "pg_dump", "--format=custom", "--no-owner", "--no-privileges",
            "--dbname", config["NAME"], "--host", config["HOST"] or "127.0.0.1",
            "--port", str(config["PORT"] or 5432), "--username", config["USER"],
        ]  # fmt: skip
        env = {**os.environ, "PGPASSWORD": config["PASSWORD"] or ""}
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "aluna"],
            check=True,
            timeout=30,
        )
        dump = subprocess.run(source, env=env, check=True, capture_output=True, timeout=60)
        subprocess.run(
            ["pg_restore", "--no-owner", "--dbname", cluster.url("aluna")],
            input=dump.stdout,
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def gunicorn(cluster, tmp_path):
    """The app served by a real gunicorn (one worker) against the throwaway cluster."""
    port = _free_port()
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 (closed below)
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url("aluna"),
        "ALUNA_TESTING": "1",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "aluna.settings",
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "aluna.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30",
            "--no-control-socket",
        ],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(port, "/healthz")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text()
                    ) from None
                time.sleep(0.2)
        yield process, port
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


def _get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def _returning_visitor(port: int) -> tuple[int, dict, str]:
    """The login page, from a browser with a session cookie: the session is looked up."""
    return _get(port, "/accounts/login/", {"Cookie": SESSION_COOKIE})


def _workers(master_pid: int) -> set[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return {int(pid) for pid in children}


# How many answers of each kind the load gets: pages before the outage, 503s during
# it, pages after it (each visitor asks about every 20 ms, or as fast as the app answers).
LOAD_ANSWERS = 30


class _Load:
    """Visitors asking for pages from several threads until stopped; every answer kept."""

    def __init__(self, port: int, visitors: int = 6):
        self.port = port
        self.answers: list[int | str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._visit) for _ in range(visitors)]

    def _visit(self):
        while not self._stop.is_set():
            try:
                status = _returning_visitor(self.port)[0]
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__  # a refused or dropped connection
            self.answers.append(status)
            time.sleep(0.02)  # a visitor's pause between pages: load, not a flood

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=15)


@needs_postgres_server
@pytest.mark.xdist_group("database_outage")
def test_a_restarting_database_shows_a_spanish_503_and_the_app_recovers_without_restart(
    cluster, gunicorn
):
    process, port = gunicorn
    workers = _workers(process.pid)
    with translation.override("es-mx"):
        heading = gettext("Temporarily unavailable")
    status, _headers, _body = _returning_visitor(port)
    assert status == 200

    with _Load(port) as load:
        wait_for(lambda: load.answers.count(200) >= LOAD_ANSWERS)  # the visitors are in
        cluster.stop()
        status, headers, body = _returning_visitor(port)
        healthz_status, _, healthz = _get(port, "/healthz")
        wait_for(lambda: load.answers.count(503) >= LOAD_ANSWERS)  # they meet the outage
        cluster.start()
        wait_for(lambda: _returning_visitor(port)[0] == 200, timeout=10, interval=0.25)
        recovered_at = len(load.answers)
        # Answers to pages asked for before the recovery may still come in (one per
        # visitor at most; twice that for margin); then enough answers after it.
        wait_for(lambda: len(load.answers) >= recovered_at + 12 + LOAD_ANSWERS)

    # Under load, every answer was the page or the 503: no 500, no dropped connection,
    # and once the database was back, only pages again.
    assert set(load.answers) <= {200, 503}, sorted(set(map(str, load.answers)))
    assert 503 in load.answers and 200 in load.answers
    assert set(load.answers[recovered_at + 12 :]) == {200}

    assert status == 503
    assert headers["Retry-After"] == "10"
    assert headers["Content-Language"] == "es-mx"
    assert '<html lang="es-mx">' in body
    assert heading in body
    assert "Volver a la página de inicio" in body
    for leak in ("Traceback", "OperationalError", "psycopg", "connection", str(cluster.port)):
        assert leak not in body
    assert "no-store" in headers["Cache-Control"]
    assert healthz_status == 503
    assert '"database": "fail"' in healthz

    status, _headers, _body = _returning_visitor(port)

    assert status == 200
    assert process.poll() is None
    assert _workers(process.pid) == workers  # same master, same worker: no restart


def _database_gone(request):
    raise OperationalError('connection to server at "10.0.0.5", port 5432 failed: expediente 42')


def _broken(request):
    raise RuntimeError("not the database")


# This module doubles as a URLconf for the in-process tests below.
urlpatterns = [path("database-gone/", _database_gone), path("broken/", _broken)]
handler500 = "aluna.core.views.error_500"


@pytest.mark.urls("tests.core.test_database_outage")
def test_coordinator_sees_the_503_page_when_a_view_loses_the_database(login, coordinator):
    client = login(coordinator, client=Client(raise_request_exception=False))

    response = client.get("/database-gone/", headers={"accept-language": "en"})

    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response["Content-Language"] == "en"
    assert "Temporarily unavailable" in body
    assert int(response["Content-Length"]) == len(response.content)
    assert "no-store" in response["Cache-Control"]
    for leak in ("10.0.0.5", "expediente", "OperationalError", "Traceback"):
        assert leak not in body


@pytest.mark.urls("tests.core.test_database_outage")
def test_other_failures_still_show_the_500_page(login, coordinator):
    client = login(coordinator, client=Client(raise_request_exception=False))

    response = client.get("/broken/")

    assert response.status_code == 500
    assert "Retry-After" not in response
