"""Writes for the aggressions registry. One user action, one transaction, with its
audit row inside it (metadata: codes and counts only, never the narrative)."""

from django.db import transaction

from aluna.audit.models import AuditAction
from aluna.audit.services import audit_record, audit_target_type
from aluna.core.concurrency import save_versioned

from ..models import Aggression, AggressionReport, ReportingBody


def _audit(*, action: AuditAction, aggression: Aggression, actor, request, metadata=None) -> None:
    audit_record(
        action=action,
        actor=actor,
        target_type=audit_target_type(aggression),
        target_id=str(aggression.pk),
        request=request,
        metadata=metadata,
    )


def _set_reports(*, aggression: Aggression, reports: dict) -> None:
    """`reports` maps a ReportingBody code to its date (or None): replaces them all."""
    aggression.reports.exclude(body__in=list(reports)).delete()
    existing = {report.body: report for report in aggression.reports.all()}
    for body, reported_on in reports.items():
        if body not in ReportingBody.values:
            raise ValueError(f"Unknown reporting body {body!r}.")
        report = existing.get(body)
        if report is None:
            AggressionReport.objects.create(
                aggression=aggression, body=body, reported_on=reported_on
            )
        elif report.reported_on != reported_on:
            report.reported_on = reported_on
            report.save(update_fields=["reported_on"])


def aggression_create(*, actor, data: dict, request=None) -> Aggression:
    """Record an aggression with its types, perpetrators, subjects and reports.
    Audited "create"."""
    with transaction.atomic():
        aggression = Aggression(recorded_by=actor)
        for field in Aggression.EDITABLE_FIELDS:
            if field in data:
                setattr(aggression, field, data[field])
        if not aggression.evidence_kept:
            aggression.evidence_keeper = ""
        aggression.save()
        aggression.types.set(data["types"])
        aggression.perpetrators.set(data.get("perpetrators") or [])
        aggression.subjects.set(data["subjects"])
        _set_reports(aggression=aggression, reports=data.get("reports") or {})
        _audit(
            action=AuditAction.CREATE,
            aggression=aggression,
            actor=actor,
            request=request,
            metadata={"subjects": len(data["subjects"])},
        )
    return aggression


def aggression_update(
    *,
    aggression: Aggression,
    actor,
    data: dict,
    expected_version: int,
    hidden_subject_ids=(),
    request=None,
) -> Aggression:
    """Apply `data` if nobody saved the aggression since `expected_version`;
    raises StaleEdit otherwise (nothing written).

    `hidden_subject_ids` are the affected subjects the editor cannot see: they
    stay attached whatever the form sent. Audited "update" with the names of the
    changed fields only.
    """
    with transaction.atomic():
        if not data.get("evidence_kept", aggression.evidence_kept):
            data = {**data, "evidence_keeper": ""}
        changed = [
            field
            for field in Aggression.EDITABLE_FIELDS
            if field in data and getattr(aggression, field) != data[field]
        ]
        for field in changed:
            setattr(aggression, field, data[field])
        # Always bump the version: the relations below are part of the record.
        save_versioned(aggression, expected_version=expected_version, update_fields=changed)
        relations = {
            "types": {obj.pk for obj in data["types"]},
            "perpetrators": {obj.pk for obj in data.get("perpetrators") or []},
            "subjects": {obj.pk for obj in data["subjects"]} | set(hidden_subject_ids),
        }
        for name, new_ids in relations.items():
            manager = getattr(aggression, name)
            if new_ids != set(manager.values_list("pk", flat=True)):
                manager.set(new_ids)
                changed.append(name)
        if "reports" in data:
            before = dict(aggression.reports.values_list("body", "reported_on"))
            if before != data["reports"]:
                _set_reports(aggression=aggression, reports=data["reports"])
                changed.append("reports")
        _audit(
            action=AuditAction.UPDATE,
            aggression=aggression,
            actor=actor,
            request=request,
            metadata={"fields": ":".join(changed)[:128]},
        )
    return aggression
