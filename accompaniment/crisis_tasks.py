"""Celery tasks of crisis response. They take ids or instants and delegate to services.

All are idempotent (a retried or duplicated run alerts nobody twice) and
acknowledged late (a task a dying worker held is run again). The periodic ones
take the current time as an ISO string so tests and operators choose the instant.
"""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from .services.crisis import (
    crisis_alerts_escalate,
    crisis_alerts_send,
    crisis_follow_up_reminders_send,
)


def _instant(now_iso: str | None) -> dt.datetime:
    if not now_iso:
        return timezone.now()
    now = dt.datetime.fromisoformat(now_iso)
    return timezone.make_aware(now) if timezone.is_naive(now) else now


@shared_task(name="accompaniment.crisis.send_alerts", acks_late=True)
def send_crisis_alerts(intervention_id: str, now_iso: str | None = None) -> int:
    """Right after a crisis is saved: alert the on-call person and the team."""
    return crisis_alerts_send(intervention_id=intervention_id, now=_instant(now_iso))


@shared_task(name="accompaniment.crisis.escalate", acks_late=True)
def escalate_unacknowledged_alerts(now_iso: str | None = None) -> int:
    """Every minute (beat): escalate unacknowledged high and critical crises."""
    return crisis_alerts_escalate(now=_instant(now_iso))


@shared_task(name="accompaniment.crisis.remind_follow_ups", acks_late=True)
def remind_due_crisis_follow_ups(now_iso: str | None = None) -> int:
    """Every five minutes (beat): remind responders of follow-up contacts due."""
    return crisis_follow_up_reminders_send(now=_instant(now_iso))
