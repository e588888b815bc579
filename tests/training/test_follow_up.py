import datetime as dt

import pytest
from django.urls import reverse

from aluna.notifications.models import Notification
from tests.fixtures.celery_worker import wait_for
from training.factories import CohortFactory, EnrolmentFactory, ParticipantFactory
from training.models import FollowUp
from training.tasks import send_training_follow_up_reminders

ENDED = dt.date(2026, 1, 31)


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def ended_cohort(trainer):
    cohort = CohortFactory(
        facilitators=[trainer],
        starts_on=dt.date(2025, 2, 1),
        ends_on=ENDED,
        name="Generación Norte",
    )
    for n in range(3):
        EnrolmentFactory(
            cohort=cohort, status="graduated", participant=ParticipantFactory(name=f"Egresada {n}")
        )
    EnrolmentFactory(cohort=cohort, status="dropped")
    return cohort


@pytest.mark.worker
def test_facilitator_can_receive_one_nameless_reminder_per_milestone_from_the_worker(
    celery_worker, worker_outbox, trainer, ended_cohort
):
    result = send_training_follow_up_reminders.delay("2026-02-28")  # +1 month (Feb has 28 days)

    assert celery_worker.wait_for_task(result.id) == "succeeded"
    (sent,) = wait_for(worker_outbox)
    body = sent.get_payload(decode=True).decode()
    assert sent["To"] == "tomas@aluna.test"
    assert "3" in body.splitlines()[0]
    for secret in ("Egresada", "Norte"):
        assert secret not in body
    assert Notification.objects.get().recipient == trainer

    again = send_training_follow_up_reminders.delay("2026-03-01")

    assert celery_worker.wait_for_task(again.id) == "succeeded"
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_facilitator_is_not_reminded_before_the_first_milestone(trainer, ended_cohort):
    from training.services import follow_up_reminders_send

    assert follow_up_reminders_send(today=dt.date(2026, 2, 27)) == 0
    # +1 and +3 both due on a late first run: one reminder, for +3.
    assert follow_up_reminders_send(today=dt.date(2026, 4, 30)) == 1
    assert follow_up_reminders_send(today=dt.date(2026, 5, 1)) == 0
    assert Notification.objects.get().params == {"months": 3, "graduates": 3}


@pytest.mark.django_db
def test_trainer_can_record_a_follow_up_and_see_the_cohort_report(login, trainer, ended_cohort):
    first, second, _third = ended_cohort.enrolments.filter(status="graduated").order_by(
        "created_at"
    )
    client = login(trainer)
    url = reverse("training:follow-up-create", kwargs={"enrolment_id": first.pk})

    response = client.post(
        url,
        {
            "months_after": "3",
            "contacted_on": "2026-04-30",
            "reached": "on",
            "practices": ["risk_assessment", "care"],
            "obstacles": ["money"],
        },
    )
    client.post(
        reverse("training:follow-up-create", kwargs={"enrolment_id": second.pk}),
        {"months_after": "3", "contacted_on": "2026-04-30", "practices": ["care"]},
    )
    report = client.get(
        reverse("training:cohort-follow-up", kwargs={"cohort_id": ended_cohort.pk})
    ).context["report"]

    assert response.status_code == 302
    assert FollowUp.objects.get(enrolment=first).practices == ["risk_assessment", "care"]
    assert (report["graduates"], report["reached"], report["reached_rate"]) == (3, 1, 33)
    adoption = {row["label"]: row["count"] for row in report["adoption"]}
    assert adoption["Self-care and collective care"] == 1


@pytest.mark.django_db
def test_trainer_cannot_record_a_follow_up_in_the_future(login, trainer, ended_cohort):
    enrolment = ended_cohort.enrolments.filter(status="graduated").first()

    response = login(trainer).post(
        reverse("training:follow-up-create", kwargs={"enrolment_id": enrolment.pk}),
        {"months_after": "3", "contacted_on": "2999-01-01"},
    )

    assert response.status_code == 400
    assert FollowUp.objects.count() == 0


@pytest.mark.django_db
def test_trainer_home_lists_pending_follow_ups(login, trainer, ended_cohort):
    response = login(trainer).get(reverse("training:index"))

    (pending,) = response.context["pending"]
    assert (pending["cohort"], pending["pending"]) == (ended_cohort, 3)


def test_facilitator_can_be_reminded_by_the_task_the_beat_schedule_names(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["training-follow-up-reminders"]

    assert send_training_follow_up_reminders.name == schedule["task"]
