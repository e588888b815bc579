"""Write side of crisis response: interventions, alerts, escalation and follow-ups.

One user action is one transaction with its audit row; e-mails and Celery tasks
run after commit. The periodic checks take the current time as a parameter.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from aluna.audit.models import AuditAction
from aluna.audit.services import audit_record, audit_target_type
from aluna.core.concurrency import save_versioned
from aluna.notifications.services import notification_send
from aluna.outbox.services import outbox_enqueue

from ..models import (
    ESCALATING_RISKS,
    Aggression,
    CrisisAlert,
    CrisisFollowUp,
    CrisisIntervention,
    CrisisStatus,
    PoliticalSubject,
    Process,
    ProcessKind,
    ProcessStatus,
    RiskLevel,
)
from ..selectors.roster import on_call_for

logger = logging.getLogger(__name__)

NOTIFICATION_KIND = "crisis"
# One template per risk level: the e-mail states the level in words, and carries
# no parameter that could hold a name or a place.
ALERT_MESSAGES = {
    RiskLevel.LOW: gettext_noop("New crisis, risk level: low. Open it from the crisis board."),
    RiskLevel.MEDIUM: gettext_noop(
        "New crisis, risk level: medium. Open it from the crisis board."
    ),
    RiskLevel.HIGH: gettext_noop("New crisis, risk level: high. Open it from the crisis board."),
    RiskLevel.CRITICAL: gettext_noop(
        "New crisis, risk level: critical. Open it from the crisis board."
    ),
}
ESCALATION_MESSAGES = {
    RiskLevel.HIGH: gettext_noop(
        "Unacknowledged crisis, risk level: high (escalation step %(step)s). Please acknowledge it."
    ),
    RiskLevel.CRITICAL: gettext_noop(
        "Unacknowledged crisis, risk level: critical (escalation step %(step)s). "
        "Please acknowledge it."
    ),
}
FOLLOW_UP_MESSAGE = gettext_noop("A crisis follow-up contact is due. Record it or reschedule it.")

_INTERVENTION_FIELDS = (
    "contacted_at",
    "channel",
    "risk_level",
    "immediate_needs",
    "actions_taken",
    "referrals",
)


def _crisis_url(intervention_id) -> str:
    return reverse("accompaniment:crisis-detail", kwargs={"crisis_id": intervention_id})


def _follow_up_hours() -> list[int]:
    return list(getattr(settings, "CRISIS_FOLLOW_UP_HOURS", [24, 72, 168]))


def _escalation_delay() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "CRISIS_ESCALATION_MINUTES", 30))


# --- Saving an intervention ---------------------------------------------------------------


def _subject_quick_create(*, actor, alias: str, kind, state) -> PoliticalSubject:
    """A subject with just an alias, a kind and a state; the rest is completed later.
    The (encrypted) name starts as the alias until the team records it."""
    subject = PoliticalSubject(name=alias, alias=alias, kind=kind, state=state, created_by=actor)
    subject.save(force_insert=True)
    return subject


def _emergency_process_for(*, subject: PoliticalSubject, actor, responders) -> Process:
    """The subject's open crisis process (locked), or a new one led by `actor`."""
    process = (
        Process.objects.select_for_update()
        .filter(subject=subject, kind=ProcessKind.CRISIS, is_archived=False)
        .exclude(status=ProcessStatus.CLOSED)
        .order_by("-opened_on")
        .first()
    )
    if process is None:
        process = Process(
            subject=subject,
            kind=ProcessKind.CRISIS,
            status=ProcessStatus.ACTIVE,
            opened_on=timezone.localdate(),
            lead=actor,
            frequency_days=7,
        )
        process.save(force_insert=True)
    process.team.add(process.lead, *responders)
    return process


