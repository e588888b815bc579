import random

import pytest

from aluna.core.seeding import seed_users
from training.models import Attendance, Cohort, Enrolment
from training.seeding import seed_training

pytestmark = pytest.mark.django_db


def test_demo_trainer_can_find_seeded_cohorts_and_seeding_twice_adds_nothing():
    seed_users(scale="small", rng=random.Random(1))

    seed_training(scale="small", rng=random.Random(1))
    counts = (Cohort.objects.count(), Enrolment.objects.count(), Attendance.objects.count())
    seed_training(scale="small", rng=random.Random(1))

    assert counts == (3, 36, 216)
    assert (Cohort.objects.count(), Enrolment.objects.count(), Attendance.objects.count()) == counts
    assert Cohort.objects.filter(facilitators__email="formacion@demo.aluna.mx").count() == 3
