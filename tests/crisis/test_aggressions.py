"""The aggressions registry: list, record, detail, edit, statistics."""

import datetime as dt
import uuid
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accompaniment.factories import CollectiveFactory, PoliticalSubjectFactory, ProcessFactory
from accompaniment.models import AggressionType, FederalEntity, Perpetrator
from aluna.audit.models import AuditEvent
from aluna.core.concurrency import STALE_EDIT_MESSAGE
from crisis.models import Aggression, AggressionReport

SVG = "{http://www.w3.org/2000/svg}"
NARRATIVE = "Dos hombres armados rondaron la casa de la defensora en Juchitán"


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


def _url(name, aggression=None):
    if aggression is None:
        return reverse(f"crisis:{name}")
    return reverse(f"crisis:{name}", kwargs={"aggression_id": aggression.pk})


def _type(code="threat"):
    return AggressionType.objects.get(code=code)


def _perpetrator(code="unidentified"):
    return Perpetrator.objects.get(code=code)


def _state(code="20"):
    return FederalEntity.objects.get(code=code)


def make_aggression(
    *,
    subjects,
    recorded_by,
    occurred_at=None,
    types=("threat",),
    perps=(),
    state="20",
    narrative=NARRATIVE,
    municipality="Juchitán",
):
    aggression = Aggression.objects.create(
        occurred_at=occurred_at or timezone.now() - dt.timedelta(days=2),
        state=_state(state) if state else None,
        municipality=municipality,
        narrative=narrative,
        recorded_by=recorded_by,
    )
    aggression.types.set([_type(code) for code in types])
    aggression.perpetrators.set([_perpetrator(code) for code in perps])
    aggression.subjects.set(subjects)
    return aggression


@pytest.fixture
def team_aggression(team_subject, accompanier):
    return make_aggression(subjects=[team_subject], recorded_by=accompanier, perps=["state-police"])


@pytest.fixture
def foreign_aggression(coordinator):
    other = ProcessFactory(subject=CollectiveFactory(alias="Colectivo Lejano"))
    return make_aggression(subjects=[other.subject], recorded_by=coordinator)


def _last_event():
    return AuditEvent.objects.order_by("-sequence").first()


