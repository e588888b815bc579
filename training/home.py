"""Training's panel on the trainers' home page (aluna.core.home)."""

from django.urls import reverse
from django.utils import timezone

from .selectors import sessions_on_day_for_user


def sessions_today_panel(request) -> dict:
    """Today's sessions of the trainer's cohorts, each one tap from taking attendance."""
    sessions = list(sessions_on_day_for_user(user=request.user, day=timezone.localdate()))
    return {"rows": sessions, "count": len(sessions), "url": reverse("training:index")}
