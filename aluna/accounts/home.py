"""Administration's panel on its home page (aluna.core.home)."""

from django.urls import reverse

from .selectors import users_overview


def users_panel(request) -> dict:
    """Active accounts and invitations still waiting (one query)."""
    return {**users_overview(), "url": reverse("accounts:user-list")}
