"""A ciphertext belongs to one row: copied into another row, it does not decrypt.

The associated data of every encrypted value is its column and its row's primary
key. Someone who can write the database and swaps two subjects' names gets an
error, never one person shown with another's name. Values written before rows
were bound still read, until `bind_encrypted_rows` binds them.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from accompaniment.factories import PoliticalSubjectFactory
from accompaniment.models import PoliticalSubject
from aluna.encryption import keys
from aluna.encryption.keys import DecryptionError
from tests.encryption_app.models import Defender
from training.factories import CohortFactory, EnrolmentFactory
from training.models import Answer, QuestionKind, Questionnaire
from training.services import questionnaire_save, response_record

pytestmark = pytest.mark.django_db


def _raw(model, column, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s",  # noqa: S608
            [model._meta.pk.get_db_prep_value(pk, connection)],
        )
        return cursor.fetchone()[0]


def _write_raw(model, column, pk, value) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s",  # noqa: S608
            [value, model._meta.pk.get_db_prep_value(pk, connection)],
        )


def _is_bound(model, field_name, pk) -> bool:
    field = model._meta.get_field(field_name)
    return field.is_bound(_raw(model, field.column, pk), pk=pk)


def _unbound_ciphertext(model, field_name, value: str) -> str:
    """What the column held before rows were bound: the column's associated data only."""
    field = model._meta.get_field(field_name)
    return keys.encrypt(value.encode(), associated_data=field.associated_data())


def test_names_swapped_between_two_subjects_in_sql_do_not_decrypt():
    first = PoliticalSubjectFactory(name="Primera Persona", alias="Uno")
    second = PoliticalSubjectFactory(name="Segunda Persona", alias="Dos")
    first_raw = _raw(PoliticalSubject, "name", first.pk)
    second_raw = _raw(PoliticalSubject, "name", second.pk)

    _write_raw(PoliticalSubject, "name", first.pk, second_raw)
    _write_raw(PoliticalSubject, "name", second.pk, first_raw)

    with pytest.raises(DecryptionError, match="failed authentication"):
        PoliticalSubject.objects.get(pk=first.pk)
    with pytest.raises(DecryptionError, match="failed authentication"):
        PoliticalSubject.objects.get(pk=second.pk)


def test_every_field_of_a_saved_subject_is_bound_and_reads_back():
    subject = PoliticalSubjectFactory(
        name="María López", contact="55 1234 5678", other_factors="", consent_scope="Interno"
    )

    fetched = PoliticalSubject.objects.select_related("kind").get(pk=subject.pk)

    assert (fetched.name, fetched.contact, fetched.other_factors, fetched.consent_scope) == (
        "María López",
        "55 1234 5678",
        "",
        "Interno",
    )
    for name in ("name", "municipality", "contact", "consent_scope", "other_factors"):
        assert _is_bound(PoliticalSubject, name, subject.pk), name


def test_a_row_with_an_auto_increment_pk_is_bound_to_it_from_its_first_save():
    defender = Defender.objects.create(name="Ana", notes="Nota", profile={"a": 1})

    assert defender.pk is not None
    assert _is_bound(Defender, "name", defender.pk)
    assert _is_bound(Defender, "profile", defender.pk)
    fetched = Defender.objects.get(pk=defender.pk)
    assert (fetched.name, fetched.notes, fetched.profile) == ("Ana", "Nota", {"a": 1})


def test_answers_written_in_bulk_are_bound_to_their_rows(trainer):
    cohort = CohortFactory(facilitators=[trainer])
    questionnaire_save(
        actor=trainer,
        programme=cohort.programme,
        kind="exit",
        title="Salida",
        likert=["Uno"],
        open_=["¿Qué te llevas?"],
    )
    questionnaire = Questionnaire.objects.get(programme=cohort.programme, kind="exit")
    open_question = questionnaire.questions.get(kind=QuestionKind.OPEN)
    likert = questionnaire.questions.get(kind=QuestionKind.LIKERT)
    enrolment = EnrolmentFactory(cohort=cohort)

    response_record(
        actor=trainer,
        questionnaire=questionnaire,
        enrolment=enrolment,
        answers={likert: 4, open_question: "Confianza en el grupo"},
    )

    answer = Answer.objects.get(question=open_question)
    assert answer.text == "Confianza en el grupo"
    assert _is_bound(Answer, "text", answer.pk)


