"""The coordinators' review of organisational strengthening (dashboard and chart)."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accompaniment.charts import SVG_NS, Series, score_line_chart
from accompaniment.factories import (
    CollectiveFactory,
    FieldAssessmentFactory,
    ObjectiveFactory,
    PoliticalSubjectFactory,
    ProcessFactory,
)
from accompaniment.models import (
    AreaOfDefence,
    FederalEntity,
    ObjectiveStatus,
    ProcessKind,
    ProcessStatus,
    PsychosocialField,
)
from aluna.audit.models import AuditEvent

DASHBOARD = reverse("accompaniment:dashboard")
F = PsychosocialField
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


def _chart_url(process) -> str:
    return reverse("accompaniment:dashboard-organisation", kwargs={"process_id": process.pk})


def _assess(process, field, *scores):
    """Assessments of one field, oldest first, a month apart, the last one today."""
    for age, score in enumerate(reversed(scores)):
        FieldAssessmentFactory(
            process=process,
            field=field,
            score=score,
            assessed_on=TODAY - dt.timedelta(days=30 * age),
        )


def _organisation_with_history(index: int = 0):
    process = ProcessFactory(subject=CollectiveFactory())
    _assess(process, F.PSYCHOEMOTIONAL, 2, 4)
    _assess(process, F.SECURITY, 4 - index % 2, 3)
    ObjectiveFactory(process=process, status=ObjectiveStatus.MET)
    ObjectiveFactory(process=process, status=ObjectiveStatus.IN_PROGRESS)
    return process


def _shown_process_ids(response) -> list:
    return [row.process.pk for row in response.context["rows"]]


# --- Access ------------------------------------------------------------------------------


def test_coordinator_can_open_the_dashboard(login, coordinator, team_process):
    response = login(coordinator).get(DASHBOARD)

    assert response.status_code == 200
    assert _shown_process_ids(response) == [team_process.pk]


@pytest.mark.parametrize(
    "who", ["admin_user", "accompanier", "other_accompanier", "trainer", "advocate", "outsider"]
)
def test_other_roles_cannot_open_the_dashboard(request, login, who, team_process):
    user = request.getfixturevalue(who)

    assert login(user).get(DASHBOARD).status_code == 403
    assert login(user).get(_chart_url(team_process)).status_code == 403


def test_anonymous_visitor_cannot_open_the_dashboard(client, team_process):
    for url in (DASHBOARD, _chart_url(team_process)):
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# --- What the dashboard shows --------------------------------------------------------------


def test_coordinator_can_see_the_trend_of_each_field(login, coordinator, team_process):
    _assess(team_process, F.PSYCHOEMOTIONAL, 2, 4)
    _assess(team_process, F.INTERNAL_DYNAMICS, 3, 3)
    _assess(team_process, F.SECURITY, 1, 5, 4)
    _assess(team_process, F.POLITICAL_PROJECT, 2)

    response = login(coordinator).get(DASHBOARD)

    (row,) = response.context["rows"]
    assert [(s.field, s.score, s.previous_score, s.trend) for s in row.fields] == [
        (F.PSYCHOEMOTIONAL, 4, 2, "up"),
        (F.INTERNAL_DYNAMICS, 3, 3, "same"),
        (F.SECURITY, 4, 5, "down"),
        (F.POLITICAL_PROJECT, 2, None, ""),
    ]
    html = response.content.decode()
    assert html.count('aria-hidden="true">↑</span>') == 1
    assert html.count('aria-hidden="true">↓</span>') == 1
    assert html.count('aria-hidden="true">=</span>') == 1
    assert html.count("up from 2") == 1
    assert html.count("down from 5") == 1


def test_coordinator_can_see_objectives_and_last_session(login, coordinator, team_process):
    team_process.last_session_on = dt.date(2025, 3, 14)
    team_process.save(update_fields=["last_session_on"])
    ObjectiveFactory(process=team_process, status=ObjectiveStatus.MET)
    ObjectiveFactory(process=team_process, status=ObjectiveStatus.MET)
    ObjectiveFactory(process=team_process, status=ObjectiveStatus.AGREED)
    ObjectiveFactory(process=team_process, status=ObjectiveStatus.DROPPED)

    response = login(coordinator).get(DASHBOARD)

    (row,) = response.context["rows"]
    assert (row.objectives_met, row.objectives_open) == (2, 1)
    assert 'data-objectives="2/1"' in response.content.decode()
    assert row.process.last_session_on == dt.date(2025, 3, 14)


def test_coordinator_cannot_see_individuals_closed_archived_or_crisis_processes(
    login, coordinator, team_process
):
    ProcessFactory(subject=PoliticalSubjectFactory())  # an individual defender
    ProcessFactory(subject=CollectiveFactory(), status=ProcessStatus.CLOSED)
    ProcessFactory(subject=CollectiveFactory(), is_archived=True)
    ProcessFactory(subject=CollectiveFactory(), kind=ProcessKind.CRISIS)
    ProcessFactory(subject=CollectiveFactory(is_archived=True))

    response = login(coordinator).get(DASHBOARD)

    assert _shown_process_ids(response) == [team_process.pk]


def test_coordinator_cannot_see_a_full_name_on_the_dashboard(login, coordinator, team_process):
    response = login(coordinator).get(DASHBOARD)

    html = response.content.decode()
    assert team_process.subject.name not in html
    assert html.count("Colectivo Semilla") == 1
    assert team_process.subject.initials in html


def test_coordinator_can_filter_by_state_area_and_lead(
    login, coordinator, accompanier, other_accompanier, team_process
):
    oaxaca = FederalEntity.objects.get(code="20")
    land = AreaOfDefence.objects.get(code="land-and-territory")
    in_oaxaca = ProcessFactory(subject=CollectiveFactory(state=oaxaca), lead=other_accompanier)
    defends_land = ProcessFactory(subject=CollectiveFactory(areas=[land]), lead=other_accompanier)
    client = login(coordinator)

    by_state = client.get(DASHBOARD, {"state": oaxaca.pk})
    by_area = client.get(DASHBOARD, {"area": land.pk})
    by_lead = client.get(DASHBOARD, {"lead": accompanier.pk})
    everything = client.get(DASHBOARD)

    assert _shown_process_ids(by_state) == [in_oaxaca.pk]
    assert _shown_process_ids(by_area) == [defends_land.pk]
    assert _shown_process_ids(by_lead) == [team_process.pk]
    assert len(_shown_process_ids(everything)) == 3


def test_coordinator_can_see_an_empty_state_when_no_organisation_matches(login, coordinator, db):
    response = login(coordinator).get(DASHBOARD)

    assert response.status_code == 200
    assert "No organisation has a running strengthening process." in response.content.decode()


def test_coordinator_cannot_break_the_dashboard_with_bad_filters(login, coordinator, team_process):
    response = login(coordinator).get(
        DASHBOARD, {"state": "not-a-uuid", "lead": "\x00", "page": "9999"}
    )

    assert response.status_code == 200
    assert _shown_process_ids(response) == [team_process.pk]


def test_coordinator_can_page_through_twenty_organisations_at_a_time(login, coordinator, db):
    for _ in range(21):
        ProcessFactory(subject=CollectiveFactory())
    client = login(coordinator)

    first = client.get(DASHBOARD)
    second = client.get(DASHBOARD, {"page": 2})

    assert len(_shown_process_ids(first)) == 20
    assert len(_shown_process_ids(second)) == 1


def test_coordinator_can_tell_two_processes_of_one_organisation_apart(
    login, coordinator, team_process
):
    older = ProcessFactory(subject=team_process.subject, opened_on=dt.date(2023, 5, 2))
    team_process.opened_on = dt.date(2025, 3, 14)
    team_process.save(update_fields=["opened_on"])

    response = login(coordinator).get(DASHBOARD)

    assert _shown_process_ids(response) == [team_process.pk, older.pk]
    html = response.content.decode()
    assert "Organisational strengthening · opened on March 14, 2025 · Active" in html
    assert "Organisational strengthening · opened on May 2, 2023 · Active" in html
    assert html.count("process opened on March 14, 2025") == 1


def test_coordinator_can_read_what_a_dash_means(login, coordinator, team_process):
    _assess(team_process, F.SECURITY, 3)

    response = login(coordinator).get(DASHBOARD)

    html = response.content.decode()
    assert '<span aria-hidden="true">–</span> not assessed yet</li>' in html
    # Three fields never assessed: each "–" says so to a screen reader.
    assert (
        html.count(
            '<span class="text-body-secondary" aria-hidden="true">–</span>'
            '<span class="visually-hidden">not assessed yet</span>'
        )
        == 3
    )


def test_coordinator_can_see_the_last_six_scores_of_a_field_as_a_trend_line(
    login, coordinator, team_process
):
    _assess(team_process, F.SECURITY, 1, 1, 2, 3, 3, 4, 5)  # seven, oldest first
    _assess(team_process, F.PSYCHOEMOTIONAL, 4)

    response = login(coordinator).get(DASHBOARD)

    (row,) = response.context["rows"]
    by_field = {status.field: status.history for status in row.fields}
    assert by_field == {
        F.PSYCHOEMOTIONAL: [4],
        F.INTERNAL_DYNAMICS: [],
        F.SECURITY: [1, 2, 3, 3, 4, 5],
        F.POLITICAL_PROJECT: [],
    }
    html = response.content.decode()
    ns = {"svg": SVG_NS}
    (svg,) = [
        ET.fromstring(html[start : html.index("</svg>", start) + 6])  # noqa: S314
        for start in _all_indexes(html, '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64')
    ]
    label = "Security, last 6 assessments, oldest first: 1, 2, 3, 3, 4, 5"
    assert (svg.get("role"), svg.get("aria-label")) == ("img", label)
    assert svg.find("svg:title", ns).text == label
    assert len(svg.find("svg:polyline", ns).get("points").split()) == 6
    assert "style" not in html[html.index("<table") : html.index("</table>")]


def _all_indexes(text: str, needle: str) -> list[int]:
    found, start = [], text.find(needle)
    while start != -1:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


def _sorted_ids(client, orden: str) -> list:
    response = client.get(DASHBOARD, {"orden": orden})
    assert response.status_code == 200
    return _shown_process_ids(response)


def test_coordinator_can_sort_by_a_field_with_the_unassessed_last(login, coordinator, db):
    low, high, never = (ProcessFactory(subject=CollectiveFactory()) for _ in range(3))
    _assess(low, F.SECURITY, 5, 1)  # the latest counts, not the best
    _assess(high, F.SECURITY, 4)
    client = login(coordinator)

    assert _sorted_ids(client, "seguridad") == [low.pk, high.pk, never.pk]
    assert _sorted_ids(client, "-seguridad") == [high.pk, low.pk, never.pk]


def test_coordinator_can_sort_by_organisation_opening_and_last_session(login, coordinator, db):
    first = ProcessFactory(
        subject=CollectiveFactory(alias="Abejas"),
        opened_on=dt.date(2024, 1, 1),
        last_session_on=dt.date(2025, 6, 1),
    )
    second = ProcessFactory(
        subject=CollectiveFactory(alias="Zenzontle"),
        opened_on=dt.date(2025, 1, 1),
        last_session_on=None,
    )
    third = ProcessFactory(
        subject=CollectiveFactory(alias="Maíz"),
        opened_on=dt.date(2023, 1, 1),
        last_session_on=dt.date(2025, 1, 1),
    )
    client = login(coordinator)

    assert _sorted_ids(client, "organizacion") == [first.pk, third.pk, second.pk]
    assert _sorted_ids(client, "-organizacion") == [second.pk, third.pk, first.pk]
    assert _sorted_ids(client, "-apertura") == [second.pk, first.pk, third.pk]
    assert _sorted_ids(client, "ultima-sesion") == [third.pk, first.pk, second.pk]


@pytest.mark.parametrize("orden", ["subject__name", "-pk", "lead__email", "x" * 500, "\x00"])
def test_coordinator_cannot_sort_by_anything_outside_the_list(login, coordinator, orden, db):
    beta = ProcessFactory(subject=CollectiveFactory(alias="Beta"))
    alfa = ProcessFactory(subject=CollectiveFactory(alias="Alfa"))

    assert _sorted_ids(login(coordinator), orden) == [alfa.pk, beta.pk]


def test_coordinator_can_sort_from_the_column_headers(
    login, coordinator, team_process, accompanier
):
    response = login(coordinator).get(DASHBOARD, {"orden": "seguridad", "lead": accompanier.pk})

    html = response.content.decode()
    columns = {column["key"]: column for column in response.context["columns"] if column["key"]}
    assert columns["seguridad"]["sorted"] == "ascending"
    assert columns["seguridad"]["href"] == f"?lead={accompanier.pk}&orden=-seguridad"
    assert columns["organizacion"]["href"] == f"?lead={accompanier.pk}&orden=organizacion"
    assert html.count('aria-sort="ascending"') == 1
    assert html.count("aria-sort=") == 1
    assert "Sort: Security, highest first" in html


def _dashboard_queries(client, count: int, **query) -> int:
    for index in range(count):
        _organisation_with_history(index)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD, query)
    assert response.status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_the_organisations(login, coordinator, db):
    client = login(coordinator)
    client.get(DASHBOARD)  # warm the session and the user's roles

    with_two = _dashboard_queries(client, 2)
    with_twelve = _dashboard_queries(client, 10)

    assert with_twelve == with_two


def test_dashboard_sorted_by_a_field_query_count_does_not_grow(login, coordinator, db):
    client = login(coordinator)
    client.get(DASHBOARD)

    with_two = _dashboard_queries(client, 2, orden="-psicoemocional")
    with_twelve = _dashboard_queries(client, 10, orden="-psicoemocional")

    assert with_twelve == with_two


# --- The chart per organisation -------------------------------------------------------------


def _svg(response) -> ET.Element:
    html = response.content.decode()
    start, end = html.index("<svg"), html.index("</svg>") + len("</svg>")
    return ET.fromstring(html[start:end])  # noqa: S314 (our own markup)


def test_coordinator_can_see_a_chart_of_the_four_fields(login, coordinator, team_process):
    _assess(team_process, F.PSYCHOEMOTIONAL, 2, 3, 4)
    _assess(team_process, F.SECURITY, 1, 2)

    response = login(coordinator).get(_chart_url(team_process))

    assert response.status_code == 200
    svg = _svg(response)
    ns = {"svg": SVG_NS}
    assert svg.tag == f"{{{SVG_NS}}}svg"
    assert svg.find("svg:title", ns).text == "Scores of the four fields over time"
    assert svg.find("svg:desc", ns).text is not None
    series = svg.findall("svg:g[@class='series']", ns)
    assert [g.get("data-series") for g in series] == list(F.values)
    points = {g.get("data-series"): len(g.findall("svg:*[svg:title]", ns)) for g in series}
    assert points == {
        F.PSYCHOEMOTIONAL: 3,
        F.INTERNAL_DYNAMICS: 0,
        F.SECURITY: 2,
        F.POLITICAL_PROJECT: 0,
    }
    assert len(svg.findall("svg:g[@class='legend']/svg:text", ns)) == 4
    assert team_process.subject.name not in response.content.decode()


def test_coordinator_gets_the_chart_also_drawn_for_a_phone(login, coordinator, team_process):
    _assess(team_process, F.SECURITY, 1, 2)

    html = login(coordinator).get(_chart_url(team_process)).content.decode()

    ns = {"svg": SVG_NS}
    wide, narrow = (
        ET.fromstring(html[start : html.index("</svg>", start) + 6])  # noqa: S314
        for start in _all_indexes(html, '<svg xmlns="http://www.w3.org/2000/svg"')
    )
    assert wide.get("viewBox") == "0 0 720 320"
    assert narrow.get("viewBox") == "0 0 360 304"
    # One legend entry per line, all four at one x, on a phone.
    legend = narrow.findall("svg:g[@class='legend']/svg:text", ns)
    assert len({text.get("x") for text in legend}) == 1
    assert len({text.get("y") for text in legend}) == 4
    assert '<div class="d-none d-sm-block"><svg' in html
    assert '<div class="d-sm-none"><svg' in html


def test_coordinator_viewing_a_chart_is_audited(login, coordinator, team_process):
    login(coordinator).get(_chart_url(team_process))

    event = AuditEvent.objects.get(action="view", target_id=str(team_process.pk))
    assert (event.actor, event.target_type) == (coordinator, "accompaniment.process")


def test_coordinator_cannot_open_the_chart_of_a_missing_process(login, coordinator, db):
    response = login(coordinator).get(
        reverse(
            "accompaniment:dashboard-organisation",
            kwargs={"process_id": "00000000-0000-0000-0000-000000000000"},
        )
    )

    assert response.status_code == 404


def test_chart_series_differ_in_marker_and_dash_and_stay_well_formed():
    day = dt.date(2025, 1, 1)
    series = [
        Series(key="a", label="<Tierra & libertad>", points=[(day, 1), (day.replace(month=3), 5)]),
        Series(key="b", label="B", points=[(day, 3)]),
        Series(key="c", label="C", points=[]),
        Series(key="d", label="D", points=[(day, 2), (day.replace(month=2), 2)]),
    ]

    chart = str(score_line_chart(series=series, title="T", description="D"))
    svg = ET.fromstring(chart)  # noqa: S314 (our own markup)

    ns = {"svg": SVG_NS}
    groups = svg.findall("svg:g[@class='series']", ns)
    assert len(groups) == 4
    markers = [child.tag.split("}")[1] for child in svg.find("svg:g[@class='legend']", ns)]
    assert markers.count("circle") == 1 and markers.count("rect") == 1
    dashes = [line.get("stroke-dasharray") for line in svg.iter(f"{{{SVG_NS}}}line")]
    assert {"8 4", "2 4", "10 4 2 4"} <= set(dashes)
    assert svg.find(".//svg:text", ns) is not None
    assert "<Tierra & libertad>" in [t.text for t in svg.iter(f"{{{SVG_NS}}}text")]
