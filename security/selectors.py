"""Reads of the security app, scoped to the user through accompaniment's selectors."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from accompaniment.models import RISK_ORDER, Process, RiskLevel
from accompaniment.selectors import access
from accompaniment.selectors.access import in_process_scope, processes_for_user
from aluna.core.roles import Role

from .models import (
    ACTIVE_MEASURE_STATUSES,
    CheckIn,
    CheckInContact,
    MeasureStatus,
    PlanMeasure,
    ProtectionMeasure,
    Protocol,
    RiskAssessment,
    SecurityPlan,
)

PROCESS_PAGE_MEASURES = 50
PROCESS_PAGE_PLANS = 20
PLAN_PAGE_ITEMS = 100


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def process_get_for_user(*, user, process_id) -> Process:
    """A process for its security pages, with its subject; 404 for "missing" and
    "not yours" alike."""
    return access.process_get_for_user(
        user=user,
        process_id=process_id,
        queryset=processes_for_user(user=user).select_related("subject"),
    )


# --- Risk assessments --------------------------------------------------------------------------


def risk_assessments_for_user(*, user) -> QuerySet[RiskAssessment]:
    return in_process_scope(RiskAssessment.objects.all(), user=user)


def risk_assessment_get_for_user(*, user, assessment_id) -> RiskAssessment:
    """For the assessment page: the process and subject, threats with their source."""
    queryset = risk_assessments_for_user(user=user).select_related(
        "process__subject", "assessed_by"
    )
    return _get(queryset, assessment_id)


def risk_assessment_detail_rows(*, assessment: RiskAssessment):
    threats = list(assessment.threats.select_related("perpetrator"))
    factors = list(assessment.factors.all())
    return {
        "threats": threats,
        "vulnerabilities": [f for f in factors if f.kind == "vulnerability"],
        "capacities": [f for f in factors if f.kind == "capacity"],
    }


def risk_assessment_previous(*, assessment: RiskAssessment) -> RiskAssessment | None:
    """The assessment of the same process just before this one (by date, then creation)."""
    return (
        RiskAssessment.objects.filter(process_id=assessment.process_id)
        .filter(
            Q(assessed_on__lt=assessment.assessed_on)
            | Q(assessed_on=assessment.assessed_on, created_at__lt=assessment.created_at)
        )
        .order_by("-assessed_on", "-created_at")
        .defer("summary")
        .first()
    )


def risk_assessment_changes(
    *, assessment: RiskAssessment, previous: RiskAssessment | None
) -> list[tuple[str, object, object]]:
    """What changed since the previous assessment: (code, before, after) for each change."""
    if previous is None:
        return []
    changes = []
    for code in ("level", "score", "threat_count", "vulnerability_mean", "capacity_mean"):
        before, after = getattr(previous, code), getattr(assessment, code)
        if before != after:
            changes.append((code, before, after))
    return changes


def risk_level_direction(*, before: str, after: str) -> str:
    """ "up" when the risk rose, "down" when it fell."""
    return "up" if RISK_ORDER[RiskLevel(after)] < RISK_ORDER[RiskLevel(before)] else "down"


def risk_assessments_for_process_page(*, process) -> QuerySet[RiskAssessment]:
    """The history list of a process: aggregates only, no encrypted text decrypted."""
    return (
        RiskAssessment.objects.filter(process=process)
        .order_by("-assessed_on", "-created_at")
        .only(
            "id",
            "process_id",
            "assessed_on",
            "created_at",
            "score",
            "level",
            "threat_count",
            "vulnerability_mean",
            "capacity_mean",
        )
    )


# --- Protection measures -----------------------------------------------------------------------


def measures_for_user(*, user) -> QuerySet[ProtectionMeasure]:
    return in_process_scope(ProtectionMeasure.objects.all(), user=user)


def measure_get_for_user(*, user, measure_id) -> ProtectionMeasure:
    return _get(measures_for_user(user=user).select_related("process__subject"), measure_id)


def measures_for_process_page(*, process) -> list[ProtectionMeasure]:
    """The latest measures of a process, without their notes."""
    queryset = ProtectionMeasure.objects.filter(process=process).defer("notes")
    return list(queryset[:PROCESS_PAGE_MEASURES])


def measures_granted_not_implemented_for_user(*, user) -> QuerySet[ProtectionMeasure]:
    """Measures granted but never implemented, oldest grant first: for advocacy."""
    return (
        measures_for_user(user=user)
        .filter(status=MeasureStatus.NOT_IMPLEMENTED)
        .select_related("process__subject")
        .defer("notes", "process__status_reason", "process__closing_summary")
        .order_by("granted_on", "pk")
    )


# --- Check-ins ---------------------------------------------------------------------------------


def checkins_for_user(*, user) -> QuerySet[CheckIn]:
    """Coordinación sees every check-in; others the ones they registered or must be alerted of."""
    if user.has_role(Role.COORDINATION):
        return CheckIn.objects.all()
    if user.has_role(Role.ACCOMPANIMENT):
        return CheckIn.objects.filter(
            Q(created_by=user)
            | Q(pk__in=CheckInContact.objects.filter(user=user).values("checkin_id"))
        )
    return CheckIn.objects.none()


def checkin_get_for_user(*, user, checkin_id) -> CheckIn:
    return _get(checkins_for_user(user=user).select_related("state", "created_by"), checkin_id)


def checkin_contacts_for_page(*, checkin: CheckIn) -> list[CheckInContact]:
    """The alert chain of a check-in, in order, with each person."""
    return list(CheckInContact.objects.filter(checkin=checkin).select_related("user"))


def checkins_open_for_list(*, user) -> QuerySet[CheckIn]:
    return (
        checkins_for_user(user=user)
        .filter(closed_at__isnull=True)
        .select_related("state", "created_by")
        .defer("municipality")
        .order_by("expected_at", "pk")
    )


# --- Plans -------------------------------------------------------------------------------------


def plans_for_user(*, user) -> QuerySet[SecurityPlan]:
    return in_process_scope(SecurityPlan.objects.all(), user=user)


def plan_get_for_user(*, user, plan_id) -> SecurityPlan:
    return _get(plans_for_user(user=user).select_related("process__subject"), plan_id)


def plans_for_process_page(*, process) -> list[SecurityPlan]:
    """The plans of a process, next review first."""
    queryset = SecurityPlan.objects.filter(process=process).order_by("review_on", "pk")
    return list(queryset[:PROCESS_PAGE_PLANS])


def plan_detail_rows(*, plan: SecurityPlan) -> dict[str, list]:
    """The plan page's measures and protocols, oldest first."""
    return {
        "measures": list(PlanMeasure.objects.filter(plan=plan)[:PLAN_PAGE_ITEMS]),
        "protocols": list(Protocol.objects.filter(plan=plan)[:PLAN_PAGE_ITEMS]),
    }