def test_a_value_written_before_rows_were_bound_still_reads_until_it_is_refused(settings):
    subject = PoliticalSubjectFactory(name="Antes Del Cambio")
    _write_raw(
        PoliticalSubject,
        "name",
        subject.pk,
        _unbound_ciphertext(PoliticalSubject, "name", "Antes Del Cambio"),
    )

    assert PoliticalSubject.objects.get(pk=subject.pk).name == "Antes Del Cambio"
    settings.FIELD_ENCRYPTION_ALLOW_UNBOUND = False
    with pytest.raises(DecryptionError):
        PoliticalSubject.objects.get(pk=subject.pk)


def test_operator_binds_the_old_values_and_can_resume(settings):
    subjects = [PoliticalSubjectFactory(name=f"Persona Numero {n}") for n in range(3)]
    for n, subject in enumerate(subjects):
        _write_raw(
            PoliticalSubject,
            "name",
            subject.pk,
            _unbound_ciphertext(PoliticalSubject, "name", f"Persona Numero {n}"),
        )
    out = io.StringIO()

    call_command("bind_encrypted_rows", "--limit", "2", stdout=out)
    call_command("bind_encrypted_rows", stdout=out)
    call_command("bind_encrypted_rows", "--dry-run", stdout=out)

    lines = out.getvalue().splitlines()
    assert "accompaniment.PoliticalSubject: 2 bound" in lines
    assert "accompaniment.PoliticalSubject: 1 bound" in lines
    assert "accompaniment.PoliticalSubject: 0 to bind" in lines
    settings.FIELD_ENCRYPTION_ALLOW_UNBOUND = False
    assert [PoliticalSubject.objects.get(pk=s.pk).name for s in subjects] == [
        f"Persona Numero {n}" for n in range(3)
    ]
    assert all(_is_bound(PoliticalSubject, "name", s.pk) for s in subjects)


def test_a_plain_queryset_update_reads_back_and_is_bound_by_the_operator():
    subject = PoliticalSubjectFactory(name="Nombre Viejo")

    PoliticalSubject.objects.filter(pk=subject.pk).update(name="Nombre Nuevo")

    assert PoliticalSubject.objects.get(pk=subject.pk).name == "Nombre Nuevo"
    assert not _is_bound(PoliticalSubject, "name", subject.pk)
    call_command("bind_encrypted_rows", stdout=io.StringIO())
    assert _is_bound(PoliticalSubject, "name", subject.pk)
    assert PoliticalSubject.objects.get(pk=subject.pk).name == "Nombre Nuevo"


def test_key_rotation_keeps_values_bound(settings):
    key_a, key_b = keys.generate_key(), keys.generate_key()
    settings.FIELD_ENCRYPTION_KEYS = [key_a]
    subject = PoliticalSubjectFactory(name="Rotada Con Fila")
    settings.FIELD_ENCRYPTION_KEYS = [key_b, key_a]

    call_command("rotate_encryption_keys", stdout=io.StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [key_b]
    settings.FIELD_ENCRYPTION_ALLOW_UNBOUND = False
    assert _raw(PoliticalSubject, "name", subject.pk).startswith(keys.current_prefix())
    assert _is_bound(PoliticalSubject, "name", subject.pk)
    assert PoliticalSubject.objects.get(pk=subject.pk).name == "Rotada Con Fila"


def test_a_value_read_without_its_row_cannot_be_shown():
    subject = PoliticalSubjectFactory(name="Sin Su Fila")

    [sealed] = PoliticalSubject.objects.filter(pk=subject.pk).values_list("name", flat=True)

    with pytest.raises(TypeError, match="without its row"):
        str(sealed)
    field = PoliticalSubject._meta.get_field("name")
    assert field.open(sealed, pk=subject.pk) == "Sin Su Fila"
