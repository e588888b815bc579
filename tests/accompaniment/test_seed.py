"""The accompaniment demo data: idempotent, scoped, encrypted and searchable."""

import random

import pytest
from django.db import connection
from django.utils import timezone

from accompaniment import models as m
from accompaniment.seeding import SIZES, seed_demo_data
from accompaniment.seeding_crisis import SIZES as CRISIS_SIZES
from accompaniment.seeding_crisis import seed_crisis
from accompaniment.selectors.access import processes_for_user, subjects_for_user
from accompaniment.selectors.aggressions import aggressions_for_user
from accompaniment.selectors.crisis import crises_for_user, crisis_board_for_user
from accompaniment.services.crisis import (
    crisis_alerts_escalate,
    crisis_follow_up_reminders_send,
)
from aluna.accounts import seeding
from aluna.accounts.models import User
from aluna.encryption.blind_index import blind_index_filter, words_of


def _seed_small() -> None:
    seeding.seed_users(scale="small", rng=random.Random(1))
    seed_demo_data(scale="small", rng=random.Random("seed:accompaniment"))


def _counts() -> dict[str, int]:
    models = (
        m.PoliticalSubject,
        m.PoliticalSubject.areas.through,
        m.Membership,
        m.Process,
        m.Process.team.through,
        m.Objective,
        m.ObjectiveChange,
        m.FieldAssessment,
        m.Session,
        m.Session.impacts.through,
        m.Session.coping_mechanisms.through,
    )
    return {model._meta.label: model.objects.count() for model in models}


@pytest.fixture
def seeded(db):
    _seed_small()


def _demo(key: str) -> User:
    return User.objects.get(email=seeding.demo_user(key).email)


def test_operator_can_seed_small_twice_without_duplicates(seeded):
    after_first = _counts()

    _seed_small()

    assert _counts() == after_first
    assert after_first["accompaniment.PoliticalSubject"] == SIZES["small"].subjects
    assert after_first["accompaniment.Process"] >= 45
    assert after_first["accompaniment.Session"] >= 300
    assert after_first["accompaniment.FieldAssessment"] >= 100


def test_seeded_processes_cover_every_kind_and_status(seeded):
    statuses = set(m.Process.objects.values_list("status", flat=True))
    kinds = set(m.Process.objects.values_list("kind", flat=True))
    subject_kinds = set(m.PoliticalSubject.objects.values_list("kind__code", flat=True))

    assert statuses == set(m.ProcessStatus.values)
    assert kinds == set(m.ProcessKind.values)
    assert len(subject_kinds) >= 5


def test_seeded_processes_keep_last_session_and_follow_up_consistent(seeded):
    for process in m.Process.objects.prefetch_related("sessions"):
        days = [timezone.localtime(s.started_at).date() for s in process.sessions.all()]
        assert process.last_session_on == (max(days) if days else None)
        if process.status == m.ProcessStatus.CLOSED:
            assert process.next_follow_up is None
        else:
            assert process.next_follow_up is not None
        assert process.team.filter(pk=process.lead_id).exists() is True


def test_demo_accompanier_can_see_some_but_not_all_subjects(seeded):
    accompanier = _demo("accompanier1")

    visible = subjects_for_user(user=accompanier).count()

    assert 0 < visible < m.PoliticalSubject.objects.count()
    assert 0 < processes_for_user(user=accompanier).count() < m.Process.objects.count()
    assert (
        subjects_for_user(user=_demo("coordinator")).count() == m.PoliticalSubject.objects.count()
    )


def test_demo_trainer_cannot_see_seeded_subjects(seeded):
    assert subjects_for_user(user=_demo("trainer")).count() == 0


