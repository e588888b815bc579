"""Encrypted fields: ciphertext at rest, plaintext in Python, and key rotation."""

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.db import connection
from django.forms import modelform_factory

from aluna.encryption import keys
from aluna.encryption.keys import DecryptionError, UnknownKeyError
from tests.encryption_app.models import Collective, Defender

pytestmark = pytest.mark.django_db

KEY_A = keys.generate_key()
KEY_B = keys.generate_key()


def raw_column(model, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def write_raw_column(model, column, pk, value):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s",  # noqa: S608
            [value, pk],
        )


def test_database_reader_cannot_see_plaintext_name():
    defender = Defender.objects.create(name="María López")

    stored = raw_column(Defender, "name", defender.pk)

    assert stored.startswith(f"v1:{keys.current_key_id()}:")
    assert "María" not in stored
    assert Defender.objects.get(pk=defender.pk).name == "María López"


def test_user_can_round_trip_accents_emoji_and_json():
    name = "Ñandú Peña 🌵 José"
    notes = "Línea 1\nLínea 2 — «amenaza» ✊🏽"
    profile = {"ciudad": "Oaxaca de Juárez", "tags": ["defensora", "🌽"], "n": 3}

    defender = Defender.objects.create(name=name, notes=notes, profile=profile)
    fetched = Defender.objects.get(pk=defender.pk)

    assert (fetched.name, fetched.notes, fetched.profile) == (name, notes, profile)
    # Without its row, a value stays sealed; with the row's pk it opens.
    [(pk, sealed)] = Defender.objects.values_list("pk", "name")
    assert Defender._meta.get_field("name").open(sealed, pk=pk) == name


def test_database_reader_cannot_tell_empty_string_from_a_value_but_sees_null():
    defender = Defender.objects.create(name="Ana", alias="", notes=None)

    stored_alias = raw_column(Defender, "alias", defender.pk)
    stored_notes = raw_column(Defender, "notes", defender.pk)

    assert stored_alias.startswith("v1:")
    assert stored_notes is None
    assert Defender.objects.get(pk=defender.pk).alias == ""


def test_same_plaintext_cannot_produce_same_ciphertext():
    first = Defender.objects.create(name="Lucía")
    second = Defender.objects.create(name="Lucía")

    assert raw_column(Defender, "name", first.pk) != raw_column(Defender, "name", second.pk)


@pytest.mark.parametrize(
    "lookup", [{"name": "María"}, {"name__icontains": "mar"}, {"name__in": ["María"]}]
)
def test_developer_cannot_filter_on_encrypted_value(lookup):
    with pytest.raises(FieldError, match="encrypted"):
        list(Defender.objects.filter(**lookup))


def test_developer_can_filter_encrypted_field_on_null():
    with_notes = Defender.objects.create(name="Ana", notes="nota")
    without_notes = Defender.objects.create(name="Beto", notes=None)

    assert list(Defender.objects.filter(notes__isnull=True)) == [without_notes]
    assert list(Defender.objects.filter(notes=None)) == [without_notes]
    assert list(Defender.objects.exclude(notes=None)) == [with_notes]


def test_form_cannot_accept_nul_characters():
    form_class = modelform_factory(Defender, fields=["name", "notes"])

    form = form_class(data={"name": "Ana\x00", "notes": "nota\x00"})

    assert form.is_valid() is False
    assert sorted(form.errors) == ["name", "notes"]


def test_model_cannot_exceed_max_length_of_plaintext():
    fits = Defender(name="á" * 50)
    too_long = Defender(name="á" * 51)

    fits.full_clean()
    with pytest.raises(ValidationError) as excinfo:
        too_long.full_clean()
    assert list(excinfo.value.message_dict) == ["name"]


def test_ciphertext_swapped_into_another_column_cannot_decrypt():
    defender = Defender.objects.create(name="María López", notes="nota")
    write_raw_column(Defender, "notes", defender.pk, raw_column(Defender, "name", defender.pk))

    with pytest.raises(DecryptionError, match="encryption_app.defender.notes"):
        Defender.objects.get(pk=defender.pk)


def test_ciphertext_swapped_into_another_table_cannot_decrypt():
    defender = Defender.objects.create(name="María López")
    collective = Collective.objects.create(name="Colectivo")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE encryption_app_collective SET name = %s",
            [raw_column(Defender, "name", defender.pk)],
        )

    with pytest.raises(DecryptionError):
        Collective.objects.get(pk=collective.pk)


def test_tampered_ciphertext_cannot_decrypt():
    defender = Defender.objects.create(name="María López")
    stored = raw_column(Defender, "name", defender.pk)
    flipped = stored[:-3] + ("A" if stored[-3] != "A" else "B") + stored[-2:]
    write_raw_column(Defender, "name", defender.pk, flipped)

    with pytest.raises(DecryptionError):
        Defender.objects.get(pk=defender.pk)


def test_missing_key_error_names_key_id_not_data(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    defender = Defender.objects.create(name="María López")
    key_a_id = keys.current_key_id()
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]

    with pytest.raises(UnknownKeyError) as excinfo:
        Defender.objects.get(pk=defender.pk)

    assert key_a_id in str(excinfo.value)
    assert "María" not in str(excinfo.value)


def _key_ids(model, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} ORDER BY id")  # noqa: S608
        return [keys.key_id_of(value) if value else None for (value,) in cursor.fetchall()]


def test_operator_can_rotate_keys_and_drop_the_old_one(settings, capsys):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    key_a_id = keys.current_key_id()
    made = [
        Defender.objects.create(name=f"Defensora {i} Ñ", notes=None, profile={"i": i})
        for i in range(3)
    ]
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    key_b_id = keys.current_key_id()

    call_command("rotate_encryption_keys", batch_size=2)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]

    assert _key_ids(Defender, "name") == [key_b_id] * 3
    assert _key_ids(Defender, "profile") == [key_b_id] * 3
    assert _key_ids(Defender, "notes") == [None] * 3
    assert key_a_id != key_b_id
    assert [(d.name, d.profile) for d in Defender.objects.order_by("pk")] == [
        (d.name, d.profile) for d in made
    ]
    assert "encryption_app.Defender: 3/3" in capsys.readouterr().out.splitlines()


def test_operator_can_resume_an_interrupted_rotation(settings, capsys):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    for i in range(5):
        Defender.objects.create(name=f"Persona {i}")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    key_a_id, key_b_id = keys.key_ring()[1].key_id, keys.key_ring()[0].key_id

    call_command("rotate_encryption_keys", batch_size=1, limit=3)
    after_interruption = _key_ids(Defender, "name")
    call_command("rotate_encryption_keys", dry_run=True)
    dry_run_output = capsys.readouterr().out.splitlines()
    call_command("rotate_encryption_keys", batch_size=1)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]

    assert after_interruption == [key_b_id] * 3 + [key_a_id] * 2
    assert "encryption_app.Defender: 2 to re-encrypt" in dry_run_output
    assert "encryption_app.Defender: 2/2" in capsys.readouterr().out.splitlines()
    assert sorted(d.name for d in Defender.objects.all()) == [f"Persona {i}" for i in range(5)]


def test_rotation_cannot_touch_rows_already_on_current_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    defender = Defender.objects.create(name="Ana")
    before = raw_column(Defender, "name", defender.pk)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]

    call_command("rotate_encryption_keys")

    assert raw_column(Defender, "name", defender.pk) == before
