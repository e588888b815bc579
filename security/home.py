"""Security's panel on the home page of coordination (aluna.core.home)."""

from django.urls import reverse

from .selectors import measures_granted_not_implemented_for_user


def measures_pending_panel(request) -> dict | None:
    """Protection measures granted but not yet implemented: left out when there is none."""
    count = measures_granted_not_implemented_for_user(user=request.user).count()
    if not count:
        return None
    return {"count": count, "url": reverse("security:measures-not-implemented")}
