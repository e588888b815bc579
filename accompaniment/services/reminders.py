"""The follow-up reminder: tell the lead the day a process's next follow-up is due."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from aluna.notifications.services import notification_send

from ..models import Process, ProcessStatus

FOLLOW_UP_KIND = "accompaniment-follow-up-due"
# No name, place or alias: only a reference code (the e-mail leaves our systems).
FOLLOW_UP_MESSAGE = gettext_noop("A follow-up of process %(code)s is due today.")


def process_reference(process: Process) -> str:
    """A short nameless reference such as "ACO-2025-3F2A9B1C" (year opened + UUID start).

    The year guarantees a digit, which notification parameters require.
    """
    return f"ACO-{process.opened_on:%Y}-{process.pk.hex[:8].upper()}"


def _process_path(process: Process) -> str:
    return reverse("accompaniment:process-detail", kwargs={"process_id": process.pk})


def follow_up_reminders_due(*, today: dt.date):
    """Running processes whose follow-up falls today and whose lead was not told yet."""
    return (
        Process.objects.filter(next_follow_up=today, is_archived=False)
        .exclude(status=ProcessStatus.CLOSED)
        .exclude(follow_up_reminded_on=today)
        .order_by("pk")
    )


def follow_up_reminders_send(*, today: dt.date) -> int:
    """Remind each due process's lead once; returns how many reminders were sent.

    Side effects, per process, in one transaction: an in-app notification for
    the lead, its e-mail queued after commit, and `follow_up_reminded_on` set to
    `today`. The row lock and the re-check make a second or concurrent run send
    nothing.
    """
    sent = 0
    for process_id in list(follow_up_reminders_due(today=today).values_list("pk", flat=True)):
        with transaction.atomic():
            process = (
                follow_up_reminders_due(today=today)
                .select_for_update(of=("self",))
                .select_related("lead")
                .filter(pk=process_id)
                .first()
            )
            if process is None:
                continue
            notification_send(
                recipients=[process.lead],
                kind=FOLLOW_UP_KIND,
                message=FOLLOW_UP_MESSAGE,
                params={"code": process_reference(process)},
                url=_process_path(process),
            )
            # A plain update, not a versioned save: this is no user's edit and
            # must not make someone's open form stale.
            Process.objects.filter(pk=process.pk).update(follow_up_reminded_on=today)
            sent += 1
    return sent
