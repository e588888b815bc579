"""The outbox dispatcher as a Celery task, run by beat every 15 seconds."""

from celery import shared_task

from .services import outbox_dispatch, outbox_purge


@shared_task(name="aluna.outbox.dispatch", ignore_result=True)
def dispatch_outbox(limit: int = 500) -> int:
    """Publish the pending outbox rows that are due, then forget old dispatched ones."""
    published = outbox_dispatch(limit=limit)
    outbox_purge()
    return published
