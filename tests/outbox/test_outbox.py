"""The transactional outbox: background work is saved with the record that causes it.

Broker tests run against a private `redis-server` (the `redis_server` fixture),
never the shared one: they stop and freeze it.
"""

import datetime as dt
import importlib
import io
import json
import threading
import time
import uuid
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from aluna import celery_app
from aluna.accounts.factories import UserFactory
from aluna.core.roles import Role
from aluna.notifications.models import Notification
from aluna.notifications.tasks import deliver_notification_email
from aluna.outbox.models import OutboxMessage
from aluna.outbox.services import outbox_dispatch, outbox_enqueue
from aluna.outbox.tasks import dispatch_outbox
from crisis.models import CrisisIntervention, OnCallShift
from crisis.selectors.roster import local_week_start
from crisis.services.alerts import crisis_alerts_send
from crisis.services.interventions import crisis_record
from tests.fixtures.celery_worker import (
    RedisServer,
    TaskEnd,
    celery_producer,
    read_outbox,
    wait_for,
    wait_for_outbox,
)

DELIVER = "aluna.notifications.tasks.deliver_notification_email"
SEND_ALERTS = "crisis.send_alerts"
NARRATIVE = "Hombres armados rodearon la casa comunitaria"


class Abort(Exception):
    pass


@dataclass
class Broker:
    """This process's Celery producer, pointed at a private Redis and queue."""

    server: RedisServer
    queue: str

    def queued(self) -> list[tuple[str, str, list]]:
        """(task name, task id, args) of each message waiting in the queue, oldest first."""
        import redis

        client = redis.Redis.from_url(self.server.url)
        try:
            raw = client.lrange(self.queue, 0, -1)
        finally:
            client.close()
        messages = [json.loads(item) for item in reversed(raw)]
        return [
            (m["headers"]["task"], m["headers"]["id"], json.loads(_body(m))[0]) for m in messages
        ]


def _body(message: dict) -> bytes:
    import base64

    return base64.b64decode(message["body"])


@pytest.fixture
def broker(redis_server, transactional_db):
    queue = f"outbox-{uuid.uuid4().hex[:8]}"
    with celery_producer(broker_url=redis_server.url, queue=queue):
        yield Broker(server=redis_server, queue=queue)


def _roster(*users):
    week = local_week_start(at=timezone.now())
    for position, user in enumerate(users):
        OnCallShift.objects.create(week_start=week, user=user, position=position)


def _quick_post(subject, *responders) -> dict:
    return {
        "subject_query": subject.alias,
        "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "phone",
        "risk_level": "high",
        "actions_taken": NARRATIVE,
        "responders": [str(user.pk) for user in responders],
    }


def _redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "aluna.core.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }


# --- Enqueue: the row lives and dies with the caller's transaction ----------------------------


def test_service_cannot_leave_a_row_or_publish_a_task_when_its_transaction_rolls_back(broker):
    with pytest.raises(Abort), transaction.atomic():
        outbox_enqueue(deliver_notification_email, str(uuid.uuid4()))
        raise Abort

    assert OutboxMessage.objects.count() == 0
    assert broker.queued() == []


def test_service_can_publish_a_committed_task_under_its_row_id(broker):
    notification_id = str(uuid.uuid4())

    with transaction.atomic():
        message = outbox_enqueue(deliver_notification_email, notification_id)
        queued_before_commit = broker.queued()

    message.refresh_from_db()
    assert queued_before_commit == []
    assert broker.queued() == [(DELIVER, str(message.pk), [notification_id])]
    assert message.dispatched_at is not None
    assert message.attempts == 1
    assert message.last_error == ""


def test_service_cannot_enqueue_arguments_that_are_not_ids(db):
    with pytest.raises(TypeError):
        outbox_enqueue(deliver_notification_email, {"name": "María López"})

    assert OutboxMessage.objects.count() == 0


def test_notification_email_can_wait_in_the_outbox_with_its_notification(accompanier):
    from aluna.notifications.services import notification_send

    (notification,) = notification_send(
        recipients=[accompanier],
        kind="case-note",
        message="A case you follow was closed.",
        url="/acompanamiento/",
    )

    (message,) = OutboxMessage.objects.all()
    assert (message.task_name, message.args) == (DELIVER, [str(notification.pk)])


# --- The dispatcher --------------------------------------------------------------------------


def test_dispatcher_cannot_take_a_fresh_row_from_its_on_commit_publish(broker):
    # A row whose on-commit publish has not run (its process died right after commit).
    OutboxMessage.objects.create(
        task_name=DELIVER,
        args=["1"],
        available_at=timezone.now() + dt.timedelta(seconds=15),
    )

    published_now = outbox_dispatch()
    published_later = outbox_dispatch(now=timezone.now() + dt.timedelta(seconds=16))

    assert (published_now, published_later) == (0, 1)
    assert [name for name, _id, _args in broker.queued()] == [DELIVER]


