"""The real Celery worker delivers notification e-mails, once."""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from aluna.notifications import tasks
from aluna.notifications.models import Notification
from aluna.notifications.services import notification_send
from tests.fixtures.celery_worker import wait_for

pytestmark = pytest.mark.worker

MESSAGE = gettext_noop("Case %(code)s has a new follow-up note.")


def _expected(text_id: str, **params) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(text_id) % params if params else gettext(text_id)


def test_accompanier_can_receive_a_notification_email_from_the_worker(
    celery_worker, worker_outbox, accompanier
):
    (notification,) = notification_send(
        recipients=[accompanier],
        kind="case-note",
        message=MESSAGE,
        params={"code": "ACO-2025-0012"},
        url="/acompanamiento/casos/12/",
    )

    (sent,) = wait_for(worker_outbox)
    notification.refresh_from_db()
    wait_for(lambda: Notification.objects.get(pk=notification.pk).emailed_at is not None)
    body = sent.get_payload(decode=True).decode()
    assert sent["To"] == "pablo@aluna.test"
    assert sent["Subject"] == "[Aluna] " + _expected("You have a new notification")
    assert body.splitlines()[0] == _expected(MESSAGE, code="ACO-2025-0012")
    assert "http://127.0.0.1:8000/acompanamiento/casos/12/" in body.splitlines()
    assert "Pablo" not in body


def test_worker_cannot_send_the_same_notification_email_twice(
    celery_worker, worker_outbox, accompanier
):
    (notification,) = notification_send(
        recipients=[accompanier],
        kind="case-note",
        message=MESSAGE,
        params={"code": "ACO-2025-0012"},
        url="/acompanamiento/casos/12/",
    )
    wait_for(lambda: Notification.objects.get(pk=notification.pk).emailed_at is not None)

    second = tasks.deliver_notification_email.delay(str(notification.pk))

    assert celery_worker.wait_for_task(second.id) == "succeeded"
    assert len(worker_outbox()) == 1


def test_worker_cannot_send_an_email_when_the_transaction_rolls_back(
    celery_worker, worker_outbox, accompanier
):
    from django.db import transaction

    class Abort(Exception):
        pass

    received_before = celery_worker.log().count("] received")
    with pytest.raises(Abort), transaction.atomic():
        notification_send(
            recipients=[accompanier],
            kind="case-note",
            message=MESSAGE,
            params={"code": "ACO-2025-0012"},
            url="/acompanamiento/casos/12/",
        )
        raise Abort
    # A later notification goes out; had the first been enqueued, the worker would have got it too.
    notification_send(
        recipients=[accompanier],
        kind="case-closed",
        message=gettext_noop("A case you follow was closed."),
        url="/acompanamiento/",
    )

    (sent,) = wait_for(worker_outbox)
    assert sent.get_payload(decode=True).decode().splitlines()[0] == _expected(
        "A case you follow was closed."
    )
    assert Notification.objects.count() == 1
    assert celery_worker.log().count("] received") == received_before + 1
