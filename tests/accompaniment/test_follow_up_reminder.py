"""The follow-up reminder: the lead hears of a due follow-up once, without any name."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accompaniment.factories import CollectiveFactory, ProcessFactory
from accompaniment.models import Process, ProcessStatus
from accompaniment.services.reminders import (
    FOLLOW_UP_KIND,
    FOLLOW_UP_MESSAGE,
    follow_up_reminders_send,
    process_reference,
)
from accompaniment.tasks import send_follow_up_reminders
from aluna.notifications.models import Notification
from tests.fixtures.celery_worker import wait_for

DUE_DAY = dt.date(2031, 5, 6)


@pytest.fixture
def due_process(accompanier):
    return ProcessFactory(
        subject=CollectiveFactory(
            name="Colectivo Raíces del Sur", alias="Semilla Norte", municipality="San Cristóbal"
        ),
        lead=accompanier,
        next_follow_up=DUE_DAY,
    )


def _expected_text(process) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(FOLLOW_UP_MESSAGE) % {"code": process_reference(process)}


@pytest.mark.worker
def test_lead_can_receive_one_nameless_follow_up_email_from_the_worker(
    celery_worker, worker_outbox, accompanier, other_accompanier, due_process
):
    ProcessFactory(lead=other_accompanier, next_follow_up=DUE_DAY + dt.timedelta(days=1))
    ProcessFactory(lead=other_accompanier, next_follow_up=DUE_DAY, status=ProcessStatus.CLOSED)

    result = send_follow_up_reminders.delay(DUE_DAY.isoformat())

    assert celery_worker.wait_for_task(result.id) == "succeeded"
    (sent,) = wait_for(worker_outbox)
    (notification,) = Notification.objects.all()
    wait_for(lambda: Notification.objects.get(pk=notification.pk).emailed_at is not None)
    body = sent.get_payload(decode=True).decode()
    assert sent["To"] == "pablo@aluna.test"
    assert body.splitlines()[0] == _expected_text(due_process)
    for secret in ("Raíces", "Semilla", "San Cristóbal", due_process.subject.initials):
        assert secret not in body
        assert secret not in sent["Subject"]
    assert (notification.recipient, notification.kind) == (accompanier, FOLLOW_UP_KIND)
    assert Process.objects.get(pk=due_process.pk).follow_up_reminded_on == DUE_DAY

    again = send_follow_up_reminders.delay(DUE_DAY.isoformat())

    assert celery_worker.wait_for_task(again.id) == "succeeded"
    assert Notification.objects.count() == 1
    assert len(worker_outbox()) == 1


def test_lead_cannot_be_reminded_twice_the_same_day(accompanier, due_process):
    first = follow_up_reminders_send(today=DUE_DAY)
    second = follow_up_reminders_send(today=DUE_DAY)

    assert (first, second) == (1, 0)
    assert Notification.objects.filter(recipient=accompanier).count() == 1


def test_lead_can_be_reminded_again_for_a_later_follow_up(accompanier, due_process):
    follow_up_reminders_send(today=DUE_DAY)
    later = DUE_DAY + dt.timedelta(days=30)
    Process.objects.filter(pk=due_process.pk).update(next_follow_up=later)

    assert follow_up_reminders_send(today=later) == 1
    assert Notification.objects.filter(recipient=accompanier).count() == 2


def test_lead_cannot_be_reminded_of_an_archived_or_closed_process(accompanier, due_process):
    Process.objects.filter(pk=due_process.pk).update(is_archived=True)
    ProcessFactory(lead=accompanier, next_follow_up=DUE_DAY, status=ProcessStatus.CLOSED)

    assert follow_up_reminders_send(today=DUE_DAY) == 0
    assert Notification.objects.count() == 0


def test_follow_up_notification_carries_only_a_code_and_an_internal_link(accompanier, due_process):
    follow_up_reminders_send(today=DUE_DAY)

    (notification,) = Notification.objects.all()
    code = process_reference(due_process)
    assert notification.params == {"code": code}
    assert code == f"ACO-{due_process.opened_on:%Y}-{due_process.pk.hex[:8].upper()}"
    assert notification.url == reverse(
        "accompaniment:process-detail", kwargs={"process_id": due_process.pk}
    )
