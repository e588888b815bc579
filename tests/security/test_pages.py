"""Security on the subject's page, and "who consulted this record" on the security pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accompaniment.factories import PoliticalSubjectFactory, ProcessFactory
from accompaniment.models import FederalEntity, ProcessKind, RiskLevel
from aluna.audit.models import AuditEvent
from security.models import MeasureStatus, ProtectionMeasure
from security.services import (
    checkin_create,
    overdue_checkins_alert,
    plan_create,
    risk_assessment_create,
)


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


def _assess(process, user, *, on, likelihood, impact):
    return risk_assessment_create(
        process=process,
        actor=user,
        assessed_on=on,
        threats=[{"description": "Amenaza", "likelihood": likelihood, "impact": impact}],
        vulnerabilities=[],
        capacities=[],
    )


def _measure(process, *, kind="panic_button", status=MeasureStatus.GRANTED, **kw):
    values = {"source": "federal", "granted_on": dt.date(2030, 1, 1), **kw}
    return ProtectionMeasure.objects.create(process=process, kind=kind, status=status, **values)


def _checkin(actor, contacts, subject, *, hours=2):
    return checkin_create(
        actor=actor,
        subject=subject,
        state=FederalEntity.objects.get(code="07"),
        municipality="Ocosingo",
        expected_at=timezone.now() + dt.timedelta(hours=hours),
        contacts=contacts,
    )


def _subject_page(client, subject):
    return client.get(reverse("accompaniment:subject-detail", kwargs={"subject_id": subject.pk}))


def _security_section(response):
    (section,) = [s for s in response.context["sections"] if s.template_name.startswith("security")]
    return section.context["overview"]


# --- The subject's page -------------------------------------------------------------------------


def test_accompanier_can_see_the_security_of_a_team_subject_on_its_page(
    login, accompanier, coordinator, team_process, team_subject
):
    today = timezone.localdate()
    _assess(team_process, accompanier, on=today - dt.timedelta(days=40), likelihood=5, impact=5)
    latest = _assess(team_process, accompanier, on=today, likelihood=1, impact=2)
    not_implemented = _measure(team_process, kind="escorts", status=MeasureStatus.NOT_IMPLEMENTED)
    implemented = _measure(
        team_process, status=MeasureStatus.IMPLEMENTED, implemented_on=dt.date(2030, 2, 1)
    )
    _measure(team_process, kind="phone", status=MeasureStatus.ENDED)
    _measure(team_process, kind="shelter", expires_on=today - dt.timedelta(days=1))
    _checkin(accompanier, [coordinator], team_subject)
    _checkin(accompanier, [coordinator], team_subject, hours=-1)
    overdue_checkins_alert(now=timezone.now())  # the trip due an hour ago starts its chain

    response = _subject_page(login(accompanier), team_subject)

    overview = _security_section(response)
    (process,) = overview.processes
    assert (process.latest_assessment_id, process.latest_level) == (latest.pk, RiskLevel.LOW)
    assert [m.pk for m in overview.measures] == [not_implemented.pk, implemented.pk]
    assert (overview.open_checkins, overview.overdue_checkins) == (2, 1)
    page = response.content.decode()
    assert 'data-testid="subject-security"' in page
    assert "Granted but not implemented" in page
    assert reverse("security:process", kwargs={"process_id": team_process.pk}) in page
    assert reverse("security:assessment-detail", kwargs={"assessment_id": latest.pk}) in page


def test_coordinator_can_see_the_latest_risk_level_of_each_process_of_a_subject(
    login, coordinator, accompanier, team_process, team_subject
):
    today = timezone.localdate()
    second = ProcessFactory(subject=team_subject, lead=accompanier, kind=ProcessKind.CRISIS)
    _assess(team_process, accompanier, on=today - dt.timedelta(days=9), likelihood=4, impact=5)
    _assess(team_process, accompanier, on=today, likelihood=1, impact=2)
    _assess(second, accompanier, on=today, likelihood=4, impact=5)
    unassessed = ProcessFactory(subject=team_subject, lead=accompanier)

    response = _subject_page(login(coordinator), team_subject)

    levels = {p.pk: p.latest_level for p in _security_section(response).processes}
    assert levels == {
        team_process.pk: RiskLevel.LOW,
        second.pk: RiskLevel.MEDIUM,
        unassessed.pk: None,
    }
    assert "No risk assessment yet." in response.content.decode()


def test_coordinator_can_read_a_subjects_risk_score_rounded_and_explained(
    login, coordinator, accompanier, team_process, team_subject
):
    # 25 × mean(5, 4) ÷ 1 = 112.5: a score with a decimal.
    risk_assessment_create(
        process=team_process,
        actor=accompanier,
        assessed_on=dt.date(2026, 3, 9),
        threats=[{"description": "Amenaza", "likelihood": 5, "impact": 5}],
        vulnerabilities=[{"description": "a", "weight": 5}, {"description": "b", "weight": 4}],
        capacities=[],
    )

    response = _subject_page(login(coordinator), team_subject)

    page = response.content.decode()
    assert ">Score 112.5 on 03/09/2026</a>" in page
    assert 'aria-describedby="subject-risk-scale" data-testid="risk-score"' in page
    assert (
        '<p class="small text-body-secondary mb-2" id="subject-risk-scale" '
        'data-testid="risk-scale">The risk score starts at 0 and has no upper limit'
    ) in page
    assert "Bands: below 15 low; 15 to 39.9 medium; 40 to 79.9 high; 80 or more critical." in page


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        (Decimal("122.700000000000"), "Score 122.7"),  # what SQLite's subquery gave back
        (Decimal("55.0"), "Score 55"),
        (Decimal("0"), "Score 0"),
    ],
)
def test_a_risk_score_reads_rounded_whatever_the_database_gives(score, shown):
    assert render_to_string("security/_risk_score.html", {"score": score}).strip() == shown


def test_accompanier_off_the_team_cannot_see_the_security_of_a_subject_they_created(
    login, accompanier, other_accompanier
):
    subject = PoliticalSubjectFactory(created_by=other_accompanier)
    process = ProcessFactory(subject=subject, lead=accompanier)
    _assess(process, accompanier, on=timezone.localdate(), likelihood=5, impact=5)
    _measure(process, status=MeasureStatus.NOT_IMPLEMENTED)

    response = _subject_page(login(other_accompanier), subject)

    assert response.status_code == 200
    assert response.context["sections"] == []
    assert 'data-testid="subject-security"' not in response.content.decode()


def test_accompanier_sees_only_the_open_checkins_they_may_open_on_a_subject_page(
    login, accompanier, other_accompanier, coordinator, team_subject
):
    _checkin(coordinator, [other_accompanier], team_subject)
    _checkin(accompanier, [coordinator], team_subject)

    response = _subject_page(login(accompanier), team_subject)

    assert _security_section(response).open_checkins == 1


def test_subject_page_query_count_does_not_grow_with_security_records(
    login, coordinator, accompanier, team_process, team_subject, django_assert_max_num_queries
):
    client = login(coordinator)
    today = timezone.localdate()

    def grow(n):
        for _ in range(n):
            process = ProcessFactory(subject=team_subject, lead=accompanier)
            _assess(process, accompanier, on=today, likelihood=3, impact=3)
            _assess(team_process, accompanier, on=today, likelihood=2, impact=2)
            _measure(process, status=MeasureStatus.NOT_IMPLEMENTED)
            _measure(team_process, status=MeasureStatus.IMPLEMENTED, implemented_on=today)
            _checkin(accompanier, [coordinator], team_subject)

    grow(1)
    with CaptureQueriesContext(connection) as small:
        assert _subject_page(client, team_subject).status_code == 200
    grow(12)
    with django_assert_max_num_queries(len(small)):
        response = _subject_page(client, team_subject)

    overview = _security_section(response)
    assert (len(overview.processes), overview.open_checkins) == (14, 13)


# --- Who consulted this record ------------------------------------------------------------------


@pytest.fixture
def security_pages(accompanier, coordinator, team_process, team_subject):
    assessment = _assess(team_process, accompanier, on=timezone.localdate(), likelihood=2, impact=2)
    measure = _measure(team_process, status=MeasureStatus.NOT_IMPLEMENTED)
    plan = plan_create(
        process=team_process,
        actor=accompanier,
        data={"title": "Plan", "review_on": timezone.localdate() + dt.timedelta(days=9)},
    )
    checkin = _checkin(accompanier, [coordinator], team_subject)
    return {
        "assessment": (
            assessment,
            reverse("security:assessment-detail", kwargs={"assessment_id": assessment.pk}),
        ),
        "measure": (measure, reverse("security:measure-edit", kwargs={"measure_id": measure.pk})),
        "plan": (plan, reverse("security:plan-detail", kwargs={"plan_id": plan.pk})),
        "checkin": (checkin, reverse("security:checkin-detail", kwargs={"checkin_id": checkin.pk})),
    }


@pytest.mark.parametrize("record", ["assessment", "measure", "plan", "checkin"])
def test_coordinator_can_see_who_consulted_a_security_record(
    login, client, accompanier, coordinator, security_pages, record
):
    obj, url = security_pages[record]
    login(accompanier).get(url)
    client.logout()

    response = login(coordinator).get(url)

    events = response.context["who_viewed"]
    assert [(e.actor, e.action) for e in events] == [(coordinator, "view"), (accompanier, "view")]
    assert "Who consulted this record" in response.content.decode()
    assert AuditEvent.objects.filter(action="view", target_id=str(obj.pk)).count() == 2


@pytest.mark.parametrize("record", ["assessment", "measure", "plan", "checkin"])
def test_accompanier_cannot_see_who_consulted_a_security_record(
    login, accompanier, security_pages, record
):
    obj, url = security_pages[record]

    response = login(accompanier).get(url)

    assert response.status_code == 200
    assert response.context["who_viewed"] is None
    assert "Who consulted this record" not in response.content.decode()
    assert AuditEvent.objects.filter(action="view", target_id=str(obj.pk)).count() == 1
