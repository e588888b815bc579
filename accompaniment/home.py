"""The hub's panels on the home page (aluna.core.home)."""

from django.urls import reverse
from django.utils import timezone

from .selectors.dashboard import ATTENTION_LISTS, attention_counts, sessions_due_for_user

HOME_LIMIT = 5


def attention_panel(request) -> dict:
    """How many running processes are on each attention list (one query)."""
    counts = attention_counts(user=request.user, today=timezone.localdate())
    base = reverse("accompaniment:attention")
    return {
        "lists": [(key, counts[key], f"{base}?list={key}") for key in ATTENTION_LISTS],
        "total": sum(counts.values()),
    }


def sessions_due_panel(request) -> dict:
    """The user's processes whose follow-up is due: a session to record."""
    processes = sessions_due_for_user(user=request.user, today=timezone.localdate())
    return {"rows": list(processes[:HOME_LIMIT]), "count": processes.count()}
