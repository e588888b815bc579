"""on_call_for: who is on call at an instant, weeks cut at Monday 00:00 in Mexico City."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from crisis.models import OnCallShift
from crisis.selectors.roster import on_call_for

MX = ZoneInfo("America/Mexico_City")
UTC = ZoneInfo("UTC")

pytestmark = pytest.mark.django_db

WEEK = date(2025, 3, 3)  # a Monday
NEXT_WEEK = date(2025, 3, 10)


@pytest.fixture
def roster(coordinator, accompanier, other_accompanier):
    OnCallShift.objects.create(week_start=WEEK, user=accompanier, position=1)
    OnCallShift.objects.create(week_start=WEEK, user=coordinator, position=0)
    OnCallShift.objects.create(week_start=NEXT_WEEK, user=other_accompanier, position=0)


def test_on_call_for_lists_the_week_in_position_order(roster, coordinator, accompanier):
    at = datetime(2025, 3, 5, 12, 0, tzinfo=MX)

    assert on_call_for(at=at) == [coordinator, accompanier]


def test_on_call_for_monday_midnight_local_starts_the_new_week(roster, other_accompanier):
    at = datetime(2025, 3, 10, 0, 0, tzinfo=MX)

    assert on_call_for(at=at) == [other_accompanier]


def test_on_call_for_sunday_late_local_is_still_the_old_week_though_utc_is_monday(
    roster, coordinator, accompanier
):
    # Sunday 23:30 in Mexico City is Monday 05:30 UTC.
    at = datetime(2025, 3, 10, 5, 30, tzinfo=UTC)

    assert on_call_for(at=at) == [coordinator, accompanier]


def test_on_call_for_the_first_instant_of_the_week_and_the_last(roster, coordinator, accompanier):
    assert on_call_for(at=datetime(2025, 3, 3, 0, 0, tzinfo=MX)) == [coordinator, accompanier]
    assert on_call_for(at=datetime(2025, 3, 2, 23, 59, 59, tzinfo=MX)) == []
    assert on_call_for(at=datetime(2025, 3, 9, 23, 59, 59, tzinfo=MX)) == [coordinator, accompanier]


def test_on_call_for_skips_inactive_users(roster, coordinator, accompanier):
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])

    assert on_call_for(at=datetime(2025, 3, 4, 9, 0, tzinfo=MX)) == [accompanier]


def test_on_call_for_an_unrostered_week_is_empty(roster):
    assert on_call_for(at=datetime(2025, 4, 1, 9, 0, tzinfo=MX)) == []
