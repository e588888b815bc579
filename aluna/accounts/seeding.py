"""The demo users: one per role, and for the "large" scale many more staff accounts.

Registered first in aluna.core.seeding's registry (AccountsConfig.ready, order 0),
so every other app's seeder finds them.
"""

import random
from dataclasses import dataclass

from django.contrib.auth.models import Group
from faker import Faker

from aluna.core.roles import Role
from aluna.core.seeding import DEMO_DOMAIN, LOGIN_URL, make_faker

from .factories import DEFAULT_PASSWORD, UserFactory
from .models import User

__all__ = [
    "DEMO_DOMAIN",
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "LARGE_EXTRA_USERS",
    "LOGIN_URL",
    "DemoUser",
    "demo_user",
    "seed_users",
]

# How many extra staff accounts `--scale large` adds (bench: user lists, assignment pickers).
LARGE_EXTRA_USERS = 200
SEEDER_ORDER = 0  # before every app that assigns records to these users


@dataclass(frozen=True)
class DemoUser:
    key: str  # stable handle for tests and the bench ("coordinator", "accompanier2", ...)
    role: Role
    email: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", Role.ADMINISTRATION, f"administracion@{DEMO_DOMAIN}"),
    DemoUser("coordinator", Role.COORDINATION, f"coordinacion@{DEMO_DOMAIN}"),
    DemoUser("accompanier1", Role.ACCOMPANIMENT, f"acompanamiento1@{DEMO_DOMAIN}"),
    DemoUser("accompanier2", Role.ACCOMPANIMENT, f"acompanamiento2@{DEMO_DOMAIN}"),
    DemoUser("accompanier3", Role.ACCOMPANIMENT, f"acompanamiento3@{DEMO_DOMAIN}"),
    DemoUser("trainer", Role.TRAINING, f"formacion@{DEMO_DOMAIN}"),
    DemoUser("advocate", Role.ADVOCACY, f"incidencia@{DEMO_DOMAIN}"),
)
DEMO_PASSWORD = DEFAULT_PASSWORD


def demo_user(key: str) -> DemoUser:
    for entry in DEMO_USERS:
        if entry.key == key:
            return entry
    raise KeyError(key)


def seed_users(*, scale: str, rng: random.Random) -> list[User]:
    """Create the demo user of each role, and for "large" the extra staff; idempotent."""
    fake = make_faker(seed=rng.randrange(2**32))
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    users = []
    for entry in DEMO_USERS:
        full_name = f"{fake.first_name()} {fake.last_name()}"  # drawn every time: later names stay
        user = User.objects.filter(email=entry.email).first()
        if user is None:
            user = UserFactory(email=entry.email, full_name=full_name, is_staff=False)
        # Re-add the role even for an existing user: someone may have edited it in the demo.
        user.groups.add(groups[entry.role])
        users.append(user)
    if scale == "large":
        _seed_extra_staff(fake=fake, rng=rng, groups=groups)
    return users


def _seed_extra_staff(*, fake: Faker, rng: random.Random, groups: dict[str, Group]) -> None:
    """Many staff accounts at once: one bulk insert for users, one for their roles."""
    emails = [f"persona{n:04d}@{DEMO_DOMAIN}" for n in range(1, LARGE_EXTRA_USERS + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    # Mostly accompaniers, as in the organisation; a few of every other role.
    weights = {
        Role.ACCOMPANIMENT: 6,
        Role.TRAINING: 2,
        Role.ADVOCACY: 1,
        Role.COORDINATION: 1,
    }
    new_users, memberships = [], []
    through = User.groups.through
    for email in emails:
        full_name = f"{fake.first_name()} {fake.last_name()}"
        role = rng.choices(list(weights), weights=list(weights.values()))[0]
        if email in existing:
            continue
        user = UserFactory.build(email=email, full_name=full_name)
        new_users.append(user)
        memberships.append(through(user_id=user.pk, group_id=groups[role].pk))
    User.objects.bulk_create(new_users, batch_size=500)
    through.objects.bulk_create(memberships, batch_size=1000, ignore_conflicts=True)
