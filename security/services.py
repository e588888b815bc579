"""Writes of the security app: one transaction per user action, with its audit row."""

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from accompaniment.services.reminders import process_reference
from aluna.audit.models import AuditAction
from aluna.audit.services import audit_record, audit_target_type
from aluna.core.concurrency import save_versioned
from aluna.notifications.services import notification_send

from .models import (
    CheckIn,
    CheckInContact,
    MeasureSource,
    PlanMeasure,
    ProtectionMeasure,
    Protocol,
    RiskAssessment,
    RiskFactor,
    RiskFactorKind,
    SecurityPlan,
    Threat,
)
from .risk import compute_risk

# --- Risk assessments --------------------------------------------------------------------------


def risk_assessment_create(
    *,
    process,
    actor,
    assessed_on: dt.date,
    summary: str = "",
    threats: list[dict],
    vulnerabilities: list[dict],
    capacities: list[dict],
    request=None,
) -> RiskAssessment:
    """`threats`: dicts with description, perpetrator, likelihood, impact; the factors:
    dicts with description and weight. Score and level follow security.risk."""
    result = compute_risk(
        threats=[(t["likelihood"], t["impact"]) for t in threats],
        vulnerabilities=[v["weight"] for v in vulnerabilities],
        capacities=[c["weight"] for c in capacities],
    )
    with transaction.atomic():
        assessment = RiskAssessment.objects.create(
            process=process,
            assessed_on=assessed_on,
            summary=summary,
            assessed_by=actor,
            threat_total=result.threat_total,
            threat_count=result.threat_count,
            vulnerability_mean=result.vulnerability_mean,
            capacity_mean=result.capacity_mean,
            score=result.score,
            level=result.level,
        )
        Threat.objects.bulk_create(
            Threat(
                assessment=assessment,
                description=t["description"],
                perpetrator=t.get("perpetrator"),
                likelihood=t["likelihood"],
                impact=t["impact"],
                position=i,
            )
            for i, t in enumerate(threats)
        )
        RiskFactor.objects.bulk_create(
            [
                RiskFactor(
                    assessment=assessment,
                    kind=kind,
                    description=f["description"],
                    weight=f["weight"],
                    position=i,
                )
                for kind, rows in (
                    (RiskFactorKind.VULNERABILITY, vulnerabilities),
                    (RiskFactorKind.CAPACITY, capacities),
                )
                for i, f in enumerate(rows)
            ]
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            target_type=audit_target_type(assessment),
            target_id=str(assessment.pk),
            request=request,
            metadata={"level": result.level, "threats": result.threat_count},
        )
    return assessment


def risk_assessment_update(
    *, assessment: RiskAssessment, actor, data: dict, expected_version: int, request=None
) -> RiskAssessment:
    """Edit the date and summary (the threats and factors are a snapshot: reassess instead)."""
    with transaction.atomic():
        assessment.assessed_on = data["assessed_on"]
        assessment.summary = data.get("summary", "")
        save_versioned(
            assessment,
            expected_version=expected_version,
            update_fields=RiskAssessment.EDITABLE_FIELDS,
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target_type=audit_target_type(assessment),
            target_id=str(assessment.pk),
            request=request,
        )
    return assessment


# --- Protection measures -----------------------------------------------------------------------


def _measure_apply(measure: ProtectionMeasure, data: dict) -> None:
    for name in ProtectionMeasure.EDITABLE_FIELDS:
        setattr(measure, name, data.get(name) or ("" if name in ("cidh_number", "notes") else None))
    if measure.source != MeasureSource.CIDH:
        measure.cidh_number = ""


def measure_create(*, process, actor, data: dict, request=None) -> ProtectionMeasure:
    measure = ProtectionMeasure(process=process)
    _measure_apply(measure, data)
    with transaction.atomic():
        measure.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            target_type=audit_target_type(measure),
            target_id=str(measure.pk),
            request=request,
            metadata={"status": measure.status, "kind": measure.kind},
        )
    return measure


def measure_update(
    *, measure: ProtectionMeasure, actor, data: dict, expected_version: int, request=None
) -> ProtectionMeasure:
    _measure_apply(measure, data)
    with transaction.atomic():
        save_versioned(
            measure,
            expected_version=expected_version,
            update_fields=ProtectionMeasure.EDITABLE_FIELDS,
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target_type=audit_target_type(measure),
            target_id=str(measure.pk),
            request=request,
            metadata={"status": measure.status},
        )
    return measure


def measure_search_record(*, actor, results: int, request=None) -> None:
    """A list of measures was read (granted but not implemented): audited "search"
    with the count only."""
    with transaction.atomic():
        audit_record(
            action=AuditAction.SEARCH,
            actor=actor,
            target_type=audit_target_type(ProtectionMeasure),
            request=request,
            metadata={"results": results},
        )


