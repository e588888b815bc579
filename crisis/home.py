"""Crisis response's panels on the home page of the case roles (aluna.core.home)."""

from django.urls import reverse
from django.utils import timezone

from .selectors.interventions import crisis_board_for_user, follow_ups_due_for_user
from .selectors.response_times import response_time_rows

HOME_LIMIT = 5


def log_crisis_panel(request) -> dict:
    """The large "Log a crisis" button: the first thing a case role sees."""
    return {"url": reverse("crisis:crisis-create")}


def open_crises_panel(request) -> dict:
    crises = crisis_board_for_user(user=request.user)
    return {
        "rows": list(crises[:HOME_LIMIT]),
        "count": crises.count(),
        "now": timezone.now(),
        "url": reverse("crisis:crisis-board"),
    }


def follow_ups_due_panel(request) -> dict:
    """Follow-up contacts due by the end of today (overdue ones first)."""
    now = timezone.now()
    follow_ups = follow_ups_due_for_user(user=request.user, until=now)
    return {"rows": list(follow_ups[:HOME_LIMIT]), "count": follow_ups.count(), "now": now}


RESPONSE_PANEL_MONTHS = 6


def response_times_panel(request) -> dict:
    """Coordinación: the median hours to the first crisis contact over the last months."""
    from .views.response_times import default_period, median_chart

    start, end = default_period(RESPONSE_PANEL_MONTHS)
    rows = [
        row
        for row in response_time_rows(start=start, end=end, by="month", measures=("contact",))
        if row["contact"]
    ]
    return {
        "rows": rows,
        "chart": median_chart(rows, chart_id="home-response-month") if rows else "",
        "url": reverse("crisis:response-times"),
    }
