"""The process timeline: merged, newest first, paginated, extensible, constant queries."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accompaniment import timeline
from accompaniment.factories import FieldAssessmentFactory, ObjectiveFactory, SessionFactory
from accompaniment.models import ObjectiveChange, Process
from aluna.audit.models import AuditEvent


def _url(process, page=None):
    url = reverse("accompaniment:process-timeline", kwargs={"process_id": process.pk})
    return f"{url}?page={page}" if page else url


def test_team_member_sees_sessions_assessments_objective_changes_newest_first(
    login, accompanier, team_process
):
    now = timezone.now()
    SessionFactory(process=team_process, started_at=now - dt.timedelta(days=3))
    FieldAssessmentFactory(
        process=team_process, assessed_on=timezone.localdate() - dt.timedelta(days=10)
    )
    objective = ObjectiveFactory(process=team_process)
    ObjectiveChange.objects.create(
        objective=objective,
        from_status="agreed",
        to_status="met",
        changed_by=accompanier,
        changed_at=now - dt.timedelta(days=1),
    )

    response = login(accompanier).get(_url(team_process))

    kinds = [entry.kind for entry in response.context["page"].entries]
    assert response.status_code == 200
    assert kinds == ["objective", "session", "assessment", "opened"]


def test_timeline_shows_the_closed_marker(login, accompanier, team_process):
    Process.objects.filter(pk=team_process.pk).update(
        status="closed", closed_on=timezone.localdate()
    )

    response = login(accompanier).get(_url(team_process))

    assert [e.kind for e in response.context["page"].entries] == ["closed", "opened"]


def test_timeline_is_paginated_by_thirty(login, accompanier, team_process):
    now = timezone.now()
    for day in range(35):
        SessionFactory(process=team_process, started_at=now - dt.timedelta(days=day, hours=1))
    client = login(accompanier)

    first = client.get(_url(team_process))
    second = client.get(_url(team_process, page=2))

    assert (len(first.context["page"].entries), first.context["page"].has_next) == (30, True)
    # 5 remaining sessions and the "opened" marker.
    assert (len(second.context["page"].entries), second.context["page"].has_next) == (6, False)
    assert second.context["page"].entries[-1].kind == "opened"


def test_a_bad_page_number_gives_the_first_page(login, accompanier, team_process):
    response = login(accompanier).get(_url(team_process, page="abc"))

    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_non_member_gets_404_and_other_roles_403(login, other_accompanier, trainer, team_process):
    assert login(other_accompanier).get(_url(team_process)).status_code == 404
    assert login(trainer).get(_url(team_process)).status_code == 403


def test_timeline_view_is_audited(login, accompanier, team_process):
    login(accompanier).get(_url(team_process))

    assert AuditEvent.objects.filter(action="view", target_id=str(team_process.pk)).count() == 1


def test_another_app_can_register_a_timeline_source(login, accompanier, team_process):
    def crisis_entries(*, process, user, since=None, limit=None):
        yield timeline.TimelineEntry(
            when=timezone.now(), kind="crisis", title="Intervención", url=None, detail=""
        )

    timeline.register_timeline_source("tests.crisis", crisis_entries)
    try:
        response = login(accompanier).get(_url(team_process))
    finally:
        timeline._sources.pop("tests.crisis")

    assert [e.kind for e in response.context["page"].entries] == ["crisis", "opened"]


def test_each_source_is_asked_for_at_most_one_page_more_than_needed(accompanier, team_process):
    asked = []

    def spy(*, process, user, since=None, limit=None):
        asked.append(limit)
        return []

    timeline.register_timeline_source("tests.spy", spy)
    try:
        timeline.timeline_page(process=team_process, user=accompanier, page=2)
    finally:
        timeline._sources.pop("tests.spy")

    assert asked == [61]


def test_timeline_query_count_does_not_grow_with_sessions(login, accompanier, team_process):
    from accompaniment.factories import ProcessFactory

    small = ProcessFactory(lead=accompanier)
    large = ProcessFactory(lead=accompanier)
    for process, n in ((small, 3), (large, 30)):
        for index in range(n):
            SessionFactory(process=process, started_at=timezone.now() - dt.timedelta(hours=index))
            FieldAssessmentFactory(process=process)
            ObjectiveFactory(process=process, status="agreed")
    client = login(accompanier)
    client.get(_url(small))

    with CaptureQueriesContext(connection) as at_three:
        client.get(_url(small))
    with CaptureQueriesContext(connection) as at_thirty:
        client.get(_url(large))

    assert len(at_three) == len(at_thirty)


def test_team_member_sees_a_crisis_intervention_in_the_timeline(login, accompanier, team_subject):
    from django.urls import reverse
    from django.utils import timezone

    from crisis.services.interventions import crisis_record

    crisis = crisis_record(
        actor=accompanier,
        data={
            "subject": team_subject,
            "contacted_at": timezone.now(),
            "channel": "phone",
            "risk_level": "critical",
        },
    )

    response = login(accompanier).get(
        reverse("accompaniment:process-timeline", kwargs={"process_id": crisis.process_id})
    )

    crisis_url = reverse("crisis:crisis-detail", kwargs={"crisis_id": crisis.pk})
    assert f'href="{crisis_url}"' in response.content.decode()
