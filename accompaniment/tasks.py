"""Celery tasks of accompaniment: they take ids or dates and delegate to services."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from .services.reminders import follow_up_reminders_send


@shared_task
def send_follow_up_reminders(today_iso: str | None = None) -> int:
    """Daily (beat, 07:00 America/Mexico_City): remind leads of follow-ups due today.

    `today_iso` lets a test or an operator run it for a given day.
    """
    today = dt.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    return follow_up_reminders_send(today=today)
