"""Writes for the on-call roster. Audited; no names in the audit metadata."""

from django.db import IntegrityError, transaction

from aluna.audit.models import AuditAction
from aluna.audit.services import audit_record, audit_target_type

from ..models import OnCallShift


class SlotTaken(Exception):
    """Someone else filled the slot (or put the person on that week) meanwhile."""


def _audit(*, action: AuditAction, shift: OnCallShift, actor, request, target_id=None) -> None:
    audit_record(
        action=action,
        actor=actor,
        target_type=audit_target_type(shift),
        target_id=str(target_id or shift.pk),
        request=request,
        metadata={"position": shift.position, "week": shift.week_start.isoformat()},
    )


def shift_create(*, actor, week_start, user, position: int, request=None) -> OnCallShift:
    """Put `user` on call for the week of `week_start` at `position`. Audited
    "create". Raises SlotTaken when the slot or the person is taken already
    (the unique constraints decide, so two coordinators racing cannot both win)."""
    try:
        with transaction.atomic():
            shift = OnCallShift(week_start=week_start, user=user, position=position)
            shift.full_clean(validate_unique=False, validate_constraints=False)
            shift.save()
            _audit(action=AuditAction.CREATE, shift=shift, actor=actor, request=request)
    except IntegrityError as exc:
        raise SlotTaken from exc
    return shift


def shift_delete(*, shift: OnCallShift, actor, request=None) -> None:
    """Take a person off the roster for a week. Audited "delete"."""
    with transaction.atomic():
        target_id = shift.pk
        shift.delete()
        _audit(
            action=AuditAction.DELETE,
            shift=shift,
            actor=actor,
            request=request,
            target_id=target_id,
        )
