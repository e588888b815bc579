"""Reading the audit trail. Only administración reads the whole log (the view checks)."""

from django.db.models import QuerySet

from .models import DISCLOSURE_ACTIONS, AuditEvent


def audit_events_for_log_page() -> QuerySet[AuditEvent]:
    """Every event, newest first, with the actor joined for the list page."""
    return AuditEvent.objects.select_related("actor").order_by("-sequence")


def audit_views_of(*, target_type: str, target_id, limit: int = 20) -> list[AuditEvent]:
    """Who consulted this record: its latest views, downloads and exports, newest first.

    For the "who viewed this file" box of a sensitive record; the embedding
    page decides who may see it (coordinación).
    """
    return list(
        AuditEvent.objects.filter(
            target_type=target_type,
            target_id=str(target_id),
            action__in=[str(a) for a in DISCLOSURE_ACTIONS],
        )
        .select_related("actor")
        .order_by("-sequence")[:limit]
    )
