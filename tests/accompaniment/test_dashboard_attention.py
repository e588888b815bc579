"""Attention lists: no recent session, overdue follow-ups, a year without assessment."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accompaniment.factories import CollectiveFactory, FieldAssessmentFactory, ProcessFactory
from accompaniment.models import ProcessStatus
from accompaniment.selectors.dashboard import (
    ATTENTION_NO_SESSION,
    ATTENTION_OVERDUE,
    ATTENTION_UNASSESSED,
    attention_counts,
    attention_list,
)

ATTENTION = reverse("accompaniment:attention")
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


def _days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


@pytest.fixture
def situations(accompanier, other_accompanier):
    """One process per situation; all led by Pablo except `elsewhere` (Olga's)."""
    return {
        # Agreed every 30 days, last seen 31 days ago: late.
        "late": ProcessFactory(lead=accompanier, frequency_days=30, last_session_on=_days_ago(31)),
        # Seen 29 days ago: fine.
        "recent": ProcessFactory(
            lead=accompanier, frequency_days=30, last_session_on=_days_ago(29)
        ),
        # Opened 20 days ago with weekly meetings and no session yet: late.
        "never_seen": ProcessFactory(
            lead=accompanier, opened_on=_days_ago(20), frequency_days=7, last_session_on=None
        ),
        # Opened 5 days ago, weekly, no session yet: not late.
        "new": ProcessFactory(
            lead=accompanier, opened_on=_days_ago(5), frequency_days=7, last_session_on=None
        ),
        "overdue": ProcessFactory(
            lead=accompanier, next_follow_up=_days_ago(1), last_session_on=_days_ago(1)
        ),
        "due_today": ProcessFactory(
            lead=accompanier, next_follow_up=TODAY, last_session_on=_days_ago(1)
        ),
        "old_unassessed": ProcessFactory(
            lead=accompanier, opened_on=_days_ago(400), last_session_on=_days_ago(2)
        ),
        "old_assessed": FieldAssessmentFactory(
            process=ProcessFactory(
                lead=accompanier, opened_on=_days_ago(400), last_session_on=_days_ago(2)
            )
        ).process,
        "closed": ProcessFactory(
            lead=accompanier,
            status=ProcessStatus.CLOSED,
            last_session_on=_days_ago(300),
            next_follow_up=_days_ago(200),
            opened_on=_days_ago(500),
        ),
        "archived": ProcessFactory(
            lead=accompanier, is_archived=True, next_follow_up=_days_ago(10)
        ),
        "elsewhere": ProcessFactory(
            subject=CollectiveFactory(),
            lead=other_accompanier,
            next_follow_up=_days_ago(3),
            last_session_on=_days_ago(1),
        ),
    }


def _names(situations, processes) -> set[str]:
    by_pk = {p.pk: name for name, p in situations.items()}
    return {by_pk[p.pk] for p in processes}


def test_coordinator_can_see_each_attention_list(coordinator, situations):
    def names(which):
        return _names(situations, attention_list(user=coordinator, today=TODAY, which=which))

    assert names(ATTENTION_NO_SESSION) == {"late", "never_seen"}
    assert names(ATTENTION_OVERDUE) == {"overdue", "elsewhere"}
    assert names(ATTENTION_UNASSESSED) == {"old_unassessed"}
    assert attention_counts(user=coordinator, today=TODAY) == {
        ATTENTION_NO_SESSION: 2,
        ATTENTION_OVERDUE: 2,
        ATTENTION_UNASSESSED: 1,
    }


def test_accompanier_can_see_only_the_attention_lists_of_their_teams(other_accompanier, situations):
    assert _names(
        situations, attention_list(user=other_accompanier, today=TODAY, which=ATTENTION_OVERDUE)
    ) == {"elsewhere"}
    assert attention_counts(user=other_accompanier, today=TODAY) == {
        ATTENTION_NO_SESSION: 0,
        ATTENTION_OVERDUE: 1,
        ATTENTION_UNASSESSED: 0,
    }


def test_accompanier_can_open_the_attention_page(login, accompanier, situations):
    response = login(accompanier).get(ATTENTION, {"list": ATTENTION_OVERDUE})

    assert response.status_code == 200
    assert [p.pk for p in response.context["page_obj"]] == [situations["overdue"].pk]
    assert [t["count"] for t in response.context["tabs"]] == [2, 1, 1]
    html = response.content.decode()
    assert situations["overdue"].subject.alias in html
    assert situations["overdue"].subject.name not in html


def test_coordinator_can_open_the_attention_page_with_a_bad_list_name(
    login, coordinator, situations
):
    response = login(coordinator).get(ATTENTION, {"list": "<script>", "page": "x"})

    assert response.status_code == 200
    assert response.context["which"] == ATTENTION_NO_SESSION
    assert {p.pk for p in response.context["page_obj"]} == {
        situations["late"].pk,
        situations["never_seen"].pk,
    }


@pytest.mark.parametrize("who", ["admin_user", "trainer", "advocate", "outsider"])
def test_other_roles_cannot_open_the_attention_page(request, login, who):
    assert login(request.getfixturevalue(who)).get(ATTENTION).status_code == 403


def test_anonymous_visitor_cannot_open_the_attention_page(client, db):
    response = client.get(ATTENTION)

    assert response.status_code == 302


def test_accompanier_can_see_an_empty_state_when_nothing_needs_attention(login, accompanier):
    response = login(accompanier).get(ATTENTION, {"list": ATTENTION_UNASSESSED})

    assert response.status_code == 200
    assert "Nothing on this list." in response.content.decode()


def _attention_queries(client, accompanier, count: int) -> int:
    for _ in range(count):
        ProcessFactory(lead=accompanier, next_follow_up=_days_ago(2), opened_on=_days_ago(400))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ATTENTION, {"list": ATTENTION_OVERDUE})
    assert len(response.context["page_obj"]) > 0
    return len(queries)


def test_attention_query_count_does_not_grow_with_the_processes(login, accompanier, db):
    client = login(accompanier)
    client.get(ATTENTION)

    with_two = _attention_queries(client, accompanier, 2)
    with_twelve = _attention_queries(client, accompanier, 10)

    assert with_twelve == with_two


def test_an_old_process_leaves_the_unassessed_list_once_staff_assess_it(accompanier):
    from accompaniment.services.processes import assessment_create, assessment_update

    old = ProcessFactory(lead=accompanier, opened_on=_days_ago(500), last_session_on=_days_ago(2))
    assert list(attention_list(user=accompanier, today=TODAY, which=ATTENTION_UNASSESSED)) == [old]

    assessment = assessment_create(
        process=old,
        actor=accompanier,
        data={"field": "security", "assessed_on": _days_ago(3), "score": 2},
    )

    old.refresh_from_db()
    assert old.last_assessed_on == _days_ago(3)
    assert attention_counts(user=accompanier, today=TODAY)[ATTENTION_UNASSESSED] == 0

    assessment_update(
        assessment=assessment,
        actor=accompanier,
        data={"field": "security", "assessed_on": _days_ago(1), "score": 3},
        expected_version=assessment.version,
    )
    old.refresh_from_db()
    assert old.last_assessed_on == _days_ago(1)
