import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One Celery task to publish, written in the transaction that asked for it.

    `args` and `kwargs` hold ids and instants only (tasks take ids). The row id
    doubles as the Celery task id. `last_error` keeps the exception's class
    name, never its message, which could quote data.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    available_at = models.DateTimeField(_("available at"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at"]
        indexes = [
            # The dispatcher's query: pending rows, oldest first.
            models.Index(
                fields=["available_at"],
                condition=Q(dispatched_at__isnull=True),
                name="outbox_pending_idx",
            ),
            models.Index(fields=["dispatched_at"], name="outbox_dispatched_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} ({self.pk})"

    @property
    def is_pending(self) -> bool:
        return self.dispatched_at is None
