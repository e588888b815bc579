"""The fixed cast of users and the shared fixtures.

Fixtures that start real services (Celery worker, browser) live in
tests/fixtures/ and are loaded as plugins here.
"""

import pytest

from aluna.accounts.factories import UserFactory
from aluna.accounts.roles import Role

pytest_plugins = [
    "tests.fixtures.mfa",
    "tests.fixtures.celery_worker",
    "tests.fixtures.browser",
]


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
