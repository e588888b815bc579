"""Write side of notifications: create them, deliver their e-mail, mark them read."""

import re
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise

from aluna.accounts.user_facts import forget_user_fact
from aluna.outbox.services import outbox_enqueue

from .models import Notification, validate_internal_path
from .selectors import UNREAD_FACT

DEFAULT_SITE_URL = "http://127.0.0.1:8000"
# Enqueued by name: tasks import services, never the reverse.
DELIVER_EMAIL_TASK = "aluna.notifications.tasks.deliver_notification_email"

# A parameter is a number or a reference code such as "ACO-2025-0012": it must
# hold a digit and no lowercase letters or spaces, so a name cannot pass.
_SAFE_CODE = re.compile(r"^(?=.*\d)[A-Z0-9][A-Z0-9_/-]{0,31}$")


def _template_source(message: str | Promise) -> str:
    """The English msgid of `message`, whether given as gettext_noop() or gettext_lazy()."""
    if isinstance(message, Promise):
        with translation.override("en"):
            return str(message)
    if not isinstance(message, str):
        raise TypeError("message must be a translatable template string")
    return message


def _check_params(message: str, params: Mapping[str, object]) -> dict:
    safe: dict[str, object] = {}
    for key, value in params.items():
        if isinstance(value, bool) or not (
            isinstance(value, int) or (isinstance(value, str) and _SAFE_CODE.match(value))
        ):
            raise ValidationError(
                f"Notification parameter {key!r} must be a number or a reference code."
            )
        safe[key] = value
    try:
        if safe:
            _ = message % safe
    except (KeyError, ValueError, TypeError) as exc:
        raise ValidationError("Notification template and parameters do not match.") from exc
    return safe


def notification_send(
    *,
    recipients: Iterable,
    kind: str,
    message: str | Promise,
    url: str,
    params: Mapping[str, object] | None = None,
    level: str = Notification.Level.INFO,
    email: bool = True,
) -> list[Notification]:
    """Notify each active recipient once, in the caller's transaction.

    `message` is a translatable template (wrap it in gettext_noop or
    gettext_lazy), never text taken from a record: it must not carry names or
    places. `params` fills its %(name)s placeholders with numbers or reference
    codes only.

    Side effects: one Notification row per distinct active recipient; with
    `email`, one `deliver_notification_email` task per row, written to the
    outbox in the same transaction and published after it commits (nothing is
    sent if it rolls back; the outbox keeps it while the broker is down).
    """
    source = _template_source(message)
    if not source or len(source) > Notification._meta.get_field("message").max_length:
        raise ValidationError("Notification message must be a short template.")
    safe_params = _check_params(source, params or {})
    validate_internal_path(url)
    if level not in Notification.Level.values:
        raise ValidationError(f"Unknown notification level {level!r}.")

    seen: set = set()
    rows = []
    for user in recipients:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                message=source,
                params=safe_params,
                url=url,
                level=level,
            )
        )
    for row in rows:
        row.full_clean(exclude=["recipient"])
    notifications = Notification.objects.bulk_create(rows)

    if email:
        for notification in notifications:
            if notification.recipient.email:
                outbox_enqueue(DELIVER_EMAIL_TASK, str(notification.pk))
    return notifications


def _absolute_url(path: str) -> str:
    site_url = getattr(settings, "SITE_URL", DEFAULT_SITE_URL) or DEFAULT_SITE_URL
    return site_url.rstrip("/") + path


def notification_deliver_email(*, notification_id) -> bool:
    """E-mail one notification to its recipient, at most once.

    The row lock makes a retried or duplicated task wait for the first one and
    then see `emailed_at` set. Returns whether an e-mail was sent. Side
    effects: sends one e-mail, sets `emailed_at`.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return False
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "notification": notification,
                "text": notification.text,
                "link": _absolute_url(notification.url),
            }
            subject = render_to_string("notifications/email/subject.txt", context)
            body = render_to_string("notifications/email/body.txt", context)
        prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "[Aluna] ")
        subject = prefix + " ".join(subject.split())
        send_mail(
            subject=subject,
            message=body,
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notification_mark_read(*, notification: Notification) -> None:
    """Mark one notification read (keeps the first reading time)."""
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification.refresh_from_db(fields=["read_at"])


def notification_mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read; returns how many changed."""
    changed = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget_user_fact(user, UNREAD_FACT)
    return changed
