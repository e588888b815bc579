"""Writes on accounts: invitations, roles, deactivation and ending sessions.

One user action is one transaction, with its audit entry inside it; e-mails
leave only after the commit.
"""

import hashlib
import secrets

from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aluna.audit.models import AuditAction
from aluna.audit.services import audit_record, audit_target_type
from aluna.core.client_address import address_range, client_address

from .models import Invitation, SecurityPolicy, User, UserSession
from .user_agent import describe


def hash_invitation_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _codes(role_codes) -> str:
    """Role codes as one audit-safe token, e.g. "acompanamiento:formacion"."""
    return ":".join(sorted(str(code) for code in role_codes))


def _set_roles(user: User, role_codes) -> None:
    user.groups.set(Group.objects.filter(name__in=[str(code) for code in role_codes]))
    user.__dict__.pop("role_codes", None)


def user_invite(
    *, actor: User, email: str, full_name: str, role_codes, request: HttpRequest | None = None
) -> User:
    """Create an account without a usable password and e-mail a 48-hour set-password link.

    Side effects: audit "create" and "invitation_sent"; one e-mail after commit.
    """
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
        _set_roles(user, role_codes)
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            user=user, token_hash=hash_invitation_token(token), created_by=actor
        )
        _audit_user(
            action=AuditAction.CREATE,
            actor=actor,
            user=user,
            request=request,
            metadata={"roles": _codes(role_codes)},
        )
        _audit_user(action=AuditAction.INVITATION_SENT, actor=actor, user=user, request=request)
    path = reverse("accounts:invitation-accept", kwargs={"token": token})
    link = request.build_absolute_uri(path) if request is not None else path
    transaction.on_commit(lambda: _send_invitation(user=user, invitation=invitation, link=link))
    return user


def _send_invitation(*, user: User, invitation: Invitation, link: str) -> None:
    context = {"user": user, "link": link, "expires_at": invitation.expires_at}
    send_mail(
        subject=_("[Aluna] Your invitation"),
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Set the first password and spend the link. Side effect: audit "update"."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_usable():
            raise ValueError("The invitation is no longer usable.")
        user = invitation.user
        user.set_password(password)
        user.rotate_security_stamp()
        user.save(update_fields=["password", "security_stamp"])
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=user,
            target_type=audit_target_type(user),
            target_id=str(user.pk),
            metadata={"event": "invitation_accepted"},
        )
    return user


def user_update(
    *, actor: User, user: User, full_name: str, role_codes, request: HttpRequest | None = None
) -> User:
    """Change name and roles. Side effects: audit "update" and, if roles changed, "role_changed"."""
    with transaction.atomic():
        before = sorted(user.groups.values_list("name", flat=True))
        after = sorted(str(code) for code in role_codes)
        if user.full_name != full_name:
            user.full_name = full_name
            user.save(update_fields=["full_name"])
            _audit_user(
                action=AuditAction.UPDATE,
                actor=actor,
                user=user,
                request=request,
                metadata={"field": "full_name"},
            )
        if before != after:
            _set_roles(user, after)
            _audit_user(
                action=AuditAction.ROLE_CHANGED,
                actor=actor,
                user=user,
                request=request,
                metadata={"before": _codes(before), "after": _codes(after)},
            )
    return user


def user_deactivate(*, actor: User, user: User, request: HttpRequest | None = None) -> User:
    """Close the account: no more logins and every open session ends (stamp rotated)."""
    with transaction.atomic():
        user.is_active = False
        user.rotate_security_stamp()
        user.save(update_fields=["is_active", "security_stamp"])
        _audit_user(
            action=AuditAction.UPDATE,
            actor=actor,
            user=user,
            request=request,
            metadata={"is_active": False},
        )
    return user


def user_revoke_sessions(
    *, actor: User, user: User, reason: str, request: HttpRequest | None = None
) -> User:
    """End every session of `user` at once by rotating the security stamp.

    Used for "log out everywhere" (actor is the user) and "compromised
    device" (actor is an administrator). Password and second factors stay:
    whoever holds the device still needs both to get back in. Pending
    invitation links are spent, so none can be replayed from a seized mailbox.
    """
    with transaction.atomic():
        user.rotate_security_stamp()
        user.save(update_fields=["security_stamp"])
        user.invitations.filter(used_at__isnull=True).update(used_at=timezone.now())
        _audit_user(
            action=AuditAction.SESSIONS_REVOKED,
            actor=actor,
            user=user,
            request=request,
            metadata={"reason": reason},
        )
    return user


def user_session_record(*, request: HttpRequest, user: User) -> UserSession | None:
    """Remember, for "your sessions", which device started the session just logged in.

    Called at login, after Django gave the session its new key. Keeps the
    address range only, never the address.
    """
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if not session_key:
        return None
    meta = getattr(request, "META", {})
    device, browser = describe(meta.get("HTTP_USER_AGENT", ""))
    record, _created = UserSession.objects.update_or_create(
        session_id=session_key,
        defaults={
            "user": user,
            "device": device,
            "browser": browser,
            "address_range": address_range(client_address(request)) if meta else "",
        },
    )
    return record


def user_session_end(
    *, actor: User, user_session: UserSession, request: HttpRequest | None = None
) -> None:
    """End one session of the actor's own: its row goes, so its cookie opens nothing.

    Side effect: audit "sessions_revoked" (reason "end_one"). Ending the
    session of the request itself is a log out; the view does that.
    """
    with transaction.atomic():
        user = user_session.user
        session_id = str(user_session.pk)
        Session.objects.filter(session_key=user_session.session_id).delete()
        _audit_user(
            action=AuditAction.SESSIONS_REVOKED,
            actor=actor,
            user=user,
            request=request,
            metadata={"reason": "end_one", "user_session": session_id},
        )


def security_policy_update(
    *, actor: User, passkey_deadline, request: HttpRequest | None = None
) -> SecurityPolicy:
    """Set from which day administración and coordinación need a passkey.

    Side effects: audit "update" on the policy; the cached deadline is dropped
    after commit so this worker enforces the new day at once.
    """
    with transaction.atomic():
        policy, _created = SecurityPolicy.objects.select_for_update().get_or_create(pk=1)
        policy.passkey_deadline = passkey_deadline
        policy.save()
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target_type=audit_target_type(policy),
            target_id=str(policy.pk),
            request=request,
            metadata={
                "field": "passkey_deadline",
                "value": passkey_deadline.isoformat() if passkey_deadline else None,
            },
        )
    transaction.on_commit(lambda: cache.delete(SecurityPolicy.CACHE_KEY))
    return policy


def _audit_user(
    *, action: AuditAction, actor, user: User, request, metadata: dict | None = None
) -> None:
    """One audit row about `user`, in the caller's transaction."""
    audit_record(
        action=action,
        actor=actor,
        target_type=audit_target_type(user),
        target_id=str(user.pk),
        request=request,
        metadata=metadata,
    )
