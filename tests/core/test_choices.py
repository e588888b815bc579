"""A catalogue's options come from the cache, and change as soon as the catalogue does.

aluna/core/choices.py: the subject list's filter offers kinds, areas and states
without a query once they are kept; saving or deleting an entry is offered (or
withdrawn) on the very next view, in the reader's language.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accompaniment.models import SubjectKind

pytestmark = pytest.mark.django_db

INDEX = reverse("accompaniment:index")
KIND_TABLE = f'"{SubjectKind._meta.db_table}"'


def _view(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INDEX)
    assert response.status_code == 200
    reads = [q for q in queries if f"FROM {KIND_TABLE}" in q["sql"]]
    return response.content.decode(), len(reads)


def _offered(html: str, kind: SubjectKind) -> bool:
    return f'<option value="{kind.pk}">' in html


def test_the_kinds_are_read_once_then_offered_from_the_cache(login, coordinator):
    client = login(coordinator)
    kind = SubjectKind.objects.filter(is_active=True).order_by("position").first()

    first, first_reads = _view(client)
    second, second_reads = _view(client)

    assert (first_reads, second_reads) == (1, 0)
    assert _offered(first, kind) and _offered(second, kind)


def test_a_new_kind_is_offered_on_the_next_view(login, coordinator):
    client = login(coordinator)
    _view(client)

    kind = SubjectKind.objects.create(code="radio-comunitaria", label_es="Radio", label_en="Radio")
    html, reads = _view(client)

    assert reads == 1
    assert _offered(html, kind)
    assert ">Radio</option>" in html


def test_a_renamed_or_deleted_kind_changes_on_the_next_view(login, coordinator):
    kind = SubjectKind.objects.create(code="efimera", label_es="Efímera", label_en="Ephemeral")
    other = SubjectKind.objects.create(code="pasajera", label_es="Pasajera", label_en="Passing")
    client = login(coordinator)
    assert _offered(_view(client)[0], other)

    kind.label_es = "Efímera renombrada"
    kind.save()
    other.delete()
    html, _ = _view(client)

    assert ">Efímera renombrada</option>" in html
    assert not _offered(html, other)


def test_the_kept_options_speak_the_readers_language(login, coordinator):
    SubjectKind.objects.create(
        code="colectivo-x", label_es="Colectivo equis", label_en="Collective X"
    )
    client = login(coordinator)
    spanish, _ = _view(client)

    client.cookies["django_language"] = "en"
    english, reads = _view(client)

    assert ">Colectivo equis</option>" in spanish
    assert ">Collective X</option>" in english
    assert reads == 0


def test_a_kept_select_still_shows_the_chosen_kind(login, coordinator):
    first, second = SubjectKind.objects.filter(is_active=True).order_by("position")[:2]
    client = login(coordinator)
    _view(client)

    response = client.get(INDEX, {"kind": second.pk})
    html = response.content.decode()

    assert f'<option value="{second.pk}" selected>' in html
    assert f'<option value="{first.pk}">' in html
