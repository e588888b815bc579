"""The reads behind the training pages, scoped to the user: coordinación sees every
cohort, a trainer only the cohorts they facilitate, anyone else nothing; a record
outside that scope is a 404, the same as one that does not exist."""

import pytest
from django.http import Http404
from django.utils import timezone

from aluna.accounts.factories import UserFactory
from aluna.core.roles import Role
from training import selectors
from training.factories import (
    CohortFactory,
    EnrolmentFactory,
    ProgrammeFactory,
    TrainingSessionFactory,
)
from training.models import Certificate, CertificateBatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    return UserFactory(full_name="Teresa Tallerista", roles=[Role.TRAINING])


@pytest.fixture
def mine(trainer):
    return CohortFactory(facilitators=[trainer])


@pytest.fixture
def theirs(colleague):
    return CohortFactory(facilitators=[colleague])


def test_trainer_can_see_only_the_cohorts_they_facilitate(trainer, mine, theirs):
    assert list(selectors.cohorts_for_user(user=trainer)) == [mine]


def test_coordinator_can_see_every_cohort(coordinator, mine, theirs):
    assert set(selectors.cohorts_for_user(user=coordinator)) == {mine, theirs}


def test_accompanier_cannot_see_cohorts_or_programmes(accompanier, mine):
    assert list(selectors.cohorts_for_user(user=accompanier)) == []
    assert list(selectors.programmes_for_user(user=accompanier)) == []
    with pytest.raises(Http404):
        selectors.programme_get_for_user(user=accompanier, programme_id=mine.programme_id)


def test_trainer_cannot_get_a_cohort_they_do_not_facilitate(trainer, theirs):
    with pytest.raises(Http404):
        selectors.cohort_get_for_user(user=trainer, cohort_id=theirs.pk)
    with pytest.raises(Http404):
        selectors.cohort_detail_for_user(user=trainer, cohort_id=theirs.pk)
    assert selectors.cohort_is_visible_to(user=trainer, cohort=theirs) is False


def test_trainer_can_see_only_their_cohorts_on_a_shared_programme_page(trainer, colleague):
    programme = ProgrammeFactory()
    mine = CohortFactory(programme=programme, facilitators=[trainer])
    CohortFactory(programme=programme, facilitators=[colleague])

    page = selectors.programme_detail_for_user(user=trainer, programme_id=programme.pk)

    assert page["programme"] == programme
    assert page["cohorts"] == [mine]


def test_trainer_cannot_reach_the_records_of_another_cohort(trainer, theirs):
    enrolment = EnrolmentFactory(cohort=theirs)
    session = TrainingSessionFactory(cohort=theirs)
    Certificate.objects.create(enrolment=enrolment, issued_on=timezone.localdate())
    batch = CertificateBatch.objects.create(cohort=theirs)

    lookups = [
        lambda: selectors.session_get_for_user(user=trainer, session_id=session.pk),
        lambda: selectors.enrolment_get_for_user(user=trainer, enrolment_id=enrolment.pk),
        lambda: selectors.certificate_get_for_user(user=trainer, enrolment_id=enrolment.pk),
        lambda: selectors.certificate_batch_get_for_user(user=trainer, batch_id=batch.pk),
    ]

    for lookup in lookups:
        with pytest.raises(Http404):
            lookup()


def test_trainer_cannot_mark_a_participant_of_another_cohort(mine, theirs):
    session = TrainingSessionFactory(cohort=mine)
    stranger = EnrolmentFactory(cohort=theirs)

    with pytest.raises(Http404):
        selectors.attendance_enrolment_get(session=session, enrolment_id=stranger.pk)


def test_trainer_can_record_answers_only_for_participants_who_stayed(mine):
    staying = EnrolmentFactory(cohort=mine)
    EnrolmentFactory(cohort=mine, status="dropped")

    assert list(selectors.respondents_of(cohort=mine)) == [staying]


def test_trainer_cannot_open_an_unknown_kind_of_questionnaire(mine):
    with pytest.raises(Http404):
        selectors.questionnaire_for_cohort(cohort=mine, kind="midterm")
