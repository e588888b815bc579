"""Who may see what in training: formación and coordinación only; a trainer sees
only the cohorts they facilitate (404 otherwise); the verification page is public."""

import pytest
from django.urls import reverse

from accompaniment.factories import PoliticalSubjectFactory
from aluna.accounts.factories import UserFactory
from aluna.core.roles import Role
from training.factories import CohortFactory, EnrolmentFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(trainer):
    return CohortFactory(facilitators=[trainer])


@pytest.fixture
def other_trainer(db):
    return UserFactory(
        email="teresa@aluna.test", full_name="Teresa Tallerista", roles=[Role.TRAINING]
    )


def cohort_urls(cohort):
    enrolment = EnrolmentFactory(cohort=cohort)
    session = TrainingSessionFactory(cohort=cohort)
    return [
        reverse("training:cohort-detail", kwargs={"cohort_id": cohort.pk}),
        reverse("training:participant-add", kwargs={"cohort_id": cohort.pk}),
        reverse("training:cohort-import", kwargs={"cohort_id": cohort.pk}),
        reverse("training:session-create", kwargs={"cohort_id": cohort.pk}),
        reverse("training:cohort-evaluation", kwargs={"cohort_id": cohort.pk}),
        reverse("training:cohort-follow-up", kwargs={"cohort_id": cohort.pk}),
        reverse("training:attendance", kwargs={"session_id": session.pk}),
        reverse("training:follow-up-create", kwargs={"enrolment_id": enrolment.pk}),
    ]


def test_facilitator_can_open_every_page_of_their_cohort(login, trainer, cohort):
    client = login(trainer)
    statuses = [client.get(url).status_code for url in cohort_urls(cohort)]
    assert statuses == [200] * 8


def test_coordinator_can_open_every_page_of_any_cohort(login, coordinator, cohort):
    client = login(coordinator)
    statuses = [client.get(url).status_code for url in cohort_urls(cohort)]
    assert statuses == [200] * 8


def test_other_trainer_cannot_see_a_cohort_they_do_not_facilitate(login, other_trainer, cohort):
    client = login(other_trainer)
    statuses = [client.get(url).status_code for url in cohort_urls(cohort)]
    assert statuses == [404] * 8


@pytest.mark.parametrize("who", ["accompanier", "advocate", "admin_user", "outsider"])
def test_other_roles_cannot_see_training(request, login, who, cohort):
    client = login(request.getfixturevalue(who))
    urls = [reverse("training:index"), reverse("training:programme-list"), *cohort_urls(cohort)]
    assert [client.get(url).status_code for url in urls] == [403] * 10


def test_trainer_cannot_link_a_political_subject(login, trainer, cohort):
    subject = PoliticalSubjectFactory()
    client = login(trainer)
    url = reverse("training:participant-add", kwargs={"cohort_id": cohort.pk})

    page = client.get(url)
    response = client.post(url, {"subject": subject.pk, "name": ""})

    assert "subject" not in page.context["form"].fields
    assert response.status_code == 400
    assert cohort.enrolments.count() == 0


def test_anonymous_can_open_the_verification_page(client):
    response = client.get(reverse("training:certificate-verify"))
    assert response.status_code == 200


def test_anonymous_cannot_open_training(client, cohort):
    response = client.get(reverse("training:cohort-detail", kwargs={"cohort_id": cohort.pk}))
    assert response.status_code == 302
