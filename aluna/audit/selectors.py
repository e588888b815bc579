"""Reading the audit trail. Only administración reads the whole log (the view checks)."""

from django.db.models import QuerySet

from .models import DISCLOSURE_ACTIONS, AuditEvent


def audit_events_for_log_page() -> QuerySet[AuditEvent]:
    """Every event, newest first, with the actor joined for the list page."""
    return AuditEvent.objects.select_related("actor").order_by("-sequence")


# Record types recorded under an older name: {current: (older, ...)}. A model that
# moved to another app keeps its history (the chain covers target_type, so old rows
# are never rewritten).
_TARGET_ALIASES: dict[str, tuple[str, ...]] = {}


def register_target_alias(target_type: str, *older: str) -> None:
    """Say that events about `target_type` were once recorded as `older` types."""
    _TARGET_ALIASES[target_type] = tuple(
        dict.fromkeys((*_TARGET_ALIASES.get(target_type, ()), *older))
    )


def target_types_of(target_type: str) -> list[str]:
    """`target_type` and the older names its events were recorded under."""
    return [target_type, *_TARGET_ALIASES.get(target_type, ())]


def audit_views_of(
    obj=None, *, target_type: str = "", target_id=None, limit: int = 20
) -> list[AuditEvent]:
    """Who consulted this record (`obj`, or its type and id): its latest views,
    downloads and exports, newest first, including those recorded under an
    older record type.

    For the "who viewed this file" box of a sensitive record; the embedding
    page decides who may see it (coordinación).
    """
    if obj is not None:
        target_type = f"{obj._meta.app_label}.{obj._meta.model_name}"
        target_id = obj.pk
    return list(
        AuditEvent.objects.filter(
            target_type__in=target_types_of(target_type),
            target_id=str(target_id),
            action__in=[str(a) for a in DISCLOSURE_ACTIONS],
        )
        .select_related("actor")
        .order_by("-sequence")[:limit]
    )
