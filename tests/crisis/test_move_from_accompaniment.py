"""Crisis response left the accompaniment app: no row, no audit history and no
waiting task was lost on the way.

The upgrade is replayed on a real database: migrate back to the last state before
the move, write crisis records there the way the old code did (ciphertexts under the
old labels, audit events under the old record types), migrate forward, and read
everything back through the new app.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accompaniment.factories import CollectiveFactory, ProcessFactory
from aluna.audit.models import AuditAction
from aluna.audit.selectors import audit_views_of
from aluna.audit.services import audit_record
from aluna.outbox.services import outbox_enqueue
from crisis.models import (
    Aggression,
    AggressionReport,
    CrisisAlert,
    CrisisFollowUp,
    CrisisIntervention,
    OnCallShift,
)
from crisis.selectors.roster import local_week_start
from tests.fixtures.celery_worker import wait_for

BEFORE_THE_MOVE = [("accompaniment", "0005_process_last_assessed_on"), ("crisis", None)]
NARRATIVE = "Amenazas pintadas en la pared de la radio comunitaria"
ACTIONS = "Primeros auxilios psicológicos por teléfono"
NOTE = "Llamada de seguimiento: la familia está a salvo"


@pytest.fixture
def migrator(transactional_db):
    """Migrates the test database, and always brings it back to the latest state."""
    executor = MigrationExecutor(connection)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate(executor: MigrationExecutor, targets):
    """Migrate to `targets`; the models as they are there (the hub's, before the move)."""
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _write_as_before_the_move(old, *, process, user) -> dict:
    """What the accompaniment app held before the move, written through its models."""
    Aggression_ = old.get_model("accompaniment", "Aggression")
    Intervention = old.get_model("accompaniment", "CrisisIntervention")
    AggressionType = old.get_model("accompaniment", "AggressionType")
    now = timezone.now()
    aggression = Aggression_.objects.create(
        occurred_at=now, recorded_by_id=user.pk, narrative=NARRATIVE, municipality="Tlapa"
    )
    aggression.types.set(AggressionType.objects.filter(is_active=True)[:2])
    aggression.subjects.set([process.subject_id])
    old.get_model("accompaniment", "AggressionReport").objects.create(
        aggression=aggression, body="prosecutor", reported_on=now.date()
    )
    crisis = Intervention.objects.create(
        process_id=process.pk,
        aggression=aggression,
        contacted_at=now,
        last_contact_at=now,
        channel="phone",
        risk_level="high",
        actions_taken=ACTIONS,
        immediate_needs=["legal"],
        recorded_by_id=user.pk,
    )
    crisis.responders.set([user.pk])
    old.get_model("accompaniment", "CrisisFollowUp").objects.create(
        intervention=crisis, due_at=now + dt.timedelta(hours=24), note=NOTE
    )
    old.get_model("accompaniment", "CrisisAlert").objects.create(
        intervention=crisis, recipient_id=user.pk, sent_at=now
    )
    old.get_model("accompaniment", "OnCallShift").objects.create(
        week_start=local_week_start(at=now), user_id=user.pk, position=0
    )
    return {"crisis": crisis.pk, "aggression": aggression.pk}


def test_operator_upgrading_keeps_every_crisis_record_and_its_audit_history(
    migrator, accompanier, coordinator
):
    # Arrange: the database as it was before the move, holding crisis records that
    # someone consulted (audited under the old record type).
    process = ProcessFactory(subject=CollectiveFactory(alias="Radio Comunitaria"), lead=accompanier)
    old = _migrate(migrator, BEFORE_THE_MOVE)
    ids = _write_as_before_the_move(old, process=process, user=accompanier)
    audit_record(
        action=AuditAction.VIEW,
        actor=accompanier,
        target_type="accompaniment.crisisintervention",
        target_id=str(ids["crisis"]),
    )

    # Act: upgrade, and the coordinator opens the crisis.
    _migrate(migrator, migrator.loader.graph.leaf_nodes())
    crisis = CrisisIntervention.objects.get(pk=ids["crisis"])
    audit_record(
        action=AuditAction.VIEW,
        actor=coordinator,
        target_type="crisis.crisisintervention",
        target_id=str(crisis.pk),
    )
    out = io.StringIO()
    call_command("verify_audit", no_anchors=True, stdout=out)

    # Assert: every row, relation and encrypted text is there, read through the new app.
    aggression = Aggression.objects.get(pk=ids["aggression"])
    assert crisis._meta.db_table == "crisis_crisisintervention"
    assert crisis.actions_taken == ACTIONS
    assert crisis.aggression_id == aggression.pk
    assert list(crisis.responders.all()) == [accompanier]
    assert aggression.narrative == NARRATIVE
    assert aggression.municipality == "Tlapa"
    assert aggression.types.count() == 2
    assert list(aggression.subjects.all()) == [process.subject]
    assert AggressionReport.objects.get(aggression=aggression).body == "prosecutor"
    assert CrisisFollowUp.objects.get(intervention=crisis).note == NOTE
    assert CrisisAlert.objects.filter(intervention=crisis).count() == 1
    assert OnCallShift.objects.filter(user=accompanier).count() == 1
    # ...and "who consulted this record" shows both views; the chain is intact.
    assert [event.actor for event in audit_views_of(crisis)] == [coordinator, accompanier]
    assert out.getvalue() == "Audit chain intact: 2 event(s).\n"


def test_operator_can_roll_the_move_back(migrator, accompanier):
    # Arrange: a crisis recorded after the move.
    process = ProcessFactory(subject=CollectiveFactory(alias="Radio Comunitaria"), lead=accompanier)
    now = timezone.now()
    crisis = CrisisIntervention.objects.create(
        process=process,
        contacted_at=now,
        last_contact_at=now,
        channel="phone",
        risk_level="low",
        actions_taken=ACTIONS,
        recorded_by=accompanier,
    )

    # Act
    old = _migrate(migrator, BEFORE_THE_MOVE)

    # Assert: the old app reads it, decrypted under its old label.
    Intervention = old.get_model("accompaniment", "CrisisIntervention")
    assert Intervention.objects.get(pk=crisis.pk).actions_taken == ACTIONS


@pytest.mark.worker
def test_alert_waiting_under_its_old_task_name_still_goes_out(
    celery_worker, accompanier, coordinator
):
    # Arrange: a crisis, and its alert task saved in the outbox before the upgrade.
    process = ProcessFactory(subject=CollectiveFactory(alias="Radio Comunitaria"), lead=accompanier)
    now = timezone.now()
    OnCallShift.objects.create(week_start=local_week_start(at=now), user=coordinator, position=0)
    crisis = CrisisIntervention.objects.create(
        process=process,
        contacted_at=now,
        last_contact_at=now,
        channel="phone",
        risk_level="high",
        recorded_by=accompanier,
    )

    # Act: the outbox publishes it under the name it had then; the worker runs it.
    outbox_enqueue("accompaniment.crisis.send_alerts", str(crisis.pk))

    # Assert: the on-call coordinator and the team's accompanier are alerted.
    recipients = wait_for(
        lambda: set(crisis.alerts.values_list("recipient_id", flat=True)) or None, timeout=30
    )
    assert recipients == {coordinator.pk, accompanier.pk}
