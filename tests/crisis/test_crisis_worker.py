"""Crisis alerts and escalation through the REAL Celery worker.

The worker must know the crisis tasks (crisis/tasks.py, found by Celery's
autodiscovery) and resolve the crisis URLs (crisis/urls.py).
"""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from crisis.models import CrisisAlert, CrisisIntervention, OnCallShift
from crisis.selectors.roster import local_week_start
from crisis.services.interventions import crisis_acknowledge
from crisis.tasks import escalate_unacknowledged_alerts
from tests.fixtures.celery_worker import TaskEnd, wait_for_outbox

pytestmark = [pytest.mark.worker]

NARRATIVE = "Hombres armados rodearon la casa comunitaria"


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


def _roster(*users, at):
    for position, user in enumerate(users):
        OnCallShift.objects.create(week_start=local_week_start(at=at), user=user, position=position)


def _recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message["To"].split(","))


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _log_crisis(client, *, subject_query: str, risk: str) -> CrisisIntervention:
    response = client.post(
        reverse("crisis:crisis-create"),
        {
            "subject_query": subject_query,
            "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone",
            "risk_level": risk,
            "actions_taken": NARRATIVE,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return CrisisIntervention.objects.select_related("process__subject").get()


def test_on_call_coordinator_and_team_get_an_email_without_names_or_places(
    celery_worker, worker_outbox, login, accompanier, coordinator, team_subject
):
    # Arrange: the coordinator is on call this week; Pablo's team has the subject.
    _roster(coordinator, at=timezone.now())
    client = login(accompanier)

    # Act
    started = time.monotonic()
    crisis = _log_crisis(client, subject_query=team_subject.alias, risk="high")
    wait_for_outbox(celery_worker)  # the alerts, then the e-mail of each: all sent
    elapsed = time.monotonic() - started
    messages = worker_outbox()
    print(f"\ncrisis save -> 2 e-mails sent by the worker: {elapsed * 1000:.0f} ms")

    # Assert: one e-mail each, with the link and the risk level, and nothing that identifies.
    assert _recipients(messages) == sorted([accompanier.email, coordinator.email])
    link = reverse("crisis:crisis-detail", kwargs={"crisis_id": crisis.pk})
    subject = crisis.process.subject
    for message in messages:
        text = f"{message['Subject']}\n{_body(message)}"
        assert link in text
        assert "nivel de riesgo: alto" in text  # the e-mail goes out in Spanish
        for secret in (subject.alias, subject.name, subject.municipality, NARRATIVE, "Semilla"):
            assert secret not in text
    assert CrisisAlert.objects.filter(intervention=crisis).count() == 2
    assert elapsed < 60


def test_unacknowledged_high_crisis_escalates_to_the_next_on_the_roster_once(
    celery_worker, worker_outbox, login, accompanier, coordinator, other_accompanier, team_subject
):
    # Arrange: coordinator on call, Olga the fallback; the crisis is alerted, nobody answers.
    now = timezone.now()
    _roster(coordinator, other_accompanier, at=now)
    crisis = _log_crisis(login(accompanier), subject_query=team_subject.alias, risk="high")
    wait_for_outbox(celery_worker)
    later = (now + dt.timedelta(minutes=31)).isoformat()

    # Act: the periodic check, 31 minutes later, twice.
    first = escalate_unacknowledged_alerts.delay(later)
    first_end = celery_worker.wait_for_task_end(first.id)
    second = escalate_unacknowledged_alerts.delay(later)
    second_end = celery_worker.wait_for_task_end(second.id)
    wait_for_outbox(celery_worker)  # every e-mail asked for is sent: the count is final
    emails = worker_outbox()

    # Assert: one escalation, then none; Olga got one e-mail, and nothing more was sent.
    assert (first_end, second_end) == (TaskEnd("succeeded", "1"), TaskEnd("succeeded", "0"))
    to_olga = [message for message in emails if message["To"] == other_accompanier.email]
    assert len(emails) == 3
    assert len(to_olga) == 1
    assert "nivel de riesgo: alto" in _body(to_olga[0])
    assert team_subject.alias not in _body(to_olga[0])
    assert CrisisAlert.objects.get(recipient=other_accompanier).escalation_step == 1
    assert CrisisAlert.objects.filter(intervention=crisis).count() == 3


def test_acknowledged_crisis_does_not_escalate(
    celery_worker, worker_outbox, login, accompanier, coordinator, other_accompanier, team_subject
):
    now = timezone.now()
    _roster(coordinator, other_accompanier, at=now)
    crisis = _log_crisis(login(accompanier), subject_query=team_subject.alias, risk="critical")
    wait_for_outbox(celery_worker)
    crisis_acknowledge(intervention=crisis, user=coordinator)

    result = escalate_unacknowledged_alerts.delay((now + dt.timedelta(minutes=45)).isoformat())
    end = celery_worker.wait_for_task_end(result.id)
    wait_for_outbox(celery_worker)

    assert end == TaskEnd("succeeded", "0")
    assert len(worker_outbox()) == 2
    assert not CrisisAlert.objects.filter(recipient=other_accompanier).exists()
