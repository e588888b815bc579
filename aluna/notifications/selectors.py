"""Read side of notifications: always scoped to the user who reads them."""

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from aluna.accounts.user_facts import user_fact

from .models import Notification

UNREAD_FACT = "unread_notifications"


def notification_list_for_user(*, user) -> QuerySet[Notification]:
    """The user's own notifications, newest first; nobody sees another's."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_get_for_user(*, user, notification_id) -> Notification:
    """One of the user's notifications; another user's answers 404, as a missing one does."""
    return get_object_or_404(notification_list_for_user(user=user), pk=notification_id)


def unread_count_subquery() -> Subquery:
    """The unread count of the user row OuterRef("pk"): loaded with the user on every
    request (aluna/accounts/user_facts.py), so the bell costs no query of its own."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread), 0)


def notification_unread_count(*, user) -> int:
    """For the navbar bell: loaded with the user this request, else one COUNT query."""
    if not user.is_authenticated:
        return 0
    loaded = user_fact(user, UNREAD_FACT)
    if loaded is not None:
        return loaded
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
