"""Every security view, as every member of the cast (GET): role 403, not-yours 404."""

import datetime as dt

import pytest
from django.urls import reverse

from security.models import MeasureStatus, ProtectionMeasure
from security.services import checkin_create, plan_create, risk_assessment_create

TEAM = {
    "coordinator": 200,
    "accompanier": 200,
    "other_accompanier": 404,
    "admin_user": 403,
    "trainer": 403,
    "advocate": 403,
    "outsider": 403,
}
ROLE_ONLY = {**TEAM, "other_accompanier": 200}


@pytest.fixture
def security_records(accompanier, coordinator, team_process):
    from accompaniment.models import FederalEntity

    assessment = risk_assessment_create(
        process=team_process,
        actor=accompanier,
        assessed_on=dt.date.today(),
        threats=[{"description": "x", "likelihood": 2, "impact": 2}],
        vulnerabilities=[],
        capacities=[],
    )
    measure = ProtectionMeasure.objects.create(
        process=team_process,
        source="own",
        kind="phone",
        status=MeasureStatus.NOT_IMPLEMENTED,
        granted_on=dt.date(2030, 1, 1),
    )
    plan = plan_create(
        process=team_process,
        actor=accompanier,
        data={"title": "Plan", "review_on": dt.date.today() + dt.timedelta(days=9)},
    )
    checkin = checkin_create(
        actor=accompanier,
        state=FederalEntity.objects.get(code="07"),
        municipality="Ocosingo",
        expected_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=2),
        contacts=[coordinator],
    )
    return {
        "process_id": team_process.pk,
        "assessment_id": assessment.pk,
        "measure_id": measure.pk,
        "plan_id": plan.pk,
        "checkin_id": checkin.pk,
    }


ROWS = [
    ("security:index", None, ROLE_ONLY),
    ("security:measures-not-implemented", None, ROLE_ONLY),
    ("security:checkin-create", None, ROLE_ONLY),
    ("security:process", "process_id", TEAM),
    ("security:assessment-create", "process_id", TEAM),
    ("security:measure-create", "process_id", TEAM),
    ("security:plan-create", "process_id", TEAM),
    ("security:assessment-detail", "assessment_id", TEAM),
    ("security:assessment-edit", "assessment_id", TEAM),
    ("security:measure-edit", "measure_id", TEAM),
    ("security:plan-detail", "plan_id", TEAM),
    ("security:plan-edit", "plan_id", TEAM),
    ("security:plan-measure-add", "plan_id", TEAM),
    ("security:plan-protocol-add", "plan_id", TEAM),
    # A check-in is seen by whoever registered it, its contacts and coordinación.
    ("security:checkin-detail", "checkin_id", TEAM),
    ("security:checkin-close", "checkin_id", TEAM),
]


@pytest.mark.parametrize(("url_name", "kwarg", "expected"), ROWS)
def test_cast_gets_the_expected_status_on_every_security_view(
    request, login, security_records, url_name, kwarg, expected
):
    url = reverse(url_name, kwargs={kwarg: security_records[kwarg]} if kwarg else None)
    statuses = {who: login(request.getfixturevalue(who)).get(url).status_code for who in expected}

    assert statuses == expected


def test_anonymous_visitor_cannot_open_a_security_page(client, security_records):
    url = reverse("security:process", kwargs={"process_id": security_records["process_id"]})

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"
