"""Read side of notifications: always scoped to the user who reads them."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Notification


def notification_list_for_user(*, user) -> QuerySet[Notification]:
    """The user's own notifications, newest first; nobody sees another's."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_get_for_user(*, user, notification_id) -> Notification:
    """One of the user's notifications; another user's answers 404, as a missing one does."""
    return get_object_or_404(notification_list_for_user(user=user), pk=notification_id)


def notification_unread_count(*, user) -> int:
    """One COUNT query, for the navbar bell."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
