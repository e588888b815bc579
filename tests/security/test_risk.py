"""Risk assessments: the formula, the page, history and access."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accompaniment.factories import ProcessFactory
from accompaniment.models import Perpetrator, RiskLevel
from accompaniment.timeline import timeline_page
from aluna.audit.models import AuditEvent
from security.models import RiskAssessment, Threat
from security.risk import compute_risk
from security.services import risk_assessment_create


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


def _assess(process, user, *, on, threats, vulns=(), caps=()):
    return risk_assessment_create(
        process=process,
        actor=user,
        assessed_on=on,
        threats=[{"description": "Amenaza", "likelihood": li, "impact": im} for li, im in threats],
        vulnerabilities=[{"description": "v", "weight": w} for w in vulns],
        capacities=[{"description": "c", "weight": w} for w in caps],
    )


def _post_data(**overrides):
    data = {
        "assessed_on": dt.date.today().isoformat(),
        "summary": "",
        "threats-TOTAL_FORMS": "3",
        "threats-INITIAL_FORMS": "0",
        "threats-MIN_NUM_FORMS": "1",
        "threats-MAX_NUM_FORMS": "20",
        "threats-0-description": "Llamadas intimidatorias",
        "threats-0-perpetrator": str(Perpetrator.objects.first().pk),
        "threats-0-likelihood": "4",
        "threats-0-impact": "5",
        "vulnerabilities-TOTAL_FORMS": "3",
        "vulnerabilities-INITIAL_FORMS": "0",
        "vulnerabilities-MIN_NUM_FORMS": "0",
        "vulnerabilities-MAX_NUM_FORMS": "20",
        "vulnerabilities-0-description": "Vive sola",
        "vulnerabilities-0-weight": "4",
        "vulnerabilities-1-description": "Sin teléfono seguro",
        "vulnerabilities-1-weight": "2",
        "capacities-TOTAL_FORMS": "3",
        "capacities-INITIAL_FORMS": "0",
        "capacities-MIN_NUM_FORMS": "0",
        "capacities-MAX_NUM_FORMS": "20",
        "capacities-0-description": "Red de apoyo",
        "capacities-0-weight": "2",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("threats", "vulns", "caps", "score", "level"),
    [
        ([(4, 5)], [4, 2], [2], Decimal("30.0"), RiskLevel.MEDIUM),
        ([(1, 2)], [], [], Decimal("2.0"), RiskLevel.LOW),
        ([(4, 4), (5, 5)], [4], [2], Decimal("82.0"), RiskLevel.CRITICAL),
        ([(5, 5), (3, 5)], [2], [1], Decimal("80.0"), RiskLevel.CRITICAL),
        ([(5, 4), (4, 5)], [1], [1], Decimal("40.0"), RiskLevel.HIGH),
        ([(3, 5)], [1], [1], Decimal("15.0"), RiskLevel.MEDIUM),
        ([(2, 7)], [1], [1], Decimal("14.0"), RiskLevel.LOW),
    ],
)
def test_risk_formula_bands_the_documented_score(threats, vulns, caps, score, level):
    result = compute_risk(threats=threats, vulnerabilities=vulns, capacities=caps)

    assert (result.score, result.level) == (score, level)


def test_accompanier_can_assess_risk_of_a_team_process(login, accompanier, team_process):
    client = login(accompanier)

    response = client.post(
        reverse("security:assessment-create", kwargs={"process_id": team_process.pk}),
        _post_data(),
    )

    assessment = RiskAssessment.objects.get()
    assert response.status_code == 302
    assert (assessment.score, assessment.level) == (Decimal("30.0"), RiskLevel.MEDIUM)
    assert Threat.objects.get().description == "Llamadas intimidatorias"
    assert assessment.factors.count() == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM security_threat")
        (stored,) = cursor.fetchone()
    assert "Llamadas" not in stored
    assert AuditEvent.objects.filter(action="create", target_id=str(assessment.pk)).count() == 1


def test_accompanier_cannot_assess_risk_without_a_threat_or_with_bad_scores(
    login, accompanier, team_process
):
    client = login(accompanier)
    url = reverse("security:assessment-create", kwargs={"process_id": team_process.pk})

    no_threat = client.post(
        url,
        _post_data(
            **{"threats-0-description": "", "threats-0-likelihood": "", "threats-0-impact": ""}
        ),
    )
    bad_score = client.post(url, _post_data(**{"threats-0-likelihood": "9"}))
    future = client.post(url, _post_data(assessed_on="2999-01-01"))

    assert (no_threat.status_code, bad_score.status_code, future.status_code) == (400, 400, 400)
    assert RiskAssessment.objects.count() == 0


def test_accompanier_sees_every_error_of_a_new_assessment_at_once(login, accompanier, team_process):
    url = reverse("security:assessment-create", kwargs={"process_id": team_process.pk})

    response = login(accompanier).post(
        url, _post_data(assessed_on="2999-01-01", **{"threats-0-likelihood": "9"})
    )

    threat = response.context["threats"].forms[0]
    assert response.status_code == 400
    assert (list(response.context["form"].errors), list(threat.errors)) == (
        ["assessed_on"],
        ["likelihood"],
    )
    assert RiskAssessment.objects.count() == 0


def test_coordinator_can_see_what_changed_since_the_previous_assessment(
    login, coordinator, accompanier, team_process
):
    today = dt.date.today()
    _assess(team_process, accompanier, on=today - dt.timedelta(days=30), threats=[(2, 3)])
    latest = _assess(team_process, accompanier, on=today, threats=[(4, 5), (4, 5)], vulns=[3])

    response = login(coordinator).get(
        reverse("security:assessment-detail", kwargs={"assessment_id": latest.pk})
    )

    assert response.status_code == 200
    changes = {code: (before, after) for code, before, after in response.context["changes"]}
    assert changes["level"] == (RiskLevel.LOW, RiskLevel.CRITICAL)
    assert changes["threat_count"] == (1, 2)
    assert "Bands: below 15 low" in response.content.decode()
    assert AuditEvent.objects.filter(action="view", target_id=str(latest.pk)).count() == 1


def test_non_member_cannot_see_a_risk_assessment(
    login, other_accompanier, accompanier, team_process
):
    assessment = _assess(team_process, accompanier, on=dt.date.today(), threats=[(1, 1)])

    response = login(other_accompanier).get(
        reverse("security:assessment-detail", kwargs={"assessment_id": assessment.pk})
    )

    assert response.status_code == 404


def test_advocate_cannot_open_the_security_of_a_process(login, advocate, team_process):
    response = login(advocate).get(
        reverse("security:process", kwargs={"process_id": team_process.pk})
    )

    assert response.status_code == 403


def test_accompanier_can_edit_an_assessment_from_its_saved_date_and_summary(
    login, accompanier, team_process
):
    assessment = _assess(team_process, accompanier, on=dt.date.today(), threats=[(1, 1)])
    RiskAssessment.objects.filter(pk=assessment.pk).update(summary="Resumen guardado")
    client = login(accompanier)
    url = reverse("security:assessment-edit", kwargs={"assessment_id": assessment.pk})

    form = client.get(url).context["form"]
    saved = client.post(
        url, {"assessed_on": dt.date.today().isoformat(), "summary": "Nuevo", "version": "1"}
    )

    assessment.refresh_from_db()
    assert (form["summary"].value(), form["version"].value()) == ("Resumen guardado", 1)
    assert saved.status_code == 302
    assert (assessment.summary, assessment.version) == ("Nuevo", 2)
    assert AuditEvent.objects.filter(action="update", target_id=str(assessment.pk)).count() == 1


def test_accompanier_cannot_save_a_stale_assessment_edit(
    login, client, accompanier, coordinator, team_process
):
    assessment = _assess(team_process, accompanier, on=dt.date.today(), threats=[(1, 1)])
    url = reverse("security:assessment-edit", kwargs={"assessment_id": assessment.pk})
    today = dt.date.today().isoformat()
    # Both open the edit form at version 1; Carmen saves first.
    login(coordinator).post(url, {"assessed_on": today, "summary": "De Carmen", "version": "1"})
    client.logout()

    response = login(accompanier).post(
        url, {"assessed_on": today, "summary": "De Pablo", "version": "1"}
    )

    assert response.status_code == 409
    assert RiskAssessment.objects.get(pk=assessment.pk).summary == "De Carmen"
    assert response.context["form"]["summary"].value() == "De Pablo"
    assert response.context["form"]["version"].value() == 2
    assert ("Summary", "De Carmen") in [
        (str(label), value) for label, value in response.context["stale_values"]
    ]
    page = response.content.decode()
    assert 'data-testid="stale-values"' in page
    assert "De Pablo" in page


def test_risk_assessments_appear_on_the_process_timeline(accompanier, team_process):
    _assess(team_process, accompanier, on=dt.date.today(), threats=[(5, 5)], vulns=[5], caps=[1])

    page = timeline_page(process=team_process, user=accompanier)

    assert [e.kind for e in page.entries if e.kind == "risk"] == ["risk"]


def test_process_security_page_query_count_is_flat(
    login, coordinator, accompanier, team_process, django_assert_num_queries
):
    client = login(coordinator)
    url = reverse("security:process", kwargs={"process_id": team_process.pk})
    for _ in range(2):
        _assess(team_process, accompanier, on=dt.date.today(), threats=[(1, 1)])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(10):
        _assess(team_process, accompanier, on=dt.date.today(), threats=[(1, 1)])
    ProcessFactory(lead=accompanier)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    assert response.status_code == 200
    assert len(large) == len(small)
