"""The on-call roster page (coordinación only)."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aluna.accounts.factories import UserFactory
from aluna.audit.models import AuditEvent
from aluna.core.roles import Role
from crisis.models import OnCallShift
from crisis.selectors.roster import week_start_for


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


def _roster():
    return reverse("crisis:roster")


def _remove(shift):
    return reverse("crisis:roster-shift-delete", kwargs={"shift_id": shift.pk})


def _this_monday():
    return week_start_for(day=timezone.localdate())


def _next_monday():
    return _this_monday() + dt.timedelta(weeks=1)


def _last_event():
    return AuditEvent.objects.order_by("-sequence").first()


@pytest.fixture
def shift(accompanier):
    return OnCallShift.objects.create(week_start=_next_monday(), user=accompanier, position=0)


def test_anonymous_visitor_cannot_open_the_roster(client, shift):
    for url in (_roster(), _remove(shift)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "who", ["admin_user", "accompanier", "other_accompanier", "trainer", "advocate", "outsider"]
)
def test_other_roles_cannot_open_or_change_the_roster(request, login, shift, who):
    client = login(request.getfixturevalue(who))

    statuses = [
        client.get(_roster()).status_code,
        client.get(_remove(shift)).status_code,
        client.post(_remove(shift), {"confirm": "True"}).status_code,
        client.post(_roster(), {"week_start": _next_monday(), "position": 1}).status_code,
    ]

    assert statuses == [403] * 4
    assert OnCallShift.objects.count() == 1


def test_coordinator_can_see_the_coming_weeks_with_who_is_on_call(
    login, coordinator, shift, accompanier
):
    OnCallShift.objects.create(week_start=_next_monday(), user=coordinator, position=1)

    response = login(coordinator).get(_roster())

    weeks = response.context["weeks"]
    assert response.status_code == 200
    assert [week for week, _ in weeks][:2] == [_this_monday(), _next_monday()]
    assert len(weeks) == 8
    assert [(s.user, s.position) for s in dict(weeks)[_next_monday()]] == [
        (accompanier, 0),
        (coordinator, 1),
    ]
    assert "Nobody is on call this week yet." in response.content.decode()


def test_coordinator_can_add_a_slot_and_it_is_audited(login, coordinator, accompanier):
    response = login(coordinator).post(
        _roster(), {"week_start": _next_monday().isoformat(), "user": accompanier.pk, "position": 0}
    )

    shift = OnCallShift.objects.get()
    assert response.status_code == 302
    assert (shift.week_start, shift.user, shift.position) == (_next_monday(), accompanier, 0)
    event = _last_event()
    assert (event.action, event.target_type, event.target_id) == (
        "create",
        "crisis.oncallshift",
        str(shift.pk),
    )
    assert event.metadata == {"position": 0, "week": _next_monday().isoformat()}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"week_start": "tuesday"}, "week_start"),
        ({"week_start": "next_tuesday"}, "week_start"),
        ({"week_start": "last_monday"}, "week_start"),
        ({"week_start": "far_monday"}, "week_start"),
        ({"user": "trainer"}, "user"),
        ({"user": "inactive"}, "user"),
        ({"user": "not-a-uuid"}, "user"),
        ({"position": "-1"}, "position"),
        ({"position": "10"}, "position"),
        ({"position": "one"}, "position"),
        ({"position": "taken"}, "position"),
        ({"user": "already_on"}, "user"),
    ],
)
def test_coordinator_cannot_add_a_bad_slot(
    login, coordinator, accompanier, other_accompanier, trainer, shift, overrides, field
):
    inactive = UserFactory(roles=[Role.ACCOMPANIMENT], is_active=False)
    weeks = {
        "tuesday": _next_monday() + dt.timedelta(days=1),
        "next_tuesday": _next_monday() + dt.timedelta(days=8),
        "last_monday": _this_monday() - dt.timedelta(weeks=1),
        "far_monday": _this_monday() + dt.timedelta(weeks=110),
    }
    users = {"trainer": trainer.pk, "inactive": inactive.pk, "already_on": accompanier.pk}
    data = {"week_start": _next_monday().isoformat(), "user": other_accompanier.pk, "position": 1}
    for key, value in overrides.items():
        if key == "week_start":
            value = weeks[value].isoformat()
        elif key == "user":
            value = users.get(value, value)
        elif value == "taken":
            value = 0
        data[key] = value

    response = login(coordinator).post(_roster(), data)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert OnCallShift.objects.count() == 1


def test_coordinator_can_put_another_coordinator_on_call(login, coordinator):
    colleague = UserFactory(roles=[Role.COORDINATION])

    response = login(coordinator).post(
        _roster(), {"week_start": _this_monday().isoformat(), "user": colleague.pk, "position": 0}
    )

    assert response.status_code == 302
    assert OnCallShift.objects.get().user == colleague


def test_coordinator_is_asked_to_confirm_before_removing_a_slot(login, coordinator, shift):
    response = login(coordinator).get(_remove(shift))

    assert response.status_code == 200
    assert "data-confirm" in response.content.decode()
    assert OnCallShift.objects.count() == 1


def test_coordinator_can_remove_a_slot_and_it_is_audited(login, coordinator, shift):
    shift_id = shift.pk

    response = login(coordinator).post(_remove(shift), {"confirm": "True"})

    assert response.status_code == 302
    assert OnCallShift.objects.count() == 0
    event = _last_event()
    assert (event.action, event.target_id) == ("delete", str(shift_id))


def test_coordinator_cannot_remove_without_confirming(login, coordinator, shift):
    response = login(coordinator).post(_remove(shift), {})

    assert response.status_code == 400
    assert OnCallShift.objects.count() == 1


def test_coordinator_gets_404_for_a_missing_slot(login, coordinator):
    url = reverse("crisis:roster-shift-delete", kwargs={"shift_id": uuid.uuid4()})

    assert login(coordinator).get(url).status_code == 404


def _roster_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(_roster())
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_roster_query_count_does_not_grow_with_slots(login, coordinator, shift):
    client = login(coordinator)
    small = _roster_queries(client)
    for week in range(8):
        for position in range(1, 3):
            OnCallShift.objects.create(
                week_start=_this_monday() + dt.timedelta(weeks=week),
                user=UserFactory(roles=[Role.ACCOMPANIMENT]),
                position=position,
            )

    assert _roster_queries(client) == small
