"""The subject pickers' type-ahead: a POST scoped to the user's cases, aliases and
initials only, a limit with "more", a flat query count, never a GET."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accompaniment.factories import CollectiveFactory, PoliticalSubjectFactory, ProcessFactory
from accompaniment.selectors.subjects import PICKER_LIMIT
from aluna.audit.models import AuditEvent

SEARCH = reverse("accompaniment:subject-picker-search")


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


def _aliases(response) -> list[str]:
    return [row["alias"] for row in response.json()["results"]]


@pytest.fixture
def two_teams(accompanier, other_accompanier):
    """Pablo's team has "Radio Norte" and "Radio Sur"; Olga's has "Radio Olga"."""
    for alias in ("Radio Sur", "Radio Norte"):
        ProcessFactory(subject=PoliticalSubjectFactory(alias=alias), lead=accompanier)
    ProcessFactory(subject=PoliticalSubjectFactory(alias="Radio Olga"), lead=other_accompanier)


def test_accompanier_finds_only_the_subjects_of_their_own_cases(login, accompanier, two_teams):
    client = login(accompanier)

    response = client.post(SEARCH, {"q": "radio"})

    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"no-store", "no-cache", "must-revalidate", "private", "max-age=0"}
    assert _aliases(response) == ["Radio Norte", "Radio Sur"]
    assert response.json()["more"] is False


def test_the_other_team_finds_nothing_of_pablos_cases(login, other_accompanier, two_teams):
    client = login(other_accompanier)

    response = client.post(SEARCH, {"q": "Radio N"})

    assert response.status_code == 200
    assert response.json() == {"results": [], "more": False}


def test_coordinator_finds_the_subjects_of_every_team(login, coordinator, two_teams):
    client = login(coordinator)

    response = client.post(SEARCH, {"q": "radio"})

    assert _aliases(response) == ["Radio Norte", "Radio Olga", "Radio Sur"]


def test_an_exact_alias_comes_first_and_archived_subjects_never(login, accompanier, db):
    client = login(accompanier)
    PoliticalSubjectFactory(alias="Luna Nueva", created_by=accompanier)
    PoliticalSubjectFactory(alias="Luna", created_by=accompanier)
    PoliticalSubjectFactory(alias="Luna Archivada", created_by=accompanier, is_archived=True)

    response = client.post(SEARCH, {"q": " luna "})

    assert _aliases(response) == ["Luna", "Luna Nueva"]


def test_accompanier_finds_a_subject_by_its_initials(login, accompanier, db):
    client = login(accompanier)
    subject = PoliticalSubjectFactory(
        alias="Girasol", name="María López Hernández", created_by=accompanier
    )
    PoliticalSubjectFactory(alias="Colibrí", name="Juan Pérez", created_by=accompanier)

    dotted = client.post(SEARCH, {"q": "M.L."})
    capitals = client.post(SEARCH, {"q": "MLH"})

    expected = [
        {
            "id": str(subject.pk),
            "alias": "Girasol",
            "initials": "M.L.H.",
            "label": "Girasol (M.L.H.)",
        }
    ]
    assert dotted.json()["results"] == expected
    assert capitals.json()["results"] == expected


def test_the_search_shows_at_most_the_limit_and_says_there_are_more(login, accompanier, db):
    client = login(accompanier)
    for number in range(PICKER_LIMIT + 2):
        PoliticalSubjectFactory(alias=f"Semilla {number:02d}", created_by=accompanier)

    response = client.post(SEARCH, {"q": "semilla"})

    assert _aliases(response) == [f"Semilla {number:02d}" for number in range(PICKER_LIMIT)]
    assert response.json()["more"] is True


def _search_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.post(SEARCH, {"q": "semilla"}).status_code == 200
    return len(queries)


def test_the_search_query_count_does_not_grow_with_the_subjects(login, accompanier, db):
    client = login(accompanier)
    PoliticalSubjectFactory(alias="Semilla 1", created_by=accompanier)
    few = _search_queries(client)
    PoliticalSubjectFactory.create_batch(40, created_by=accompanier)
    for number in range(20):
        PoliticalSubjectFactory(alias=f"Semilla {number + 2}", created_by=accompanier)

    many = _search_queries(client)

    assert many == few


def test_the_search_is_never_a_get(login, accompanier, two_teams):
    client = login(accompanier)

    response = client.get(SEARCH, {"q": "radio"})

    assert response.status_code == 405
    assert b"Radio" not in response.content


@pytest.mark.parametrize("who", ["admin_user", "trainer", "advocate"])
def test_roles_without_cases_cannot_search_subjects(request, login, who, two_teams):
    client = login(request.getfixturevalue(who))

    response = client.post(SEARCH, {"q": "radio"})

    assert response.status_code == 403
    assert b"Radio" not in response.content


def test_the_search_is_audited_by_count_never_by_the_text_typed(login, accompanier, two_teams):
    client = login(accompanier)

    client.post(SEARCH, {"q": "María Radio"})
    client.post(SEARCH, {"q": "Radio"})

    events = list(AuditEvent.objects.filter(action="search").order_by("sequence"))
    assert [event.metadata for event in events] == [
        {"results": 0, "by": "picker"},
        {"results": 2, "by": "picker"},
    ]
    assert [event.actor_id for event in events] == [accompanier.pk, accompanier.pk]


@pytest.mark.parametrize("query", ["", "   ", "x" * 81])
def test_bad_input_gets_a_clear_400(login, accompanier, query):
    client = login(accompanier)

    response = client.post(SEARCH, {"q": query})

    assert response.status_code == 400
    assert response.json()["results"] == []
    assert response.json()["error"] in {
        "Type part of an alias or the initials.",
        "Type at most 80 characters.",
    }


def test_wildcards_typed_are_taken_literally(login, accompanier, db):
    client = login(accompanier)
    PoliticalSubjectFactory(alias="Radio 100%", created_by=accompanier)
    PoliticalSubjectFactory(alias="Radio_Sur", created_by=accompanier)
    PoliticalSubjectFactory(alias="Radio Norte", created_by=accompanier)

    percent = client.post(SEARCH, {"q": "%"})
    underscore = client.post(SEARCH, {"q": "o_S"})

    assert _aliases(percent) == ["Radio 100%"]
    assert _aliases(underscore) == ["Radio_Sur"]


def test_a_collectives_picker_leaves_out_individual_defenders(login, accompanier, db):
    client = login(accompanier)
    CollectiveFactory(alias="Radio Comunitaria", created_by=accompanier)
    PoliticalSubjectFactory(alias="Radio Norte", created_by=accompanier)

    everyone = client.post(SEARCH, {"q": "radio"})
    collectives = client.post(SEARCH, {"q": "radio", "kind": "collective"})
    unknown = client.post(SEARCH, {"q": "radio", "kind": "planet"})

    assert _aliases(everyone) == ["Radio Comunitaria", "Radio Norte"]
    assert _aliases(collectives) == ["Radio Comunitaria"]
    assert unknown.status_code == 400


def test_a_defender_joins_a_collective_typed_without_javascript(login, accompanier, db):
    client = login(accompanier)
    defender = PoliticalSubjectFactory(alias="Girasol", created_by=accompanier)
    collective = CollectiveFactory(alias="Radio Comunitaria", created_by=accompanier)
    url = reverse("accompaniment:membership-create", kwargs={"subject_id": defender.pk})

    page = client.get(url).content.decode()
    response = client.post(url, {"collective_query": "radio comunitaria", "role": "vocera"})

    assert 'data-search-kind="collective"' in page
    assert "Radio Comunitaria" not in page
    assert response.status_code == 302
    assert defender.memberships.get().collective == collective
