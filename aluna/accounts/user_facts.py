"""What every page reads about the signed-in user, in one query per request.

The second-factor middleware reads, on every signed-in request, whether the user
has a TOTP; every view's role check then reads the user's roles, and every page's
header the unread notifications. Each was a query of its own. `load_user_facts`
brings them in one: the TOTP and the roles here, and whatever other apps register
with `register_user_fact` (a name and a subquery on the user's row). Everything is
read fresh from the database on every request and kept on that request's user
object only: nothing is cached across requests or users.
"""

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.db.models import Exists, Expression, OuterRef, StringAgg, Value

from .models import User

ROLE_SEPARATOR = "\n"
_FACTS: dict[str, Callable[[], Expression]] = {}
_ATTRIBUTE = "_aluna_user_facts"


def register_user_fact(name: str, expression: Callable[[], Expression]) -> None:
    """Load `expression()` (a subquery on OuterRef("pk")) with the user on every request."""
    _FACTS[name] = expression


def load_user_facts(user) -> bool:
    """Read the user's facts for this request; returns whether they have a TOTP."""
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            has_totp=Exists(totp),
            role_names=StringAgg("groups__name", delimiter=Value(ROLE_SEPARATOR), default=""),
            **{f"fact_{name}": expression() for name, expression in _FACTS.items()},
        )
        .values("has_totp", "role_names", *(f"fact_{name}" for name in _FACTS))
        .first()
    )
    if row is None:
        return False
    names = row["role_names"]
    user.prime_role_codes(names.split(ROLE_SEPARATOR) if names else [])
    setattr(user, _ATTRIBUTE, {name: row[f"fact_{name}"] for name in _FACTS})
    return row["has_totp"]


def user_fact(user, name: str, default=None):
    """A fact loaded with the user for this request, or `default` if it was not loaded."""
    return getattr(user, _ATTRIBUTE, {}).get(name, default)


def forget_user_fact(user, name: str) -> None:
    """After a change in this request, make readers query the fact again."""
    getattr(user, _ATTRIBUTE, {}).pop(name, None)
