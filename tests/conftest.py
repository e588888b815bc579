"""The fixed cast of users and the shared fixtures.

Fixtures that start real services (Celery worker, browser) live in
tests/fixtures/ and are loaded as plugins here.
"""

import uuid

import pytest
from django.conf import settings as django_settings
from hypothesis import settings as hypothesis_settings
from hypothesis.internal.detection import is_hypothesis_test

from aluna.accounts.factories import UserFactory
from aluna.core.roles import Role

pytest_plugins = [
    "tests.fixtures.mfa",
    "tests.fixtures.celery_worker",
    "tests.fixtures.browser",
    "tests.fixtures.seeded",
]

# Property tests (hypothesis) are reproduced by their seed, which scripts/test chooses
# for every run and passes to every xdist worker as --hypothesis-seed. A failure also
# prints the @reproduce_failure line that replays the failing example alone. No
# example database: a run depends on its seed only, not on what an earlier run left.
hypothesis_settings.register_profile("aluna", print_blob=True, database=None)
hypothesis_settings.load_profile("aluna")


def _hypothesis_seed(config):
    return config.getoption("--hypothesis-seed", default=None)


def pytest_report_header(config):
    seed = _hypothesis_seed(config)
    if seed is None:
        return "hypothesis seed: none fixed, each property test draws its own (make test fixes one)"
    return f"hypothesis seed: {seed} (re-run with HYPOTHESIS_SEED={seed})"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Tell how to reproduce a failed property test."""
    report = yield
    if report.failed and is_hypothesis_test(getattr(item, "obj", None)):
        seed = _hypothesis_seed(item.config)
        if seed is None:
            how = (
                "No hypothesis seed was fixed for this run: use the @reproduce_failure line\n"
                "above, or run `make test` (it fixes and prints one)."
            )
        else:
            how = (
                f"Reproduce with HYPOTHESIS_SEED={seed} make test\n"
                f"This test alone: .venv/bin/pytest --hypothesis-seed={seed} '{item.nodeid}'"
            )
        report.sections.append(("Reproduce this hypothesis failure", f"{how}\nTest: {item.nodeid}"))
    return report


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Give every test its own key prefix in the real Redis cache.

    Rate-limit counters (failed logins) and used TOTP codes live there: one
    test, or an earlier run, must never lock out another. Never clear the
    cache instead: the Celery broker shares that Redis.
    """
    caches = {name: dict(config) for name, config in django_settings.CACHES.items()}
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture(scope="session")
def _anchor_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("audit-anchors")


@pytest.fixture(autouse=True)
def _isolated_audit_anchor(settings, _anchor_folder):
    """Every test appends its audit anchors to a file of its own (created on first use)."""
    settings.AUDIT_ANCHOR_PATH = str(_anchor_folder / f"{uuid.uuid4().hex}.log")
    settings.AUDIT_ANCHOR_SYSLOG = ""


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server", "celery_worker"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _data_from_migrations(request):
    """Roles and catalogues come from data migrations; a transactional test's
    flush (browser, worker) empties them for the next one. Load them again
    (both loaders are idempotent) before every transactional test."""
    if not _is_transactional(request):
        return
    from importlib import import_module

    from django.apps import apps

    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        import_module("aluna.accounts.migrations.0002_roles").create_roles(apps, None)
        import_module("accompaniment.migrations.0002_load_catalogues").load_catalogues(apps, None)


def forget_used_totp_code(user, code: str) -> None:
    """allauth refuses a TOTP code twice within its period; a test that logs
    in twice in a row forgets the first use, as 30 seconds passing would."""
    from allauth.mfa.models import Authenticator
    from django.core.cache import cache

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    cache.delete(f"allauth.mfa.totp.used?user={authenticator.user_id}&code={code}")


@pytest.fixture
def admin_user(db):
    """Ana, administración: manages users and catalogues."""
    return UserFactory(
        email="ana@aluna.test", full_name="Ana Administradora", roles=[Role.ADMINISTRATION]
    )


@pytest.fixture
def coordinator(db):
    """Carmen, coordinación: sees all of accompaniment and security."""
    return UserFactory(
        email="carmen@aluna.test", full_name="Carmen Coordinadora", roles=[Role.COORDINATION]
    )


@pytest.fixture
def accompanier(db):
    """Pablo, acompañamiento: a psychologist who sees only his team's cases."""
    return UserFactory(
        email="pablo@aluna.test", full_name="Pablo Psicólogo", roles=[Role.ACCOMPANIMENT]
    )


@pytest.fixture
def other_accompanier(db):
    """Olga, acompañamiento, on other teams: the non-member."""
    return UserFactory(email="olga@aluna.test", full_name="Olga Otra", roles=[Role.ACCOMPANIMENT])


@pytest.fixture
def trainer(db):
    """Tomás, formación: sees training only."""
    return UserFactory(
        email="tomas@aluna.test", full_name="Tomás Tallerista", roles=[Role.TRAINING]
    )


@pytest.fixture
def advocate(db):
    """Inés, incidencia: outputs and aggregate figures, never identities."""
    return UserFactory(email="ines@aluna.test", full_name="Inés Incidencia", roles=[Role.ADVOCACY])


@pytest.fixture
def outsider(db):
    """Olivia has an account but no role at all."""
    return UserFactory(email="olivia@aluna.test", full_name="Olivia Sinrol", roles=[])


@pytest.fixture
def cast(admin_user, coordinator, accompanier, other_accompanier, trainer, advocate, outsider):
    return {
        "admin": admin_user,
        "coordinator": coordinator,
        "accompanier": accompanier,
        "other_accompanier": other_accompanier,
        "trainer": trainer,
        "advocate": advocate,
        "outsider": outsider,
    }


# --- Case records: Pablo (accompanier) is on the team, Olga (other_accompanier) is not.


@pytest.fixture
def team_process(accompanier):
    """A strengthening process of a collective, led by Pablo."""
    from accompaniment.factories import CollectiveFactory, ProcessFactory

    return ProcessFactory(subject=CollectiveFactory(alias="Colectivo Semilla"), lead=accompanier)


@pytest.fixture
def team_subject(team_process):
    return team_process.subject
