"""Advocacy's panel on the advocacy team's home page (aluna.core.home)."""

from django.urls import reverse
from django.utils import timezone

from .selectors import report_dues_upcoming

HOME_LIMIT = 5


def reports_due_panel(request) -> dict:
    """Donor reports due in the next three months, and the two actions of the day."""
    dues = report_dues_upcoming(user=request.user, today=timezone.localdate())
    return {
        "rows": list(dues[:HOME_LIMIT]),
        "count": dues.count(),
        "output_url": reverse("advocacy:output-create"),
        "report_url": reverse("advocacy:report-create"),
    }
