"""Celery tasks of training: they take ids or dates and delegate to services."""

import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task
def issue_cohort_certificates(batch_id: str) -> int:
    from .services import certificate_batch_run

    return certificate_batch_run(batch_id=batch_id).issued


@shared_task
def send_training_follow_up_reminders(today_iso: str | None = None) -> int:
    """Daily (beat): remind facilitators at +1/+3/+6 months after a cohort ends."""
    from .services import follow_up_reminders_send

    today = dt.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    return follow_up_reminders_send(today=today)
