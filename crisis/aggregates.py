"""Numbers for the advocacy team's donor reports: counts by category, never a case.

Advocacy imports these (never the reverse). Every function takes the period and
returns `{category code: count}` computed with one GROUP BY in the database; the
`*_labels()` functions give the words for those codes. No name, place, free text
or identifier leaves this module.
"""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Greatest, TruncDate, TruncMonth
from django.utils import timezone

from accompaniment.aggregates import region_expression, region_labels
from accompaniment.models import AggressionType, Perpetrator, Process, ProcessKind, RiskLevel
from aluna.core.aggregates import count_by, period_bounds

from .models import CrisisIntervention


def _interventions(*, start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return CrisisIntervention.objects.filter(contacted_at__gte=low, contacted_at__lt=high)


def interventions_by_risk_level(*, start: dt.date, end: dt.date) -> dict:
    """Crisis interventions contacted in the period, by risk level."""
    return count_by(_interventions(start=start, end=end), "risk_level")


def interventions_by_aggression_type(*, start: dt.date, end: dt.date) -> dict:
    """Crisis interventions in the period, by type of the aggression (one may have several)."""
    crises = _interventions(start=start, end=end).filter(aggression__types__isnull=False)
    return count_by(crises, "aggression__types")


def interventions_by_perpetrator(*, start: dt.date, end: dt.date) -> dict:
    """Crisis interventions in the period, by perpetrator (one may have several)."""
    crises = _interventions(start=start, end=end).filter(aggression__perpetrators__isnull=False)
    return count_by(crises, "aggression__perpetrators")


def risk_level_labels() -> dict:
    return dict(RiskLevel.choices)


def aggression_type_labels() -> dict:
    return {entry.pk: entry.label for entry in AggressionType.objects.all()}


def perpetrator_labels() -> dict:
    return {entry.pk: entry.label for entry in Perpetrator.objects.all()}


def interventions_by_aggression_type_and_region(*, start: dt.date, end: dt.date) -> dict:
    """`{(aggression type pk, region code): count}` of the period's crisis interventions
    with an aggression; a crisis whose aggression has several types counts in each."""
    rows = (
        _interventions(start=start, end=end)
        .filter(aggression__types__isnull=False)
        .annotate(region=region_expression("aggression__state__code"))
        .order_by()
        .values_list("aggression__types", "region")
        .annotate(n=Count("pk", distinct=True))
    )
    return {(kind, region): n for kind, region, n in rows}


# --- response times ---------------------------------------------------------------------------
#
# Two delays, in hours, over the crisis interventions contacted in the period:
#
# - "contact": from the aggression to the first crisis contact about it (only the
#   first crisis of each aggression counts). The clock starts when the aggression
#   happened; when its date is only approximate, when the team recorded it (the
#   first contact about it). A contact logged before that counts as 0 hours.
# - "process": from the crisis contact to the opening of a long accompaniment
#   (organisational strengthening) process for the same subject, on or after the
#   crisis day. The opening is a date: it counts from the start of that day (0 when
#   the process opened on the crisis day). Crises with no such process yet are left out.
#
# Median and 90th percentile are computed by PostgreSQL (percentile_cont), one
# query per breakdown, whatever the number of cases.

MEASURES = ("contact", "process")
BREAKDOWNS = ("month", "region", "aggression_type", "risk_level")


def response_target_hours() -> float:
    """The target for the first crisis contact (CRISIS_RESPONSE_TARGET_HOURS, default 2):
    help desks such as Access Now's commit to acknowledging within 2 hours."""
    return float(getattr(settings, "CRISIS_RESPONSE_TARGET_HOURS", 2))


class Percentile(Aggregate):
    """percentile_cont(fraction) WITHIN GROUP (ORDER BY expression), a float."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, *, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def _hours(later, earlier) -> Func:
    """Hours from `earlier` to `later`, never below 0."""
    seconds = Func(
        later - earlier, template="EXTRACT(EPOCH FROM %(expressions)s)", output_field=FloatField()
    )
    return Greatest(seconds / Value(3600.0), Value(0.0), output_field=FloatField())


def _local_midnight(date_expression) -> Func:
    """A date expression as the first instant of that day in the site's timezone."""
    return Func(
        date_expression,
        Value(settings.TIME_ZONE),
        template="((%(expressions)s))",
        arg_joiner=")::timestamp AT TIME ZONE (",
        output_field=DateTimeField(),
    )


def _aggression_start() -> Case:
    return Case(
        When(aggression__is_approximate=True, then=F("aggression__created_at")),
        default=F("aggression__occurred_at"),
        output_field=DateTimeField(),
    )


def first_contacts(*, start: dt.date, end: dt.date) -> QuerySet[CrisisIntervention]:
    """The period's crisis interventions that are the first about their aggression,
    annotated with `hours` since the aggression."""
    earlier = CrisisIntervention.objects.filter(aggression=OuterRef("aggression")).filter(
        Q(contacted_at__lt=OuterRef("contacted_at"))
        | Q(contacted_at=OuterRef("contacted_at"), pk__lt=OuterRef("pk"))
    )
    low, high = period_bounds(start, end)
    return (
        CrisisIntervention.objects.filter(
            contacted_at__gte=low, contacted_at__lt=high, aggression__isnull=False
        )
        .filter(~Exists(earlier))
        .annotate(hours=_hours(F("contacted_at"), _aggression_start()))
    )


def crises_with_long_process(*, start: dt.date, end: dt.date) -> QuerySet[CrisisIntervention]:
    """The period's crisis interventions whose subject had a long process opened on or
    after the crisis day, annotated with `hours` from the contact to that opening."""
    opened = (
        Process.objects.filter(
            subject_id=OuterRef("process__subject_id"),
            kind=ProcessKind.STRENGTHENING,
            opened_on__gte=OuterRef("contacted_day"),
        )
        .order_by("opened_on")
        .values("opened_on")[:1]
    )
    low, high = period_bounds(start, end)
    return (
        CrisisIntervention.objects.filter(contacted_at__gte=low, contacted_at__lt=high)
        .annotate(contacted_day=TruncDate("contacted_at"))
        .annotate(opened_on=Subquery(opened))
        .filter(opened_on__isnull=False)
        .annotate(hours=_hours(_local_midnight(F("opened_on")), F("contacted_at")))
    )


_MEASURE_QUERYSETS = {"contact": first_contacts, "process": crises_with_long_process}


def _breakdown_key(by: str):
    if by == "month":
        return TruncMonth("contacted_at")
    if by == "region":
        return region_expression("aggression__state__code")
    if by == "aggression_type":
        return F("aggression__types")
    if by == "risk_level":
        return F("risk_level")
    raise ValueError(f"Unknown breakdown {by!r}.")


def response_times(*, start: dt.date, end: dt.date, measure: str, by: str | None = None):
    """`{key: {"cases", "median", "p90"}}` of one measure ("contact" or "process"),
    broken down by one of BREAKDOWNS (the key is None for the whole period when
    `by` is None). One query. A crisis whose aggression has several types counts
    in each; month keys are the first day of the month (a date)."""
    if connection.vendor != "postgresql":
        # percentile_cont and EXTRACT(EPOCH): PostgreSQL only (the demo's SQLite shows none).
        return {}
    queryset = _MEASURE_QUERYSETS[measure](start=start, end=end).order_by()
    figures = {
        "cases": Count("pk", distinct=True),
        "median": Percentile("hours", fraction=0.5),
        "p90": Percentile("hours", fraction=0.9),
    }
    if by is None:
        row = queryset.aggregate(**figures)
        return {None: row} if row["cases"] else {}
    rows = queryset.annotate(key=_breakdown_key(by)).values("key").annotate(**figures)
    result = {}
    for row in rows:
        key = row["key"]
        if isinstance(key, dt.datetime):
            key = timezone.localtime(key).date() if timezone.is_aware(key) else key.date()
        result[key] = {name: row[name] for name in figures}
    return result


def breakdown_labels(by: str) -> dict:
    """The words for the keys of `response_times(by=...)` (month keys format themselves)."""
    if by == "region":
        return region_labels()
    if by == "aggression_type":
        return aggression_type_labels()
    if by == "risk_level":
        return risk_level_labels()
    return {}
