"""Blind indexes: search encrypted names by whole words, without decrypting rows."""

import pytest
from django.core import checks
from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps

from aluna.encryption import keys
from aluna.encryption.blind_index import blind_index_filter, normalise
from aluna.encryption.fields import EncryptedCharField
from aluna.encryption.models import BlindIndexEntry
from tests.encryption_app.models import Collective, Defender

pytestmark = pytest.mark.django_db


def search(query, *, model=Defender, exact=False):
    found = blind_index_filter(model.objects.all(), field="name", query=query, exact=exact)
    return sorted(d.name for d in found)


@pytest.fixture
def defenders():
    return [
        Defender.objects.create(name="María López"),
        Defender.objects.create(name="MARIA PÉREZ"),
        Defender.objects.create(name="José Peña-Hernández"),
    ]


def test_search_can_find_name_ignoring_case_and_accents(defenders):
    assert search("maria") == ["MARIA PÉREZ", "María López"]


def test_search_can_find_name_by_words_in_any_order(defenders):
    assert search("lopez maria") == ["María López"]
    assert search("  LÓPEZ,   María ") == ["María López"]


def test_search_cannot_find_partial_words(defenders):
    assert search("mar") == []
    assert search("maria lopezz") == []


def test_search_can_find_hyphenated_and_tilde_words(defenders):
    assert search("pena") == ["José Peña-Hernández"]
    assert search("hernandez jose") == ["José Peña-Hernández"]


def test_search_can_require_exact_full_name(defenders):
    assert search("maria lopez", exact=True) == ["María López"]
    assert search("lopez maria", exact=True) == []
    assert search("maria", exact=True) == []


def test_search_cannot_match_anything_for_empty_query(defenders):
    assert search(" ¡! ") == []


def test_search_can_follow_edits_and_deletions(defenders):
    maria_lopez = defenders[0]
    maria_lopez.name = "Lucía López"
    maria_lopez.save()
    defenders[1].delete()

    assert search("maria") == []
    assert search("lucia") == ["Lucía López"]
    assert BlindIndexEntry.objects.filter(object_id=str(defenders[2].pk)).count() == 4


def test_search_can_find_objects_with_uuid_keys():
    wanted = Collective.objects.create(name="Colectivo Hasta Encontrarles")
    Collective.objects.create(name="Otro colectivo")

    assert search("encontrarles", model=Collective) == ["Colectivo Hasta Encontrarles"]
    assert list(blind_index_filter(Collective.objects.all(), field="name", query="hasta")) == [
        wanted
    ]


def test_database_reader_cannot_link_same_name_across_tables():
    defender = Defender.objects.create(name="Marisol")
    collective = Collective.objects.create(name="Marisol")

    defender_digests = set(
        BlindIndexEntry.objects.filter(object_id=str(defender.pk)).values_list("digest", flat=True)
    )
    collective_digests = set(
        BlindIndexEntry.objects.filter(object_id=str(collective.pk)).values_list(
            "digest", flat=True
        )
    )

    assert len(defender_digests) == 1
    assert defender_digests.isdisjoint(collective_digests)


def test_operator_can_reindex_after_changing_blind_index_key(settings, defenders):
    settings.BLIND_INDEX_KEY = keys.generate_key()
    stale = search("maria")

    call_command("rotate_encryption_keys", reindex=True)

    assert stale == []
    assert search("maria") == ["MARIA PÉREZ", "María López"]


def test_normalise_can_fold_case_accents_punctuation_and_space():
    assert normalise("  Ñandú\tPÉREZ-o'Brien 🌵 ") == "nandu perez o brien"


@isolate_apps("tests.encryption_app")
def test_developer_cannot_declare_unique_encrypted_field():
    class Bad(models.Model):
        name = EncryptedCharField(max_length=10, unique=True)

        class Meta:
            app_label = "encryption_app"

        def __str__(self):
            return self.name

    errors = Bad._meta.get_field("name").check()

    assert [e.id for e in errors if isinstance(e, checks.Error)] == ["encryption.E001"]