# --- The security section of a subject's page ---------------------------------------------------

SUBJECT_PAGE_PROCESSES = 20
SUBJECT_PAGE_MEASURES = 20


@dataclass(frozen=True)
class SubjectSecurityOverview:
    processes: list  # Process rows, each with latest_level/_score/_assessed_on/_assessment_id
    measures: list[ProtectionMeasure]  # active ones, not implemented first
    more_measures: bool
    open_checkins: int
    overdue_checkins: int  # open, and the alert chain has started


def subject_security_overview(*, subject, user, today: dt.date | None = None):
    """What the subject's page shows of security, within the user's scope; None for nothing.

    Scope is the security pages' own: the processes of the subject the user may open
    (team or coordinación) and the check-ins they may open. Three queries at most,
    whatever the number of processes, assessments and measures.
    """
    latest = RiskAssessment.objects.filter(process=OuterRef("pk")).order_by(
        "-assessed_on", "-created_at"
    )
    processes = list(
        processes_for_user(user=user)
        .filter(subject=subject)
        .annotate(
            latest_assessment_id=Subquery(latest.values("pk")[:1]),
            latest_level=Subquery(latest.values("level")[:1]),
            latest_score=Subquery(latest.values("score")[:1]),
            latest_assessed_on=Subquery(latest.values("assessed_on")[:1]),
        )
        .only("id", "subject_id", "kind", "status", "opened_on")
        .order_by("-opened_on", "pk")[:SUBJECT_PAGE_PROCESSES]
    )
    levels = dict(RiskLevel.choices)
    for process in processes:
        process.latest_level_label = levels.get(process.latest_level, "")
    measures: list[ProtectionMeasure] = []
    if processes:
        today = today or timezone.localdate()
        measures = list(
            ProtectionMeasure.objects.filter(
                process_id__in=[p.pk for p in processes], status__in=ACTIVE_MEASURE_STATUSES
            )
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
            .annotate(
                not_implemented_first=Case(
                    When(status=MeasureStatus.NOT_IMPLEMENTED, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .defer("notes")
            .order_by("not_implemented_first", "-granted_on", "pk")[: SUBJECT_PAGE_MEASURES + 1]
        )
    checkins = (
        checkins_for_user(user=user)
        .filter(subject=subject, closed_at__isnull=True)
        .aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(alerts_sent__gt=0)))
    )
    if not processes and not checkins["open"]:
        return None
    return SubjectSecurityOverview(
        processes=processes,
        measures=measures[:SUBJECT_PAGE_MEASURES],
        more_measures=len(measures) > SUBJECT_PAGE_MEASURES,
        open_checkins=checkins["open"],
        overdue_checkins=checkins["overdue"],
    )
