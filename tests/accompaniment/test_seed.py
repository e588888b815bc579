"""The accompaniment demo data: idempotent, scoped, encrypted and searchable."""

import pytest
from django.utils import timezone

from accompaniment import models as m
from accompaniment.seeding import SIZES
from accompaniment.selectors.access import processes_for_user, subjects_for_user
from aluna.encryption.blind_index import blind_index_filter, words_of
from tests.fixtures.seeded import demo_user, raw_column, seed_small


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


def test_operator_can_seed_small_twice_without_duplicates(seeded):
    after_first = _counts()

    seed_small()

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
    accompanier = demo_user("accompanier1")

    visible = subjects_for_user(user=accompanier).count()

    assert 0 < visible < m.PoliticalSubject.objects.count()
    assert 0 < processes_for_user(user=accompanier).count() < m.Process.objects.count()
    assert (
        subjects_for_user(user=demo_user("coordinator")).count()
        == m.PoliticalSubject.objects.count()
    )


def test_demo_trainer_cannot_see_seeded_subjects(seeded):
    assert subjects_for_user(user=demo_user("trainer")).count() == 0


def test_seeded_names_are_encrypted_in_the_raw_row(seeded):
    subject = m.PoliticalSubject.objects.order_by("alias").first()

    raw_name = raw_column(m.PoliticalSubject, "name", subject.pk)
    raw_contact = raw_column(m.PoliticalSubject, "contact", subject.pk)

    assert raw_name.startswith("v1:") is True
    assert subject.name not in raw_name
    assert raw_contact.startswith("v1:") is True
    assert subject.initials == m.initials_of(subject.name)
    assert subject.name not in subject.alias


def test_seeded_session_notes_are_encrypted_in_the_raw_row(seeded):
    session = m.Session.objects.first()

    raw_notes = raw_column(m.Session, "notes", session.pk)

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
