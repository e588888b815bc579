"""A worker killed in the middle of a task: another worker runs it again, and sends nothing twice.

Real pieces only: a private `redis-server`, real worker processes, a real SMTP
server (aiosmtpd) that holds one message unanswered so the first worker can be
killed while it waits.
"""

import asyncio
import threading
import uuid

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from aluna.notifications.models import Notification
from aluna.outbox.models import OutboxMessage
from crisis.models import OnCallShift
from crisis.selectors.roster import local_week_start
from crisis.services.interventions import crisis_record
from tests.fixtures.celery_worker import (
    TaskEnd,
    celery_producer,
    free_port,
    wait_for,
    wait_for_outbox,
)

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("outbox_faults")]

# The restored message goes back to the queue this long after its worker took it.
VISIBILITY_TIMEOUT = 2


class HoldingSMTPHandler:
    """Accepts every message, except the first one addressed to `hold`.

    That one gets no answer to its RCPT until the test releases it, and is
    then refused: a client killed meanwhile has delivered nothing.
    """

    def __init__(self, *, hold: str):
        self.hold = hold
        self.delivered: list[str] = []
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.hold and not self.holding.is_set():
            self.holding.set()
            await asyncio.to_thread(self.release.wait, 60)
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.delivered.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.fixture
def start_smtp_server():
    """Start a real SMTP server on a free port with the given handler; stopped at the end."""
    started: list[Controller] = []

    def start(handler: HoldingSMTPHandler) -> Controller:
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        started.append(controller)
        return controller

    yield start
    for controller in started:
        controller.handler.release.set()
        controller.stop()


def test_worker_killed_while_sending_a_crisis_alert_leaves_it_to_another_worker_once(
    redis_server,
    start_celery_worker,
    start_smtp_server,
    accompanier,
    other_accompanier,
    coordinator,
    team_subject,
):
    # Arrange: coordinator on call; Pablo and Olga on the crisis. The SMTP server
    # holds Olga's e-mail unanswered.
    OnCallShift.objects.create(
        week_start=local_week_start(at=timezone.now()), user=coordinator, position=0
    )
    smtp = HoldingSMTPHandler(hold=other_accompanier.email)
    smtp_port = start_smtp_server(smtp).port
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    worker_env = {
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    worker_a = start_celery_worker(redis_url=redis_server.url, queue=queue, env=worker_env)

    with celery_producer(broker_url=redis_server.url, queue=queue):
        crisis_record(
            actor=accompanier,
            data={
                "subject": team_subject,
                "contacted_at": timezone.now(),
                "channel": "phone",
                "risk_level": "critical",
                "responders": [accompanier, other_accompanier],
            },
        )
        assert smtp.holding.wait(30), worker_a.log()
        to_olga = Notification.objects.get(recipient=other_accompanier)
        (task,) = OutboxMessage.objects.filter(args=[str(to_olga.pk)])

        # Act: worker A dies mid-task (SIGKILL, whole process group); worker B starts once
        # the broker would hand A's message to another worker (B restores such messages
        # as it starts): when it has been unacknowledged for the visibility timeout.
        worker_a.kill()
        wait_for(lambda: min(redis_server.unacked_ages(), default=0) > VISIBILITY_TIMEOUT)
        worker_b = start_celery_worker(redis_url=redis_server.url, queue=queue, env=worker_env)
        # Every row's task has ended and the broker holds nothing more: nothing can follow.
        rows = wait_for_outbox(worker_a, worker_b)
        wait_for(lambda: redis_server.holds_no_task(queue))

    # Assert: everyone got exactly one e-mail; Olga's was sent by worker B, under the same task id.
    assert sorted(smtp.delivered) == sorted(
        [accompanier.email, other_accompanier.email, coordinator.email]
    )
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    assert str(task.pk) not in worker_a.task_ends()
    assert worker_b.task_ends()[str(task.pk)] == [TaskEnd("succeeded", "True")]
    assert sorted(len(ends) for ends in rows.values()) == [1, 1, 1, 1]  # each task ran once
