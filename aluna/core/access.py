"""Role checks for views. Deny by default: a view names the roles it admits.

Record-level scope (team membership, ...) lives in each app's selectors;
objects come through selectors that return 404 for "exists, but not yours".
"""

from functools import wraps

from django.core.exceptions import PermissionDenied


def role_required(*roles):
    """Admit the user only when they hold one of `roles`; otherwise 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_roles = frozenset(str(r) for r in roles)
        return wrapper

    return decorator