def _form_data(*, affected, **overrides):
    occurred = timezone.localtime() - dt.timedelta(hours=3)
    data = {
        "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
        "is_approximate": "",
        "state": str(_state().pk),
        "municipality": "Juchitán",
        "types": [str(_type().pk), str(_type("harassment").pk)],
        "perpetrators": [str(_perpetrator("state-police").pk), str(_perpetrator().pk)],
        "subjects": [str(s.pk) for s in affected],
        "narrative": NARRATIVE,
        "evidence_kept": "on",
        "evidence_keeper": "La defensora",
        "report_prosecutor": "on",
        "report_prosecutor_on": occurred.date().isoformat(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Access ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["aggression-list", "aggression-create", "aggression-stats"])
def test_anonymous_visitor_cannot_open_aggression_pages(client, name):
    response = client.get(_url(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["aggression-detail", "aggression-edit"])
def test_anonymous_visitor_cannot_open_an_aggression(client, team_aggression, name):
    response = client.get(_url(name, team_aggression))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["admin_user", "trainer", "advocate", "outsider"])
def test_other_roles_cannot_open_aggression_pages(request, login, team_aggression, who):
    client = login(request.getfixturevalue(who))
    urls = [
        _url("aggression-list"),
        _url("aggression-create"),
        _url("aggression-stats"),
        _url("aggression-detail", team_aggression),
        _url("aggression-edit", team_aggression),
    ]

    assert [client.get(url).status_code for url in urls] == [403] * 5


def test_accompanier_cannot_open_the_statistics(login, accompanier):
    assert login(accompanier).get(_url("aggression-stats")).status_code == 403


def test_coordinator_can_open_every_aggression_page(login, coordinator, team_aggression):
    client = login(coordinator)
    urls = [
        _url("aggression-list"),
        _url("aggression-create"),
        _url("aggression-stats"),
        _url("aggression-detail", team_aggression),
        _url("aggression-edit", team_aggression),
    ]

    assert [client.get(url).status_code for url in urls] == [200] * 5


def test_team_member_can_open_an_aggression_affecting_their_subject(
    login, accompanier, team_aggression
):
    client = login(accompanier)

    assert client.get(_url("aggression-detail", team_aggression)).status_code == 200
    assert client.get(_url("aggression-edit", team_aggression)).status_code == 200


def test_non_member_cannot_see_an_aggression_outside_their_scope(
    login, other_accompanier, team_aggression
):
    client = login(other_accompanier)

    assert client.get(_url("aggression-detail", team_aggression)).status_code == 404
    assert client.get(_url("aggression-edit", team_aggression)).status_code == 404
    post = client.post(_url("aggression-edit", team_aggression), {"version": 1})
    assert post.status_code == 404


def test_accompanier_gets_404_for_a_missing_aggression(login, accompanier):
    url = reverse("crisis:aggression-detail", kwargs={"aggression_id": uuid.uuid4()})

    assert login(accompanier).get(url).status_code == 404


# --- List -----------------------------------------------------------------------------


def test_accompanier_can_list_only_the_aggressions_in_scope(
    login, accompanier, team_aggression, foreign_aggression
):
    response = login(accompanier).get(_url("aggression-list"))

    assert list(response.context["page_obj"].object_list) == [team_aggression]


def test_coordinator_can_list_every_aggression(
    login, coordinator, team_aggression, foreign_aggression
):
    response = login(coordinator).get(_url("aggression-list"))

    assert {a.pk for a in response.context["page_obj"].object_list} == {
        team_aggression.pk,
        foreign_aggression.pk,
    }


def test_the_list_never_shows_the_narrative_or_the_municipality(
    login, coordinator, team_aggression
):
    body = login(coordinator).get(_url("aggression-list")).content.decode()

    assert str(team_aggression.pk) in body
    assert ("rondaron" in body, "Juchitán" in body) == (False, False)


def test_coordinator_can_filter_by_type_perpetrator_state_and_dates(login, coordinator):
    subject = PoliticalSubjectFactory()
    now = timezone.now()
    threat = make_aggression(
        subjects=[subject],
        recorded_by=coordinator,
        types=["threat"],
        perps=["state-police"],
        state="20",
        occurred_at=now - dt.timedelta(days=40),
    )
    harassment = make_aggression(
        subjects=[subject],
        recorded_by=coordinator,
        types=["harassment"],
        perps=["organised-crime"],
        state="07",
        occurred_at=now - dt.timedelta(days=3),
    )
    client = login(coordinator)

    def listed(**params):
        response = client.get(_url("aggression-list"), params)
        return [a.pk for a in response.context["page_obj"].object_list]

    assert listed(type=_type("harassment").pk) == [harassment.pk]
    assert listed(perpetrator=_perpetrator("state-police").pk) == [threat.pk]
    assert listed(state=_state("07").pk) == [harassment.pk]
    since = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    assert listed(date_from=since) == [harassment.pk]
    assert listed(date_to=since) == [threat.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "not-a-date"},
        {"type": "not-a-uuid"},
        {"date_from": "2025-05-01", "date_to": "2025-01-01"},
        {"page": "9999"},
        {"state": "\x00"},
    ],
)
def test_coordinator_bad_filters_never_break_the_list(login, coordinator, team_aggression, params):
    response = login(coordinator).get(_url("aggression-list"), params)

    assert response.status_code == 200


