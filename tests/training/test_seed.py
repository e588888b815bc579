import datetime as dt
import random

import pytest
from django.db import connection

from aluna.accounts.models import User
from aluna.accounts.seeding import DEMO_DOMAIN, seed_users
from training.aggregates import entry_to_exit_change
from training.models import (
    ATTENDED,
    Answer,
    Attendance,
    Cohort,
    Enrolment,
    QuestionKind,
    QuestionnaireKind,
    Response,
)
from training.seeding import seed_training
from training.selectors import cohorts_for_user, evaluation_report

pytestmark = pytest.mark.django_db


def _seed() -> None:
    seed_training(scale="small", rng=random.Random(1))


def _evaluation_counts() -> dict[str, int]:
    return {
        kind: Response.objects.filter(questionnaire__kind=kind).count()
        for kind in QuestionnaireKind.values
    } | {"answers": Answer.objects.count()}


@pytest.fixture
def seeded():
    seed_users(scale="small", rng=random.Random(1))
    _seed()


def test_demo_trainer_can_find_seeded_cohorts_and_seeding_twice_adds_nothing():
    seed_users(scale="small", rng=random.Random(1))

    seed_training(scale="small", rng=random.Random(1))
    counts = (Cohort.objects.count(), Enrolment.objects.count(), Attendance.objects.count())
    seed_training(scale="small", rng=random.Random(1))

    assert counts == (3, 36, 216)
    assert (Cohort.objects.count(), Enrolment.objects.count(), Attendance.objects.count()) == counts
    assert Cohort.objects.filter(facilitators__email="formacion@demo.aluna.mx").count() == 3


def test_operator_can_seed_evaluations_twice_without_duplicates(seeded):
    after_first = _evaluation_counts()

    _seed()

    enrolments = Enrolment.objects.count()
    assert _evaluation_counts() == after_first
    assert after_first[QuestionnaireKind.ENTRY] >= 0.8 * enrolments
    assert after_first[QuestionnaireKind.EXIT] >= 0.6 * enrolments
    assert after_first[QuestionnaireKind.SATISFACTION] > 0


def test_operator_gets_evaluations_on_a_database_seeded_before_they_existed(seeded):
    after_first = _evaluation_counts()
    Response.objects.all().delete()  # as the cohorts were seeded before this step

    _seed()

    assert Cohort.objects.count() == 3
    assert _evaluation_counts() == after_first


def test_seeded_participants_mostly_end_the_course_with_a_higher_mean_score(seeded):
    change = entry_to_exit_change(start=dt.date(2000, 1, 1), end=dt.date(2100, 1, 1))

    assert change["rose"] > 2 * (change["held"] + change["fell"])


def test_demo_trainer_sees_entry_exit_and_satisfaction_in_the_evaluation_report(seeded):
    trainer = User.objects.get(email=f"formacion@{DEMO_DOMAIN}")
    cohort = cohorts_for_user(user=trainer).order_by("starts_on").first()

    items, trend = evaluation_report(cohort=cohort)

    assert len(items) == 2
    for item in items:
        assert item["entry"] is not None
        assert item["exit"] is not None
        assert item["change"] > 0
    assert len(trend) >= 1
    assert all(1 <= row["mean"] <= 5 for row in trend)


def test_seeded_satisfaction_comes_only_from_people_who_attended(seeded):
    attended = set(
        Attendance.objects.filter(status__in=ATTENDED).values_list("session_id", "enrolment_id")
    )

    answered = set(
        Response.objects.filter(questionnaire__kind=QuestionnaireKind.SATISFACTION).values_list(
            "session_id", "enrolment_id"
        )
    )

    assert answered <= attended


def test_seeded_open_answers_are_encrypted_in_the_raw_row(seeded):
    answer = next(
        a for a in Answer.objects.filter(question__kind=QuestionKind.OPEN).order_by("pk") if a.text
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM training_answer WHERE id = %s", [answer.pk])
        stored = cursor.fetchone()[0]

    assert stored.startswith("v1:") is True
    assert answer.text not in stored
