"""The audit trail: what an event holds, that it cannot be changed, and the hash chain."""

import threading
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.test import RequestFactory

from aluna.accounts.models import User
from aluna.audit.anchor import anchor_publish
from aluna.audit.management.commands.verify_audit import find_chain_problems
from aluna.audit.models import AuditAction, AuditEvent, AuditEventImmutableError
from aluna.audit.selectors import audit_views_of
from aluna.audit.services import audit_record, audit_target_type, identifier_hash

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the trigger exists on PostgreSQL only"
)


def _request(user, *, ip="203.0.113.77"):
    request = RequestFactory().get("/", REMOTE_ADDR=ip)
    request.user = user
    request.request_id = uuid.uuid4().hex
    return request


def _record_some(actor, n):
    return [
        audit_record(
            action=AuditAction.VIEW,
            actor=actor,
            target_type="accounts.user",
            target_id=str(uuid.uuid4()),
        )
        for _ in range(n)
    ]


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        # The test runs in one transaction: fire the deferred foreign-key checks
        # now, or PostgreSQL refuses ALTER TABLE/TRUNCATE for "pending trigger events".
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params)


# --- What an event holds -----------------------------------------------------------


def test_coordinator_viewing_a_record_is_recorded_with_request_and_network(coordinator):
    request = _request(coordinator)
    record_id = uuid.uuid4()

    event = audit_record(
        action=AuditAction.VIEW,
        target_type="accompaniment.subject",
        target_id=record_id,
        request=request,
        metadata={"section": "sessions", "page": 2},
    )

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == coordinator
    assert stored.action == "view"
    assert stored.target_type == "accompaniment.subject"
    assert stored.target_id == str(record_id)
    assert stored.request_id == request.request_id
    assert stored.ip_network == "203.0.113.0"
    assert stored.metadata == {"section": "sessions", "page": 2}


def test_ipv6_address_is_truncated_to_its_network(coordinator):
    event = audit_record(action="view", request=_request(coordinator, ip="2001:db8:1:2:3::9"))

    assert AuditEvent.objects.get(pk=event.pk).ip_network == "2001:db8:1::"


def test_behind_our_own_proxy_the_trail_records_the_client_network(coordinator, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    request = _request(coordinator, ip="10.0.0.5")
    request.META["HTTP_X_FORWARDED_FOR"] = "198.51.100.1, 203.0.113.77"

    event = audit_record(action="view", request=request)

    assert AuditEvent.objects.get(pk=event.pk).ip_network == "203.0.113.0"


def test_a_forged_forwarded_header_changes_nothing_without_a_trusted_proxy(coordinator):
    request = _request(coordinator, ip="192.0.2.44")
    request.META["HTTP_X_FORWARDED_FOR"] = "203.0.113.77"

    event = audit_record(action="view", request=request)

    assert AuditEvent.objects.get(pk=event.pk).ip_network == "192.0.2.0"


def test_audit_target_type_names_app_and_model(coordinator):
    assert audit_target_type(coordinator) == "accounts.user"
    assert audit_target_type(User) == "accounts.user"


@pytest.mark.parametrize(
    "metadata",
    [
        {"note": "Amenazas de la policía municipal"},
        {"email": "ana@aluna.test"},
        {"score": 1.5},
        {"ids": ["a", "b"]},
        {"nested": {"a": 1}},
        {"bad key": 1},
    ],
)
def test_caller_cannot_put_free_text_in_metadata(coordinator, metadata):
    with pytest.raises(ValueError):
        audit_record(action=AuditAction.VIEW, actor=coordinator, metadata=metadata)

    assert AuditEvent.objects.count() == 0


def test_caller_cannot_record_a_name_as_target_id(coordinator):
    with pytest.raises(ValueError):
        audit_record(action="view", actor=coordinator, target_type="a.b", target_id="Ana López")


def test_event_rolls_back_with_the_callers_transaction(coordinator):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action=AuditAction.UPDATE, actor=coordinator, target_type="a.b")
        raise RuntimeError("the change failed")

    assert AuditEvent.objects.count() == 0


def test_identifier_hash_is_keyed_and_normalised():
    assert identifier_hash(" Ana@Aluna.test ") == identifier_hash("ana@aluna.test")
    assert identifier_hash("ana@aluna.test") != identifier_hash("olga@aluna.test")
    assert "ana" not in identifier_hash("ana@aluna.test")


def test_who_viewed_lists_only_disclosures_of_that_record_newest_first(coordinator, accompanier):
    record, other = str(uuid.uuid4()), str(uuid.uuid4())
    first = audit_record(action="view", actor=accompanier, target_type="a.b", target_id=record)
    audit_record(action="update", actor=accompanier, target_type="a.b", target_id=record)
    audit_record(action="view", actor=accompanier, target_type="a.b", target_id=other)
    audit_record(action="view", actor=accompanier, target_type="a.c", target_id=record)
    last = audit_record(action="download", actor=coordinator, target_type="a.b", target_id=record)

    events = audit_views_of(target_type="a.b", target_id=record)

    assert [e.pk for e in events] == [last.pk, first.pk]


