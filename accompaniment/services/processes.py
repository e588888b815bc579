"""Writes on processes, objectives and field assessments.

Every service is one transaction with its audit row. Forms have validated the
input; services still refuse what must never happen whatever the caller
(changes to a closed process, an illegal status transition).
"""

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aluna.audit.models import AuditAction
from aluna.audit.services import audit_record, audit_target_type
from aluna.core.concurrency import save_versioned
from aluna.core.pagination import counts_changed

from ..models import (
    FieldAssessment,
    Objective,
    ObjectiveChange,
    PoliticalSubject,
    Process,
    ProcessStatus,
)
from ..selectors.processes import process_is_read_only

READ_ONLY_MESSAGE = _(
    "This process is closed or archived, so it is read-only: nothing can be added or changed."
)


class ProcessReadOnly(Exception):
    """A change was attempted on a closed or archived process."""


class IllegalTransition(Exception):
    """The status change is not allowed by PROCESS_TRANSITIONS."""


class ProcessHasSessions(Exception):
    """A process with sessions is archived, never deleted."""


def process_ensure_writable(process: Process) -> None:
    """Raise ProcessReadOnly when `process` is closed or archived (for every app's services)."""
    if process_is_read_only(process):
        raise ProcessReadOnly


def _audit(*, action, record, actor, request, **metadata) -> None:
    audit_record(
        action=action,
        actor=actor,
        target_type=audit_target_type(record),
        target_id=str(record.pk),
        request=request,
        metadata=metadata or None,
    )


def _set_team(process: Process, *, lead, team) -> None:
    """The lead is always on the team."""
    process.team.set({*team, lead})


def process_open(*, subject: PoliticalSubject, actor, data: dict, request=None) -> Process:
    """Open a process for `subject` from validated data (kind, opened_on, lead, team,
    frequency_days, next_follow_up). Status starts at "open".

    Side effects: inserts the process, its team rows and an audit event, in one transaction.
    """
    process = Process(
        subject=subject,
        kind=data["kind"],
        opened_on=data["opened_on"],
        lead=data["lead"],
        frequency_days=data["frequency_days"],
        next_follow_up=data.get("next_follow_up"),
    )
    with transaction.atomic():
        process.save(force_insert=True)
        _set_team(process, lead=data["lead"], team=data.get("team") or [])
        _audit(
            action=AuditAction.CREATE,
            record=process,
            actor=actor,
            request=request,
            subject=str(subject.pk),
        )
    return process


def process_update(
    *, process: Process, actor, data: dict, expected_version: int, request=None
) -> Process:
    """Change lead, team, frequency and next follow-up.

    Side effects: saves the process (StaleEdit if someone saved since the form was
    opened), replaces the team and inserts an audit event, in one transaction.
    """
    process_ensure_writable(process)
    fields = ["lead", "frequency_days", "next_follow_up"]
    with transaction.atomic():
        if process.next_follow_up != data["next_follow_up"]:
            # A new follow-up date deserves its own reminder.
            process.follow_up_reminded_on = None
            fields.append("follow_up_reminded_on")
        for name in fields[:3]:
            setattr(process, name, data[name])
        save_versioned(process, expected_version=expected_version, update_fields=fields)
        _set_team(process, lead=data["lead"], team=data.get("team") or [])
        _audit(action=AuditAction.UPDATE, record=process, actor=actor, request=request)
    return process


def process_change_status(
    *,
    process: Process,
    actor,
    to_status: str,
    reason: str = "",
    closing_summary: str = "",
    expected_version: int,
    request=None,
) -> Process:
    """Move the process along PROCESS_TRANSITIONS; closing sets closed_on to today.

    Side effects: saves the process (StaleEdit if someone saved since the form was
    opened) and an audit event with {"from", "to"}, in one transaction.
    Raises IllegalTransition for a move the workflow does not allow.
    """
    if process.is_archived:
        raise ProcessReadOnly
    if not process.can_move_to(to_status):
        raise IllegalTransition
    old_status = process.status
    fields = ["status", "status_reason"]
    with transaction.atomic():
        process.status = to_status
        process.status_reason = reason
        if to_status == ProcessStatus.CLOSED:
            process.closing_summary = closing_summary
            process.closed_on = timezone.localdate()
            fields += ["closing_summary", "closed_on"]
        save_versioned(process, expected_version=expected_version, update_fields=fields)
        _audit(
            action=AuditAction.UPDATE,
            record=process,
            actor=actor,
            request=request,
            **{"from": old_status, "to": str(to_status)},
        )
    return process


