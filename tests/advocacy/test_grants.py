"""Donors, grants and the reminder before each donor report is due."""

import datetime as dt

import pytest
from django.urls import reverse

from advocacy.models import Donor, Grant, ReportDue
from advocacy.services import REPORT_DUE_KIND, grant_reference, report_due_reminders_send
from advocacy.tasks import send_report_due_reminders
from aluna.notifications.models import Notification
from tests.fixtures.celery_worker import wait_for

TODAY = dt.date(2031, 3, 1)


@pytest.fixture
def grant(db):
    donor = Donor.objects.create(name="Fondo Solidario Internacional")
    grant = Grant.objects.create(
        donor=donor, project="Proyecto Raíces", start=dt.date(2031, 1, 1), end=dt.date(2031, 12, 31)
    )
    ReportDue.objects.create(grant=grant, due_on=TODAY + dt.timedelta(days=10))
    ReportDue.objects.create(grant=grant, due_on=TODAY + dt.timedelta(days=200))
    return grant


def test_advocate_can_add_a_donor_and_a_grant_with_its_schedule(login, advocate):
    client = login(advocate)

    client.post(reverse("advocacy:donor-create"), {"name": "Fundación Norte", "notes": ""})
    donor = Donor.objects.get()
    response = client.post(
        reverse("advocacy:grant-create"),
        {
            "donor": donor.pk,
            "project": "Fortalecimiento 2031",
            "start": "2031-01-01",
            "end": "2031-12-31",
            "amount": "",
            "currency": "mxn",
            "due_dates": "2031-07-15\n2032-01-31\n2031-07-15",
        },
    )

    grant = Grant.objects.get()
    assert response.status_code == 302
    assert (grant.amount, grant.currency) == (None, "MXN")
    assert list(grant.due_dates.values_list("due_on", flat=True)) == [
        dt.date(2031, 7, 15),
        dt.date(2032, 1, 31),
    ]
    detail = client.get(reverse("advocacy:grant-detail", kwargs={"grant_id": grant.pk}))
    assert detail.status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end": "2030-01-01"}, "end"),
        ({"due_dates": "tomorrow"}, "due_dates"),
        ({"due_dates": ""}, "due_dates"),
        ({"amount": "-5"}, "amount"),
        ({"currency": "pesos"}, "currency"),
    ],
)
def test_advocate_cannot_add_an_invalid_grant(login, advocate, overrides, field):
    donor = Donor.objects.create(name="Fundación Norte")
    data = {
        "donor": donor.pk,
        "project": "P",
        "start": "2031-01-01",
        "end": "2031-12-31",
        "currency": "MXN",
        "due_dates": "2031-07-15",
    }
    data.update(overrides)

    response = login(advocate).post(reverse("advocacy:grant-create"), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Grant.objects.count() == 0


def test_advocate_can_be_reminded_once_before_a_report_is_due(advocate, coordinator, grant):
    first = report_due_reminders_send(today=TODAY)
    second = report_due_reminders_send(today=TODAY + dt.timedelta(days=1))

    assert (first, second) == (1, 0)
    (notification,) = Notification.objects.all()
    assert (notification.recipient, notification.kind) == (advocate, REPORT_DUE_KIND)
    assert ReportDue.objects.filter(reminded_on=TODAY).count() == 1


def test_advocate_cannot_be_reminded_of_a_report_due_far_away(advocate, grant):
    sent = report_due_reminders_send(today=TODAY - dt.timedelta(days=30))

    assert sent == 0
    assert Notification.objects.count() == 0


@pytest.mark.worker
def test_advocate_can_receive_a_nameless_due_reminder_from_the_worker(
    celery_worker, worker_outbox, advocate, grant
):
    result = send_report_due_reminders.delay(TODAY.isoformat())

    assert celery_worker.wait_for_task(result.id) == "succeeded"
    (sent,) = wait_for(worker_outbox)
    body = sent.get_payload(decode=True).decode()
    assert sent["To"] == "ines@aluna.test"
    assert grant_reference(grant) in body
    for secret in ("Fondo Solidario", "Raíces"):
        assert secret not in body
        assert secret not in sent["Subject"]

    again = send_report_due_reminders.delay(TODAY.isoformat())

    assert celery_worker.wait_for_task(again.id) == "succeeded"
    assert Notification.objects.count() == 1
    assert len(worker_outbox()) == 1


def test_advocate_can_see_grants_in_a_constant_number_of_queries(login, advocate):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(advocate)

    def add(n):
        for i in range(n):
            donor = Donor.objects.create(name=f"Donante {Donor.objects.count()}-{i}")
            grant = Grant.objects.create(
                donor=donor, project="P", start=dt.date(2031, 1, 1), end=dt.date(2031, 12, 31)
            )
            ReportDue.objects.create(grant=grant, due_on=dt.date(2031, 6, 30))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("advocacy:grant-list")).status_code == 200
        return len(queries)

    add(2)
    small = count()
    add(10)

    assert count() == small


def test_demo_seeder_can_run_twice_without_adding_anything(db):
    import random

    from advocacy.models import AdvocacyOutput
    from advocacy.seeding import seed_advocacy

    seed_advocacy(scale="small", rng=random.Random(1))
    counts = (AdvocacyOutput.objects.count(), Grant.objects.count(), ReportDue.objects.count())
    seed_advocacy(scale="small", rng=random.Random(1))

    assert counts == (12, 1, 2)
    assert (
        AdvocacyOutput.objects.count(),
        Grant.objects.count(),
        ReportDue.objects.count(),
    ) == counts
