"""The audit chain's anchor as a Celery task, run by beat every minute."""

from celery import shared_task

from .anchor import anchor_publish


@shared_task(name="aluna.audit.anchor", ignore_result=True)
def publish_audit_anchor() -> int:
    """Append the chain's head to the anchor sinks; returns the anchored sequence.

    An AnchorError propagates: the worker logs the failed task, and
    `verify_audit` reports the gap since the last anchor.
    """
    return anchor_publish(reason="beat").sequence
