"""Sessions of an accompaniment process: recording, reading, editing."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accompaniment.factories import ProcessFactory, SessionFactory
from accompaniment.models import (
    CopingMechanism,
    Dimension,
    Process,
    ProcessStatus,
    PsychosocialImpact,
    Session,
    SessionModality,
)
from aluna.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _create_url(process) -> str:
    return reverse("accompaniment:session-create", kwargs={"process_id": process.pk})


def _detail_url(session) -> str:
    return reverse("accompaniment:session-detail", kwargs={"session_id": session.pk})


def _edit_url(session) -> str:
    return reverse("accompaniment:session-edit", kwargs={"session_id": session.pk})


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _valid_data(**overrides) -> dict:
    data = {
        "started_at": _local(timezone.now() - dt.timedelta(hours=2)),
        "modality": SessionModality.PHONE,
        "duration_minutes": "45",
        "participants_count": "3",
        "fields_worked": ["security", "psychoemotional"],
        "notes": "Hablamos del miedo tras la amenaza.",
        "impacts": [str(PsychosocialImpact.objects.get(code="fear").pk)],
        "coping_mechanisms": [str(CopingMechanism.objects.get(code="support-networks").pk)],
        "agreements": "Revisar el protocolo de seguridad.",
        "next_session_on": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _edit_data(session, **overrides) -> dict:
    data = _valid_data(
        started_at=_local(session.started_at),
        modality=session.modality,
        duration_minutes=str(session.duration_minutes),
        participants_count=str(session.participants_count),
        fields_worked=[str(field) for field in session.fields_worked],
        notes=session.notes,
        impacts=[],
        coping_mechanisms=[],
        agreements=session.agreements,
        version=str(session.version),
    )
    data.update(overrides)
    return data


# --- Access --------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["create", "detail", "edit"])
def test_anonymous_visitor_cannot_open_session_pages(client, team_process, view):
    session = SessionFactory(process=team_process)
    url = {"create": _create_url(team_process), "detail": _detail_url(session)}.get(
        view, _edit_url(session)
    )

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["admin_user", "trainer", "advocate", "outsider"])
@pytest.mark.parametrize("view", ["create", "detail", "edit"])
def test_other_roles_cannot_open_session_pages(request, login, team_process, who, view):
    session = SessionFactory(process=team_process)
    url = {"create": _create_url(team_process), "detail": _detail_url(session)}.get(
        view, _edit_url(session)
    )

    response = login(request.getfixturevalue(who)).get(url)

    assert response.status_code == 403


@pytest.mark.parametrize("view", ["create", "detail", "edit"])
def test_accompanier_off_the_team_cannot_see_that_sessions_exist(
    login, other_accompanier, team_process, view
):
    session = SessionFactory(process=team_process)
    url = {"create": _create_url(team_process), "detail": _detail_url(session)}.get(
        view, _edit_url(session)
    )

    response = login(other_accompanier).get(url)

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["accompanier", "coordinator"])
@pytest.mark.parametrize("view", ["create", "detail", "edit"])
def test_team_member_and_coordinator_can_open_session_pages(
    request, login, team_process, who, view
):
    session = SessionFactory(process=team_process)
    url = {"create": _create_url(team_process), "detail": _detail_url(session)}.get(
        view, _edit_url(session)
    )

    response = login(request.getfixturevalue(who)).get(url)

    assert response.status_code == 200


def test_accompanier_off_the_team_cannot_record_a_session(login, other_accompanier, team_process):
    response = login(other_accompanier).post(_create_url(team_process), _valid_data())

    assert response.status_code == 404
    assert Session.objects.count() == 0


# --- Recording -------------------------------------------------------------------------


def test_accompanier_can_record_a_session(login, accompanier, team_process):
    started = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=2)

    response = login(accompanier).post(
        _create_url(team_process), _valid_data(started_at=_local(started))
    )

    session = Session.objects.get()
    assert response.status_code == 302
    assert response.url == _detail_url(session)
    assert session.started_at == started
    assert session.recorded_by == accompanier
    assert session.fields_worked == ["psychoemotional", "security"]
    assert session.notes == "Hablamos del miedo tras la amenaza."
    assert [impact.code for impact in session.impacts.all()] == ["fear"]
    assert [c.code for c in session.coping_mechanisms.all()] == ["support-networks"]
    assert list(AuditEvent.objects.filter(action="create").values_list("target_id", flat=True)) == [
        str(session.pk)
    ]


def test_recording_a_session_sets_the_process_last_session_date(login, accompanier, team_process):
    yesterday = timezone.localtime() - dt.timedelta(days=1)

    login(accompanier).post(_create_url(team_process), _valid_data(started_at=_local(yesterday)))

    assert Process.objects.get(pk=team_process.pk).last_session_on == yesterday.date()


def test_an_older_session_does_not_move_the_last_session_date_back(
    login, accompanier, team_process
):
    Process.objects.filter(pk=team_process.pk).update(last_session_on=timezone.localdate())
    older = timezone.localtime() - dt.timedelta(days=10)

    login(accompanier).post(_create_url(team_process), _valid_data(started_at=_local(older)))

    assert Process.objects.get(pk=team_process.pk).last_session_on == timezone.localdate()


def test_next_session_date_becomes_the_process_next_follow_up(login, accompanier, team_process):
    next_date = timezone.localdate() + dt.timedelta(days=14)

    response = login(accompanier).post(
        _create_url(team_process), _valid_data(next_session_on=next_date.isoformat())
    )

    assert response.status_code == 302
    process = Process.objects.get(pk=team_process.pk)
    assert process.next_follow_up == next_date
    assert process.version == team_process.version + 1


def test_a_session_without_next_date_keeps_the_process_next_follow_up(
    login, accompanier, team_process
):
    agreed = timezone.localdate() + dt.timedelta(days=3)
    Process.objects.filter(pk=team_process.pk).update(next_follow_up=agreed)

    login(accompanier).post(_create_url(team_process), _valid_data(next_session_on=""))

    assert Process.objects.get(pk=team_process.pk).next_follow_up == agreed


def test_coordinator_can_record_a_session_on_any_process(login, coordinator, team_process):
    response = login(coordinator).post(_create_url(team_process), _valid_data())

    assert response.status_code == 302
    assert Session.objects.get().recorded_by == coordinator


def test_accompanier_cannot_record_a_session_on_a_closed_process(login, accompanier, team_process):
    Process.objects.filter(pk=team_process.pk).update(status=ProcessStatus.CLOSED)
    client = login(accompanier)

    page = client.get(_create_url(team_process))
    response = client.post(_create_url(team_process), _valid_data())

    assert page.status_code == 200
    assert response.status_code == 400
    assert page.context.get("form") is None
    assert page.context["closed_message"] is not None
    assert Session.objects.count() == 0


def test_create_page_offers_only_active_impacts_grouped_by_dimension(
    login, accompanier, team_process
):
    PsychosocialImpact.objects.filter(code="guilt").update(is_active=False)

    response = login(accompanier).get(_create_url(team_process))

    form = response.context["form"]
    codes = set(form.fields["impacts"].queryset.values_list("code", flat=True))
    assert "guilt" not in codes
    assert "fear" in codes
    dimensions = [str(label) for label, _checkboxes in form.impact_groups()]
    assert dimensions == [str(label) for _value, label in Dimension.choices]


def test_create_form_defaults_to_now_and_an_hour(login, accompanier, team_process):
    response = login(accompanier).get(_create_url(team_process))

    form = response.context["form"]
    started = form.initial["started_at"]
    assert abs(started - timezone.localtime()) < dt.timedelta(minutes=2)
    assert form["duration_minutes"].value() == 60


# --- Bad input ----------------------------------------------------------------------------


def _inactive_impact_id():
    impact = PsychosocialImpact.objects.get(code="guilt")
    impact.is_active = False
    impact.save()
    return str(impact.pk)


BAD_INPUT = {
    "no_field_worked": ({"fields_worked": []}, "fields_worked"),
    "next_session_in_the_past": (
        {"next_session_on": (dt.date.today() - dt.timedelta(days=3)).isoformat()},
        "next_session_on",
    ),
    "zero_minutes": ({"duration_minutes": "0"}, "duration_minutes"),
    "two_thousand_minutes": ({"duration_minutes": "2000"}, "duration_minutes"),
    "negative_participants": ({"participants_count": "-1"}, "participants_count"),
    "one_megabyte_of_notes": ({"notes": "a" * 1_000_000}, "notes"),
    "nul_in_notes": ({"notes": "antes\x00después"}, "notes"),
    "nul_in_agreements": ({"agreements": "\x00"}, "agreements"),
    "unknown_modality": ({"modality": "carrier_pigeon"}, "modality"),
    "no_date": ({"started_at": ""}, "started_at"),
    "garbage_date": ({"started_at": "mañana"}, "started_at"),
    "two_days_ahead": (
        {"started_at": _local(timezone.now() + dt.timedelta(days=2))},
        "started_at",
    ),
    "before_the_process_opened": (
        {"started_at": _local(timezone.now() - dt.timedelta(days=400))},
        "started_at",
    ),
    "impact_id_of_another_catalogue": ("coping_as_impact", "impacts"),
    "inactive_impact": ("inactive_impact", "impacts"),
    "not_an_id": ({"impacts": ["nope"]}, "impacts"),
}


@pytest.mark.parametrize("case", BAD_INPUT.keys())
def test_accompanier_cannot_record_a_session_with_bad_input(login, accompanier, team_process, case):
    overrides, field = BAD_INPUT[case]
    if overrides == "coping_as_impact":
        overrides = {"impacts": [str(CopingMechanism.objects.get(code="mobilisation").pk)]}
    elif overrides == "inactive_impact":
        overrides = {"impacts": [_inactive_impact_id()]}

    response = login(accompanier).post(_create_url(team_process), _valid_data(**overrides))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert Session.objects.count() == 0
    assert Process.objects.get(pk=team_process.pk).last_session_on is None


def test_next_session_before_a_future_session_is_refused(login, accompanier, team_process):
    tomorrow = timezone.localtime() + dt.timedelta(hours=20)
    if tomorrow.date() == timezone.localdate():
        tomorrow = tomorrow + dt.timedelta(hours=4)

    response = login(accompanier).post(
        _create_url(team_process),
        _valid_data(started_at=_local(tomorrow), next_session_on=timezone.localdate().isoformat()),
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["next_session_on"]


# --- Reading --------------------------------------------------------------------------------


def test_team_member_can_read_a_session_and_the_view_is_audited(login, accompanier, team_process):
    session = SessionFactory(process=team_process, notes="Notas confidenciales")
    session.impacts.add(PsychosocialImpact.objects.get(code="fear"))

    response = login(accompanier).get(_detail_url(session))

    assert response.status_code == 200
    assert "Notas confidenciales" in response.content.decode()
    assert response.context["who_viewed"] is None
    event = AuditEvent.objects.get(action="view")
    assert (event.actor, event.target_id) == (accompanier, str(session.pk))


def test_coordinator_can_see_who_consulted_a_session(login, coordinator, team_process):
    session = SessionFactory(process=team_process)

    response = login(coordinator).get(_detail_url(session))

    assert [event.actor for event in response.context["who_viewed"]] == [coordinator]


def test_session_detail_never_shows_the_subject_name(login, accompanier, team_process):
    session = SessionFactory(process=team_process)

    response = login(accompanier).get(_detail_url(session))

    assert team_process.subject.name not in response.content.decode()
    assert team_process.subject.alias in response.content.decode()


# --- Editing -------------------------------------------------------------------------------


def test_team_member_can_edit_a_session(login, accompanier, team_process):
    session = SessionFactory(process=team_process)
    next_date = timezone.localdate() + dt.timedelta(days=7)

    response = login(accompanier).post(
        _edit_url(session),
        _edit_data(session, notes="Nota corregida", next_session_on=next_date.isoformat()),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.notes, session.version) == ("Nota corregida", 2)
    assert Process.objects.get(pk=team_process.pk).next_follow_up == next_date
    assert AuditEvent.objects.filter(action="update", target_id=str(session.pk)).count() == 1


def test_moving_the_only_session_moves_the_process_last_session_date(
    login, accompanier, team_process
):
    session = SessionFactory(process=team_process)
    Process.objects.filter(pk=team_process.pk).update(
        last_session_on=timezone.localtime(session.started_at).date()
    )
    earlier = session.started_at - dt.timedelta(days=20)

    login(accompanier).post(_edit_url(session), _edit_data(session, started_at=_local(earlier)))

    assert Process.objects.get(pk=team_process.pk).last_session_on == (
        timezone.localtime(earlier).date()
    )


def test_editing_keeps_a_past_next_session_date_that_was_already_there(
    login, accompanier, team_process
):
    past = timezone.localdate() - dt.timedelta(days=2)
    session = SessionFactory(
        process=team_process,
        started_at=timezone.now() - dt.timedelta(days=10),
        next_session_on=past,
    )

    response = login(accompanier).post(
        _edit_url(session), _edit_data(session, next_session_on=past.isoformat(), notes="Otra")
    )

    assert response.status_code == 302


def test_a_stale_edit_is_refused_and_shows_both_versions(
    login, accompanier, coordinator, team_process
):
    session = SessionFactory(process=team_process, notes="Original")
    opened_by_pablo = _edit_data(session, notes="Versión de Pablo")
    login(coordinator).post(_edit_url(session), _edit_data(session, notes="Versión de Carmen"))

    response = login(accompanier).post(_edit_url(session), opened_by_pablo)

    assert response.status_code == 409
    session.refresh_from_db()
    assert (session.notes, session.version) == ("Versión de Carmen", 2)
    form = response.context["form"]
    assert form["notes"].value() == "Versión de Pablo"
    assert form["version"].value() == 2
    assert "Versión de Carmen" in [value for _label, value in response.context["stale_values"]]
    assert 'data-testid="stale-values"' in response.content.decode()


def test_bad_input_on_edit_changes_nothing(login, accompanier, team_process):
    session = SessionFactory(process=team_process, notes="Original")

    response = login(accompanier).post(
        _edit_url(session), _edit_data(session, fields_worked=[], notes="Cambiada")
    )

    assert response.status_code == 400
    session.refresh_from_db()
    assert (session.notes, session.version) == ("Original", 1)


def test_accompanier_cannot_edit_a_session_of_a_closed_process(login, accompanier, team_process):
    session = SessionFactory(process=team_process, notes="Original")
    Process.objects.filter(pk=team_process.pk).update(status=ProcessStatus.CLOSED)

    response = login(accompanier).post(_edit_url(session), _edit_data(session, notes="Cambiada"))

    assert response.status_code == 400
    session.refresh_from_db()
    assert session.notes == "Original"


def test_accompanier_off_the_team_cannot_edit_a_session(login, other_accompanier, team_process):
    session = SessionFactory(process=team_process, notes="Original")

    response = login(other_accompanier).post(
        _edit_url(session), _edit_data(session, notes="Cambiada")
    )

    assert response.status_code == 404
    session.refresh_from_db()
    assert session.notes == "Original"


# --- Query counts ----------------------------------------------------------------------------


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_catalogue_entries(n: int, *, start: int) -> None:
    for i in range(start, start + n):
        PsychosocialImpact.objects.create(
            code=f"extra-impact-{i}",
            label_es=f"Impacto {i}",
            label_en=f"Impact {i}",
            dimension=Dimension.SOCIAL,
        )
        CopingMechanism.objects.create(
            code=f"extra-coping-{i}", label_es=f"Afrontamiento {i}", label_en=f"Coping {i}"
        )


def test_create_page_query_count_does_not_grow_with_the_catalogues(
    login, accompanier, team_process
):
    client = login(accompanier)
    _add_catalogue_entries(2, start=0)
    client.get(_create_url(team_process))  # warm the session row
    few = _count_queries(client, _create_url(team_process))

    _add_catalogue_entries(12, start=100)
    client.get(_create_url(team_process))  # the changed catalogues are read once, then kept
    many = _count_queries(client, _create_url(team_process))

    assert few == many


def test_detail_page_query_count_does_not_grow_with_sessions_or_impacts(
    login, coordinator, team_process
):
    client = login(coordinator)
    first = SessionFactory(process=team_process)
    first.impacts.add(*PsychosocialImpact.objects.all()[:2])
    client.get(_detail_url(first))
    few = _count_queries(client, _detail_url(first))

    SessionFactory.create_batch(12, process=team_process)
    other = ProcessFactory()
    SessionFactory.create_batch(3, process=other)
    first.impacts.add(*PsychosocialImpact.objects.all()[:12])
    first.coping_mechanisms.add(*CopingMechanism.objects.all()[:12])
    many = _count_queries(client, _detail_url(first))

    assert few == many


def test_edit_page_query_count_does_not_grow_with_the_catalogues(login, accompanier, team_process):
    client = login(accompanier)
    session = SessionFactory(process=team_process)
    _add_catalogue_entries(2, start=0)
    client.get(_edit_url(session))
    few = _count_queries(client, _edit_url(session))

    _add_catalogue_entries(12, start=100)
    session.impacts.add(*PsychosocialImpact.objects.all()[:12])
    client.get(_edit_url(session))  # the changed catalogues are read once, then kept
    many = _count_queries(client, _edit_url(session))

    assert few == many