def _raw(model, column: str, pk) -> str:
    """The stored text of one column, as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s",  # noqa: S608
            [model._meta.pk.get_db_prep_value(pk, connection)],
        )
        return cursor.fetchone()[0]


def test_seeded_names_are_encrypted_in_the_raw_row(seeded):
    subject = m.PoliticalSubject.objects.order_by("alias").first()

    raw_name = _raw(m.PoliticalSubject, "name", subject.pk)
    raw_contact = _raw(m.PoliticalSubject, "contact", subject.pk)

    assert raw_name.startswith("v1:") is True
    assert subject.name not in raw_name
    assert raw_contact.startswith("v1:") is True
    assert subject.initials == m.initials_of(subject.name)
    assert subject.name not in subject.alias


def test_seeded_session_notes_are_encrypted_in_the_raw_row(seeded):
    session = m.Session.objects.first()

    raw_notes = _raw(m.Session, "notes", session.pk)

    assert raw_notes.startswith("v1:") is True
    assert session.notes not in raw_notes


def test_staff_can_find_a_seeded_subject_by_a_word_of_its_name(seeded):
    subject = m.PoliticalSubject.objects.order_by("alias")[3]
    word = sorted(words_of(subject.name), key=len)[-1]

    found = blind_index_filter(m.PoliticalSubject.objects.all(), field="name", query=word)
    exact = blind_index_filter(
        m.PoliticalSubject.objects.all(), field="name", query=subject.name, exact=True
    )

    assert subject in found
    assert subject in exact


@pytest.mark.django_db
def test_factories_can_build_memberships_and_objective_changes():
    from accompaniment.factories import MembershipFactory, ObjectiveChangeFactory

    membership = MembershipFactory()
    change = ObjectiveChangeFactory()

    assert membership.defender.is_individual is True
    assert membership.collective.is_individual is False
    assert change.changed_by == change.objective.process.lead


# --- Crisis response (accompaniment/seeding_crisis.py) ------------------------------------


def _seed_crisis() -> None:
    seed_crisis(scale="small", rng=random.Random("seed:accompaniment.crisis"))


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
    assert after_first["accompaniment.Aggression"] == CRISIS_SIZES["small"].aggressions
    assert after_first["accompaniment.CrisisIntervention"] == CRISIS_SIZES["small"].interventions
    assert (
        after_first["accompaniment.CrisisFollowUp"]
        >= after_first["accompaniment.CrisisIntervention"]
    )


def test_operator_gets_a_deleted_seeded_crisis_back_on_the_next_run(seeded_crisis):
    after_first = _crisis_counts()
    crisis_id = m.CrisisIntervention.objects.order_by("pk").values_list("pk", flat=True)[0]
    m.CrisisIntervention.objects.filter(pk=crisis_id).delete()

    _seed_crisis()

    assert _crisis_counts() == after_first
    assert m.CrisisIntervention.objects.filter(pk=crisis_id).exists() is True


def test_demo_accompanier_finds_open_and_closed_crises_and_an_aggression(seeded_crisis):
    accompanier = _demo("accompanier1")

    board = list(crisis_board_for_user(user=accompanier))
    closed = crises_for_user(user=accompanier).filter(status=m.CrisisStatus.CLOSED)

    assert len(board) >= 1
    assert closed.exists() is True
    assert aggressions_for_user(user=accompanier).exists() is True
    assert (
        crises_for_user(user=_demo("coordinator")).count() == m.CrisisIntervention.objects.count()
    )
    assert crises_for_user(user=_demo("trainer")).count() == 0


def test_seeded_crises_are_answered_by_their_process_team(seeded_crisis):
    for crisis in m.CrisisIntervention.objects.select_related("process", "aggression"):
        team = set(crisis.process.team.values_list("pk", flat=True))
        responders = set(crisis.responders.values_list("pk", flat=True))
        follow_ups = list(crisis.follow_ups.all())
        assert crisis.process.kind == m.ProcessKind.CRISIS
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
        "narrative": (_raw(m.Aggression, "narrative", aggression.pk), aggression.narrative),
        "municipality": (
            _raw(m.Aggression, "municipality", aggression.pk),
            aggression.municipality,
        ),
        "actions": (_raw(m.CrisisIntervention, "actions_taken", crisis.pk), crisis.actions_taken),
        "note": (_raw(m.CrisisFollowUp, "note", follow_up.pk), follow_up.note),
    }

    for stored, plaintext in raw.values():
        assert stored.startswith("v1:") is True
        assert plaintext
        assert plaintext not in stored
