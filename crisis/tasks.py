"""Celery tasks of crisis response. They take ids or instants and delegate to services.

All are idempotent (a retried or duplicated run alerts nobody twice) and
acknowledged late (a task a dying worker held is run again). The periodic ones
take the current time as an ISO string so tests and operators choose the instant.

How a crisis alert travels: views/interventions.py `crisis_create` ->
services/interventions.py `crisis_record` (one transaction: the intervention, its
follow-ups, the audit row and an outbox row for SEND_ALERTS_TASK) -> after commit
the outbox publishes it -> `send_crisis_alerts` below -> services/alerts.py
`crisis_alerts_send` (on-call person from selectors/roster.py, the process team)
-> aluna.notifications `notification_send` (in-app, and its e-mail via the outbox).
"""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from .services.alerts import crisis_alerts_escalate, crisis_alerts_send
from .services.follow_ups import crisis_follow_up_reminders_send
from .services.interventions import SEND_ALERTS_TASK

ESCALATE_TASK = "crisis.escalate"
REMIND_FOLLOW_UPS_TASK = "crisis.remind_follow_ups"


def _instant(now_iso: str | None) -> dt.datetime:
    if not now_iso:
        return timezone.now()
    now = dt.datetime.fromisoformat(now_iso)
    return timezone.make_aware(now) if timezone.is_naive(now) else now


@shared_task(name=SEND_ALERTS_TASK, acks_late=True)
def send_crisis_alerts(intervention_id: str, now_iso: str | None = None) -> int:
    """Right after a crisis is saved: alert the on-call person and the team."""
    return crisis_alerts_send(intervention_id=intervention_id, now=_instant(now_iso))


@shared_task(name=ESCALATE_TASK, acks_late=True)
def escalate_unacknowledged_alerts(now_iso: str | None = None) -> int:
    """Every minute (beat): escalate unacknowledged high and critical crises."""
    return crisis_alerts_escalate(now=_instant(now_iso))


@shared_task(name=REMIND_FOLLOW_UPS_TASK, acks_late=True)
def remind_due_crisis_follow_ups(now_iso: str | None = None) -> int:
    """Every five minutes (beat): remind responders of follow-up contacts due."""
    return crisis_follow_up_reminders_send(now=_instant(now_iso))


# The names these tasks had while crisis response lived in the accompaniment app.
# Messages saved in the outbox (or waiting in the broker) under them before an
# upgrade still run; nothing enqueues them any more.
LEGACY_TASK_NAMES = {
    "accompaniment.crisis.send_alerts": send_crisis_alerts,
    "accompaniment.crisis.escalate": escalate_unacknowledged_alerts,
    "accompaniment.crisis.remind_follow_ups": remind_due_crisis_follow_ups,
}
for _legacy_name, _task in LEGACY_TASK_NAMES.items():
    shared_task(name=_legacy_name, acks_late=True)(_task.run)
