"""Celery tasks of security: they take the current time as a parameter and delegate.

Names are explicit (they are in the beat schedule and may wait in the outbox): keep
them when a function is renamed or moved. Only this module imports services.
"""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import services


def _now(now_iso: str | None) -> dt.datetime:
    if not now_iso:
        return timezone.now()
    now = dt.datetime.fromisoformat(now_iso)
    return now if timezone.is_aware(now) else timezone.make_aware(now)


def _today(today_iso: str | None) -> dt.date:
    return dt.date.fromisoformat(today_iso) if today_iso else timezone.localdate()


@shared_task(name="security.tasks.check_overdue_checkins")
def check_overdue_checkins(now_iso: str | None = None) -> int:
    """Every minute (beat): walk the alert chain of overdue check-ins."""
    return services.overdue_checkins_alert(now=_now(now_iso))


@shared_task(name="security.tasks.purge_closed_checkins")
def purge_closed_checkins(now_iso: str | None = None) -> int:
    """Daily (beat): delete check-ins closed more than CHECKIN_RETENTION_DAYS ago."""
    return services.closed_checkins_purge(now=_now(now_iso))


@shared_task(name="security.tasks.send_measure_expiry_reminders")
def send_measure_expiry_reminders(today_iso: str | None = None) -> int:
    """Daily (beat): remind the team 30 and 7 days before a protection measure expires."""
    return services.measure_expiry_reminders_send(today=_today(today_iso))


@shared_task(name="security.tasks.send_plan_review_reminders")
def send_plan_review_reminders(today_iso: str | None = None) -> int:
    """Daily (beat): remind the team when a security plan is due for review."""
    return services.plan_review_reminders_send(today=_today(today_iso))
