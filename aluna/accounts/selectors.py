"""Reads on accounts. User management is for administración only; views check the role."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from aluna.core.roles import Role

from .models import Invitation, SecurityPolicy, User, UserSession
from .services import hash_invitation_token
from .session_keys import LAST_ACTIVITY_KEY, STARTED_KEY


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


@dataclass(frozen=True)
class ActiveSession:
    id: object
    device: str
    browser: str
    address_range: str
    signed_in_at: datetime
    last_activity: datetime
    is_current: bool


def user_sessions_active(*, user: User, current_key: str | None) -> list[ActiveSession]:
    """The user's sessions that would still let someone in, newest activity first.

    A session counts while its row lives, it still belongs to this user with
    the current password and security stamp ("log out everywhere" rotates the
    stamp), and neither the idle nor the absolute timeout has passed.
    """
    now = timezone.now()
    auth_hash = user.get_session_auth_hash()
    rows = UserSession.objects.filter(user=user, session__expire_date__gt=now).select_related(
        "session"
    )
    active = []
    for row in rows:
        data = SessionStore().decode(row.session.session_data)
        if data.get(SESSION_KEY) != str(user.pk):
            continue
        if not constant_time_compare(data.get(HASH_SESSION_KEY, ""), auth_hash):
            continue
        started = data.get(STARTED_KEY, row.created_at.timestamp())
        last = data.get(LAST_ACTIVITY_KEY, started)
        epoch = now.timestamp()
        if epoch - last > settings.SESSION_IDLE_TIMEOUT:
            continue
        if epoch - started > settings.SESSION_ABSOLUTE_TIMEOUT:
            continue
        active.append(
            ActiveSession(
                id=row.pk,
                device=row.device,
                browser=row.browser,
                address_range=row.address_range,
                signed_in_at=row.created_at,
                last_activity=datetime.fromtimestamp(last, tz=UTC),
                is_current=row.session_id == current_key,
            )
        )
    return sorted(active, key=lambda item: (not item.is_current, -item.last_activity.timestamp()))


def user_session_get_own(*, user: User, session_id) -> UserSession:
    """One of the user's own sessions; 404 for another person's or a missing one."""
    return get_object_or_404(UserSession.objects.select_related("user"), pk=session_id, user=user)


POLICY_CACHE_KEY = SecurityPolicy.CACHE_KEY
# The cache is shared by every worker (Redis) and services drop the key when the
# policy is saved, so a long life is safe; logging in fills it (signals.py), so
# pages cost no query for it.
_POLICY_CACHE_SECONDS = 60 * 60
PASSKEY_ROLES = (Role.ADMINISTRATION, Role.COORDINATION)
_NOT_CACHED = object()


def security_policy_get() -> SecurityPolicy:
    """The policy row, or an unsaved one with nothing required yet."""
    return SecurityPolicy.objects.filter(pk=1).first() or SecurityPolicy(pk=1)


def passkey_deadline() -> date | None:
    deadline = cache.get(POLICY_CACHE_KEY, _NOT_CACHED)
    if deadline is _NOT_CACHED:
        deadline = security_policy_get().passkey_deadline
        cache.set(POLICY_CACHE_KEY, deadline, _POLICY_CACHE_SECONDS)
    return deadline


def user_must_add_passkey(user: User) -> bool:
    """True for administración and coordinación without a passkey once the deadline is here.

    Cheapest question first: until a deadline has passed, no query at all.
    """
    deadline = passkey_deadline()
    if deadline is None or timezone.localdate() < deadline:
        return False
    if not user.has_role(*PASSKEY_ROLES):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).exists()