MEASURE_EXPIRY_KIND = "security-measure-expiry"
MEASURE_EXPIRY_MESSAGE = gettext_noop(
    "A protection measure of process %(code)s expires in %(days)s days."
)
EXPIRY_REMINDER_DAYS = (30, 7)


def measure_expiry_reminders_send(*, today: dt.date) -> int:
    """Tell the team of each measure expiring in exactly 30 or 7 days, once per expiry date.

    Idempotent: `reminded_30_for`/`reminded_7_for` hold the expiry date already
    reminded, under a row lock, so a second or concurrent run sends nothing.
    """
    sent = 0
    for days in EXPIRY_REMINDER_DAYS:
        marker = f"reminded_{days}_for"
        expiry = today + dt.timedelta(days=days)
        due = ProtectionMeasure.objects.filter(expires_on=expiry).exclude(**{marker: expiry})
        for measure_id in list(due.values_list("pk", flat=True)):
            with transaction.atomic():
                measure = (
                    due.select_for_update(of=("self",))
                    .select_related("process")
                    .filter(pk=measure_id)
                    .first()
                )
                if measure is None:
                    continue
                process = measure.process
                notification_send(
                    recipients=list(process.team.filter(is_active=True)),
                    kind=MEASURE_EXPIRY_KIND,
                    message=MEASURE_EXPIRY_MESSAGE,
                    params={"code": process_reference(process), "days": days},
                    url=reverse("security:measure-edit", kwargs={"measure_id": measure.pk}),
                )
                ProtectionMeasure.objects.filter(pk=measure.pk).update(**{marker: expiry})
                sent += 1
    return sent


# --- Check-ins ---------------------------------------------------------------------------------

CHECKIN_OVERDUE_KIND = "security-checkin-overdue"
# No name, no place: only a code and minutes (the e-mail leaves our systems).
CHECKIN_OVERDUE_MESSAGE = gettext_noop(
    "Check-in %(code)s is %(minutes)s minutes overdue. Try to reach the person now."
)


def checkin_reference(checkin: CheckIn) -> str:
    return f"CHK-{checkin.expected_at:%Y}-{checkin.pk.hex[:8].upper()}"


def checkin_create(
    *,
    actor,
    subject=None,
    state,
    municipality: str,
    expected_at: dt.datetime,
    contacts: list,
    request=None,
) -> CheckIn:
    """Register a trip. `contacts` in the order the alert chain follows."""
    with transaction.atomic():
        checkin = CheckIn.objects.create(
            created_by=actor,
            subject=subject,
            state=state,
            municipality=municipality,
            expected_at=expected_at,
        )
        CheckInContact.objects.bulk_create(
            CheckInContact(checkin=checkin, user=user, position=i)
            for i, user in enumerate(contacts)
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            target_type=audit_target_type(checkin),
            target_id=str(checkin.pk),
            request=request,
            metadata={"contacts": len(contacts), "for_self": subject is None},
        )
    return checkin


def checkin_close(*, checkin: CheckIn, actor, now: dt.datetime | None = None, request=None):
    """Checking in closes the trip and stops the alert chain."""
    with transaction.atomic():
        updated = CheckIn.objects.filter(pk=checkin.pk, closed_at__isnull=True).update(
            closed_at=now or timezone.now()
        )
        if updated:
            audit_record(
                action=AuditAction.UPDATE,
                actor=actor,
                target_type=audit_target_type(checkin),
                target_id=str(checkin.pk),
                request=request,
                metadata={"closed": True},
            )
    checkin.refresh_from_db(fields=["closed_at"])
    return checkin


def grace_minutes() -> int:
    return int(getattr(settings, "CHECKIN_GRACE_MINUTES", 30))


def alert_step_minutes() -> int:
    return int(getattr(settings, "CHECKIN_ALERT_STEP_MINUTES", 15))


def retention_days() -> int:
    return int(getattr(settings, "CHECKIN_RETENTION_DAYS", 30))


