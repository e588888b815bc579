"""Celery tasks of advocacy: they take ids or dates and delegate to services."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from .services import report_due_reminders_send, report_generate


@shared_task(name="advocacy.tasks.send_report_due_reminders")
def send_report_due_reminders(today_iso: str | None = None) -> int:
    """Daily (beat): remind the advocacy team of donor reports due soon. Idempotent."""
    today = dt.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    return report_due_reminders_send(today=today)


@shared_task(name="advocacy.tasks.generate_donor_report")
def generate_donor_report(report_id: str) -> str:
    """Compute the suppressed aggregates, render and store the encrypted PDF."""
    report = report_generate(report_id=report_id)
    return report.status
