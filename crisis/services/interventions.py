"""Write side of crisis response: recording and correcting an emergency accompaniment.

One user action is one transaction with its audit row; the alerts go through the
outbox (task `crisis.send_alerts`, see crisis/tasks.py and services/alerts.py),
published after commit.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext

from accompaniment.models import (
    PoliticalSubject,
    Process,
    ProcessKind,
    ProcessStatus,
    SubjectKind,
)
from aluna.audit.models import AuditAction
from aluna.audit.services import audit_record, audit_target_type
from aluna.core.concurrency import save_versioned
from aluna.outbox.services import outbox_enqueue

from ..models import Aggression, CrisisAlert, CrisisFollowUp, CrisisIntervention, CrisisStatus

# Registered by crisis/tasks.py; services enqueue tasks by name (no import of tasks).
SEND_ALERTS_TASK = "crisis.send_alerts"

_INTERVENTION_FIELDS = (
    "contacted_at",
    "channel",
    "risk_level",
    "immediate_needs",
    "actions_taken",
    "referrals",
)


def _follow_up_hours() -> list[int]:
    return list(getattr(settings, "CRISIS_FOLLOW_UP_HOURS", [24, 72, 168]))


# --- Saving an intervention ---------------------------------------------------------------


def _subject_quick_create(*, actor, alias: str, kind, state, name: str = "") -> PoliticalSubject:
    """A subject with an alias, a kind and a state; the rest is completed later.
    The real name, when the responder knows it, goes only to the encrypted name;
    otherwise the name starts as the alias until the team records it."""
    subject = PoliticalSubject(
        name=name or alias, alias=alias, kind=kind, state=state, created_by=actor
    )
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


def _already_recorded(*, actor, key) -> CrisisIntervention | None:
    """The crisis an earlier arrival of the same entry recorded, if any; only its
    author may send it again (a key is made on the author's phone)."""
    existing = CrisisIntervention.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.recorded_by_id != actor.pk:
        raise PermissionDenied
    return existing


def crisis_record_once(*, actor, data: dict, request=None) -> tuple[CrisisIntervention, bool]:
    """Log a crisis entry once however many times it arrives: (crisis, created).

    With `data["idempotency_key"]`, a second arrival of the same entry (a retry, a
    second tab, a reply lost on a flaky network) returns the crisis the first one
    recorded and records and alerts nothing. Two arrivals at the same moment race on
    the key's unique index: PostgreSQL makes the second insert wait for the first
    transaction and then fail, and its whole transaction (subject, process, alerts in
    the outbox) is rolled back.
    """
    key = data.get("idempotency_key")
    if key is None:
        return crisis_record(actor=actor, data=data, request=request), True
    existing = _already_recorded(actor=actor, key=key)
    if existing is not None:
        return existing, False
    try:
        return crisis_record(actor=actor, data=data, request=request), True
    except IntegrityError:
        existing = _already_recorded(actor=actor, key=key)
        if existing is None:
            raise
        return existing, False


def provisional_alias(key) -> str:
    """A neutral working alias for a subject to be confirmed: nothing the person typed."""
    code = (str(key) if key else uuid.uuid4().hex).replace("-", "")[:6].upper()
    return gettext("To be confirmed %(code)s") % {"code": code}


def _provisional_kind(data: dict):
    kind = data.get("new_kind")
    if kind is not None:
        return kind
    return SubjectKind.objects.filter(is_active=True).first() or SubjectKind.objects.first()


def crisis_record(*, actor, data: dict, request=None) -> CrisisIntervention:
    """Log an emergency accompaniment from the validated quick form.

    Side effects, in one transaction: creates the subject from the new-subject step
    (`new_alias`, `new_name`, `new_kind`, `new_state`) when no `subject` is given; finds the
    subject's open crisis process or opens one (lead = `actor`, team += responders);
    inserts the intervention (a new aggression with the given types when asked);
    schedules the follow-ups at now + CRISIS_FOLLOW_UP_HOURS; writes an audit event.
    Through the outbox (same transaction, published after commit): SEND_ALERTS_TASK.
    """
    now = timezone.now()
    responders = list(data.get("responders") or []) or [actor]
    to_confirm = data.get("subject") is None and bool(data.get("pending_alias"))
    with transaction.atomic():
        subject = data.get("subject")
        if to_confirm:
            # What was typed may be a real name: it is kept only in the encrypted name,
            # and the provisional subject is listed under a neutral alias.
            subject = _subject_quick_create(
                actor=actor,
                alias=provisional_alias(data.get("idempotency_key")),
                name=data["pending_alias"],
                kind=_provisional_kind(data),
                state=data.get("new_state"),
            )
        elif subject is None:
            subject = _subject_quick_create(
                actor=actor,
                alias=data["new_alias"],
                name=data.get("new_name", ""),
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
            idempotency_key=data.get("idempotency_key"),
            subject_to_confirm=to_confirm,
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
            metadata={
                "process": str(process.pk),
                "risk": intervention.risk_level,
                **({"subject_to_confirm": True} if to_confirm else {}),
            },
        )
        outbox_enqueue(SEND_ALERTS_TASK, str(intervention.pk))
    return intervention


def _drop_provisional(process: Process) -> None:
    """The provisional subject and its process, once nothing of theirs is left: deleted,
    or archived and closed when something else came to refer to them meanwhile."""
    subject = process.subject
    if process.crisis_interventions.exists():
        return
    try:
        with transaction.atomic():
            process.delete()
            subject.delete()
    except ProtectedError:
        Process.objects.filter(pk=process.pk).update(status=ProcessStatus.CLOSED)
        PoliticalSubject.objects.filter(pk=subject.pk).update(is_archived=True)


def crisis_confirm_subject(
    *,
    intervention: CrisisIntervention,
    actor,
    subject: PoliticalSubject | None,
    new_alias: str = "",
    request=None,
) -> CrisisIntervention:
    """The author resolves a "subject to be confirmed": `subject`, one of their cases,
    takes the crisis over (moved into its open crisis process, the provisional subject
    dropped), or None: the provisional subject is a new one and stays, under the
    working alias `new_alias` the author gives it (never what was typed on the phone).

    Side effects, in one transaction: moves the intervention (and its new aggression)
    to `subject`; deletes the provisional subject and process; writes an audit event.
    """
    with transaction.atomic():
        intervention = CrisisIntervention.objects.select_for_update().get(pk=intervention.pk)
        if intervention.recorded_by_id != actor.pk or not intervention.subject_to_confirm:
            raise PermissionDenied
        provisional = intervention.process
        if subject is not None and subject.pk != provisional.subject_id:
            responders = list(intervention.responders.all())
            intervention.process = _emergency_process_for(
                subject=subject, actor=actor, responders=responders
            )
            if intervention.aggression_id:
                intervention.aggression.subjects.remove(provisional.subject)
                intervention.aggression.subjects.add(subject)
        if subject is None and new_alias:
            provisional.subject.alias = new_alias
            provisional.subject.save(update_fields=["alias"])
        intervention.subject_to_confirm = False
        intervention.version += 1
        intervention.save(update_fields=["process", "subject_to_confirm", "version", "updated_at"])
        if intervention.process_id != provisional.pk:
            _drop_provisional(provisional)
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target_type=audit_target_type(intervention),
            target_id=str(intervention.pk),
            request=request,
            metadata={"subject_confirmed": "existing" if subject is not None else "new"},
        )
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
            action=AuditAction.CRISIS_ACKNOWLEDGE,
            actor=user,
            target_type=audit_target_type(intervention),
            target_id=str(intervention.pk),
            request=request,
            metadata={"alerts": changed},
        )
    return changed
