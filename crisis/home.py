"""Crisis response's panels on the home page of the case roles (aluna.core.home)."""

from django.urls import reverse
from django.utils import timezone

from .selectors.interventions import crisis_board_for_user, follow_ups_due_for_user

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
