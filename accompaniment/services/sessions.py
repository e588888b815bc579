from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aluna.audit.models import AuditAction
from aluna.audit.services import audit_record, audit_target_type
from aluna.core.concurrency import save_versioned
from aluna.core.pagination import counts_changed

from ..models import Process, Session
from ..signals import session_recorded

CLOSED_PROCESS_MESSAGE = _(
    "This process is closed or archived: its record is read-only and no session can be added "
    "or changed."
)


class ProcessClosed(ValidationError):
    def __init__(self):
        super().__init__(CLOSED_PROCESS_MESSAGE, code="process_closed")


def _apply(session: Session, data: dict) -> None:
    for name in Session.EDITABLE_FIELDS:
        if name in data:
            setattr(session, name, data[name])
    worked = set(data.get("fields_worked", []))
    for field, flag in Session.FIELD_FLAGS.items():
        setattr(session, flag, field in worked)


def _locked_open_process(process_id) -> Process:
    """The process row, locked until commit: two sessions saved at once must not
    lose each other's `last_session_on`. Refuses a closed process."""
    process = Process.objects.select_for_update().get(pk=process_id)
    if process.is_read_only:
        raise ProcessClosed
    return process


def _update_process_after_session(*, process: Process, last_session_on, next_session_on) -> None:
    """Keep the process's denormalised dates. A new next follow-up is a change to
    the process others may be editing, so it bumps the version (their stale form is
    refused rather than silently overwriting it); `last_session_on` alone does not."""
    changes = {}
    if last_session_on != process.last_session_on:
        changes["last_session_on"] = last_session_on
    if next_session_on and next_session_on != process.next_follow_up:
        changes["next_follow_up"] = next_session_on
        # A new due date deserves its own reminder.
        changes["follow_up_reminded_on"] = None
        changes["version"] = F("version") + 1
    if changes:
        Process.objects.filter(pk=process.pk).update(updated_at=timezone.now(), **changes)
        counts_changed()  # an update() sends no signal: the kept totals must recount


def session_record(*, process: Process, actor, data: dict, request=None) -> Session:
    """Record a session of `process` from validated form data.

    Side effects, in one transaction: inserts the session with its impacts and coping
    mechanisms; sets the process's `last_session_on` to the latest session date and,
    when a next session date is given, its `next_follow_up`; writes an audit event.
    Raises ProcessClosed for a closed process.
    """
    with transaction.atomic():
        locked = _locked_open_process(process.pk)
        session = Session(process=locked, recorded_by=actor)
        _apply(session, data)
        session.full_clean(exclude=["impacts", "coping_mechanisms"])
        session.save(force_insert=True)
        session.impacts.set(data.get("impacts", []))
        session.coping_mechanisms.set(data.get("coping_mechanisms", []))
        session_day = timezone.localtime(session.started_at).date()
        _update_process_after_session(
            process=locked,
            last_session_on=max(filter(None, [locked.last_session_on, session_day])),
            next_session_on=session.next_session_on,
        )
        # Inside the transaction: a receiver's writes (crisis marks the follow-up
        # that was due) commit or roll back with the session.
        session_recorded.send(sender=Session, session=session, process=locked, actor=actor)
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            target_type=audit_target_type(session),
            target_id=str(session.pk),
            request=request,
            metadata={"process": str(locked.pk)},
        )
    return session


def session_update(
    *, session: Session, actor, data: dict, expected_version: int, request=None
) -> Session:
    """Change a session from validated form data, if nobody saved it meanwhile.

    Side effects, in one transaction: saves the session (version + 1) and its
    catalogue lists; recomputes the process's `last_session_on` (the date may have
    moved) and sets its `next_follow_up` when the next session date changed; writes
    an audit event. Raises StaleEdit (nothing written) when the session is no longer
    at `expected_version`, ProcessClosed for a closed process.
    """
    with transaction.atomic():
        locked = _locked_open_process(session.process_id)
        previous_next_session_on = (
            Session.objects.filter(pk=session.pk).values_list("next_session_on", flat=True).get()
        )
        _apply(session, data)
        session.full_clean(exclude=["impacts", "coping_mechanisms"])
        save_versioned(session, expected_version=expected_version)
        session.impacts.set(data.get("impacts", []))
        session.coping_mechanisms.set(data.get("coping_mechanisms", []))
        latest = locked.sessions.aggregate(latest=Max("started_at"))["latest"]
        next_changed = session.next_session_on != previous_next_session_on
        _update_process_after_session(
            process=locked,
            last_session_on=timezone.localtime(latest).date() if latest else None,
            next_session_on=session.next_session_on if next_changed else None,
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target_type=audit_target_type(session),
            target_id=str(session.pk),
            request=request,
            metadata={"process": str(locked.pk), "version": session.version},
        )
    return session
