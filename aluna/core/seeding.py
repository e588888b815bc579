"""Demo and benchmark data: a registry every app, accounts included, plugs its seeder into.

`aluna.core` imports no other app, so each app registers its seeder from its
AppConfig.ready(); the demo users come first (aluna.accounts.seeding, order 0):

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

from django.db import transaction
from faker import Faker

SCALES = ("small", "large")
RNG_SEED = 20130101  # fixed: the same demo data on every machine and every run
DEMO_DOMAIN = "demo.aluna.mx"
LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"

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


def seed_all(*, scale: str, seed: int = RNG_SEED, log: Callable[[str], None] = print) -> None:
    """Run every registered seeder in order (the users first), in one transaction."""
    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}; use one of {SCALES}.")
    with transaction.atomic():
        for seeder in registered_seeders():
            # Each seeder gets its own generator so adding one does not reshuffle the others.
            seeder.func(scale=scale, rng=random.Random(f"{seed}:{seeder.name}"))
            log(seeder.name)