def overdue_checkins_alert(*, now: dt.datetime) -> int:
    """Walk the alert chain of every open check-in overdue beyond the grace period.

    The first contact is alerted once the grace period has passed; each next
    contact CHECKIN_ALERT_STEP_MINUTES after the previous alert, until the chain
    ends. Each alert: an in-app notification and an e-mail without names or
    places. A row lock and `alerts_sent` make reruns idempotent. Returns the
    number of alerts sent.
    """
    cutoff = now - dt.timedelta(minutes=grace_minutes())
    step = dt.timedelta(minutes=alert_step_minutes())
    candidates = CheckIn.objects.filter(closed_at__isnull=True, expected_at__lte=cutoff)
    sent = 0
    for checkin_id in list(candidates.values_list("pk", flat=True)):
        with transaction.atomic():
            checkin = candidates.select_for_update().filter(pk=checkin_id).first()
            if checkin is None:
                continue
            if checkin.last_alert_at is not None and checkin.last_alert_at + step > now:
                continue
            contact = (
                CheckInContact.objects.filter(checkin=checkin, position__gte=0)
                .select_related("user")
                .order_by("position")[checkin.alerts_sent : checkin.alerts_sent + 1]
                .first()
            )
            if contact is None:
                continue  # the chain is exhausted
            minutes = int((now - checkin.expected_at).total_seconds() // 60)
            notification_send(
                recipients=[contact.user],
                kind=CHECKIN_OVERDUE_KIND,
                message=CHECKIN_OVERDUE_MESSAGE,
                params={"code": checkin_reference(checkin), "minutes": minutes},
                url=reverse("security:checkin-detail", kwargs={"checkin_id": checkin.pk}),
                level="danger",
            )
            CheckIn.objects.filter(pk=checkin.pk).update(
                alerts_sent=checkin.alerts_sent + 1, last_alert_at=now
            )
            sent += 1
    return sent


def closed_checkins_purge(*, now: dt.datetime) -> int:
    """Data minimisation: delete check-ins closed more than CHECKIN_RETENTION_DAYS ago
    (their contacts go with them). Returns how many check-ins were deleted."""
    cutoff = now - dt.timedelta(days=retention_days())
    with transaction.atomic():
        _, per_model = CheckIn.objects.filter(closed_at__lt=cutoff).delete()
    return per_model.get(CheckIn._meta.label, 0)


# --- Security plans ----------------------------------------------------------------------------


def plan_create(*, process, actor, data: dict, request=None) -> SecurityPlan:
    with transaction.atomic():
        plan = SecurityPlan.objects.create(
            process=process, title=data["title"], review_on=data["review_on"]
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            target_type=audit_target_type(plan),
            target_id=str(plan.pk),
            request=request,
        )
    return plan


def plan_update(
    *, plan: SecurityPlan, actor, data: dict, expected_version: int, request=None
) -> SecurityPlan:
    plan.title = data["title"]
    plan.review_on = data["review_on"]
    with transaction.atomic():
        save_versioned(
            plan, expected_version=expected_version, update_fields=SecurityPlan.EDITABLE_FIELDS
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target_type=audit_target_type(plan),
            target_id=str(plan.pk),
            request=request,
        )
    return plan


def plan_measure_add(*, plan: SecurityPlan, actor, data: dict, request=None) -> PlanMeasure:
    with transaction.atomic():
        item = PlanMeasure.objects.create(
            plan=plan,
            what=data["what"],
            who=data["who"],
            due_on=data.get("due_on"),
            status=data["status"],
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target_type=audit_target_type(plan),
            target_id=str(plan.pk),
            request=request,
            metadata={"added": "measure"},
        )
    return item


def plan_protocol_add(*, plan: SecurityPlan, actor, data: dict, request=None) -> Protocol:
    with transaction.atomic():
        item = Protocol.objects.create(
            plan=plan,
            if_threat=data["if_threat"],
            steps=data["steps"],
            who_to_call=data["who_to_call"],
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target_type=audit_target_type(plan),
            target_id=str(plan.pk),
            request=request,
            metadata={"added": "protocol"},
        )
    return item


PLAN_REVIEW_KIND = "security-plan-review"
PLAN_REVIEW_MESSAGE = gettext_noop("The security plan of process %(code)s is due for review.")


def plan_review_reminders_send(*, today: dt.date) -> int:
    """Tell the team once when a plan's review date has come (once per review date)."""
    due = SecurityPlan.objects.filter(review_on__lte=today).exclude(
        reminded_for=models.F("review_on")
    )
    sent = 0
    for plan_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            plan = (
                due.select_for_update(of=("self",))
                .select_related("process")
                .filter(pk=plan_id)
                .first()
            )
            if plan is None:
                continue
            notification_send(
                recipients=list(plan.process.team.filter(is_active=True)),
                kind=PLAN_REVIEW_KIND,
                message=PLAN_REVIEW_MESSAGE,
                params={"code": process_reference(plan.process)},
                url=reverse("security:plan-detail", kwargs={"plan_id": plan.pk}),
            )
            SecurityPlan.objects.filter(pk=plan.pk).update(reminded_for=plan.review_on)
            sent += 1
    return sent
