"""seed_demo: one demo user per role, idempotent, and the registry domain apps plug into."""

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from aluna.accounts import seeding as demo
from aluna.accounts.models import User
from aluna.core import seeding
from aluna.core.roles import Role
from crisis.selectors.interventions import crises_for_user, crisis_board_for_user
from security.selectors import (
    checkins_open_for_list,
    measures_for_user,
    plans_for_user,
    risk_assessments_for_user,
)


def _seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, int, int]:
    return (
        User.objects.count(),
        User.groups.through.objects.count(),
        Group.objects.count(),
    )


@pytest.fixture
def empty_registry(monkeypatch):
    """Only the demo users and the seeders a test registers itself run (not the domain apps')."""
    monkeypatch.setattr(seeding, "_registry", {"users": seeding._registry["users"]})


@pytest.mark.django_db
def test_operator_can_seed_demo_twice_without_duplicates():
    _seed("--scale", "small")
    after_first = _counts()

    _seed("--scale", "small")

    assert _counts() == after_first
    assert after_first[0] == len(demo.DEMO_USERS)


@pytest.mark.django_db
def test_every_role_has_a_demo_user_who_can_log_in():
    _seed()

    for role in Role:
        holders = User.objects.filter(groups__name=role, email__endswith="@demo.aluna.mx")
        assert holders.exists(), role
    coordinator = User.objects.get(email="coordinacion@demo.aluna.mx")
    assert coordinator.check_password(demo.DEMO_PASSWORD) is True
    assert coordinator.role_codes == frozenset({Role.COORDINATION.value})
    assert User.objects.filter(groups__name=Role.ACCOMPANIMENT).count() == 3


@pytest.mark.django_db
def test_operator_can_read_each_demo_login_in_the_output():
    output = _seed()

    lines = [line for line in output.splitlines() if "@demo.aluna.mx" in line]
    listed = {
        (e.role.label, e.email)
        for e in demo.DEMO_USERS
        for line in lines
        if e.email in line and str(e.role.label) in line
    }
    assert listed == {(e.role.label, e.email) for e in demo.DEMO_USERS}
    assert len(lines) == len(demo.DEMO_USERS)
    assert output.count(demo.DEMO_PASSWORD) == len(demo.DEMO_USERS)
    assert "http://127.0.0.1:8000/accounts/login/" in output


@pytest.mark.django_db
def test_demo_user_names_are_invented_and_stable():
    with transaction.atomic():
        _seed()
        names = dict(User.objects.values_list("email", "full_name"))
        transaction.set_rollback(True)  # as if on another machine
    assert User.objects.count() == 0

    _seed()

    assert dict(User.objects.values_list("email", "full_name")) == names
    assert all(names.values())


@pytest.mark.django_db
def test_operator_can_seed_large_scale_staff_idempotently(empty_registry):
    _seed("--scale", "large")
    after_first = _counts()

    _seed("--scale", "large")

    assert _counts() == after_first
    assert after_first[0] == len(demo.DEMO_USERS) + demo.LARGE_EXTRA_USERS
    # Every bulk-created account holds exactly one role.
    extra = User.objects.filter(email__startswith="persona")
    assert User.groups.through.objects.filter(user__in=extra).count() == extra.count()


@pytest.mark.django_db
def test_registered_seeders_run_in_order_after_the_users(empty_registry):
    calls = []

    def seed_late(*, scale, rng):
        calls.append(("late", scale, User.objects.count()))

    def seed_early(*, scale, rng):
        calls.append(("early", scale, User.objects.count()))

    seeding.register_seeder("late", seed_late, order=20)
    seeding.register_seeder("early", seed_early, order=10)
    seeding.register_seeder("early", seed_early, order=10)  # ready() may run twice

    _seed("--scale", "small")

    users = len(demo.DEMO_USERS)
    assert calls == [("early", "small", users), ("late", "small", users)]


@pytest.mark.django_db
def test_each_seeder_gets_the_same_random_stream_on_every_run(empty_registry):
    draws = []
    seeding.register_seeder("probe", lambda *, scale, rng: draws.append(rng.random()))

    _seed()
    _seed()

    assert len(draws) == 2
    assert draws[0] == draws[1]


@pytest.mark.django_db
def test_operator_cannot_seed_demo_accounts_in_production(settings):
    settings.DEBUG = False
    settings.TESTING = False

    with pytest.raises(CommandError):
        _seed()

    assert User.objects.count() == 0


# Crisis, security and training evaluations: every seeder through the command.
SEEDED_MODELS = (
    "crisis.Aggression",
    "crisis.CrisisIntervention",
    "crisis.CrisisAlert",
    "crisis.CrisisFollowUp",
    "security.RiskAssessment",
    "security.Threat",
    "security.RiskFactor",
    "security.ProtectionMeasure",
    "security.SecurityPlan",
    "security.PlanMeasure",
    "security.Protocol",
    "security.CheckIn",
    "security.CheckInContact",
    "training.Response",
    "training.Answer",
)


def _app_counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in SEEDED_MODELS}


@pytest.mark.django_db
def test_operator_can_seed_crises_security_and_evaluations_twice_without_duplicates():
    _seed("--scale", "small")
    after_first = _app_counts()

    _seed("--scale", "small")

    assert _app_counts() == after_first
    assert [label for label, count in after_first.items() if count == 0] == []


@pytest.mark.django_db
def test_demo_accompanier_and_coordinator_find_crisis_and_security_records():
    _seed("--scale", "small")

    for key in ("accompanier1", "coordinator"):
        user = User.objects.get(email=demo.demo_user(key).email)
        found = {
            "open crises": crisis_board_for_user(user=user).exists(),
            "closed crises": crises_for_user(user=user).filter(status="closed").exists(),
            "risk assessments": risk_assessments_for_user(user=user).exists(),
            "measures": measures_for_user(user=user).exists(),
            "plans": plans_for_user(user=user).exists(),
            "open check-ins": checkins_open_for_list(user=user).exists(),
        }
        assert found == dict.fromkeys(found, True), key
