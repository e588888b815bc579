"""A list's total is counted once, then kept until a record it reads changes.

The subject list and the coordinators' review use CachedCountPaginator
(aluna/core/pagination.py): the rows are read fresh on every view, the COUNT
only after a change, and one user's kept total never serves another user.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accompaniment.factories import PoliticalSubjectFactory, ProcessFactory
from accompaniment.models import PoliticalSubject
from accompaniment.services.sessions import _update_process_after_session
from aluna.accounts.factories import UserFactory
from aluna.core.pagination import paginate_ids_first
from aluna.core.roles import Role

pytestmark = pytest.mark.django_db

INDEX = reverse("accompaniment:index")
SUBJECTS = '"accompaniment_politicalsubject"'


def _view(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INDEX)
    assert response.status_code == 200
    counts = [q for q in queries if q["sql"].startswith("SELECT COUNT(*)") and SUBJECTS in q["sql"]]
    return response, len(counts)


def _total(response) -> int:
    return response.context["page_obj"].paginator.count


def test_the_subject_list_counts_once_then_keeps_its_total(login, coordinator):
    PoliticalSubjectFactory.create_batch(3)
    client = login(coordinator)

    first, first_counts = _view(client)
    second, second_counts = _view(client)

    assert (first_counts, second_counts) == (1, 0)
    assert _total(first) == _total(second) == 3


def test_a_new_subject_is_counted_on_the_next_view(login, coordinator):
    PoliticalSubjectFactory.create_batch(3)
    client = login(coordinator)
    _view(client)

    PoliticalSubjectFactory()
    response, counts = _view(client)

    assert counts == 1
    assert _total(response) == 4


def test_joining_a_team_is_counted_on_the_next_view(login, accompanier):
    process = ProcessFactory()
    client = login(accompanier)
    before, _ = _view(client)

    process.team.add(accompanier)
    after, counts = _view(client)

    assert (_total(before), _total(after), counts) == (0, 1, 1)


def test_a_kept_total_never_serves_another_user(login, coordinator):
    PoliticalSubjectFactory.create_batch(2)
    other = UserFactory(email="otra@aluna.test", roles=[Role.COORDINATION])
    login(coordinator)
    _view(login(coordinator))

    response, counts = _view(login(other, client=Client()))

    assert counts == 1
    assert _total(response) == 2


def test_adding_someone_already_on_the_team_keeps_the_total(login, accompanier):
    process = ProcessFactory()
    process.team.add(accompanier)
    client = login(accompanier)
    _view(client)

    process.team.add(accompanier)
    response, counts = _view(client)

    assert counts == 0
    assert _total(response) == 1


def test_a_page_sorted_before_its_joins_keeps_the_order_and_the_joins(coordinator):
    for alias in ("Zapote", "Amate", "Ceiba", "Mezquite"):
        PoliticalSubjectFactory(alias=alias)
    queryset = PoliticalSubject.objects.select_related("kind").order_by("alias")

    page = paginate_ids_first(queryset, 3, "1", user=coordinator)
    with CaptureQueriesContext(connection) as queries:
        kinds = [subject.kind.code for subject in page.object_list]

    assert [s.alias for s in page.object_list] == ["Amate", "Ceiba", "Mezquite"]
    assert len(kinds) == 3 and len(queries) == 0
    assert page.paginator.count == 4


def test_the_attention_tabs_recount_after_a_process_changes_without_a_signal(login, coordinator):
    overdue = ProcessFactory(next_follow_up=timezone.localdate() - dt.timedelta(days=2))
    client = login(coordinator)
    url = reverse("accompaniment:attention")
    before = client.get(url).context["tabs"]

    _update_process_after_session(
        process=overdue, last_session_on=None, next_session_on=timezone.localdate()
    )
    after = client.get(url).context["tabs"]

    overdue_count = {tab["key"]: tab["count"] for tab in before}["overdue"]
    assert overdue_count == 1
    assert {tab["key"]: tab["count"] for tab in after}["overdue"] == 0
