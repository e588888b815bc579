from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task(
    name="aluna.notifications.tasks.deliver_notification_email",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def deliver_notification_email(notification_id: str) -> bool:
    """E-mail one notification; safe to run twice (see notification_deliver_email)."""
    return services.notification_deliver_email(notification_id=notification_id)
