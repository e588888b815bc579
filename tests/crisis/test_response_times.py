"""Response times: from the aggression to the first crisis contact, and from the crisis
to a long accompaniment process, as median and 90th percentile hours."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accompaniment.factories import CollectiveFactory, ProcessFactory
from accompaniment.models import AggressionType, FederalEntity, ProcessKind, RiskLevel
from aluna.audit.models import AuditEvent
from crisis import aggregates
from crisis.models import Aggression, CrisisIntervention

DAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


def at(hour: float, day: dt.date = DAY) -> dt.datetime:
    base = dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
    return base + dt.timedelta(hours=hour)


def make_case(
    *,
    recorded_by,
    happened: dt.datetime,
    contacts: list[dt.datetime],
    state="20",
    types=("threat",),
    risk=RiskLevel.HIGH,
    alias="Colectivo",
    approximate=False,
):
    """A subject, an aggression against it and its crisis contacts; returns the crises."""
    process = ProcessFactory(subject=CollectiveFactory(alias=alias), kind=ProcessKind.CRISIS)
    aggression = Aggression.objects.create(
        occurred_at=happened,
        is_approximate=approximate,
        state=FederalEntity.objects.get(code=state),
        recorded_by=recorded_by,
    )
    aggression.types.set(AggressionType.objects.filter(code__in=types))
    aggression.subjects.set([process.subject])
    return [
        CrisisIntervention.objects.create(
            process=process,
            contacted_at=contact,
            last_contact_at=contact,
            channel="phone",
            risk_level=risk,
            aggression=aggression,
            recorded_by=recorded_by,
        )
        for contact in contacts
    ]


def period():
    return {"start": DAY - dt.timedelta(days=40), "end": DAY + dt.timedelta(days=40)}


def test_only_the_first_contact_about_an_aggression_counts(coordinator):
    # Delays of 1, 2, 3, 4 and 10 hours; the second contact of the first case does not count.
    make_case(recorded_by=coordinator, happened=at(0), contacts=[at(1), at(30)])
    for delay in (2, 3, 4, 10):
        make_case(recorded_by=coordinator, happened=at(0), contacts=[at(delay)])

    figures = aggregates.response_times(**period(), measure="contact")[None]

    assert figures["cases"] == 5
    assert figures["median"] == pytest.approx(3.0)
    assert figures["p90"] == pytest.approx(4 + 0.6 * 6)  # percentile_cont between 4 and 10


def test_an_approximate_date_counts_from_when_the_team_recorded_it(coordinator):
    [crisis] = make_case(
        recorded_by=coordinator,
        happened=at(-24 * 30),
        contacts=[timezone.now() + dt.timedelta(hours=5)],
        approximate=True,
    )
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    figures = aggregates.response_times(start=today, end=tomorrow, measure="contact")
    assert figures[None]["median"] == pytest.approx(5.0, abs=0.05)
    assert crisis.aggression.is_approximate


def test_figures_by_region_type_risk_and_month(coordinator):
    make_case(recorded_by=coordinator, happened=at(0), contacts=[at(1)], state="20")  # south
    make_case(recorded_by=coordinator, happened=at(0), contacts=[at(3)], state="07")  # south
    make_case(
        recorded_by=coordinator,
        happened=at(0),
        contacts=[at(6, DAY + dt.timedelta(days=31))],
        state="09",
        risk=RiskLevel.CRITICAL,
        types=("threat", "harassment"),
    )

    by_region = aggregates.response_times(**period(), measure="contact", by="region")
    by_risk = aggregates.response_times(**period(), measure="contact", by="risk_level")
    by_month = aggregates.response_times(**period(), measure="contact", by="month")
    by_type = aggregates.response_times(**period(), measure="contact", by="aggression_type")

    assert set(by_region) == {"south", "central"}
    assert by_region["south"]["cases"] == 2
    assert by_region["south"]["median"] == pytest.approx(2.0)
    assert by_region["central"]["cases"] == 1
    assert by_risk[RiskLevel.HIGH]["median"] == pytest.approx(2.0)
    assert by_risk[RiskLevel.CRITICAL]["cases"] == 1
    assert sorted(by_month) == [dt.date(2026, 3, 1), dt.date(2026, 4, 1)]
    assert by_month[dt.date(2026, 3, 1)]["cases"] == 2
    harassment = AggressionType.objects.get(code="harassment").pk
    threat = AggressionType.objects.get(code="threat").pk
    assert by_type[threat]["cases"] == 3
    assert by_type[harassment]["cases"] == 1


def test_time_to_a_long_process_counts_from_the_contact_to_the_day_it_opened(coordinator):
    [crisis] = make_case(recorded_by=coordinator, happened=at(0), contacts=[at(18)])
    subject = crisis.process.subject
    for days in (3, 9):
        ProcessFactory(
            subject=subject, kind=ProcessKind.STRENGTHENING, opened_on=DAY + dt.timedelta(days=days)
        )
    make_case(recorded_by=coordinator, happened=at(0), contacts=[at(2)], alias="Sin proceso largo")

    figures = aggregates.response_times(**period(), measure="process")

    assert figures[None]["cases"] == 1
    assert figures[None]["median"] == pytest.approx(3 * 24 - 18)


def test_query_count_does_not_grow_with_the_cases(coordinator):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            for measure in aggregates.MEASURES:
                for by in (None, *aggregates.BREAKDOWNS):
                    aggregates.response_times(**period(), measure=measure, by=by)
        return len(captured)

    make_case(recorded_by=coordinator, happened=at(0), contacts=[at(1)])
    few = queries()
    for delay in range(2, 12):
        make_case(recorded_by=coordinator, happened=at(0), contacts=[at(delay)], state="09")
    assert queries() == few == 10


# --- the page ---------------------------------------------------------------------------------


def _page_url(**query):
    url = reverse("crisis:response-times")
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def test_coordinator_sees_the_figures_and_the_cases_over_the_target_by_alias(
    login, coordinator, settings
):
    settings.CRISIS_RESPONSE_TARGET_HOURS = 2
    make_case(recorded_by=coordinator, happened=at(0), contacts=[at(1)], alias="Colectivo Rápido")
    [late] = make_case(
        recorded_by=coordinator, happened=at(0), contacts=[at(7)], alias="Colectivo Tardío"
    )
    client = login(coordinator)

    response = client.get(_page_url(date_from="2026-02-01", date_to="2026-04-30"))

    assert response.status_code == 200
    html = response.content.decode()
    review = html.split('data-testid="over-target"')[1].split("</ul>")[0]
    assert "Colectivo Tardío" in review
    assert "Colectivo Rápido" not in review
    assert "7.0 h after the aggression" in review
    overall = html.split('data-testid="response-overall"')[1].split("</table>")[0]
    assert '<td class="text-end">2</td><td class="text-end">4.0</td>' in overall
    assert (
        AuditEvent.objects.filter(
            action="view", target_id=str(late.pk), metadata__page="response-times"
        ).count()
        == 1
    )
    assert AuditEvent.objects.filter(metadata__page="response-times").count() == 1


@pytest.mark.parametrize("who", ["accompanier", "advocate", "trainer", "outsider"])
def test_other_roles_cannot_open_the_response_times(request, login, who):
    response = login(request.getfixturevalue(who)).get(_page_url())
    assert response.status_code == 403


def test_a_bad_period_is_a_clear_400(login, coordinator):
    response = login(coordinator).get(_page_url(date_from="2026-05-01", date_to="2026-01-01"))
    assert response.status_code == 400
    assert "The end of the period cannot be before its start." in response.content.decode()


def test_coordinator_home_shows_the_response_chart(login, coordinator):
    now = timezone.now()
    make_case(recorded_by=coordinator, happened=now - dt.timedelta(hours=3), contacts=[now])
    html = login(coordinator).get(reverse("core:home")).content.decode()
    assert 'data-testid="home-response-chart"' in html
    assert "Median hours to the first crisis contact, by month" in html
