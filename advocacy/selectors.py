"""Read side of advocacy. Incidencia and coordinación see every advocacy record:
they hold no case data, only the team's outputs, grants and suppressed figures."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import AdvocacyOutput, DonorReport, Grant, ReportDue


def outputs_for_list_page(*, user, filters: dict | None) -> QuerySet[AdvocacyOutput]:
    """The outputs the list shows: all, filtered by `filters` (OutputFilterForm.filters());
    none when the filters did not validate (`None`)."""
    if filters is None:
        return AdvocacyOutput.objects.none()
    return (
        _outputs_filtered(**filters).prefetch_related("areas", "states").order_by("-date", "title")
    )


def _outputs_filtered(
    *, query: str = "", kind: str = "", area=None, state=None, date_from=None, date_to=None
) -> QuerySet[AdvocacyOutput]:
    qs = AdvocacyOutput.objects.all()
    if query:
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(description__icontains=query)
            | Q(audiences__icontains=query)
            | Q(outcome__icontains=query)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if area is not None:
        qs = qs.filter(areas=area)
    if state is not None:
        qs = qs.filter(states=state)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs


def output_get(*, user, output_id) -> AdvocacyOutput:
    return get_object_or_404(
        AdvocacyOutput.objects.prefetch_related("areas", "states"), pk=output_id
    )


def grants_for_list_page(*, user):
    return (
        Grant.objects.select_related("donor")
        .annotate(due_count=Count("due_dates"))
        .order_by("-start", "project")
    )


def grant_get(*, user, grant_id) -> Grant:
    return get_object_or_404(Grant.objects.select_related("donor"), pk=grant_id)


def report_dues_of(*, grant: Grant, limit: int = 50) -> list[ReportDue]:
    """The grant's reporting schedule, soonest first (a grant holds at most a few dozen)."""
    return list(grant.due_dates.order_by("due_on")[:limit])


def reports_for_list_page(*, user):
    return (
        DonorReport.objects.select_related("grant__donor")
        .defer(
            "pdf_encrypted",
            "tables",
            "narrative_context",
            "narrative_results",
            "narrative_challenges",
        )
        .order_by("-created_at")
    )


def report_get(*, user, report_id) -> DonorReport:
    return get_object_or_404(DonorReport.objects.select_related("grant__donor"), pk=report_id)


def report_status_get(*, user, report_id) -> DonorReport:
    """What the PDF's status box shows: no narrative (nothing to decrypt on each poll)."""
    return get_object_or_404(
        DonorReport.objects.defer("narrative_context", "narrative_results", "narrative_challenges"),
        pk=report_id,
    )


def report_dues_upcoming(*, user, today, days: int = 90) -> QuerySet[ReportDue]:
    """Donor reports due from today to `days` ahead, soonest first, with their grant."""
    return (
        ReportDue.objects.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=days))
        .select_related("grant__donor")
        .order_by("due_on", "pk")
    )
