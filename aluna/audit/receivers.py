"""Sign-in events from django.contrib.auth and allauth's MFA, into the audit trail."""

from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from aluna.core.backup import backup_starting

from .anchor import anchor_publish
from .models import AuditAction
from .services import audit_record, identifier_hash


@receiver(auth_signals.user_logged_in, dispatch_uid="audit_user_logged_in")
def on_user_logged_in(sender, request, user, **kwargs):
    audit_record(action=AuditAction.LOGIN, actor=user, request=request)


@receiver(auth_signals.user_logged_out, dispatch_uid="audit_user_logged_out")
def on_user_logged_out(sender, request, user, **kwargs):
    # `user` is None when the session had already expired: nothing to record.
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user, request=request)


@receiver(auth_signals.user_login_failed, dispatch_uid="audit_user_login_failed")
def on_user_login_failed(sender, credentials, request=None, **kwargs):
    identifier = credentials.get("email") or credentials.get("username") or ""
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        request=request,
        # Only a keyed hash: what someone typed may be a stranger's address.
        metadata={"identifier_hash": identifier_hash(identifier)},
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="audit_mfa_added")
def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    audit_record(
        action=AuditAction.MFA_ENROLLED,
        actor=user,
        request=request,
        metadata={"type": str(authenticator.type)},
    )


@receiver(mfa_signals.authenticator_removed, dispatch_uid="audit_mfa_removed")
def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    audit_record(
        action=AuditAction.MFA_REMOVED,
        actor=user,
        request=request,
        metadata={"type": str(authenticator.type)},
    )


@receiver(mfa_signals.authentication_failed, dispatch_uid="audit_mfa_failed")
def on_mfa_authentication_failed(sender, request, user, authenticator=None, **kwargs):
    audit_record(
        action=AuditAction.MFA_FAILED,
        actor=user,
        request=request,
        metadata={"type": str(authenticator.type) if authenticator is not None else None},
    )


@receiver(backup_starting, dispatch_uid="audit_anchor_before_backup")
def on_backup_starting(sender, **kwargs):
    """Anchor the chain's head before each backup (see anchor.py)."""
    anchor_publish(reason="backup")
