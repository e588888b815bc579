"""Writes for political subjects and memberships. One user action, one transaction,
with its audit row inside it."""

from django.db import transaction
from django.utils import timezone

from aluna.audit.models import AuditAction
from aluna.audit.services import audit_record, audit_target_type
from aluna.core.concurrency import save_versioned

from ..models import Membership, PoliticalSubject

SUBJECT_TARGET = "accompaniment.politicalsubject"


def _audit_subject(
    *, action: AuditAction, subject: PoliticalSubject, actor, request, metadata=None
):
    audit_record(
        action=action,
        actor=actor,
        target_type=audit_target_type(subject),
        target_id=str(subject.pk),
        request=request,
        metadata=metadata,
    )


def subject_create(*, actor, data: dict, request=None) -> PoliticalSubject:
    """Create a subject owned by `actor` (who can then see it). Audited "create"."""
    with transaction.atomic():
        subject = PoliticalSubject(created_by=actor)
        for field in PoliticalSubject.EDITABLE_FIELDS:
            if field in data:
                setattr(subject, field, data[field])
        subject.save()
        subject.areas.set(data.get("areas") or [])
        _audit_subject(action=AuditAction.CREATE, subject=subject, actor=actor, request=request)
    return subject


def subject_update(
    *, subject: PoliticalSubject, actor, data: dict, expected_version: int, request=None
) -> PoliticalSubject:
    """Apply `data` if nobody saved the subject since `expected_version`.

    Raises StaleEdit otherwise (nothing written). Audited "update" with the
    names of the changed fields only, never their values.
    """
    with transaction.atomic():
        changed = [
            field
            for field in PoliticalSubject.EDITABLE_FIELDS
            if field in data and getattr(subject, field) != data[field]
        ]
        for field in changed:
            setattr(subject, field, data[field])
        new_areas = {area.pk for area in data.get("areas") or []}
        areas_changed = "areas" in data and new_areas != {a.pk for a in subject.areas.all()}
        if not changed and not areas_changed:
            # Nothing to write; a stale but identical form is not worth refusing.
            return subject
        save_versioned(subject, expected_version=expected_version, update_fields=changed)
        if areas_changed:
            subject.areas.set(new_areas)
            changed.append("areas")
        _audit_subject(
            action=AuditAction.UPDATE,
            subject=subject,
            actor=actor,
            request=request,
            metadata={"fields": ":".join(changed)[:128]},
        )
    return subject


def subject_delete(*, subject: PoliticalSubject, actor, request=None) -> str:
    """Delete a subject without processes; archive one that has any.

    Returns "deleted" or "archived". Audited "delete" or "update".
    """
    with transaction.atomic():
        subject = PoliticalSubject.objects.select_for_update().get(pk=subject.pk)
        if subject.processes.exists():
            subject.is_archived = True
            subject.version += 1
            subject.save(update_fields=["is_archived", "version", "updated_at"])
            _audit_subject(
                action=AuditAction.UPDATE,
                subject=subject,
                actor=actor,
                request=request,
                metadata={"fields": "is_archived"},
            )
            return "archived"
        target_id = str(subject.pk)
        subject.delete()
        audit_record(
            action=AuditAction.DELETE,
            actor=actor,
            target_type=SUBJECT_TARGET,
            target_id=target_id,
            request=request,
        )
        return "deleted"


def subject_record_name_search(*, actor, results: int, request=None) -> None:
    """A search by name returned people: audited "search" with the count only."""
    with transaction.atomic():
        audit_record(
            action=AuditAction.SEARCH,
            actor=actor,
            target_type=SUBJECT_TARGET,
            request=request,
            metadata={"results": results, "by": "name"},
        )


def subject_record_picker_search(*, actor, results: int, request=None) -> None:
    """A subject picker's type-ahead answered: audited "search" with the count only
    (never the text typed, which may be a name)."""
    with transaction.atomic():
        audit_record(
            action=AuditAction.SEARCH,
            actor=actor,
            target_type=SUBJECT_TARGET,
            request=request,
            metadata={"results": results, "by": "picker"},
        )


def membership_create(*, defender: PoliticalSubject, actor, data: dict, request=None) -> Membership:
    """Record that `defender` belongs to a collective. Audited "create"."""
    with transaction.atomic():
        membership = Membership.objects.create(
            defender=defender,
            collective=data["collective"],
            role=data.get("role", ""),
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            target_type=audit_target_type(membership),
            target_id=str(membership.pk),
            request=request,
            metadata={"defender": str(defender.pk), "collective": str(data["collective"].pk)},
        )
    return membership


def membership_end(*, membership: Membership, actor, request=None) -> Membership:
    """End a membership today (kept for history). Audited "update"."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        today = timezone.localdate()
        if membership.end_date is None or membership.end_date > today:
            # A membership that had not started yet ends the day it would have started.
            membership.end_date = max(today, membership.start_date or today)
            membership.save(update_fields=["end_date"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target_type=audit_target_type(membership),
            target_id=str(membership.pk),
            request=request,
            metadata={"fields": "end_date"},
        )
    return membership
