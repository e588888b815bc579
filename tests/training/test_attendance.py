"""Attendance: one page for the whole cohort, one POST per mark, safe for two trainers."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aluna.accounts.factories import UserFactory
from aluna.core.concurrency import StaleEdit
from aluna.core.roles import Role
from training.factories import (
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    TrainingSessionFactory,
)
from training.models import Attendance, TrainingSession
from training.selectors import enrolments_with_rates, sessions_with_rates
from training.services import attendance_mark

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def session(trainer):
    return TrainingSessionFactory(cohort=CohortFactory(facilitators=[trainer]))


def mark(client, session, enrolment, status, version):
    return client.post(
        reverse("training:attendance", kwargs={"session_id": session.pk}),
        {"enrolment": enrolment.pk, "status": status, "version": version},
        HTTP_HX_REQUEST="true",
    )


def test_trainer_can_add_a_monthly_session(login, trainer):
    cohort = CohortFactory(facilitators=[trainer])
    client = login(trainer)

    response = client.post(
        reverse("training:session-create", kwargs={"cohort_id": cohort.pk}),
        {
            "date": "2026-03-14",
            "topic": "Plan de seguridad",
            "facilitator": trainer.pk,
            "link": "https://meet.example.org/abc",
        },
    )

    assert response.status_code == 302
    assert TrainingSession.objects.get().topic == "Plan de seguridad"


def test_trainer_cannot_add_a_session_outside_the_cohort_dates_or_without_place(login, trainer):
    cohort = CohortFactory(facilitators=[trainer])
    client = login(trainer)

    response = client.post(
        reverse("training:session-create", kwargs={"cohort_id": cohort.pk}),
        {"date": "2027-03-14", "topic": "Plan"},
    )

    errors = response.context["form"].errors
    assert response.status_code == 400
    assert errors["date"] == ["The session must fall between the cohort's start and end."]
    assert errors["place"] == ["Give the place or the link."]


def test_trainer_can_mark_attendance_without_reloading(login, trainer, session):
    enrolment = EnrolmentFactory(cohort=session.cohort)
    client = login(trainer)

    first = mark(client, session, enrolment, "present", 0)
    second = mark(client, session, enrolment, "late", 1)

    saved = Attendance.objects.get()
    assert first.status_code == 200
    assert b'data-testid="attendance-saved"' in second.content
    assert (saved.status, saved.version, saved.updated_by) == ("late", 2, trainer)


def test_trainer_cannot_overwrite_a_mark_changed_meanwhile(login, trainer, session):
    colleague = UserFactory(full_name="Teresa Tallerista", roles=[Role.TRAINING])
    session.cohort.facilitators.add(colleague)
    enrolment = EnrolmentFactory(cohort=session.cohort)
    mine, theirs = login(trainer), login(colleague)
    mark(theirs, session, enrolment, "present", 0)  # both pages showed "no mark"

    response = mark(mine, session, enrolment, "absent", 0)

    assert response.status_code == 409
    assert response.context["row"]["conflict"] is True
    assert response.context["row"]["version"] == 1
    assert "Teresa Tallerista changed this mark meanwhile" in response.content.decode()
    assert Attendance.objects.get().status == "present"


def test_trainer_cannot_mark_on_a_stale_version_even_through_the_service(trainer, session):
    colleague = UserFactory(full_name="Teresa Tallerista", roles=[Role.TRAINING])
    enrolment = EnrolmentFactory(cohort=session.cohort)
    theirs = attendance_mark(
        actor=colleague, session=session, enrolment=enrolment, status="present", expected_version=0
    )

    with pytest.raises(StaleEdit) as stale:
        attendance_mark(
            actor=trainer, session=session, enrolment=enrolment, status="absent", expected_version=0
        )

    assert stale.value.current == theirs
    assert (stale.value.current.status, stale.value.current.updated_by) == ("present", colleague)
    assert Attendance.objects.get().version == 1


def test_trainer_cannot_mark_someone_of_another_cohort(login, trainer, session):
    stranger = EnrolmentFactory()

    response = mark(login(trainer), session, stranger, "present", 0)

    assert response.status_code == 404
    assert Attendance.objects.count() == 0


def test_trainer_cannot_send_an_unknown_status(login, trainer, session):
    enrolment = EnrolmentFactory(cohort=session.cohort)

    response = mark(login(trainer), session, enrolment, "sleeping", 0)

    assert response.status_code == 400


def test_attendance_rate_per_participant_and_per_session(trainer):
    cohort = CohortFactory(facilitators=[trainer])
    ana, beto = EnrolmentFactory(cohort=cohort), EnrolmentFactory(cohort=cohort)
    days = [dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)]
    sessions = [TrainingSessionFactory(cohort=cohort, date=day) for day in days]
    for s, status in zip(sessions, ["present", "late", "present", "absent"], strict=True):
        AttendanceFactory(session=s, enrolment=ana, status=status)
    AttendanceFactory(session=sessions[0], enrolment=beto, status="excused")

    enrolments, held = enrolments_with_rates(cohort=cohort, today=dt.date(2026, 6, 1))
    per_session = sessions_with_rates(cohort=cohort)

    assert held == 4
    assert [e.rate for e in enrolments] == [75, 0]
    assert [s.rate for s in per_session] == [50, 50, 50, 0]


def test_attendance_page_query_count_does_not_grow(login, trainer, session):
    client = login(trainer)
    url = reverse("training:attendance", kwargs={"session_id": session.pk})

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    for _ in range(2):
        AttendanceFactory(session=session, enrolment=EnrolmentFactory(cohort=session.cohort))
    small = count()
    for _ in range(10):
        EnrolmentFactory(cohort=session.cohort)
    assert count() == small