def crisis_record(*, actor, data: dict, request=None) -> CrisisIntervention:
    """Log an emergency accompaniment from the validated quick form.

    Side effects, in one transaction: quick-creates the subject when asked; finds the
    subject's open crisis process or opens one (lead = `actor`, team += responders);
    inserts the intervention (a new aggression with the given types when asked);
    schedules the follow-ups at now + CRISIS_FOLLOW_UP_HOURS; writes an audit event.
    Through the outbox (same transaction, published after commit): `send_crisis_alerts`.
    """
    from .. import crisis_tasks

    now = timezone.now()
    responders = list(data.get("responders") or []) or [actor]
    with transaction.atomic():
        subject = data.get("subject")
        if subject is None:
            subject = _subject_quick_create(
                actor=actor,
                alias=data["new_alias"],
                kind=data["new_kind"],
                state=data.get("new_state"),
            )
        process = _emergency_process_for(subject=subject, actor=actor, responders=responders)
        aggression = data.get("aggression")
        if aggression is None and data.get("aggression_types"):
            aggression = Aggression(
                occurred_at=data["contacted_at"],
                is_approximate=True,
                state=subject.state,
                recorded_by=actor,
            )
            aggression.save(force_insert=True)
            aggression.types.set(data["aggression_types"])
            aggression.subjects.add(subject)
        intervention = CrisisIntervention(
            process=process,
            aggression=aggression,
            recorded_by=actor,
            status=CrisisStatus.OPEN,
            last_contact_at=data["contacted_at"],
        )
        for name in _INTERVENTION_FIELDS:
            if name in data and data[name] is not None:
                setattr(intervention, name, data[name])
        intervention.save(force_insert=True)
        intervention.responders.set(responders)
        CrisisFollowUp.objects.bulk_create(
            CrisisFollowUp(intervention=intervention, due_at=now + dt.timedelta(hours=hours))
            for hours in _follow_up_hours()
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            target_type=audit_target_type(intervention),
            target_id=str(intervention.pk),
            request=request,
            metadata={"process": str(process.pk), "risk": intervention.risk_level},
        )
        outbox_enqueue(crisis_tasks.send_crisis_alerts, str(intervention.pk))
    return intervention


def crisis_update(
    *, intervention: CrisisIntervention, actor, data: dict, expected_version: int, request=None
) -> CrisisIntervention:
    """Complete or correct an intervention, if nobody saved it meanwhile.

    Side effects, in one transaction: saves it (version + 1), its responders (also
    added to the process team); writes an audit event. Raises StaleEdit.
    """
    with transaction.atomic():
        for name in (*_INTERVENTION_FIELDS, "aggression", "status"):
            if name in data:
                setattr(intervention, name, data[name])
        if intervention.contacted_at and intervention.contacted_at > intervention.last_contact_at:
            intervention.last_contact_at = intervention.contacted_at
        save_versioned(intervention, expected_version=expected_version)
        responders = list(data.get("responders") or [])
        if responders:
            intervention.responders.set(responders)
            intervention.process.team.add(*responders)
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target_type=audit_target_type(intervention),
            target_id=str(intervention.pk),
            request=request,
            metadata={"risk": intervention.risk_level, "status": intervention.status},
        )
    return intervention


def crisis_acknowledge(*, intervention: CrisisIntervention, user, request=None) -> int:
    """`user` takes the alert: every pending alert of the crisis is acknowledged, which
    stops the escalation. Returns how many alerts changed."""
    with transaction.atomic():
        changed = CrisisAlert.objects.filter(
            intervention=intervention, acknowledged_at__isnull=True
        ).update(acknowledged_at=timezone.now(), acknowledged_by=user)
        audit_record(
            action="crisis.acknowledge",
            actor=user,
            target_type=audit_target_type(intervention),
            target_id=str(intervention.pk),
            request=request,
            metadata={"alerts": changed},
        )
    return changed


# --- Follow-ups -----------------------------------------------------------------------------


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


# --- Alerts (run by Celery tasks) -------------------------------------------------------------


def _locked_intervention(intervention_id) -> CrisisIntervention | None:
    return (
        CrisisIntervention.objects.select_for_update(of=("self",))
        .select_related("process")
        .filter(pk=intervention_id)
        .first()
    )


