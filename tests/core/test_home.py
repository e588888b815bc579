"""Each role lands on its day's work: the home page's panels (aluna.core.home)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accompaniment.factories import ProcessFactory
from crisis.models import CrisisFollowUp, CrisisIntervention


def _panels(response) -> list[str]:
    return [panel.key for panel, _context in response.context["panels"]]


@pytest.mark.parametrize(
    ("who", "panels"),
    [
        (
            "accompanier",
            [
                "crisis.log",
                "crisis.open",
                "crisis.follow_ups",
                "accompaniment.sessions_due",
                "accompaniment.attention",
            ],
        ),
        (
            "coordinator",
            [
                "crisis.log",
                "crisis.open",
                "crisis.follow_ups",
                "crisis.response_times",
                "accompaniment.attention",
            ],
        ),
        ("trainer", ["training.sessions_today"]),
        ("advocate", ["advocacy.reports_due"]),
        ("admin_user", ["accounts.users"]),
        ("outsider", []),
    ],
)
def test_each_role_lands_on_its_own_panels(request, login, who, panels):
    response = login(request.getfixturevalue(who)).get("/")

    assert response.status_code == 200
    assert _panels(response) == panels


def _open_crisis(process, *, due_in_hours: int) -> CrisisIntervention:
    now = timezone.now()
    crisis = CrisisIntervention.objects.create(
        process=process,
        contacted_at=now,
        last_contact_at=now,
        channel="phone",
        risk_level="high",
        recorded_by=process.lead,
    )
    CrisisFollowUp.objects.create(
        intervention=crisis, due_at=now + dt.timedelta(hours=due_in_hours)
    )
    return crisis


def test_accompanier_sees_her_open_crises_and_overdue_follow_ups_not_other_teams(
    login, accompanier, other_accompanier, team_process
):
    mine = _open_crisis(team_process, due_in_hours=-2)
    _open_crisis(ProcessFactory(lead=other_accompanier), due_in_hours=-2)

    response = login(accompanier).get("/")

    by_key = {panel.key: context for panel, context in response.context["panels"]}
    assert [crisis.pk for crisis in by_key["crisis.open"]["rows"]] == [mine.pk]
    assert [f.intervention_id for f in by_key["crisis.follow_ups"]["rows"]] == [mine.pk]
    assert "Colectivo Semilla" in response.content.decode()


def test_accompanier_is_shown_the_sessions_to_record_on_her_processes(login, accompanier):
    due = ProcessFactory(lead=accompanier, next_follow_up=timezone.localdate())
    ProcessFactory(lead=accompanier, next_follow_up=timezone.localdate() + dt.timedelta(days=3))

    response = login(accompanier).get("/")

    by_key = {panel.key: context for panel, context in response.context["panels"]}
    assert [process.pk for process in by_key["accompaniment.sessions_due"]["rows"]] == [due.pk]


def test_coordinator_home_costs_the_same_queries_with_more_data(login, coordinator):
    client = login(coordinator)
    _open_crisis(ProcessFactory(next_follow_up=timezone.localdate()), due_in_hours=-1)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for _ in range(8):
        process = ProcessFactory(next_follow_up=timezone.localdate() - dt.timedelta(days=1))
        _open_crisis(process, due_in_hours=-1)
    client.get("/")  # the attention totals are counted once after a change, then kept

    with CaptureQueriesContext(connection) as many:
        client.get("/")

    assert len(many) == len(few)
