import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def validate_internal_path(value: str) -> None:
    """Accept only a path on this site: a notification link must never lead elsewhere."""
    if (
        not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or any(ch.isspace() for ch in value)
    ):
        raise ValidationError(_("Enter a path on this site, starting with “/”."), code="invalid")


class Notification(models.Model):
    """A short, nameless message for one user, shown in the app and optionally e-mailed.

    `message` holds the English source of a translatable template and `params`
    only safe values (numbers, reference codes), so the text can be shown in
    each reader's language and never carries a name or a place.
    """

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")
        DANGER = "danger", _("Urgent")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.SlugField(_("kind"), max_length=50)
    message = models.CharField(_("message"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=200, validators=[validate_internal_path])
    level = models.CharField(_("level"), max_length=10, choices=Level, default=Level.INFO)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["recipient", "read_at"],
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.pk})"

    @property
    def text(self) -> str:
        """The message in the active language, with its safe parameters filled in."""
        translated = gettext(self.message)
        try:
            return translated % self.params if self.params else translated
        except (KeyError, ValueError, TypeError):
            # A translation with a broken placeholder must not break the page.
            return self.message % self.params if self.params else self.message

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
