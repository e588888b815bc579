"""Celery tasks of training: they take ids or dates and delegate to services.

Services enqueue these by their registered name (the outbox stores names), so each
task names itself: a rename of the function must not strand queued messages.
"""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from .services import certificate_batch_run, follow_up_reminders_send


@shared_task(name="training.tasks.issue_cohort_certificates")
def issue_cohort_certificates(batch_id: str) -> int:
    return certificate_batch_run(batch_id=batch_id).issued


@shared_task(name="training.tasks.send_training_follow_up_reminders")
def send_training_follow_up_reminders(today_iso: str | None = None) -> int:
    """Daily (beat): remind facilitators at +1/+3/+6 months after a cohort ends."""
    today = dt.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    return follow_up_reminders_send(today=today)
