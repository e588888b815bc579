"""A subject's consent scope is encrypted at rest, and existing scopes survive the change."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accompaniment.factories import PoliticalSubjectFactory
from accompaniment.models import PoliticalSubject

SCOPE = "Estadísticas internas; Doña Rosario Ibarra lo autorizó por teléfono"
BEFORE = [("accompaniment", "0006_move_crisis_to_its_app")]
AFTER = [("accompaniment", "0007_encrypt_consent_scope")]


def _raw_scope(subject_id) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT consent_scope FROM accompaniment_politicalsubject WHERE id = %s", [subject_id]
        )
        return cursor.fetchone()[0]


def test_a_consent_scope_is_stored_encrypted(db):
    subject = PoliticalSubjectFactory(consent_date=timezone.localdate(), consent_scope=SCOPE)

    raw = _raw_scope(subject.pk)

    assert raw.startswith("v1:")
    assert "Rosario" not in raw
    assert "Estad" not in raw
    assert PoliticalSubject.objects.get(pk=subject.pk).consent_scope == SCOPE


@pytest.fixture
def migrator(transactional_db):
    """Migrates the test database, and always brings it back to the latest state."""
    executor = MigrationExecutor(connection)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_consent_scopes_are_encrypted_by_the_migration_and_kept(migrator):
    kept = PoliticalSubjectFactory(consent_date=timezone.localdate(), consent_scope=SCOPE)
    empty = PoliticalSubjectFactory(consent_scope="")
    migrator.migrate(BEFORE)
    # Before the migration the column held the words themselves.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accompaniment_politicalsubject SET consent_scope = %s WHERE id = %s",
            [SCOPE, kept.pk],
        )
        cursor.execute(
            "UPDATE accompaniment_politicalsubject SET consent_scope = '' WHERE id = %s",
            [empty.pk],
        )

    migrator.loader.build_graph()
    migrator.migrate(AFTER)

    assert _raw_scope(kept.pk).startswith("v1:")
    assert _raw_scope(empty.pk).startswith("v1:")  # blank and filled-in look alike
    field = PoliticalSubject._meta.get_field("consent_scope")
    assert field.is_bound(_raw_scope(kept.pk), pk=kept.pk)  # to its row, as the field does
    assert PoliticalSubject.objects.get(pk=kept.pk).consent_scope == SCOPE
    assert PoliticalSubject.objects.get(pk=empty.pk).consent_scope == ""


def test_the_migration_reverses_to_the_words(migrator):
    subject = PoliticalSubjectFactory(consent_date=timezone.localdate(), consent_scope=SCOPE)

    migrator.migrate(BEFORE)

    assert _raw_scope(subject.pk) == SCOPE