def process_archive(*, process: Process, actor, request=None) -> Process:
    """Archive a process: it stays, read-only, with all its sessions.

    Side effects: saves is_archived and inserts an audit event, in one transaction.
    Nothing is written when it is already archived (a double submit).
    """
    if process.is_archived:
        return process
    with transaction.atomic():
        process.is_archived = True
        process.version += 1
        process.save(update_fields=["is_archived", "version", "updated_at"])
        _audit(
            action=AuditAction.UPDATE, record=process, actor=actor, request=request, archived=True
        )
    return process


def process_delete(*, process: Process, actor, request=None) -> None:
    """Delete a process that has no session (its objectives and assessments go with it).

    Side effects: deletes the rows and inserts an audit event, in one transaction.
    Raises ProcessHasSessions when it has any session: archive it instead.
    """
    with transaction.atomic():
        locked = Process.objects.select_for_update().get(pk=process.pk)
        if locked.sessions.exists():
            raise ProcessHasSessions
        _audit(
            action=AuditAction.DELETE,
            record=locked,
            actor=actor,
            request=request,
            subject=str(locked.subject_id),
        )
        locked.delete()


def objective_create(*, process: Process, actor, data: dict, request=None) -> Objective:
    """Add an objective to one field of `process`.

    Side effects: inserts the objective, its first ObjectiveChange (for the timeline)
    and an audit event, in one transaction.
    """
    process_ensure_writable(process)
    objective = Objective(
        process=process,
        field=data["field"],
        description=data["description"],
        status=data["status"],
    )
    with transaction.atomic():
        objective.save(force_insert=True)
        ObjectiveChange.objects.create(
            objective=objective, from_status="", to_status=objective.status, changed_by=actor
        )
        _audit(
            action=AuditAction.CREATE,
            record=objective,
            actor=actor,
            request=request,
            process=str(process.pk),
        )
    return objective


def objective_update(
    *, objective: Objective, actor, data: dict, expected_version: int, request=None
) -> Objective:
    """Change an objective's field, description or status.

    Side effects: saves the objective (StaleEdit if stale), an ObjectiveChange row
    when the status changed, and an audit event, in one transaction.
    """
    process_ensure_writable(objective.process)
    old_status = Objective.objects.values_list("status", flat=True).get(pk=objective.pk)
    with transaction.atomic():
        for name in Objective.EDITABLE_FIELDS:
            setattr(objective, name, data[name])
        save_versioned(
            objective, expected_version=expected_version, update_fields=Objective.EDITABLE_FIELDS
        )
        metadata = {}
        if old_status != objective.status:
            ObjectiveChange.objects.create(
                objective=objective,
                from_status=old_status,
                to_status=objective.status,
                changed_by=actor,
            )
            metadata = {"from": old_status, "to": objective.status}
        _audit(
            action=AuditAction.UPDATE, record=objective, actor=actor, request=request, **metadata
        )
    return objective


def _refresh_last_assessed_on(process: Process) -> None:
    """Keep `Process.last_assessed_on` (read by the attention lists) equal to the
    latest assessment date, in the caller's transaction; no version bump."""
    latest = FieldAssessment.objects.filter(process_id=OuterRef("pk")).order_by("-assessed_on")
    Process.objects.filter(pk=process.pk).update(
        last_assessed_on=Subquery(latest.values("assessed_on")[:1])
    )
    counts_changed()  # an update() sends no signal: the kept totals must recount


def assessment_create(*, process: Process, actor, data: dict, request=None) -> FieldAssessment:
    """Record a 1-5 assessment of one field.

    Side effects: inserts the assessment and an audit event, in one transaction.
    """
    process_ensure_writable(process)
    assessment = FieldAssessment(
        process=process,
        field=data["field"],
        assessed_on=data["assessed_on"],
        score=data["score"],
        indicator_notes=data.get("indicator_notes", ""),
        assessed_by=actor,
    )
    with transaction.atomic():
        assessment.save(force_insert=True)
        _refresh_last_assessed_on(process)
        _audit(
            action=AuditAction.CREATE,
            record=assessment,
            actor=actor,
            request=request,
            process=str(process.pk),
            score=assessment.score,
        )
    return assessment


def assessment_update(
    *, assessment: FieldAssessment, actor, data: dict, expected_version: int, request=None
) -> FieldAssessment:
    """Correct an assessment.

    Side effects: saves it (StaleEdit if someone saved since the form was opened) and
    inserts an audit event, in one transaction.
    """
    process_ensure_writable(assessment.process)
    fields = FieldAssessment.EDITABLE_FIELDS
    with transaction.atomic():
        for name in fields:
            setattr(assessment, name, data.get(name, ""))
        save_versioned(assessment, expected_version=expected_version, update_fields=fields)
        _refresh_last_assessed_on(assessment.process)
        _audit(
            action=AuditAction.UPDATE,
            record=assessment,
            actor=actor,
            request=request,
            score=assessment.score,
        )
    return assessment
