"""The audit trail: one append-only, hash-chained row per sensitive read, change or sign-in.

An event says who (a user id, never a name or an e-mail), did what (an action
code) to which record (a model label and an id), when, from which request.
`metadata` carries only scalar ids and codes (see services._clean_metadata):
no names, no free text, nothing a psychologist wrote.

Rows are never updated or deleted: the model refuses, and on PostgreSQL a
trigger refuses too (migration 0002). Each row's `hmac` covers its own fields
and the previous row's `hmac`, so `manage.py verify_audit` can tell when
someone with database access edited, removed or forged an event.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Every action the trail records; `audit_record` refuses any other code.

    Values are stored in the HMAC chain: never change one, add a new member instead.
    """

    VIEW = "view", _("Viewed")
    SEARCH = "search", _("Searched")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    DOWNLOAD = "download", _("Downloaded")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOCKOUT = "lockout", _("Locked out")
    LOGOUT = "logout", _("Signed out")
    DENIED = "denied", _("Access denied")
    NOT_FOUND = "not_found", _("Not found")
    MFA_ENROLLED = "mfa_enrolled", _("Second factor added")
    MFA_REMOVED = "mfa_removed", _("Second factor removed")
    MFA_FAILED = "mfa_failed", _("Wrong second-factor code")
    SESSIONS_REVOKED = "sessions_revoked", _("Sessions revoked")
    ROLE_CHANGED = "role_changed", _("Roles changed")
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    GENERATE = "generate", _("Generated")
    CRISIS_ACKNOWLEDGE = "crisis.acknowledge", _("Crisis alert acknowledged")
    TRAINING_IMPORT = "training.import", _("Participants imported")
    CERTIFICATES_ISSUED = "training.certificates", _("Certificates issued")


# Actions that disclose a record's content: "who looked at this file".
DISCLOSURE_ACTIONS = (AuditAction.VIEW, AuditAction.DOWNLOAD, AuditAction.EXPORT)


class AuditEventImmutableError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditEventImmutableError("Audit events cannot be updated.")

    def delete(self):
        raise AuditEventImmutableError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    # Monotonic position in the chain, 1, 2, 3, ... without gaps.
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    created_at = models.DateTimeField(_("when"), db_index=True, editable=False)
    # PROTECT: a user with audit events is deactivated, never deleted (and
    # SET_NULL would be an UPDATE, which the trigger refuses anyway).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # No `choices`: apps may add action codes without a migration here.
    action = models.CharField(_("action"), max_length=48, editable=False)
    target_type = models.CharField(_("record type"), max_length=100, blank=True, editable=False)
    target_id = models.CharField(_("record id"), max_length=64, blank=True, editable=False)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, editable=False)
    # Truncated to the network (/24 for IPv4, /48 for IPv6): enough to spot a
    # foreign origin, not enough to locate a person.
    ip_network = models.GenericIPAddressField(_("network"), null=True, blank=True, editable=False)
    metadata = models.JSONField(_("details"), default=dict, blank=True, editable=False)
    hmac = models.CharField(max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-sequence"], name="audit_target_idx"),
            models.Index(fields=["action", "-sequence"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.target_type} {self.target_id}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditEventImmutableError("Audit events cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEventImmutableError("Audit events cannot be deleted.")

    @property
    def action_label(self) -> str:
        try:
            return AuditAction(self.action).label
        except ValueError:
            return self.action
