"""Security entries of the process timeline (registered from SecurityConfig.ready)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accompaniment.timeline import TimelineEntry

from .models import ProtectionMeasure, RiskAssessment


def _day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def risk_assessment_entries(*, process, user, since=None, limit=None):
    rows = RiskAssessment.objects.filter(process=process).order_by("-assessed_on", "-created_at")
    if since is not None:
        rows = rows.filter(assessed_on__gte=timezone.localdate(since))
    rows = rows.only("id", "process_id", "assessed_on", "level", "score")
    for row in rows[:limit] if limit else rows:
        yield TimelineEntry(
            when=_day(row.assessed_on),
            kind="risk",
            title=_("Risk assessment · %(level)s") % {"level": row.get_level_display()},
            url=reverse("security:assessment-detail", kwargs={"assessment_id": row.pk}),
            detail=_("Score %(score)s") % {"score": row.score},
        )


def protection_measure_entries(*, process, user, since=None, limit=None):
    rows = ProtectionMeasure.objects.filter(process=process).order_by("-granted_on", "-created_at")
    if since is not None:
        rows = rows.filter(granted_on__gte=timezone.localdate(since))
    rows = rows.only("id", "process_id", "granted_on", "kind", "source", "status")
    for row in rows[:limit] if limit else rows:
        yield TimelineEntry(
            when=_day(row.granted_on),
            kind="protection",
            title=_("Protection measure · %(kind)s") % {"kind": row.get_kind_display()},
            url=reverse("security:measure-edit", kwargs={"measure_id": row.pk}),
            detail=f"{row.get_source_display()} · {row.get_status_display()}",
        )
