"""Field assessments: 1-5 scores with dates inside the process, and stale edits refused."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accompaniment.factories import FieldAssessmentFactory
from accompaniment.models import FieldAssessment
from aluna.audit.models import AuditEvent

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


def _create(client, process, **data):
    payload = {
        "field": "psychoemotional",
        "assessed_on": TODAY().isoformat(),
        "score": "4",
        "indicator_notes": "Duermen mejor",
    }
    payload.update(data)
    return client.post(
        reverse("accompaniment:assessment-create", kwargs={"process_id": process.pk}), payload
    )


def _edit(client, assessment, **data):
    payload = {
        "field": assessment.field,
        "assessed_on": assessment.assessed_on.isoformat(),
        "score": str(assessment.score),
        "indicator_notes": assessment.indicator_notes,
        "version": str(assessment.version),
    }
    payload.update(data)
    return client.post(
        reverse("accompaniment:assessment-edit", kwargs={"assessment_id": assessment.pk}), payload
    )


def test_team_member_can_assess_a_field(login, accompanier, team_process):
    response = _create(login(accompanier), team_process)

    assessment = team_process.assessments.get()
    assert response.status_code == 302
    assert (assessment.score, assessment.indicator_notes, assessment.assessed_by) == (
        4,
        "Duermen mejor",
        accompanier,
    )
    assert AuditEvent.objects.get(action="create", target_id=str(assessment.pk)).metadata == {
        "process": str(team_process.pk),
        "score": 4,
    }


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"score": "0"}, "score"),
        ({"score": "6"}, "score"),
        ({"score": "three"}, "score"),
        ({"assessed_on": "2999-12-31"}, "assessed_on"),
        ({"assessed_on": "2000-01-01"}, "assessed_on"),
        ({"indicator_notes": "x" * 1_000_000}, "indicator_notes"),
        ({"indicator_notes": "nota\x00"}, "indicator_notes"),
        ({"field": "nonsense"}, "field"),
    ],
)
def test_team_member_cannot_assess_with_bad_input(
    login, accompanier, team_process, override, field
):
    response = _create(login(accompanier), team_process, **override)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert team_process.assessments.count() == 0


def test_team_member_can_correct_an_assessment(login, accompanier, team_process):
    assessment = FieldAssessmentFactory(process=team_process, score=2)

    response = _edit(login(accompanier), assessment, score="3")

    assessment.refresh_from_db()
    assert response.status_code == 302
    assert (assessment.score, assessment.version) == (3, 2)


def test_a_stale_assessment_edit_is_refused_with_input_kept(
    login, accompanier, coordinator, team_process
):
    assessment = FieldAssessmentFactory(process=team_process, score=2)
    _edit(login(coordinator), assessment, score="5")

    response = _edit(login(accompanier), assessment, score="1", indicator_notes="Mi versión")

    saved = FieldAssessment.objects.get(pk=assessment.pk)
    assert response.status_code == 409
    assert saved.score == 5
    assert response.context["form"]["indicator_notes"].value() == "Mi versión"
    assert ("Score (1-5)", "5") in [
        (str(label), v) for label, v in response.context["stale_values"]
    ]
    assert response.context["form"]["version"].value() == 2


def test_saving_again_after_a_stale_edit_succeeds(login, accompanier, coordinator, team_process):
    assessment = FieldAssessmentFactory(process=team_process, score=2)
    _edit(login(coordinator), assessment, score="5")
    client = login(accompanier)
    _edit(client, assessment, score="1")

    response = _edit(client, assessment, score="1", version="2")

    assert response.status_code == 302
    assert FieldAssessment.objects.get(pk=assessment.pk).score == 1


def test_assessment_date_before_opening_is_refused_on_edit(login, accompanier, team_process):
    assessment = FieldAssessmentFactory(process=team_process)
    before = team_process.opened_on - dt.timedelta(days=1)

    response = _edit(login(accompanier), assessment, assessed_on=before.isoformat())

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["assessed_on"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("coordinator", 200),
        ("accompanier", 200),
        ("other_accompanier", 404),
        ("admin_user", 403),
        ("trainer", 403),
        ("advocate", 403),
        ("outsider", 403),
    ],
)
def test_each_role_gets_the_expected_answer_on_assessment_edit(
    request, login, team_process, who, expected
):
    assessment = FieldAssessmentFactory(process=team_process)
    client = login(request.getfixturevalue(who))

    response = client.get(
        reverse("accompaniment:assessment-edit", kwargs={"assessment_id": assessment.pk})
    )

    assert response.status_code == expected
