"""The audit chain's head published outside the database, and the attacks it catches.

Each attack is what a database owner can do: switch the append-only trigger
off, change the table, switch it on again. The chain alone still verifies
after each of them; the anchors do not.
"""

import json
import os
import socket
import stat
import uuid
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from aluna import celery_app
from aluna.audit.anchor import Anchor, anchor_line, anchor_publish, parse_anchor_line
from aluna.audit.management.commands.verify_audit import check_anchors, find_chain_problems
from aluna.audit.models import AuditAction, AuditEvent
from aluna.audit.services import audit_record
from aluna.audit.tasks import publish_audit_anchor
from tests.fixtures.celery_worker import celery_producer

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the trigger exists on PostgreSQL only"
)


def _record_some(actor, n):
    return [
        audit_record(
            action=AuditAction.VIEW,
            actor=actor,
            target_type="accompaniment.subject",
            target_id=str(uuid.uuid4()),
        )
        for _ in range(n)
    ]


def _as_table_owner(*statements):
    """Run SQL as the database owner would: trigger off, change, trigger on again."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def _anchor_lines() -> list[dict]:
    return [json.loads(line) for line in Path(settings.AUDIT_ANCHOR_PATH).read_text().splitlines()]


def _when(anchor: Anchor) -> str:
    return f"{anchor.at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


# --- Publishing -------------------------------------------------------------------------


def test_beat_publishes_the_chain_head_every_minute():
    assert settings.CELERY_BEAT_SCHEDULE["audit-anchor"] == {
        "task": "aluna.audit.anchor",
        "schedule": 60.0,
        "options": {"expires": 55},
    }
    assert celery_app.tasks["aluna.audit.anchor"].run is publish_audit_anchor.run


def test_anchor_task_appends_the_chain_head_as_a_signed_line(coordinator):
    events = _record_some(coordinator, 3)

    sequence = publish_audit_anchor()

    assert sequence == 3
    [line] = _anchor_lines()
    assert (line["sequence"], line["hmac"], line["reason"]) == (3, events[-1].hmac, "beat")
    assert sorted(line) == ["at", "hmac", "mac", "reason", "sequence"]
    mode = stat.S_IMODE(os.stat(settings.AUDIT_ANCHOR_PATH).st_mode)
    assert mode == 0o600


def test_each_anchor_is_appended_after_the_earlier_ones(coordinator):
    _record_some(coordinator, 1)
    anchor_publish(reason="beat")
    first = Path(settings.AUDIT_ANCHOR_PATH).read_text()
    _record_some(coordinator, 2)

    anchor_publish(reason="beat")

    text = Path(settings.AUDIT_ANCHOR_PATH).read_text()
    assert text.startswith(first)
    assert [line["sequence"] for line in _anchor_lines()] == [1, 3]


def test_an_empty_trail_is_anchored_as_sequence_zero(db):
    anchor = anchor_publish(reason="beat")

    assert (anchor.sequence, anchor.hmac) == (0, "")
    assert check_anchors(settings.AUDIT_ANCHOR_PATH) == []


def test_anchor_goes_to_syslog_when_configured(coordinator, settings):
    events = _record_some(coordinator, 2)
    collector = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    collector.bind(("127.0.0.1", 0))
    collector.settimeout(5)
    settings.AUDIT_ANCHOR_PATH = ""
    settings.AUDIT_ANCHOR_SYSLOG = f"udp://127.0.0.1:{collector.getsockname()[1]}"
    try:
        anchor_publish(reason="beat")
        datagram = collector.recv(4096).decode()
    finally:
        collector.close()

    assert datagram.startswith("<")  # a syslog priority, then our ident
    assert "aluna-audit-anchor: " in datagram
    received = parse_anchor_line(datagram)
    assert (received.sequence, received.hmac) == (2, events[-1].hmac)


# --- Verifying ------------------------------------------------------------------------


def test_verify_audit_passes_when_the_head_matches_a_fresh_anchor(coordinator, capsys):
    _record_some(coordinator, 4)
    anchor_publish(reason="beat")
    _record_some(coordinator, 1)  # written since the anchor: fine, it is recent

    call_command("verify_audit")

    assert capsys.readouterr().out.strip() == "Audit chain intact: 5 event(s)."


def test_verify_audit_fails_without_an_anchor_file(coordinator):
    _record_some(coordinator, 2)

    assert check_anchors(settings.AUDIT_ANCHOR_PATH) == [
        f"no audit anchor file at {settings.AUDIT_ANCHOR_PATH}: the newest events cannot be checked"
    ]
    with pytest.raises(CommandError, match="Audit chain broken: 1 problem"):
        call_command("verify_audit")


@postgresql_only
def test_deleting_the_newest_events_is_reported(coordinator):
    _record_some(coordinator, 5)
    anchor = anchor_publish(reason="beat")
    _as_table_owner("DELETE FROM audit_auditevent WHERE sequence >= 3")

    # The chain alone does not notice: what is left is a valid, shorter chain.
    assert find_chain_problems() == (2, [])
    assert check_anchors(settings.AUDIT_ANCHOR_PATH) == [
        f"events 3-5: missing after the last event (deleted tail; the anchor of "
        f"{_when(anchor)} recorded event 5)"
    ]
    with pytest.raises(CommandError, match="Audit chain broken: 1 problem"):
        call_command("verify_audit")
    # The trigger is back: the application's own connection cannot delete.
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence = 1")


@postgresql_only
def test_truncating_the_table_is_reported(coordinator):
    _record_some(coordinator, 5)
    anchor = anchor_publish(reason="beat")
    _as_table_owner("TRUNCATE audit_auditevent")

    assert find_chain_problems() == (0, [])
    assert check_anchors(settings.AUDIT_ANCHOR_PATH) == [
        f"the audit table is empty, but the anchor of {_when(anchor)} recorded event 5: "
        "the table was truncated"
    ]


@postgresql_only
def test_replacing_the_table_with_a_new_chain_is_reported(coordinator, accompanier):
    _record_some(coordinator, 5)
    anchor = anchor_publish(reason="beat")
    _as_table_owner("TRUNCATE audit_auditevent")
    # The application goes on writing: a new, valid chain from 1, longer than the old one.
    _record_some(accompanier, 7)

    assert find_chain_problems() == (7, [])
    assert check_anchors(settings.AUDIT_ANCHOR_PATH) == [
        f"event 5: differs from the anchor of {_when(anchor)} (1 anchor(s) disagree): "
        "the table was replaced or rolled back"
    ]


def test_a_gap_since_the_last_anchor_is_reported(coordinator):
    _record_some(coordinator, 3)
    # Beat stopped ten minutes ago, right after its last anchor; two events since.
    sequence, head = AuditEvent.objects.values_list("sequence", "hmac").get(sequence=3)
    stale = Anchor(
        at=timezone.now() - timedelta(minutes=10), sequence=sequence, hmac=head, reason="beat"
    )
    Path(settings.AUDIT_ANCHOR_PATH).write_text(anchor_line(stale) + "\n")
    _record_some(coordinator, 2)

    assert check_anchors(settings.AUDIT_ANCHOR_PATH) == [
        f"no anchor since {_when(stale)} (10 min): events after 3 are not protected "
        "against deletion"
    ]


def test_an_anchor_written_without_the_key_is_refused(coordinator):
    events = _record_some(coordinator, 4)
    anchor = anchor_publish(reason="beat")
    # Someone lowers the anchored head to hide a deleted tail, without the key.
    forged = dict(_anchor_lines()[0], sequence=2, hmac=events[1].hmac)
    with open(settings.AUDIT_ANCHOR_PATH, "a") as anchors:
        anchors.write(json.dumps(forged) + "\n")

    assert parse_anchor_line(json.dumps(forged)) is None
    assert check_anchors(settings.AUDIT_ANCHOR_PATH) == [
        f"1 line(s) of {settings.AUDIT_ANCHOR_PATH} are not valid anchors (forged or damaged)"
    ]
    assert anchor.sequence == 4


def test_a_real_worker_publishes_the_anchor_when_beat_sends_the_task_by_name(
    start_celery_worker, redis_server, coordinator, tmp_path
):
    events = _record_some(coordinator, 2)
    anchor_file = tmp_path / "anchor-volume" / "audit-anchor.log"
    anchor_file.parent.mkdir()
    queue = f"anchor-{uuid.uuid4().hex[:8]}"
    worker = start_celery_worker(
        redis_url=redis_server.url, queue=queue, env={"AUDIT_ANCHOR_PATH": str(anchor_file)}
    )

    with celery_producer(broker_url=redis_server.url, queue=queue):
        sent = celery_app.send_task("aluna.audit.anchor")
    end = worker.wait_for_task_end(sent.id)

    assert end.outcome == "succeeded"
    [line] = anchor_file.read_text().splitlines()
    anchor = parse_anchor_line(line)
    assert (anchor.sequence, anchor.hmac, anchor.reason) == (2, events[-1].hmac, "beat")