def test_dispatcher_cannot_publish_a_row_another_dispatcher_holds(broker):
    held = OutboxMessage.objects.create(task_name=DELIVER, args=["held"])
    free = OutboxMessage.objects.create(task_name=DELIVER, args=["free"])
    locked, release = threading.Event(), threading.Event()

    def other_dispatcher():
        from django.db import connection

        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_dispatcher)
    thread.start()
    try:
        locked.wait(10)
        published = outbox_dispatch()
    finally:
        release.set()
        thread.join()

    assert published == 1
    assert broker.queued() == [(DELIVER, str(free.pk), ["free"])]
    assert OutboxMessage.objects.get(pk=held.pk).dispatched_at is None


def test_dispatcher_can_publish_what_waited_while_redis_was_down(broker):
    broker.server.stop()
    message = outbox_enqueue(deliver_notification_email, "42")  # autocommit: publishes at once
    message.refresh_from_db()
    assert (message.dispatched_at, message.attempts, message.last_error) == (
        None,
        1,
        "OperationalError",
    )
    published_while_down = outbox_dispatch()

    broker.server.start()
    published = outbox_dispatch()

    message.refresh_from_db()
    assert (published_while_down, published) == (0, 1)
    assert message.dispatched_at is not None
    assert message.attempts == 3
    assert broker.queued() == [(DELIVER, str(message.pk), ["42"])]


def test_service_can_publish_after_redis_restarts_under_a_pooled_connection(broker):
    first = outbox_enqueue(deliver_notification_email, "1")  # opens the pooled connection
    broker.server.stop()
    broker.server.start()  # same port, empty: the pooled connection is dead

    second = outbox_enqueue(deliver_notification_email, "2")

    second.refresh_from_db()
    assert second.dispatched_at is not None
    assert broker.queued() == [(DELIVER, str(second.pk), ["2"])]
    assert first.pk != second.pk


def test_operator_can_publish_everything_pending_with_the_command(broker):
    for number in range(3):
        OutboxMessage.objects.create(task_name=DELIVER, args=[str(number)])

    call_command("outbox_dispatch", "--all", "--limit", "2", stdout=io.StringIO())

    assert OutboxMessage.objects.filter(dispatched_at__isnull=True).count() == 0
    assert [args for _name, _id, args in broker.queued()] == [["0"], ["1"], ["2"]]


