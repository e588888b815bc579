"""Demo and benchmark data: the users here, every other app's data through a registry.

`aluna` imports no domain app, so each domain app registers its seeder from
its AppConfig.ready():

    from aluna.core.seeding import register_seeder

    register_seeder("accompaniment", seed_accompaniment, order=10)

A seeder is `func(*, scale: str, rng: random.Random)`. It must be idempotent:
running `seed_demo` twice adds nothing the second time (key rows on fixed
values, or check a count first). `scale` is "small" (a demo to click through)
or "large" (the benchmark: ~10,000 subjects, 20,000 processes, 200,000 sessions).

Every name and address comes from Faker("es_MX") with a fixed seed; no real
person's data is ever used for demo records.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from faker import Faker

from aluna.accounts.factories import DEFAULT_PASSWORD, UserFactory
from aluna.accounts.models import User
from aluna.accounts.roles import Role

SCALES = ("small", "large")
RNG_SEED = 20130101  # fixed: the same demo data on every machine and every run
DEMO_DOMAIN = "demo.aluna.mx"
LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"
# How many extra staff accounts `--scale large` adds (bench: user lists, assignment pickers).
LARGE_EXTRA_USERS = 200


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


SeederFunc = Callable[..., None]


@dataclass(frozen=True)
class Seeder:
    name: str
    func: SeederFunc
    order: int


_registry: dict[str, Seeder] = {}


def register_seeder(name: str, func: SeederFunc, order: int = 100) -> None:
    """Add (or replace, by name) an app's seeder; ready() may run more than once."""
    _registry[name] = Seeder(name=name, func=func, order=order)


def registered_seeders() -> list[Seeder]:
    return sorted(_registry.values(), key=lambda s: (s.order, s.name))


def make_faker(*, seed: int = RNG_SEED) -> Faker:
    fake = Faker("es_MX")
    fake.seed_instance(seed)
    return fake


def seed_users(*, scale: str, rng: random.Random) -> list[User]:
    """Create the demo user of each role, and for "large" the extra staff; idempotent."""
    fake = make_faker(seed=rng.randrange(2**32))
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    users = []
    for entry in DEMO_USERS:
        full_name = fake.name()  # drawn every time so later names do not shift
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
        full_name = fake.name()
        role = rng.choices(list(weights), weights=list(weights.values()))[0]
        if email in existing:
            continue
        user = UserFactory.build(email=email, full_name=full_name)
        new_users.append(user)
        memberships.append(through(user_id=user.pk, group_id=groups[role].pk))
    User.objects.bulk_create(new_users, batch_size=500)
    through.objects.bulk_create(memberships, batch_size=1000, ignore_conflicts=True)


def seed_all(*, scale: str, seed: int = RNG_SEED, log: Callable[[str], None] = print) -> None:
    """Seed the users, then every registered seeder in order, in one transaction."""
    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}; use one of {SCALES}.")
    with transaction.atomic():
        seed_users(scale=scale, rng=random.Random(seed))
        log("users")
        for seeder in registered_seeders():
            # Each seeder gets its own generator so adding one does not reshuffle the others.
            seeder.func(scale=scale, rng=random.Random(f"{seed}:{seeder.name}"))
            log(seeder.name)
