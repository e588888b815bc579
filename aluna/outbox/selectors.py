"""Read side of the outbox: what is still waiting for the broker."""

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .models import OutboxMessage


def outbox_stale_cutoff(*, now: dt.datetime | None = None) -> dt.datetime:
    minutes = getattr(settings, "OUTBOX_STALE_MINUTES", 10)
    return (now or timezone.now()) - dt.timedelta(minutes=minutes)


def outbox_pending() -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(dispatched_at__isnull=True)


def outbox_stale(*, now: dt.datetime | None = None) -> QuerySet[OutboxMessage]:
    """Pending rows older than OUTBOX_STALE_MINUTES: the broker or the dispatcher is down."""
    return outbox_pending().filter(created_at__lt=outbox_stale_cutoff(now=now))
