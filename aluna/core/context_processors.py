from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import items_for, menu_for, quick_actions_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": SimpleLazyObject(lambda: items_for(user) if user is not None else []),
        "nav_menu": SimpleLazyObject(lambda: menu_for(user) if user is not None else []),
        "quick_actions": SimpleLazyObject(
            lambda: quick_actions_for(user) if user is not None else []
        ),
        "mfa_disabled_banner": settings.DEBUG and not settings.MFA_REQUIRED,
    }
