"""Write side of the outbox: enqueue a task in the caller's transaction, publish, dispatch.

The package docstring (aluna/outbox/__init__.py) explains the whole design.
"""

import datetime as dt
import logging
from collections.abc import Iterable

from celery import Task
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

# No circle: aluna.celery imports no app (it discovers the tasks modules lazily).
from aluna.celery import app as celery_app

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# What a stopped, frozen or unreachable broker raises. Anything else (a bug, an
# unknown task in eager mode) propagates as it did with `.delay()`.
BROKER_ERRORS = (KombuOperationalError, RedisError, ConnectionError, TimeoutError, OSError)
# One immediate retry: it replaces a pooled connection that Redis dropped when
# it restarted, and gives up at once when Redis is really down.
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
_JSON_SCALARS = (str, int, float, bool, type(None))


def _grace() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "OUTBOX_GRACE_SECONDS", 15))


def _retention() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "OUTBOX_RETENTION_DAYS", 7))


def _check_payload(args: Iterable, kwargs: dict) -> None:
    values = [*args, *kwargs.values()]
    for value in values:
        items = value if isinstance(value, list | tuple) else [value]
        if not all(isinstance(item, _JSON_SCALARS) for item in items):
            raise TypeError("Outbox task arguments must be ids, numbers or ISO strings.")


def outbox_enqueue(task: Task | str, *args, **kwargs) -> OutboxMessage:
    """Ask for `task(*args, **kwargs)` to run once the caller's transaction commits.

    `task` is the task's registered name ("app.tasks.task_name"): services pass
    the name, so only tasks modules import services. Call it inside the
    transaction that writes the record causing the task (or in autocommit).
    Arguments are ids, numbers or ISO strings, never personal data. Side
    effects: inserts one OutboxMessage row; after commit, publishes it to the
    broker (best effort: if the broker is down the row stays pending for the
    dispatcher). Nothing is published if the transaction rolls back.
    """
    _check_payload(args, kwargs)
    now = timezone.now()
    message = OutboxMessage.objects.create(
        task_name=task if isinstance(task, str) else task.name,
        args=list(args),
        kwargs=kwargs,
        created_at=now,
        # The on-commit publish has the row to itself for a while; the dispatcher
        # takes it only if that publish failed or its process died first.
        available_at=now + _grace(),
    )
    transaction.on_commit(lambda: _publish_after_commit(message))
    return message


def _publish(message: OutboxMessage) -> None:
    """Hand one row's task to the broker, with the row id as the Celery task id."""
    options = {
        "task_id": str(message.pk),
        "retry": True,
        "retry_policy": PUBLISH_RETRY_POLICY,
    }
    task = celery_app.tasks.get(message.task_name)
    if task is None:
        # A process that never imported the task's module (manage.py outbox_dispatch).
        celery_app.loader.import_default_modules()
        task = celery_app.tasks.get(message.task_name)
    if task is None:
        # Not registered in this process (e.g. a task a newer release renamed):
        # a worker that knows the name may still run it.
        celery_app.send_task(message.task_name, args=message.args, kwargs=message.kwargs, **options)
    else:
        task.apply_async(args=message.args, kwargs=message.kwargs, **options)


def _record_failure(
    message: OutboxMessage, exc: BaseException, *, retry_at: dt.datetime | None
) -> None:
    # The class name only: a broker error's message can carry the URL and its password.
    error = type(exc).__name__[:100]
    changes = {"attempts": F("attempts") + 1, "last_error": error}
    if retry_at is not None:
        changes["available_at"] = retry_at
    OutboxMessage.objects.filter(pk=message.pk, dispatched_at__isnull=True).update(**changes)
    logger.warning(
        "outbox: publishing %s failed (%s); the message stays pending", message.task_name, error
    )


def _publish_after_commit(message: OutboxMessage) -> None:
    try:
        _publish(message)
    except BROKER_ERRORS as exc:
        # Leave the row to the next dispatcher run, without waiting for the grace period.
        _record_failure(message, exc, retry_at=timezone.now())
        return
    OutboxMessage.objects.filter(pk=message.pk, dispatched_at__isnull=True).update(
        dispatched_at=timezone.now(), attempts=F("attempts") + 1
    )


def outbox_dispatch(*, limit: int = 500, now: dt.datetime | None = None) -> int:
    """Publish the pending rows that are due, oldest first; return how many were published.

    Rows are locked FOR UPDATE SKIP LOCKED, so concurrent dispatchers share the
    work and never publish the same row at once. The first broker error ends
    the run (the broker is down: the remaining rows wait for the next run);
    the failing row records its attempt and the error's class name.
    """
    now = now or timezone.now()
    published = []
    with transaction.atomic():
        due = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(dispatched_at__isnull=True, available_at__lte=now)
            .order_by("available_at", "created_at")[:limit]
        )
        for message in due:
            try:
                _publish(message)
            except BROKER_ERRORS as exc:
                _record_failure(message, exc, retry_at=None)
                break
            published.append(message.pk)
        OutboxMessage.objects.filter(pk__in=published).update(
            dispatched_at=timezone.now(), attempts=F("attempts") + 1
        )
    return len(published)


def outbox_purge(*, now: dt.datetime | None = None) -> int:
    """Delete rows dispatched more than OUTBOX_RETENTION_DAYS ago; return how many."""
    cutoff = (now or timezone.now()) - _retention()
    deleted, _ = OutboxMessage.objects.filter(dispatched_at__lt=cutoff).delete()
    return deleted
