"""The crisis demo data (crisis/seeding.py): idempotent, answered, encrypted."""

import random

import pytest
from django.utils import timezone

from accompaniment.models import ProcessKind
from crisis import models as m
from crisis.seeding import SIZES as CRISIS_SIZES
from crisis.seeding import seed_crisis
from crisis.selectors.aggressions import aggressions_for_user
from crisis.selectors.interventions import crises_for_user, crisis_board_for_user
from crisis.services.alerts import crisis_alerts_escalate
from crisis.services.follow_ups import crisis_follow_up_reminders_send
from tests.fixtures.seeded import demo_user, raw_column


def _seed_crisis() -> None:
    seed_crisis(scale="small", rng=random.Random("seed:crisis"))


def _crisis_counts() -> dict[str, int]:
    models = (
        m.Aggression,
        m.Aggression.types.through,
        m.Aggression.perpetrators.through,
        m.Aggression.subjects.through,
        m.AggressionReport,
        m.CrisisIntervention,
        m.CrisisIntervention.responders.through,
        m.CrisisAlert,
        m.CrisisFollowUp,
    )
    return {model._meta.label: model.objects.count() for model in models}


@pytest.fixture
def seeded_crisis(seeded):
    _seed_crisis()


def test_operator_can_seed_crises_twice_without_duplicates(seeded_crisis):
    after_first = _crisis_counts()

    _seed_crisis()

    assert _crisis_counts() == after_first
    assert after_first["crisis.Aggression"] == CRISIS_SIZES["small"].aggressions
    assert after_first["crisis.CrisisIntervention"] == CRISIS_SIZES["small"].interventions
    assert after_first["crisis.CrisisFollowUp"] >= after_first["crisis.CrisisIntervention"]


def test_operator_gets_a_deleted_seeded_crisis_back_on_the_next_run(seeded_crisis):
    after_first = _crisis_counts()
    crisis_id = m.CrisisIntervention.objects.order_by("pk").values_list("pk", flat=True)[0]
    m.CrisisIntervention.objects.filter(pk=crisis_id).delete()

    _seed_crisis()

    assert _crisis_counts() == after_first
    assert m.CrisisIntervention.objects.filter(pk=crisis_id).exists() is True


def test_demo_accompanier_finds_open_and_closed_crises_and_an_aggression(seeded_crisis):
    accompanier = demo_user("accompanier1")

    board = list(crisis_board_for_user(user=accompanier))
    closed = crises_for_user(user=accompanier).filter(status=m.CrisisStatus.CLOSED)

    assert len(board) >= 1
    assert closed.exists() is True
    assert aggressions_for_user(user=accompanier).exists() is True
    assert (
        crises_for_user(user=demo_user("coordinator")).count()
        == m.CrisisIntervention.objects.count()
    )
    assert crises_for_user(user=demo_user("trainer")).count() == 0


def test_seeded_crises_are_answered_by_their_process_team(seeded_crisis):
    for crisis in m.CrisisIntervention.objects.select_related("process", "aggression"):
        team = set(crisis.process.team.values_list("pk", flat=True))
        responders = set(crisis.responders.values_list("pk", flat=True))
        follow_ups = list(crisis.follow_ups.all())
        assert crisis.process.kind == ProcessKind.CRISIS
        assert responders <= team
        assert crisis.recorded_by_id in responders
        assert crisis.last_contact_at >= crisis.contacted_at
        assert set(crisis.immediate_needs) <= set(m.ImmediateNeed.values)
        assert all(f.due_at > crisis.contacted_at for f in follow_ups)
        if crisis.process.closed_on is not None:
            assert crisis.status == m.CrisisStatus.CLOSED
            assert timezone.localdate(crisis.contacted_at) <= crisis.process.closed_on
        if crisis.status == m.CrisisStatus.CLOSED:
            assert all(f.done_at is not None for f in follow_ups)
        if crisis.aggression is not None:
            assert crisis.aggression.occurred_at < crisis.contacted_at
            assert crisis.aggression.subjects.filter(pk=crisis.process.subject_id).exists()


def test_seeded_crises_leave_nothing_for_the_periodic_alerts(seeded_crisis):
    now = timezone.now()

    escalated = crisis_alerts_escalate(now=now)
    reminded = crisis_follow_up_reminders_send(now=now)

    assert (escalated, reminded) == (0, 0)
    assert m.CrisisAlert.objects.filter(acknowledged_at__isnull=True).count() == 0


def test_seeded_crisis_texts_are_encrypted_in_the_raw_row(seeded_crisis):
    aggression = m.Aggression.objects.order_by("pk").first()
    crisis = m.CrisisIntervention.objects.order_by("pk").first()
    follow_up = next(f for f in m.CrisisFollowUp.objects.order_by("pk") if f.note)

    raw = {
        "narrative": (raw_column(m.Aggression, "narrative", aggression.pk), aggression.narrative),
        "municipality": (
            raw_column(m.Aggression, "municipality", aggression.pk),
            aggression.municipality,
        ),
        "actions": (
            raw_column(m.CrisisIntervention, "actions_taken", crisis.pk),
            crisis.actions_taken,
        ),
        "note": (raw_column(m.CrisisFollowUp, "note", follow_up.pk), follow_up.note),
    }

    for stored, plaintext in raw.values():
        assert stored.startswith("v1:") is True
        assert plaintext
        assert plaintext not in stored