def test_beat_can_run_the_dispatcher_every_fifteen_seconds(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["outbox-dispatch"]

    assert entry["task"] == dispatch_outbox.name == "aluna.outbox.dispatch"
    assert entry["schedule"] == 15.0
    assert entry["task"] in celery_app.tasks


# Names are what the outbox stores and beat schedules: a rename would strand them.
ENQUEUED_BY_NAME = [
    ("aluna.notifications.services", "DELIVER_EMAIL_TASK", DELIVER),
    ("advocacy.services", "GENERATE_REPORT_TASK", "advocacy.tasks.generate_donor_report"),
]


@pytest.mark.parametrize(("module", "constant", "name"), ENQUEUED_BY_NAME)
def test_services_enqueue_tasks_by_the_name_a_worker_knows_them_by(module, constant, name):
    enqueued = getattr(importlib.import_module(module), constant)

    celery_app.loader.import_default_modules()

    assert enqueued == name
    assert celery_app.tasks[name].name == name


def test_beat_can_still_remind_the_advocacy_team_of_reports_due(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["advocacy-report-due-reminders"]

    celery_app.loader.import_default_modules()

    assert celery_app.tasks[entry["task"]].name == "advocacy.tasks.send_report_due_reminders"


# --- Crisis alerts ----------------------------------------------------------------------------


def test_crisis_alerts_sent_twice_cannot_notify_anybody_twice(
    accompanier, coordinator, team_subject
):
    _roster(coordinator)
    crisis = crisis_record(
        actor=accompanier,
        data={
            "subject": team_subject,
            "contacted_at": timezone.now(),
            "channel": "phone",
            "risk_level": "high",
        },
    )

    first = crisis_alerts_send(intervention_id=crisis.pk, now=timezone.now())
    second = crisis_alerts_send(intervention_id=crisis.pk, now=timezone.now())

    assert (first, second) == (2, 0)
    assert Notification.objects.count() == 2
    assert sorted(OutboxMessage.objects.values_list("task_name", flat=True)) == sorted(
        [SEND_ALERTS, DELIVER, DELIVER]
    )


def test_staff_can_save_a_crisis_while_redis_is_frozen(
    broker, settings, login, accompanier, team_subject
):
    """A hung Redis (accepts connections, answers nothing) costs the socket timeout, once."""
    client = login(accompanier)
    # Pablo opens the form first, as he would: the timed save is then not this process's
    # first page, whose one-time start-up (templates, translations) takes a second or
    # more on a busy machine.
    client.get(reverse("crisis:crisis-create"))
    broker.server.freeze()
    try:
        started = time.monotonic()
        response = client.post(reverse("crisis:crisis-create"), _quick_post(team_subject))
        elapsed = time.monotonic() - started
    finally:
        broker.server.thaw()
    print(f"\ncrisis save with Redis frozen: {elapsed * 1000:.0f} ms")

    (message,) = OutboxMessage.objects.all()
    assert response.status_code == 302
    assert CrisisIntervention.objects.count() == 1
    assert (message.task_name, message.dispatched_at) == (SEND_ALERTS, None)
    # The connection opens (the kernel accepts it for the stopped process) and its first
    # command times out; Celery's send_task re-raises that as kombu's OperationalError.
    assert message.last_error == "OperationalError"
    assert elapsed < 4  # one socket timeout (2 s), not two


def test_superuser_can_see_messages_pending_for_too_long(login, db):
    superuser = UserFactory(
        email="root@aluna.test", roles=[Role.ADMINISTRATION], is_staff=True, is_superuser=True
    )
    stale = OutboxMessage.objects.create(
        task_name=SEND_ALERTS,
        args=["7"],
        created_at=timezone.now() - dt.timedelta(hours=1),
    )
    OutboxMessage.objects.create(task_name=DELIVER, args=["8"])
    client = login(superuser)

    response = client.get("/admin/outbox/outboxmessage/", {"state": "stale"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [stale]


# --- Redis down: the crisis is saved, its alert goes out when Redis is back -----------------


@pytest.mark.worker
@pytest.mark.xdist_group("outbox_faults")
def test_staff_can_save_a_crisis_with_redis_down_and_alerts_go_out_once_it_is_back(
    redis_server,
    start_celery_worker,
    settings,
    login,
    accompanier,
    other_accompanier,
    coordinator,
    team_subject,
):
    # Arrange: all of Redis (broker and cache) is the private server; a worker listens on it.
    queue = f"outage-{uuid.uuid4().hex[:8]}"
    settings.CACHES = _redis_cache(redis_server.url)
    worker = start_celery_worker(redis_url=redis_server.url, queue=queue)
    _roster(coordinator)
    client = login(accompanier)
    client.get(reverse("crisis:crisis-create"))  # warm: the timed save is not the first page

    with celery_producer(broker_url=redis_server.url, queue=queue):
        redis_server.stop()

        # Act: Pablo logs a crisis, with Olga on it, while Redis is down.
        started = time.monotonic()
        response = client.post(
            reverse("crisis:crisis-create"),
            _quick_post(team_subject, accompanier, other_accompanier),
        )
        elapsed = time.monotonic() - started
        print(f"\ncrisis save with Redis stopped: {elapsed * 1000:.0f} ms")

        # Assert: saved, no error page, the alert waits in the outbox.
        crisis = CrisisIntervention.objects.get()
        (waiting,) = OutboxMessage.objects.all()
        assert response.status_code == 302
        assert response.url == reverse("crisis:crisis-detail", kwargs={"crisis_id": crisis.pk})
        assert (waiting.task_name, waiting.args) == (SEND_ALERTS, [str(crisis.pk)])
        assert (waiting.dispatched_at, waiting.last_error) == (None, "OperationalError")
        assert elapsed < 1.5

        # Act: Redis is back; beat's dispatcher runs on the worker.
        redis_server.start()
        dispatch = dispatch_outbox.delay()
        dispatched = worker.wait_for_task_end(dispatch.id, timeout=40)
        # Every row's task has ended and the broker holds nothing more: the count is final.
        rows = wait_for_outbox(worker, timeout=40)
        wait_for(lambda: redis_server.holds_no_task(queue))
        emails = read_outbox(worker.outbox)

    # Assert: the dispatcher published the alert; the on-call coordinator and the team
    # get one e-mail each, once.
    assert dispatched == TaskEnd("succeeded", "1")
    assert sorted(message["To"] for message in emails) == sorted(
        [accompanier.email, other_accompanier.email, coordinator.email]
    )
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()
    assert OutboxMessage.objects.filter(task_name=DELIVER).count() == 3
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 3
    assert rows[str(waiting.pk)] == [TaskEnd("succeeded", "3")]  # three people alerted
    assert sorted(len(ends) for ends in rows.values()) == [1, 1, 1, 1]  # each task ran once
