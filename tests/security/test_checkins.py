"""Check-ins: register, check in, the overdue alert chain (real worker), data minimisation."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accompaniment.models import FederalEntity
from aluna.notifications.models import Notification
from security.models import CheckIn
from security.services import (
    checkin_close,
    checkin_create,
    closed_checkins_purge,
    overdue_checkins_alert,
)
from security.tasks import check_overdue_checkins, purge_closed_checkins
from tests.fixtures.celery_worker import wait_for

EXPECTED = timezone.make_aware(dt.datetime(2031, 5, 6, 18, 0))


def _checkin(actor, contacts, subject=None, expected_at=EXPECTED):
    return checkin_create(
        actor=actor,
        subject=subject,
        state=FederalEntity.objects.get(code="07"),
        municipality="San Cristóbal de las Casas",
        expected_at=expected_at,
        contacts=contacts,
    )


def test_accompanier_can_register_a_trip_for_a_defender(
    login, accompanier, coordinator, other_accompanier, team_subject
):
    expected = (timezone.localtime() + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")

    response = login(accompanier).post(
        reverse("security:checkin-create"),
        {
            "subject": str(team_subject.pk),
            "state": str(FederalEntity.objects.get(code="07").pk),
            "municipality": "Ocosingo",
            "expected_at": expected,
            "contact_1": str(other_accompanier.pk),
        },
    )

    checkin = CheckIn.objects.get()
    assert response.status_code == 302
    assert (checkin.subject, checkin.municipality) == (team_subject, "Ocosingo")
    assert [c.user for c in checkin.contacts.all()] == [other_accompanier]


def test_accompanier_cannot_register_a_trip_in_the_past_or_alerting_themself(
    login, accompanier, other_accompanier
):
    client = login(accompanier)
    base = {
        "subject": "",
        "state": str(FederalEntity.objects.get(code="07").pk),
        "municipality": "Ocosingo",
        "expected_at": (timezone.localtime() + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "contact_1": str(other_accompanier.pk),
    }

    past = client.post(
        reverse("security:checkin-create"), {**base, "expected_at": "2020-01-01T10:00"}
    )
    myself = client.post(
        reverse("security:checkin-create"), {**base, "contact_1": str(accompanier.pk)}
    )
    twice = client.post(
        reverse("security:checkin-create"), {**base, "contact_2": str(other_accompanier.pk)}
    )

    assert (past.status_code, myself.status_code, twice.status_code) == (400, 400, 400)
    assert CheckIn.objects.count() == 0


def test_outsider_of_the_chain_cannot_see_a_checkin(
    login, accompanier, other_accompanier, coordinator
):
    checkin = _checkin(accompanier, [coordinator])
    url = reverse("security:checkin-detail", kwargs={"checkin_id": checkin.pk})

    assert login(other_accompanier).get(url).status_code == 404


def test_contact_can_see_the_checkin_they_must_be_alerted_of(
    login, accompanier, other_accompanier, coordinator
):
    checkin = _checkin(accompanier, [other_accompanier, coordinator])

    response = login(other_accompanier).get(
        reverse("security:checkin-detail", kwargs={"checkin_id": checkin.pk})
    )

    assert response.status_code == 200
    assert [c.user for c in response.context["contacts"]] == [other_accompanier, coordinator]


def test_accompanier_can_check_in_and_close_the_trip(login, accompanier, other_accompanier):
    checkin = _checkin(accompanier, [other_accompanier])

    response = login(accompanier).post(
        reverse("security:checkin-close", kwargs={"checkin_id": checkin.pk})
    )

    assert response.status_code == 302
    assert CheckIn.objects.get(pk=checkin.pk).closed_at is not None
    assert overdue_checkins_alert(now=EXPECTED + dt.timedelta(hours=5)) == 0


def test_alert_chain_waits_for_the_grace_period_then_walks_the_contacts(
    settings, accompanier, coordinator, other_accompanier
):
    settings.CHECKIN_GRACE_MINUTES = 30
    settings.CHECKIN_ALERT_STEP_MINUTES = 15
    _checkin(accompanier, [other_accompanier, coordinator])

    within_grace = overdue_checkins_alert(now=EXPECTED + dt.timedelta(minutes=29))
    first = overdue_checkins_alert(now=EXPECTED + dt.timedelta(minutes=31))
    too_soon = overdue_checkins_alert(now=EXPECTED + dt.timedelta(minutes=40))
    second = overdue_checkins_alert(now=EXPECTED + dt.timedelta(minutes=47))
    exhausted = overdue_checkins_alert(now=EXPECTED + dt.timedelta(minutes=90))

    assert (within_grace, first, too_soon, second, exhausted) == (0, 1, 0, 1, 0)
    recipients = list(
        Notification.objects.order_by("created_at").values_list("recipient", flat=True)
    )
    assert recipients == [other_accompanier.pk, coordinator.pk]


@pytest.mark.worker
def test_first_contact_can_receive_a_nameless_overdue_alert_from_the_worker(
    celery_worker, worker_outbox, accompanier, other_accompanier, coordinator, team_subject
):
    _checkin(accompanier, [other_accompanier, coordinator], subject=team_subject)
    now = EXPECTED + dt.timedelta(minutes=45)

    result = check_overdue_checkins.delay(now.isoformat())

    assert celery_worker.wait_for_task(result.id) == "succeeded"
    (sent,) = wait_for(worker_outbox)
    body = sent.get_payload(decode=True).decode()
    assert sent["To"] == other_accompanier.email
    assert "45" in body
    for secret in ("San Cristóbal", "Chiapas", "Semilla", team_subject.initials):
        assert secret not in body
        assert secret not in sent["Subject"]
    (notification,) = Notification.objects.all()
    assert notification.recipient == other_accompanier

    later = check_overdue_checkins.delay((now + dt.timedelta(minutes=20)).isoformat())

    assert celery_worker.wait_for_task(later.id) == "succeeded"
    wait_for(lambda: len(worker_outbox()) == 2)
    assert sorted(m["To"] for m in worker_outbox()) == sorted(
        [other_accompanier.email, coordinator.email]
    )


@pytest.mark.worker
def test_closed_checkins_are_deleted_after_the_retention_period_by_the_worker(
    celery_worker, accompanier, other_accompanier
):
    old = _checkin(accompanier, [other_accompanier])
    recent = _checkin(accompanier, [other_accompanier])
    still_open = _checkin(accompanier, [other_accompanier])
    checkin_close(checkin=old, actor=accompanier, now=EXPECTED - dt.timedelta(days=31))
    checkin_close(checkin=recent, actor=accompanier, now=EXPECTED - dt.timedelta(days=29))

    result = purge_closed_checkins.delay(EXPECTED.isoformat())

    assert celery_worker.wait_for_task(result.id) == "succeeded"
    assert set(CheckIn.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}


def test_retention_period_follows_the_setting(settings, accompanier, other_accompanier):
    settings.CHECKIN_RETENTION_DAYS = 7
    checkin = _checkin(accompanier, [other_accompanier])
    checkin_close(checkin=checkin, actor=accompanier, now=EXPECTED - dt.timedelta(days=8))

    assert closed_checkins_purge(now=EXPECTED) == 1
    assert CheckIn.objects.count() == 0


def test_checkin_list_query_count_is_flat(login, accompanier, other_accompanier):
    client = login(accompanier)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        _checkin(accompanier, [other_accompanier])
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("security:index"))
    for _ in range(10):
        _checkin(accompanier, [other_accompanier])
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("security:index"))

    assert response.status_code == 200
    assert len(large) == len(small)
