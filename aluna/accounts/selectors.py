"""Reads on accounts. User management is for administración only; views check the role."""

from django.contrib.auth.models import Group
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Invitation, User
from .services import hash_invitation_token


def user_list_for_admin(*, search: str = "", role: str = "") -> QuerySet[User]:
    users = User.objects.prefetch_related(
        Prefetch("groups", queryset=Group.objects.order_by("name"))
    ).order_by("email")
    if search:
        users = users.filter(Q(email__icontains=search) | Q(full_name__icontains=search))
    if role:
        users = users.filter(groups__name=role)
    return users


def user_get_for_admin(*, user_id) -> User:
    """404 when missing: callers use get_object_or_404 semantics."""
    return get_object_or_404(User, pk=user_id)


def invitation_get_usable(*, token: str) -> Invitation | None:
    """The invitation behind a link, or None if it is unknown, spent, expired or its
    account was deactivated (all answered alike)."""
    invitation = (
        Invitation.objects.select_related("user")
        .filter(token_hash=hash_invitation_token(token))
        .first()
    )
    return invitation if invitation is not None and invitation.is_usable() else None


def invitations_latest_of(*, user: User, limit: int = 5) -> list[Invitation]:
    return list(user.invitations.all()[:limit])


def users_overview() -> dict:
    """Active accounts and invitations not used yet and still valid, in one query."""
    waiting = Invitation.objects.filter(
        used_at__isnull=True,
        created_at__gt=timezone.now() - Invitation.VALIDITY,
        user_id=OuterRef("pk"),
    )
    totals = User.objects.filter(is_active=True).aggregate(
        active=Count("pk"), invited=Count("pk", filter=Exists(waiting))
    )
    return {"active": totals["active"], "invited": totals["invited"]}
