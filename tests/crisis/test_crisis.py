"""Crisis response: the quick form, the board, acknowledgement, escalation and follow-ups."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accompaniment.factories import PoliticalSubjectFactory
from accompaniment.models import (
    AggressionType,
    FederalEntity,
    Process,
    ProcessKind,
    RiskLevel,
    SubjectKind,
)
from aluna.audit.models import AuditEvent
from aluna.notifications.models import Notification
from crisis.models import CrisisAlert, CrisisFollowUp, CrisisIntervention, OnCallShift
from crisis.selectors.interventions import crisis_board_for_user
from crisis.selectors.roster import local_week_start
from crisis.services.alerts import crisis_alerts_escalate, crisis_alerts_send
from crisis.services.follow_ups import (
    crisis_follow_up_done_by_session,
    crisis_follow_up_reminders_send,
)
from crisis.services.interventions import crisis_record


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


def _local_input(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _quick_post(**overrides) -> dict:
    data = {
        "subject_query": "Colectivo Semilla",
        "contacted_at": _local_input(timezone.now()),
        "channel": "phone",
        "risk_level": "high",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _crisis(*, actor, subject, risk=RiskLevel.HIGH, contacted_at=None, responders=None):
    return crisis_record(
        actor=actor,
        data={
            "subject": subject,
            "contacted_at": contacted_at or timezone.now(),
            "channel": "phone",
            "risk_level": risk,
            "responders": responders or [actor],
        },
    )


def _roster(*users, at=None):
    week = local_week_start(at=at or timezone.now())
    for position, user in enumerate(users):
        OnCallShift.objects.create(week_start=week, user=user, position=position)


# --- Quick form ------------------------------------------------------------------------------


def test_accompanier_can_log_a_crisis_with_the_minimum(login, accompanier, team_process):
    client = login(accompanier)

    response = client.post(reverse("crisis:crisis-create"), _quick_post())

    crisis = CrisisIntervention.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("crisis:crisis-detail", kwargs={"crisis_id": crisis.pk})
    assert crisis.process.kind == ProcessKind.CRISIS
    assert crisis.process.subject_id == team_process.subject_id
    assert crisis.process.lead == accompanier
    assert list(crisis.responders.all()) == [accompanier]
    assert crisis.last_contact_at == crisis.contacted_at
    assert crisis.follow_ups.count() == 3
    assert AuditEvent.objects.filter(action="create", target_id=str(crisis.pk)).count() == 1


def test_accompanier_can_attach_a_second_crisis_to_the_open_emergency_process(
    accompanier, team_subject
):
    first = _crisis(actor=accompanier, subject=team_subject)
    second = _crisis(actor=accompanier, subject=team_subject)

    assert second.process_id == first.process_id
    assert Process.objects.filter(kind=ProcessKind.CRISIS).count() == 1


def test_accompanier_can_quick_create_a_subject_and_a_new_aggression(login, accompanier, db):
    client = login(accompanier)
    kind = SubjectKind.objects.filter(is_active=True).first()
    state = FederalEntity.objects.filter(is_active=True).first()
    types = list(AggressionType.objects.filter(is_active=True)[:2])

    response = client.post(
        reverse("crisis:crisis-create"),
        _quick_post(
            subject_query="",
            new_alias="Defensora del río",
            new_kind=str(kind.pk),
            new_state=str(state.pk),
            risk_level="critical",
            aggression_types=[str(t.pk) for t in types],
            immediate_needs=["medical", "legal"],
        ),
    )

    crisis = CrisisIntervention.objects.select_related("process__subject", "aggression").get()
    assert response.status_code == 302
    assert crisis.process.subject.alias == "Defensora del río"
    assert crisis.process.subject.state == state
    assert set(crisis.aggression.types.all()) == set(types)
    assert list(crisis.aggression.subjects.all()) == [crisis.process.subject]
    assert crisis.immediate_needs == ["medical", "legal"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"channel": None},
        {"risk_level": "apocalyptic"},
        {"contacted_at": "not a date"},
        {"contacted_at": _local_input(timezone.now() + dt.timedelta(days=2))},
        {"contacted_at": _local_input(timezone.now() - dt.timedelta(days=400))},
        {"subject_query": ""},
        {"subject_query": "Nadie conocido"},
        {"subject_query": "x" * 500},
        {"subject": "not-a-uuid"},
        {"actions_taken": "a\x00b"},
        {"actions_taken": "a" * 6000},
        {"immediate_needs": ["teleportation"]},
        {"responders": ["00000000-0000-0000-0000-000000000000"]},
        {"create_subject": "on", "subject_query": "Nuevo"},
        {"new_alias": "Nuevo"},
        {"new_name": "Ana Ruiz"},
        {"aggression_types": ["00000000-0000-0000-0000-000000000000"]},
    ],
)
def test_accompanier_cannot_save_bad_input_and_gets_a_400(
    login, accompanier, team_process, overrides
):
    client = login(accompanier)

    response = client.post(reverse("crisis:crisis-create"), _quick_post(**overrides))

    assert response.status_code == 400
    assert CrisisIntervention.objects.count() == 0


def test_accompanier_cannot_log_a_crisis_for_another_teams_subject(
    login, other_accompanier, team_subject
):
    client = login(other_accompanier)

    response = client.post(
        reverse("crisis:crisis-create"),
        _quick_post(subject=str(team_subject.pk), subject_query=""),
    )

    assert response.status_code == 400
    assert CrisisIntervention.objects.count() == 0


def test_accompanier_can_choose_among_several_matching_subjects(login, accompanier, db):
    client = login(accompanier)
    one = PoliticalSubjectFactory(alias="Radio Norte", created_by=accompanier)
    PoliticalSubjectFactory(alias="Radio Sur", created_by=accompanier)

    ambiguous = client.post(reverse("crisis:crisis-create"), _quick_post(subject_query="Radio"))
    chosen = client.post(
        reverse("crisis:crisis-create"),
        _quick_post(subject_query="Radio", subject=str(one.pk)),
    )

    assert ambiguous.status_code == 400
    assert ambiguous.content.decode().count('name="subject"') == 2
    assert chosen.status_code == 302
    assert CrisisIntervention.objects.get().process.subject == one


@pytest.mark.parametrize("who", ["admin_user", "trainer", "advocate", "outsider"])
def test_other_roles_cannot_open_the_crisis_pages(request, login, who):
    client = login(request.getfixturevalue(who))

    for name in ("crisis:crisis-create", "crisis:crisis-board"):
        assert client.get(reverse(name)).status_code == 403


def test_accompanier_can_open_the_quick_form_with_now_as_default(login, accompanier):
    response = login(accompanier).get(reverse("crisis:crisis-create"))

    assert response.status_code == 200
    assert response.context["form"].initial["responders"] == [accompanier.pk]


# --- Detail, edit, acknowledge, follow-ups -----------------------------------------------------


def test_non_member_cannot_see_a_crisis_of_another_team(
    login, accompanier, other_accompanier, team_subject
):
    crisis = _crisis(actor=accompanier, subject=team_subject)
    client = login(other_accompanier)

    for name in ("crisis:crisis-detail", "crisis:crisis-edit"):
        assert client.get(reverse(name, kwargs={"crisis_id": crisis.pk})).status_code == 404
    ack = client.post(reverse("crisis:crisis-acknowledge", kwargs={"crisis_id": crisis.pk}))
    assert ack.status_code == 404
    follow_up = crisis.follow_ups.first()
    done = client.post(
        reverse("crisis:crisis-follow-up-done", kwargs={"follow_up_id": follow_up.pk}),
        {"action": "done"},
    )
    assert done.status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


def test_coordinator_can_see_a_crisis_and_the_view_is_audited(
    login, coordinator, accompanier, team_subject
):
    crisis = _crisis(actor=accompanier, subject=team_subject)

    response = login(coordinator).get(
        reverse("crisis:crisis-detail", kwargs={"crisis_id": crisis.pk})
    )

    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="view", target_id=str(crisis.pk)).count() == 1


def test_accompanier_can_complete_a_crisis_later_and_a_stale_form_is_refused(
    login, accompanier, team_subject
):
    crisis = _crisis(actor=accompanier, subject=team_subject)
    client = login(accompanier)
    url = reverse("crisis:crisis-edit", kwargs={"crisis_id": crisis.pk})
    data = {
        "version": "1",
        "contacted_at": _local_input(crisis.contacted_at),
        "channel": "in_person",
        "risk_level": "critical",
        "immediate_needs": ["shelter_relocation"],
        "actions_taken": "Acompañamiento telefónico.",
        "responders": [str(accompanier.pk)],
        "status": "open",
    }

    saved = client.post(url, data)
    stale = client.post(url, {**data, "risk_level": "low"})

    crisis.refresh_from_db()
    assert saved.status_code == 302
    assert stale.status_code == 409
    assert crisis.risk_level == "critical"
    assert crisis.version == 2


def test_a_responder_can_acknowledge_and_escalation_stops(accompanier, coordinator, team_subject):
    crisis = _crisis(actor=accompanier, subject=team_subject)
    crisis_alerts_send(intervention_id=crisis.pk, now=timezone.now())
    from crisis.services.interventions import crisis_acknowledge

    crisis_acknowledge(intervention=crisis, user=accompanier)

    assert CrisisAlert.objects.filter(acknowledged_at__isnull=True).count() == 0
    later = timezone.now() + dt.timedelta(minutes=31)
    _roster(coordinator, accompanier)
    assert crisis_alerts_escalate(now=later) == 0


def test_accompanier_can_mark_a_follow_up_done_or_reschedule_it(login, accompanier, team_subject):
    crisis = _crisis(actor=accompanier, subject=team_subject)
    first, second, _third = crisis.follow_ups.order_by("due_at")
    client = login(accompanier)
    new_due = timezone.now() + dt.timedelta(days=2)

    done = client.post(
        reverse("crisis:crisis-follow-up-done", kwargs={"follow_up_id": first.pk}),
        {"action": "done", "note": "Llamada de seguimiento."},
    )
    moved = client.post(
        reverse("crisis:crisis-follow-up-done", kwargs={"follow_up_id": second.pk}),
        {"action": "reschedule", "due_at": _local_input(new_due)},
    )
    refused = client.post(
        reverse("crisis:crisis-follow-up-done", kwargs={"follow_up_id": second.pk}),
        {"action": "reschedule", "due_at": "yesterday"},
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (done.status_code, moved.status_code, refused.status_code) == (302, 302, 400)
    assert first.done_by == accompanier
    assert first.note == "Llamada de seguimiento."
    assert _local_input(second.due_at) == _local_input(new_due)


def test_a_session_on_the_crisis_process_marks_the_earliest_follow_up_done(
    accompanier, team_subject
):
    crisis = _crisis(actor=accompanier, subject=team_subject)
    at = timezone.now() + dt.timedelta(hours=20)

    marked = crisis_follow_up_done_by_session(
        process_id=crisis.process_id, actor=accompanier, at=at
    )

    earliest = crisis.follow_ups.order_by("due_at").first()
    crisis.refresh_from_db()
    assert marked == 1
    assert earliest.done_at == at
    assert crisis.last_contact_at == at
    assert CrisisFollowUp.objects.filter(done_at__isnull=True).count() == 2


def test_responders_are_reminded_of_a_due_follow_up_once(accompanier, team_subject):
    crisis = _crisis(actor=accompanier, subject=team_subject)
    after_first = timezone.now() + dt.timedelta(hours=25)

    first_run = crisis_follow_up_reminders_send(now=after_first)
    second_run = crisis_follow_up_reminders_send(now=after_first)

    assert (first_run, second_run) == (1, 0)
    assert Notification.objects.filter(recipient=accompanier, kind="crisis").count() == 1
    assert crisis.follow_ups.filter(reminded_at__isnull=False).count() == 1


# --- Alerts and escalation (in process; the real worker runs them in test_crisis_worker) ------


def test_on_call_and_team_are_alerted_once_even_if_the_task_runs_twice(
    accompanier, coordinator, other_accompanier, team_subject
):
    _roster(coordinator, other_accompanier)
    crisis = _crisis(actor=accompanier, subject=team_subject)

    first = crisis_alerts_send(intervention_id=crisis.pk, now=timezone.now())
    second = crisis_alerts_send(intervention_id=crisis.pk, now=timezone.now())

    assert (first, second) == (2, 0)
    assert set(CrisisAlert.objects.values_list("recipient", flat=True)) == {
        coordinator.pk,
        accompanier.pk,
    }
    message = Notification.objects.filter(recipient=coordinator).get().text
    assert message == "New crisis, risk level: high. Open it from the crisis board."


def test_an_unacknowledged_high_crisis_escalates_one_step_at_a_time(
    accompanier, coordinator, other_accompanier, team_subject
):
    now = timezone.now()
    _roster(coordinator, other_accompanier, at=now)
    crisis = _crisis(actor=accompanier, subject=team_subject)
    crisis_alerts_send(intervention_id=crisis.pk, now=now)

    too_early = crisis_alerts_escalate(now=now + dt.timedelta(minutes=29))
    escalated = crisis_alerts_escalate(now=now + dt.timedelta(minutes=31))
    again = crisis_alerts_escalate(now=now + dt.timedelta(minutes=31))

    assert (too_early, escalated, again) == (0, 1, 0)
    alert = CrisisAlert.objects.get(recipient=other_accompanier)
    assert alert.escalation_step == 1


def test_a_low_risk_crisis_never_escalates(
    accompanier, coordinator, other_accompanier, team_subject
):
    now = timezone.now()
    _roster(coordinator, other_accompanier, at=now)
    crisis = _crisis(actor=accompanier, subject=team_subject, risk=RiskLevel.LOW)
    crisis_alerts_send(intervention_id=crisis.pk, now=now)

    assert crisis_alerts_escalate(now=now + dt.timedelta(hours=3)) == 0


# --- Board -------------------------------------------------------------------------------------


def test_board_lists_critical_first_then_the_longest_without_contact(coordinator, accompanier):
    now = timezone.now()
    subjects = [PoliticalSubjectFactory(created_by=accompanier) for _ in range(4)]
    high_old = _crisis(
        actor=accompanier, subject=subjects[0], contacted_at=now - dt.timedelta(hours=5)
    )
    high_recent = _crisis(
        actor=accompanier, subject=subjects[1], contacted_at=now - dt.timedelta(hours=1)
    )
    critical = _crisis(actor=accompanier, subject=subjects[2], risk=RiskLevel.CRITICAL)
    low = _crisis(
        actor=accompanier,
        subject=subjects[3],
        risk=RiskLevel.LOW,
        contacted_at=now - dt.timedelta(days=3),
    )

    board = list(crisis_board_for_user(user=coordinator))

    assert board == [critical, high_old, high_recent, low]


def test_accompanier_sees_only_the_crises_of_their_teams_on_the_board(
    login, accompanier, other_accompanier, team_subject
):
    mine = _crisis(actor=accompanier, subject=team_subject)
    _crisis(actor=other_accompanier, subject=PoliticalSubjectFactory(created_by=other_accompanier))

    response = login(accompanier).get(reverse("crisis:crisis-board"))

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [mine]


def test_board_shows_an_empty_state_without_open_crises(login, coordinator):
    response = login(coordinator).get(reverse("crisis:crisis-board"))

    assert response.status_code == 200
    assert "No open crisis." in response.content.decode()


def _board_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("crisis:crisis-board")).status_code == 200
    return len(queries)


def test_board_query_count_does_not_grow_with_the_crises(login, coordinator, accompanier):
    client = login(coordinator)
    for _ in range(2):
        _crisis(actor=accompanier, subject=PoliticalSubjectFactory(created_by=accompanier))
    small = _board_queries(client)
    for _ in range(10):
        _crisis(actor=accompanier, subject=PoliticalSubjectFactory(created_by=accompanier))

    assert _board_queries(client) == small


def _detail_queries(client, crisis) -> int:
    url = reverse("crisis:crisis-detail", kwargs={"crisis_id": crisis.pk})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_detail_query_count_does_not_grow_with_alerts(
    login, coordinator, accompanier, other_accompanier, team_subject
):
    client = login(coordinator)
    crisis = _crisis(actor=accompanier, subject=team_subject, responders=[accompanier])
    crisis_alerts_send(intervention_id=crisis.pk, now=timezone.now())
    small = _detail_queries(client, crisis)
    crisis.responders.add(other_accompanier, coordinator)
    _roster(coordinator, other_accompanier)
    CrisisAlert.objects.create(intervention=crisis, recipient=coordinator, escalation_step=1)

    assert _detail_queries(client, crisis) == small