def crisis_alerts_send(*, intervention_id, now: dt.datetime) -> int:
    """Alert the on-call person (roster position 0) and the process team, once each.

    The intervention row is locked and each person has at most one alert per crisis,
    so a retried or duplicated task notifies nobody twice. Returns the number of
    people alerted now.
    """
    with transaction.atomic():
        intervention = _locked_intervention(intervention_id)
        if intervention is None or intervention.status != CrisisStatus.OPEN:
            return 0
        on_call = on_call_for(at=now)[:1]
        team = list(intervention.process.team.filter(is_active=True))
        already = set(
            CrisisAlert.objects.filter(intervention=intervention).values_list(
                "recipient_id", flat=True
            )
        )
        recipients = []
        for user in [*on_call, *team]:
            if user.pk not in already:
                already.add(user.pk)
                recipients.append(user)
        if not recipients:
            return 0
        CrisisAlert.objects.bulk_create(
            CrisisAlert(intervention=intervention, recipient=user, escalation_step=0, sent_at=now)
            for user in recipients
        )
        level = "warning" if intervention.risk_level in ESCALATING_RISKS else "info"
        notification_send(
            recipients=recipients,
            kind=NOTIFICATION_KIND,
            message=ALERT_MESSAGES[RiskLevel(intervention.risk_level)],
            url=_crisis_url(intervention.pk),
            level=level,
        )
    logger.info("crisis alert sent to %s people", len(recipients))
    return len(recipients)


def _escalate_one(*, intervention_id, now: dt.datetime, roster: list) -> bool:
    with transaction.atomic():
        intervention = _locked_intervention(intervention_id)
        if intervention is None or intervention.status != CrisisStatus.OPEN:
            return False
        alerts = CrisisAlert.objects.filter(intervention=intervention)
        summary = alerts.aggregate(last_sent=Max("sent_at"), step=Max("escalation_step"))
        if alerts.filter(acknowledged_at__isnull=False).exists():
            return False
        if summary["last_sent"] is None or summary["last_sent"] > now - _escalation_delay():
            return False
        alerted = set(alerts.values_list("recipient_id", flat=True))
        step = (summary["step"] or 0) + 1
        # Roster position n is escalation step n; skip people already alerted.
        candidates = [user for user in roster[step:] if user.pk not in alerted]
        if not candidates:
            return False
        recipient = candidates[0]
        CrisisAlert.objects.create(
            intervention=intervention, recipient=recipient, escalation_step=step, sent_at=now
        )
        notification_send(
            recipients=[recipient],
            kind=NOTIFICATION_KIND,
            message=ESCALATION_MESSAGES[RiskLevel(intervention.risk_level)],
            params={"step": step},
            url=_crisis_url(intervention.pk),
            level="danger",
        )
    logger.info("crisis alert escalated to step %s", step)
    return True


def crisis_alerts_escalate(*, now: dt.datetime) -> int:
    """Escalate open high/critical crises whose alerts nobody acknowledged within
    CRISIS_ESCALATION_MINUTES: alert the next person on the roster, once per step.
    Returns the number of escalations made."""
    due = (
        CrisisIntervention.objects.filter(
            status=CrisisStatus.OPEN,
            risk_level__in=ESCALATING_RISKS,
            alerts__isnull=False,
        )
        .exclude(alerts__acknowledged_at__isnull=False)
        .annotate(last_sent=Max("alerts__sent_at"))
        .filter(last_sent__lte=now - _escalation_delay())
        .values_list("pk", flat=True)
    )
    ids = list(due)
    if not ids:
        return 0
    roster = on_call_for(at=now)
    return sum(_escalate_one(intervention_id=pk, now=now, roster=roster) for pk in ids)


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
                url=_crisis_url(follow_up.intervention_id),
            )
            sent += 1
        CrisisFollowUp.objects.filter(pk__in=[f.pk for f in due]).update(reminded_at=now)
    return sent
