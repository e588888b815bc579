"""The bench measures every page beside its yardsticks, in the same run, and budgets ratios.

Small scale, a couple of rounds: these tests check the harness's logic (interleaving,
ratios, budgets, the yardsticks answer), not the figures.
"""

from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accompaniment.models import PoliticalSubject, Process
from bench import run
from bench.admin_site import site as bench_admin_site
from bench.pages import PAGES, REFERENCES, Page


def _row(name, median, *, reference=None, list_of=None, status="ok"):
    row = {"name": name, "user": "coordinator", "status": status, "list_of": list_of}
    if reference:
        row["reference"] = reference
    if median is not None:
        row["median_ms"] = median
    return row


YARDSTICKS = [
    _row("floor", 4.0, reference="floor"),
    _row("admin subjects", 20.0, reference="admin:subject"),
    _row("admin processes", 30.0, reference="admin:process"),
]


def test_a_page_is_measured_in_multiples_of_the_floor_and_of_its_models_admin():
    rows = [
        *[dict(r) for r in YARDSTICKS],
        _row("subject list", 9.0, list_of="subject"),
        _row("attention", 14.0, list_of="process"),
        _row("process detail", 12.0),
    ]

    references = run.apply_budgets(rows)

    assert references == {"floor": 4.0, "admin:subject": 20.0, "admin:process": 30.0}
    by_name = {r["name"]: r for r in rows}
    assert by_name["subject list"]["x_floor"] == 2.25
    assert by_name["subject list"]["x_admin"] == 0.45
    assert by_name["attention"]["x_admin"] == 0.47
    assert "x_admin" not in by_name["process detail"]
    assert by_name["process detail"]["x_floor"] == 3.0
    assert [r.get("within_budget") for r in rows] == [None, None, None, True, True, True]
    assert run.over_budget(rows) == []


def test_a_list_page_over_half_its_admin_or_any_page_over_five_floors_fails_strict():
    rows = [
        *[dict(r) for r in YARDSTICKS],
        _row("subject list", 10.4, list_of="subject"),  # 0.52× the admin, 2.6× the floor
        _row("dashboard", 20.4),  # 5.1× the floor
        _row("home", 20.0),  # exactly 5×: within
        _row("broken", None, status="error"),
    ]

    run.apply_budgets(rows)

    assert [r["name"] for r in run.over_budget(rows)] == ["subject list", "dashboard", "broken"]


def test_without_a_yardstick_no_page_can_pass():
    rows = [_row("floor", None, reference="floor", status="error"), _row("home", 3.0)]

    run.apply_budgets(rows)

    assert rows[1]["within_budget"] is False
    assert [r["name"] for r in run.over_budget(rows)] == ["floor", "home"]


def test_pages_are_timed_in_interleaved_rounds_and_a_failing_page_leaves_them():
    calls = []

    def sender(name, statuses):
        answers = iter(statuses)

        def send():
            calls.append(name)
            return SimpleNamespace(status_code=next(answers))

        return send

    rows = [
        {"name": "floor", "status": "ok", "expected": 200, "samples": []},
        {"name": "a", "status": "ok", "expected": 200, "samples": []},
        {"name": "b", "status": "ok", "expected": 200, "samples": [], "reason": ""},
        {"name": "skipped", "status": "skipped", "reason": "no such URL yet"},
    ]
    rows[0]["send"] = sender("floor", [200] * 4)
    rows[1]["send"] = sender("a", [200] * 4)
    rows[2]["send"] = sender("b", [200, 200, 500])
    ticks = iter(range(100))

    run.interleaved(rows, requests=3, warmup=1, clock=lambda: next(ticks))

    warmup, *rounds = [calls[i : i + 3] for i in range(0, 9, 3)]
    assert warmup == ["floor", "a", "b"]
    assert rounds == [["floor", "a", "b"], ["floor", "a", "b"]]
    assert calls[9:] == ["floor", "a"]
    assert rows[0]["samples"] == [1000.0, 1000.0, 1000.0]  # ms: one tick is a second
    assert rows[2]["status"] == "error" and rows[2]["http_status"] == 500
    assert "samples" not in rows[2]


def test_the_yardsticks_live_in_the_bench_not_in_the_projects_admin():
    assert PoliticalSubject not in admin.site._registry
    assert Process not in admin.site._registry
    assert {PoliticalSubject, Process} <= set(bench_admin_site._registry)
    assert {r.reference for r in REFERENCES} == {"floor", "admin:subject", "admin:process"}
    listed = {p.name: p.list_of for p in PAGES if p.list_of}
    assert listed == {
        "accompaniment index": "subject",
        "accompaniment index (coordinación)": "subject",
        "accompaniment dashboard": "process",
        "attention lists (coordinación)": "process",
        "attention lists (acompañamiento)": "process",
    }


@pytest.fixture
def bench_urls(settings):
    settings.ROOT_URLCONF = "bench.urls"


def test_the_yardsticks_and_a_list_page_answer_and_get_ratios(seeded, bench_urls):
    pages = [*REFERENCES, Page("subjects", "coordinator", "accompaniment:index", list_of="subject")]

    rows = run.time_pages(pages, clients={}, requests=2, warmup=1)

    assert [(r["name"], r["status"], r["requests"]) for r in rows] == [
        (p.name, "ok", 2) for p in pages
    ]
    assert set(rows[3]) >= {"x_floor", "x_admin", "within_budget", "queries", "median_ms"}


def test_the_floor_reads_its_25_subjects_in_one_query(seeded, bench_urls):
    client, _ = run.client_for("coordinator", {})
    client.get("/_bench/floor/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/_bench/floor/")

    assert response.status_code == 200
    subject_table = PoliticalSubject._meta.db_table
    reads = [q for q in queries if f'FROM "{subject_table}"' in q["sql"]]
    assert len(reads) == 1
    assert response.content.count(b"<li>") == 25


def test_the_bench_admin_admits_coordinators_only(seeded, bench_urls):
    url = "/_bench/admin/accompaniment/politicalsubject/"
    coordinator, _ = run.client_for("coordinator", {})
    accompanier, _ = run.client_for("accompanier1", {})

    assert coordinator.get(url).status_code == 200
    assert accompanier.get(url).status_code == 302  # to the (one) login page
