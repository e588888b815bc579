"""Follow-up contacts after a crisis (+24 h, +72 h, +7 days by default).

A follow-up is done by hand from the crisis page, or by recording a session on the
crisis process (the hub's `session_recorded` signal, see crisis/receivers.py).
`crisis_follow_up_reminders_send` is run by the task `crisis.remind_follow_ups`.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from aluna.audit.models import AuditAction
from aluna.audit.services import audit_record, audit_target_type
from aluna.notifications.services import notification_send

from ..models import CrisisFollowUp, CrisisIntervention, CrisisStatus
from .alerts import NOTIFICATION_KIND, crisis_url

FOLLOW_UP_MESSAGE = gettext_noop("A crisis follow-up contact is due. Record it or reschedule it.")


def crisis_follow_up_complete(
    *, follow_up: CrisisFollowUp, actor, note: str = "", request=None
) -> CrisisFollowUp:
    """Mark a follow-up contact done, with an optional note (encrypted)."""
    with transaction.atomic():
        follow_up.done_at = timezone.now()
        follow_up.done_by = actor
        follow_up.note = note
        follow_up.save(update_fields=["done_at", "done_by", "note"])
        CrisisIntervention.objects.filter(
            pk=follow_up.intervention_id, last_contact_at__lt=follow_up.done_at
        ).update(last_contact_at=follow_up.done_at)
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target_type=audit_target_type(follow_up),
            target_id=str(follow_up.pk),
            request=request,
            metadata={"done": True},
        )
    return follow_up


def crisis_follow_up_reschedule(
    *, follow_up: CrisisFollowUp, actor, due_at: dt.datetime, request=None
) -> CrisisFollowUp:
    """Move a pending follow-up to `due_at`; it gets its own reminder again."""
    with transaction.atomic():
        follow_up.due_at = due_at
        follow_up.reminded_at = None
        follow_up.save(update_fields=["due_at", "reminded_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target_type=audit_target_type(follow_up),
            target_id=str(follow_up.pk),
            request=request,
            metadata={"rescheduled": True},
        )
    return follow_up


def crisis_follow_up_done_by_session(*, process_id, actor, at: dt.datetime) -> int:
    """A session recorded on a crisis process is the follow-up contact: mark the
    earliest due (or pending) follow-up of its open interventions done and refresh
    `last_contact_at`. For the session service, inside its transaction. Returns the
    number of follow-ups marked (0 or 1)."""
    follow_up = (
        CrisisFollowUp.objects.select_for_update()
        .filter(
            intervention__process_id=process_id,
            intervention__status=CrisisStatus.OPEN,
            done_at__isnull=True,
        )
        .order_by("due_at")
        .first()
    )
    if follow_up is None:
        return 0
    CrisisFollowUp.objects.filter(pk=follow_up.pk).update(done_at=at, done_by=actor)
    CrisisIntervention.objects.filter(
        process_id=process_id, status=CrisisStatus.OPEN, last_contact_at__lt=at
    ).update(last_contact_at=at)
    return 1


def crisis_follow_up_reminders_send(*, now: dt.datetime) -> int:
    """Remind the responders of each follow-up due and not done, once (reminded_at)."""
    sent = 0
    with transaction.atomic():
        due = list(
            CrisisFollowUp.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                done_at__isnull=True,
                reminded_at__isnull=True,
                due_at__lte=now,
                intervention__status=CrisisStatus.OPEN,
            )
            .order_by("due_at")
        )
        for follow_up in due:
            responders = list(
                CrisisIntervention.responders.through.objects.filter(
                    crisisintervention_id=follow_up.intervention_id
                ).select_related("user")
            )
            notification_send(
                recipients=[row.user for row in responders],
                kind=NOTIFICATION_KIND,
                message=FOLLOW_UP_MESSAGE,
                url=crisis_url(follow_up.intervention_id),
            )
            sent += 1
        CrisisFollowUp.objects.filter(pk__in=[f.pk for f in due]).update(reminded_at=now)
    return sent