def test_coordinator_can_page_through_the_list(login, coordinator):
    subject = PoliticalSubjectFactory()
    start = timezone.now() - dt.timedelta(days=60)
    for n in range(27):
        make_aggression(
            subjects=[subject], recorded_by=coordinator, occurred_at=start + dt.timedelta(days=n)
        )
    client = login(coordinator)

    second = client.get(_url("aggression-list"), {"page": 2})

    assert len(second.context["page_obj"].object_list) == 2


def test_coordinator_sees_an_empty_state(login, coordinator):
    response = login(coordinator).get(_url("aggression-list"))

    assert response.status_code == 200
    assert "No aggression has been recorded yet." in response.content.decode()


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(_url("aggression-list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_query_count_does_not_grow_with_rows(login, accompanier, team_subject):
    client = login(accompanier)
    for _ in range(2):
        make_aggression(
            subjects=[team_subject],
            recorded_by=accompanier,
            types=["threat", "harassment"],
            perps=["state-police"],
        )
    client.get(_url("aggression-list"))  # the catalogue options are read once, then kept
    small = _list_queries(client)
    for _ in range(10):
        make_aggression(
            subjects=[team_subject, PoliticalSubjectFactory()],
            recorded_by=accompanier,
            types=["threat"],
            perps=["unidentified"],
        )
    assert _list_queries(client) == small


# --- Create ---------------------------------------------------------------------------


def test_accompanier_can_record_an_aggression_and_it_is_audited(login, accompanier, team_subject):
    client = login(accompanier)

    response = client.post(_url("aggression-create"), _form_data(affected=[team_subject]))

    aggression = Aggression.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("aggression-detail", aggression)
    assert list(aggression.subjects.all()) == [team_subject]
    assert {t.code for t in aggression.types.all()} == {"threat", "harassment"}
    assert {p.code for p in aggression.perpetrators.all()} == {"state-police", "unidentified"}
    assert aggression.narrative == NARRATIVE
    assert aggression.evidence_keeper == "La defensora"
    assert list(aggression.reports.values_list("body", flat=True)) == ["prosecutor"]
    assert aggression.recorded_by == accompanier
    event = _last_event()
    assert (event.action, event.target_id, event.actor) == (
        "create",
        str(aggression.pk),
        accompanier,
    )
    assert "rondaron" not in str(event.metadata)


def test_accompanier_can_preselect_a_subject_in_scope(login, accompanier, team_subject):
    response = login(accompanier).get(_url("aggression-create"), {"subject": team_subject.pk})

    assert response.context["form"].initial["subjects"] == [team_subject.pk]


def test_accompanier_cannot_preselect_a_subject_out_of_scope(login, accompanier):
    stranger = PoliticalSubjectFactory()
    client = login(accompanier)

    response = client.get(_url("aggression-create"), {"subject": stranger.pk})
    bad = client.get(_url("aggression-create"), {"subject": "nope"})

    assert "subjects" not in response.context["form"].initial
    assert bad.status_code == 200


def test_accompanier_cannot_record_an_aggression_against_a_subject_out_of_scope(login, accompanier):
    stranger = PoliticalSubjectFactory()

    response = login(accompanier).post(_url("aggression-create"), _form_data(affected=[stranger]))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["subjects"]
    assert Aggression.objects.count() == 0


def _future():
    return (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"occurred_at": None}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "1970-01-01T10:00"}, "occurred_at"),
        ({"types": None}, "types"),
        ({"types": [str(uuid.uuid4())]}, "types"),
        ({"subjects": None}, "subjects"),
        ({"subjects": ["not-a-uuid"]}, "subjects"),
        ({"municipality": "x" * 121}, "municipality"),
        ({"narrative": "a\x00b"}, "narrative"),
        ({"narrative": "x" * 20001}, "narrative"),
        ({"evidence_kept": None}, "evidence_kept"),
        ({"report_prosecutor_on": "2000-01-01"}, "report_prosecutor_on"),
        ({"report_prosecutor_on": "31/12/2024"}, "report_prosecutor_on"),
        ({"state": "nope"}, "state"),
    ],
)
def test_accompanier_cannot_record_an_aggression_with_bad_input(
    login, accompanier, team_subject, overrides, field
):
    response = login(accompanier).post(
        _url("aggression-create"), _form_data(affected=[team_subject], **overrides)
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert Aggression.objects.count() == 0


def test_accompanier_cannot_record_an_aggression_in_the_future(login, accompanier, team_subject):
    response = login(accompanier).post(
        _url("aggression-create"),
        _form_data(affected=[team_subject], occurred_at=_future(), report_prosecutor_on=None),
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["occurred_at"]


def test_accompanier_cannot_date_a_report_in_the_future(login, accompanier, team_subject):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    response = login(accompanier).post(
        _url("aggression-create"),
        _form_data(affected=[team_subject], report_iachr="on", report_iachr_on=tomorrow),
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["report_iachr_on"]


def test_accompanier_can_record_an_approximate_aggression_without_reports(
    login, accompanier, team_subject
):
    data = _form_data(
        affected=[team_subject],
        is_approximate="on",
        report_prosecutor=None,
        report_prosecutor_on=None,
        evidence_kept=None,
        evidence_keeper="",
        perpetrators=None,
        state=None,
        municipality=None,
        narrative=None,
    )

    response = login(accompanier).post(_url("aggression-create"), data)

    aggression = Aggression.objects.get()
    assert response.status_code == 302
    assert (aggression.is_approximate, aggression.reports.count(), aggression.state) == (
        True,
        0,
        None,
    )


def test_accompanier_cannot_pick_a_deactivated_type(login, accompanier, team_subject):
    AggressionType.objects.filter(code="threat").update(is_active=False)

    response = login(accompanier).post(
        _url("aggression-create"), _form_data(affected=[team_subject])
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["types"]


# --- Detail ---------------------------------------------------------------------------


def test_team_member_can_read_the_narrative_and_every_view_is_audited(
    login, accompanier, team_aggression
):
    AggressionReport.objects.create(
        aggression=team_aggression, body="iachr", reported_on=timezone.localdate()
    )
    response = login(accompanier).get(_url("aggression-detail", team_aggression))

    body = response.content.decode()
    assert NARRATIVE in body
    assert "Juchitán" in body
    assert "IACHR" in body
    event = _last_event()
    assert (event.action, event.target_type, event.target_id, event.actor) == (
        "view",
        "crisis.aggression",
        str(team_aggression.pk),
        accompanier,
    )
    assert "who-viewed" not in body


def test_team_member_sees_only_subjects_in_scope_and_a_count_of_the_others(
    login, accompanier, team_aggression, team_subject
):
    team_aggression.subjects.add(PoliticalSubjectFactory(alias="Fuera de alcance"))

    response = login(accompanier).get(_url("aggression-detail", team_aggression))

    assert [s.pk for s in response.context["subjects"]] == [team_subject.pk]
    assert response.context["hidden_subject_count"] == 1
    assert "Fuera de alcance" not in response.content.decode()


def test_coordinator_can_see_who_consulted_the_aggression(login, coordinator, team_aggression):
    client = login(coordinator)
    client.get(_url("aggression-detail", team_aggression))

    response = client.get(_url("aggression-detail", team_aggression))

    assert len(response.context["viewed_by"]) == 2
    assert "who-viewed" in response.content.decode()


def _detail_queries(client, aggression):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(_url("aggression-detail", aggression))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_detail_query_count_does_not_grow_with_links(login, coordinator, team_aggression):
    client = login(coordinator)
    small = _detail_queries(client, team_aggression)
    team_aggression.subjects.add(*[PoliticalSubjectFactory() for _ in range(10)])
    team_aggression.types.add(*AggressionType.objects.all()[:6])
    team_aggression.perpetrators.add(*Perpetrator.objects.all()[:6])
    for body in ("prosecutor", "iachr", "protection_mechanism"):
        AggressionReport.objects.create(aggression=team_aggression, body=body)

    assert _detail_queries(client, team_aggression) == small


# --- Edit -----------------------------------------------------------------------------


def test_team_member_can_edit_and_only_changed_field_names_are_audited(
    login, accompanier, team_aggression, team_subject
):
    data = _form_data(affected=[team_subject], version=1, narrative="Nuevo relato reservado")

    response = login(accompanier).post(_url("aggression-edit", team_aggression), data)

    team_aggression.refresh_from_db()
    assert response.status_code == 302
    assert team_aggression.narrative == "Nuevo relato reservado"
    assert team_aggression.version == 2
    event = _last_event()
    assert event.action == "update"
    assert "narrative" in event.metadata["fields"].split(":")
    assert "Nuevo" not in str(event.metadata)


def test_team_member_edit_keeps_the_subjects_they_cannot_see(
    login, accompanier, team_aggression, team_subject
):
    hidden = PoliticalSubjectFactory()
    team_aggression.subjects.add(hidden)

    login(accompanier).post(
        _url("aggression-edit", team_aggression), _form_data(affected=[team_subject], version=1)
    )

    assert set(team_aggression.subjects.values_list("pk", flat=True)) == {
        team_subject.pk,
        hidden.pk,
    }


def test_team_member_cannot_overwrite_a_newer_save(
    login, accompanier, team_aggression, team_subject
):
    Aggression.objects.filter(pk=team_aggression.pk).update(version=2, narrative="")
    data = _form_data(affected=[team_subject], version=1, narrative="Mi versión")

    response = login(accompanier).post(_url("aggression-edit", team_aggression), data)

    team_aggression.refresh_from_db()
    assert response.status_code == 409
    assert team_aggression.narrative == ""
    body = response.content.decode()
    assert str(STALE_EDIT_MESSAGE) in body
    assert "Mi versión" in body
    assert "stale-values" in body


def test_team_member_cannot_save_bad_input_on_edit(
    login, accompanier, team_aggression, team_subject
):
    data = _form_data(affected=[team_subject], version="x", types=None)

    response = login(accompanier).post(_url("aggression-edit", team_aggression), data)

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"version", "types"}


# --- Statistics -----------------------------------------------------------------------


@pytest.fixture
def stats_data(coordinator):
    subject = PoliticalSubjectFactory()
    tz = timezone.get_current_timezone()

    def at(day):
        return dt.datetime.combine(day, dt.time(12), tzinfo=tz)

    make_aggression(
        subjects=[subject],
        recorded_by=coordinator,
        occurred_at=at(dt.date(2025, 1, 5)),
        types=["threat", "harassment"],
        perps=["state-police", "organised-crime"],
        state="20",
    )
    make_aggression(
        subjects=[subject],
        recorded_by=coordinator,
        occurred_at=at(dt.date(2025, 1, 20)),
        types=["threat"],
        perps=["unidentified"],
        state="07",
    )
    make_aggression(
        subjects=[subject],
        recorded_by=coordinator,
        occurred_at=at(dt.date(2025, 3, 2)),
        types=["threat"],
        perps=[],
        state=None,
    )
    # Outside the period: 31 December 2024, 23:30 Mexico City time.
    make_aggression(
        subjects=[subject],
        recorded_by=coordinator,
        occurred_at=dt.datetime(2024, 12, 31, 23, 30, tzinfo=tz),
        types=["threat"],
    )
    # The period's last minute, local time (already 1 April in UTC).
    make_aggression(
        subjects=[subject],
        recorded_by=coordinator,
        occurred_at=dt.datetime(2025, 3, 31, 23, 59, tzinfo=tz),
        types=["intimidation"],
        state="20",
    )


PERIOD = {"date_from": "2025-01-01", "date_to": "2025-03-31"}


def _section(response, key):
    return next(s for s in response.context["sections"] if s["key"] == key)


def test_coordinator_can_see_counts_by_type_perpetrator_state_and_month(
    login, coordinator, stats_data
):
    response = login(coordinator).get(_url("aggression-stats"), PERIOD)

    assert response.status_code == 200
    assert response.context["total"] == 4
    assert dict(_section(response, "type")["rows"]) == {
        _type("threat").label: 3,
        _type("harassment").label: 1,
        _type("intimidation").label: 1,
    }
    assert dict(_section(response, "perpetrator")["rows"]) == {
        _perpetrator("state-police").label: 1,
        _perpetrator("organised-crime").label: 1,
        _perpetrator("unidentified").label: 1,
    }
    assert dict(_section(response, "state")["rows"]) == {
        _state("20").label: 2,
        _state("07").label: 1,
        "Not recorded": 1,
    }
    assert [count for _label, count in _section(response, "month")["rows"]] == [2, 0, 2]


def test_the_statistics_charts_are_valid_accessible_svg(login, coordinator, stats_data):
    response = login(coordinator).get(_url("aggression-stats"), PERIOD)

    chart = ET.fromstring(str(_section(response, "type")["chart"]))  # noqa: S314 (our own markup)
    assert chart.tag == f"{SVG}svg"
    assert chart.get("role") == "img"
    assert chart.find(f"{SVG}title").text == "By type of aggression"
    assert (
        chart.find(f"{SVG}desc").text
        == "Number of aggressions from Jan. 1, 2025 to March 31, 2025."
    )
    bars = chart.findall(f".//{SVG}g[@class='bar']")
    assert [int(bar.get("data-count")) for bar in bars] == [3, 1, 1]
    widths = [float(bar.find(f"{SVG}rect").get("width")) for bar in bars]
    assert widths[0] == 3 * widths[1]
    months = ET.fromstring(str(_section(response, "month")["chart"]))  # noqa: S314 (our own markup)
    assert [int(b.get("data-count")) for b in months.findall(f".//{SVG}g[@class='bar']")] == [
        2,
        0,
        2,
    ]
    markup = str(_section(response, "state")["chart"])
    assert ("<script" in markup, "style=" in markup) == (False, False)


def test_the_statistics_show_an_empty_state_for_an_empty_period(login, coordinator):
    response = login(coordinator).get(
        _url("aggression-stats"), {"date_from": "2020-01-01", "date_to": "2020-02-29"}
    )

    assert response.status_code == 200
    assert response.context["total"] == 0
    assert "No aggression in this period." in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2025-03-01", "date_to": "2025-01-01"},
        {"date_from": "nope", "date_to": "2025-01-01"},
        {"date_from": "1900-01-01", "date_to": "2025-01-01"},
        {"date_from": "1989-01-01", "date_to": "1990-06-01"},
        {"date_from": "2025-01-01"},
    ],
)
def test_coordinator_bad_period_is_refused_and_the_default_period_shown(login, coordinator, params):
    response = login(coordinator).get(_url("aggression-stats"), params)

    assert response.status_code == 400
    assert response.context["form"].errors
    assert [s["key"] for s in response.context["sections"]] == [
        "type",
        "perpetrator",
        "state",
        "month",
    ]
    assert len(_section(response, "month")["rows"]) == 12


def _stats_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(_url("aggression-stats"), PERIOD)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_statistics_query_count_does_not_grow_with_rows(login, coordinator, stats_data):
    client = login(coordinator)
    small = _stats_queries(client)
    subject = PoliticalSubjectFactory()
    tz = timezone.get_current_timezone()
    for n in range(10):
        make_aggression(
            subjects=[subject],
            recorded_by=coordinator,
            occurred_at=dt.datetime(2025, 2, 1 + n, 9, tzinfo=tz),
            types=["harassment", "threat"],
            perps=["army-or-navy"],
            state="09",
        )

    assert _stats_queries(client) == small
