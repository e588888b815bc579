import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from aluna import celery_app
from aluna.outbox.models import OutboxMessage
from tests.fixtures.celery_worker import wait_for
from training.factories import (
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    ParticipantFactory,
    TrainingSessionFactory,
)
from training.models import Certificate, CertificateBatch, Questionnaire, Response
from training.services import certificate_batch_start, certificate_issue, questionnaire_save
from training.tasks import issue_cohort_certificates


def ready_cohort(trainer, *, attended=(5, 4, 3)):
    """Five sessions held; participants attended the given numbers; all did the exit evaluation."""
    cohort = CohortFactory(
        facilitators=[trainer], starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 6, 1)
    )
    cohort.programme.name = "Protección integral"
    cohort.programme.save()
    questionnaire_save(
        actor=trainer,
        programme=cohort.programme,
        kind="exit",
        title="Salida",
        likert=["Uno"],
        open_=[],
    )
    exit_q = Questionnaire.objects.get(programme=cohort.programme, kind="exit")
    sessions = [
        TrainingSessionFactory(cohort=cohort, date=dt.date(2025, m, 1)) for m in range(1, 6)
    ]
    enrolments = []
    for n, count in enumerate(attended):
        enrolment = EnrolmentFactory(
            cohort=cohort, participant=ParticipantFactory(name=f"Persona {n}")
        )
        for session in sessions[:count]:
            AttendanceFactory(session=session, enrolment=enrolment, status="present")
        Response.objects.create(questionnaire=exit_q, enrolment=enrolment)
        enrolments.append(enrolment)
    return cohort, enrolments


@pytest.mark.django_db
def test_only_participants_at_the_threshold_with_the_exit_evaluation_get_a_certificate(trainer):
    cohort, (full, eighty, sixty) = ready_cohort(trainer)
    no_exit = EnrolmentFactory(cohort=cohort)
    for session in cohort.sessions.all():
        AttendanceFactory(session=session, enrolment=no_exit)

    issued = [certificate_issue(actor=trainer, enrolment=e) for e in (full, eighty, sixty, no_exit)]

    assert [c is not None for c in issued] == [True, True, False, False]
    full.refresh_from_db()
    assert full.status == "graduated"


@pytest.mark.django_db
def test_trainer_can_download_a_certificate_pdf_with_its_code(login, trainer):
    cohort, (full, *_rest) = ready_cohort(trainer)
    client = login(trainer)
    client.post(reverse("training:certificate-issue", kwargs={"enrolment_id": full.pk}))
    certificate = Certificate.objects.get()

    response = client.get(reverse("training:certificate-pdf", kwargs={"enrolment_id": full.pk}))

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="constancia-{certificate.code}-{timezone.localdate():%Y-%m-%d}.pdf"'
    )
    assert response["Cache-Control"] == "no-store, no-cache, must-revalidate, private, max-age=0"
    assert "Persona 0" in text
    assert "Protección integral" in text
    assert certificate.code in text


@pytest.mark.django_db
def test_trainer_cannot_download_a_certificate_not_issued(login, trainer):
    cohort, (_full, _eighty, sixty) = ready_cohort(trainer)

    response = login(trainer).get(
        reverse("training:certificate-pdf", kwargs={"enrolment_id": sixty.pk})
    )

    assert response.status_code == 404


@pytest.mark.django_db
def test_anyone_can_verify_a_code_and_see_only_programme_and_year(client, trainer):
    cohort, (full, *_rest) = ready_cohort(trainer)
    certificate = certificate_issue(actor=trainer, enrolment=full)
    url = reverse("training:certificate-verify")

    valid = client.get(url, {"code": certificate.code.lower()}).content.decode()
    invalid = client.get(url, {"code": "NOPE12345678"}).content.decode()

    assert "Protección integral" in valid
    assert str(certificate.issued_on.year) in valid
    assert "Persona 0" not in valid
    assert 'data-testid="verify-valid"' in valid
    assert 'data-testid="verify-invalid"' in invalid


@pytest.mark.worker
def test_trainer_can_issue_a_whole_cohort_in_the_background(celery_worker, login, trainer):
    cohort, _enrolments = ready_cohort(trainer)
    client = login(trainer)

    response = client.post(reverse("training:certificates-bulk", kwargs={"cohort_id": cohort.pk}))
    batch = CertificateBatch.objects.get()

    assert response["Location"] == reverse("training:batch-progress", kwargs={"batch_id": batch.pk})
    wait_for(lambda: CertificateBatch.objects.get(pk=batch.pk).finished)
    batch.refresh_from_db()
    assert (batch.total, batch.issued, batch.percent) == (3, 2, 100)
    assert Certificate.objects.count() == 2
    page = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="batch-done"' in page


@pytest.mark.django_db
def test_bulk_issue_is_queued_under_the_registered_task_name(trainer):
    cohort, _enrolments = ready_cohort(trainer)

    batch = certificate_batch_start(actor=trainer, cohort=cohort)

    message = OutboxMessage.objects.get()
    assert (message.task_name, message.args) == (
        "training.tasks.issue_cohort_certificates",
        [str(batch.pk)],
    )
    assert celery_app.tasks[message.task_name].name == issue_cohort_certificates.name
