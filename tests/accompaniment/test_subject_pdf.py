"""A subject's complete file as a PDF: coordinación only, re-authenticated, audited."""

import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from accompaniment.factories import (
    FieldAssessmentFactory,
    ObjectiveFactory,
    PoliticalSubjectFactory,
    ProcessFactory,
    SessionFactory,
)
from aluna.audit.models import AuditEvent
from tests.fixtures.mfa import mark_recently_reauthenticated


def _pdf_url(subject):
    return reverse("accompaniment:subject-pdf", kwargs={"subject_id": subject.pk})


def _text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def subject_file(accompanier):
    subject = PoliticalSubjectFactory(name="María López", alias="Girasol")
    process = ProcessFactory(subject=subject, lead=accompanier)
    ObjectiveFactory(process=process, description="Plan de seguridad colectivo acordado")
    FieldAssessmentFactory(process=process, score=4, indicator_notes="Duerme mejor")
    SessionFactory(process=process, notes="Habló del miedo tras la amenaza")
    return subject


def test_coordinator_can_download_the_complete_file_and_it_is_audited(
    login, coordinator, subject_file
):
    client = login(coordinator)
    mark_recently_reauthenticated(client, coordinator, seconds_ago=10)

    response = client.get(_pdf_url(subject_file))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="expediente-{subject_file.pk}-{timezone.localdate():%Y-%m-%d}.pdf"'
    )
    text = _text(response.content)
    assert "María López" in text
    assert "Habló del miedo tras la amenaza" in text
    assert "Plan de seguridad colectivo acordado" in text
    assert "Duerme mejor" in text
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.action, event.target_id, event.actor) == (
        "export",
        str(subject_file.pk),
        coordinator,
    )


def test_coordinator_with_a_stale_reauthentication_is_asked_again(login, coordinator, subject_file):
    client = login(coordinator)
    mark_recently_reauthenticated(client, coordinator, seconds_ago=301)

    response = client.get(_pdf_url(subject_file))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert AuditEvent.objects.filter(action="export").count() == 0


@pytest.mark.parametrize(
    "who", ["accompanier", "other_accompanier", "admin_user", "trainer", "advocate", "outsider"]
)
def test_non_coordinators_cannot_download_the_complete_file(request, login, who, subject_file):
    user = request.getfixturevalue(who)
    client = login(user)
    mark_recently_reauthenticated(client, user, seconds_ago=10)

    response = client.get(_pdf_url(subject_file))

    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="export").count() == 0


def test_anonymous_visitor_cannot_download_the_complete_file(client, subject_file):
    response = client.get(_pdf_url(subject_file))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
