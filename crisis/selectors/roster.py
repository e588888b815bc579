"""Reads for the on-call roster.

Weeks run Monday to Sunday in the organisation's time zone (settings.TIME_ZONE,
America/Mexico_City): a crisis logged on Sunday at 23:30 local time belongs to
the week that started the Monday before, even though it is already Monday in UTC.
"""

from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from aluna.core.roles import Role

from ..models import OnCallShift

User = get_user_model()

ROSTER_ROLES = (Role.COORDINATION, Role.ACCOMPANIMENT)


def week_start_for(*, day: date) -> date:
    """The Monday of the week containing `day`."""
    return day - timedelta(days=day.weekday())


def local_week_start(*, at: datetime) -> date:
    """The Monday (local time) of the week containing the instant `at`."""
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    return week_start_for(day=timezone.localtime(at).date())


def on_call_for(*, at: datetime) -> list:
    """Who is on call at the instant `at`: the person on call first, then the
    fallbacks in roster order. Inactive users are skipped (they cannot act on
    an alert); an empty list means nobody is rostered that week."""
    shifts = (
        OnCallShift.objects.filter(week_start=local_week_start(at=at), user__is_active=True)
        .select_related("user")
        .order_by("position")
    )
    return [shift.user for shift in shifts]


def crisis_staff_choices() -> QuerySet:
    """Who can be put on call or on a crisis: active users with the coordination or
    accompaniment role."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[str(r) for r in ROSTER_ROLES])
        .distinct()
        .order_by("full_name", "email")
    )


def roster_weeks(*, start: date, weeks: int) -> list[tuple[date, list[OnCallShift]]]:
    """The roster from the week of `start` on, one entry per week (empty weeks
    included), in one query."""
    first = week_start_for(day=start)
    last = first + timedelta(weeks=weeks - 1)
    by_week: dict[date, list[OnCallShift]] = {first + timedelta(weeks=i): [] for i in range(weeks)}
    shifts = (
        OnCallShift.objects.filter(week_start__gte=first, week_start__lte=last)
        .select_related("user")
        .order_by("week_start", "position")
    )
    for shift in shifts:
        by_week.setdefault(shift.week_start, []).append(shift)
    return sorted(by_week.items())


def shift_get(*, shift_id) -> OnCallShift:
    try:
        return OnCallShift.objects.select_related("user").get(pk=shift_id)
    except (OnCallShift.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