# --- Append-only --------------------------------------------------------------------


def test_nobody_can_update_an_event_through_the_model(coordinator):
    event = audit_record(action="view", actor=coordinator)
    event.action = "delete"

    with pytest.raises(AuditEventImmutableError):
        event.save()
    with pytest.raises(AuditEventImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="delete")

    assert AuditEvent.objects.get(pk=event.pk).action == "view"


def test_nobody_can_delete_an_event_through_the_model(coordinator):
    event = audit_record(action="view", actor=coordinator)

    with pytest.raises(AuditEventImmutableError):
        event.delete()
    with pytest.raises(AuditEventImmutableError):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.count() == 1


@postgresql_only
def test_nobody_can_update_delete_or_truncate_an_event_with_raw_sql(coordinator):
    event = audit_record(action="view", actor=coordinator)

    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE audit_auditevent SET action = 'delete' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("TRUNCATE audit_auditevent")

    assert AuditEvent.objects.get(pk=event.pk).action == "view"


# --- The chain --------------------------------------------------------------------------


def test_events_are_numbered_one_after_the_other(coordinator):
    events = _record_some(coordinator, 3)

    assert [e.sequence for e in events] == [1, 2, 3]


def test_verify_audit_passes_on_an_intact_chain(coordinator, capsys):
    _record_some(coordinator, 5)
    anchor_publish(reason="beat")

    call_command("verify_audit", batch_size=2)

    assert capsys.readouterr().out.strip() == "Audit chain intact: 5 event(s)."


def test_verify_audit_passes_on_an_empty_trail(db, capsys):
    anchor_publish(reason="beat")

    call_command("verify_audit")

    assert capsys.readouterr().out.strip() == "Audit chain intact: 0 event(s)."


@postgresql_only
def test_verify_audit_reports_an_edited_event(coordinator):
    _record_some(coordinator, 5)
    # An attacker with database access switches the trigger off first.
    _raw("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_update_delete")
    _raw("UPDATE audit_auditevent SET target_id = 'x' WHERE sequence = 3")
    _raw("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_no_update_delete")

    checked, problems = find_chain_problems(batch_size=2)

    assert checked == 5
    assert problems == ["event 3: hmac mismatch (edited, forged, or follows a gap)"]
    with pytest.raises(CommandError):
        call_command("verify_audit", no_anchors=True)


@postgresql_only
def test_verify_audit_reports_a_removed_event(coordinator):
    _record_some(coordinator, 5)
    _raw("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_update_delete")
    _raw("DELETE FROM audit_auditevent WHERE sequence = 2")
    _raw("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_no_update_delete")

    checked, problems = find_chain_problems()

    assert checked == 4
    assert problems == [
        "event 2: missing (removed)",
        "event 3: hmac mismatch (edited, forged, or follows a gap)",
    ]


@postgresql_only
def test_verify_audit_reports_removed_events_even_when_renumbered(coordinator):
    _record_some(coordinator, 4)
    _raw("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_update_delete")
    _raw("DELETE FROM audit_auditevent WHERE sequence = 2")
    _raw("UPDATE audit_auditevent SET sequence = sequence - 1 WHERE sequence > 2")
    _raw("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_no_update_delete")

    _, problems = find_chain_problems()

    assert problems == [
        "event 2: hmac mismatch (edited, forged, or follows a gap)",
        "event 3: hmac mismatch (edited, forged, or follows a gap)",
    ]


def test_verify_audit_reports_a_forged_event(coordinator, accompanier):
    events = _record_some(coordinator, 3)
    # Inserting needs no trigger bypass; the forger does not know the key.
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                sequence=4,
                created_at=events[-1].created_at,
                actor=accompanier,
                action="view",
                target_type="accounts.user",
                target_id=str(coordinator.pk),
                hmac="0" * 64,
            )
        ]
    )

    _, problems = find_chain_problems()

    assert problems == ["event 4: hmac mismatch (edited, forged, or follows a gap)"]
    with pytest.raises(CommandError, match="Audit chain broken: 1 problem"):
        call_command("verify_audit", no_anchors=True)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    """Eight threads, each its own connection and transactions, append at once."""
    actor = User.objects.create_user(email="hilos@aluna.test")
    barrier = threading.Barrier(8)
    errors = []

    def write():
        try:
            barrier.wait()
            for _ in range(10):
                with transaction.atomic():
                    audit_record(action="view", actor=actor, target_type="a.b", target_id="1")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True)) == (
        list(range(1, 81))
    )
    assert find_chain_problems() == (80, [])
