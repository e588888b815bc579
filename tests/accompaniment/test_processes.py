"""Processes: opening, the detail page, editing, the status workflow, archive and delete."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accompaniment.factories import (
    FieldAssessmentFactory,
    ObjectiveFactory,
    PoliticalSubjectFactory,
    ProcessFactory,
    SessionFactory,
)
from accompaniment.models import (
    FieldAssessment,
    Objective,
    Process,
    ProcessStatus,
    PsychosocialField,
)
from aluna.accounts.factories import UserFactory
from aluna.audit.models import AuditEvent
from aluna.core.roles import Role

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


def _get(client, name, **kwargs):
    return client.get(reverse(f"accompaniment:{name}", kwargs=kwargs))


def _post(client, name, data, **kwargs):
    return client.post(reverse(f"accompaniment:{name}", kwargs=kwargs), data)


# --- Access ---------------------------------------------------------------------------------

CASE_VIEWS = [
    "process-detail",
    "process-edit",
    "process-status",
    "process-timeline",
    "objective-create",
    "assessment-create",
]


@pytest.mark.parametrize("name", CASE_VIEWS)
def test_anonymous_cannot_open_process_pages(client, team_process, name):
    response = _get(client, name, process_id=team_process.pk)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", CASE_VIEWS)
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
def test_each_role_gets_the_expected_answer_on_process_pages(
    request, login, team_process, name, who, expected
):
    client = login(request.getfixturevalue(who))

    response = _get(client, name, process_id=team_process.pk)

    assert response.status_code == expected


@pytest.mark.parametrize("name", ["process-archive", "process-delete"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("coordinator", 200),
        ("accompanier", 403),
        ("other_accompanier", 403),
        ("admin_user", 403),
        ("trainer", 403),
        ("advocate", 403),
        ("outsider", 403),
    ],
)
def test_only_coordination_can_open_archive_and_delete(
    request, login, team_process, name, who, expected
):
    client = login(request.getfixturevalue(who))

    response = _get(client, name, process_id=team_process.pk)

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("coordinator", 200),
        ("accompanier", 200),
        ("other_accompanier", 404),
        ("trainer", 403),
        ("admin_user", 403),
    ],
)
def test_each_role_gets_the_expected_answer_on_process_create(
    request, login, team_subject, who, expected
):
    client = login(request.getfixturevalue(who))

    response = _get(client, "process-create", subject_id=team_subject.pk)

    assert response.status_code == expected


def test_missing_process_answers_404(login, coordinator, db):
    import uuid

    response = _get(login(coordinator), "process-detail", process_id=uuid.uuid4())

    assert response.status_code == 404


# --- Opening ----------------------------------------------------------------------------------


def _open_data(lead, **overrides):
    data = {
        "kind": "crisis",
        "opened_on": TODAY().isoformat(),
        "lead": str(lead.pk),
        "frequency_days": "14",
        "next_follow_up": (TODAY() + dt.timedelta(days=7)).isoformat(),
    }
    data.update(overrides)
    return data


def test_accompanier_can_open_a_process_and_is_put_on_the_team(login, accompanier, team_subject):
    colleague = UserFactory(roles=[Role.ACCOMPANIMENT])
    data = _open_data(accompanier, team=[str(colleague.pk)])

    response = _post(login(accompanier), "process-create", data, subject_id=team_subject.pk)

    process = Process.objects.exclude(pk__in=team_subject.processes.filter(kind="strengthening"))
    process = process.get(subject=team_subject)
    assert response.status_code == 302
    assert response.url == reverse(
        "accompaniment:process-detail", kwargs={"process_id": process.pk}
    )
    assert process.status == ProcessStatus.OPEN
    assert set(process.team.all()) == {accompanier, colleague}
    assert AuditEvent.objects.filter(action="create", target_id=str(process.pk)).count() == 1


def test_open_form_defaults_the_lead_to_the_accompanier_and_opened_on_to_today(
    login, accompanier, team_subject
):
    response = _get(login(accompanier), "process-create", subject_id=team_subject.pk)

    form = response.context["form"]
    assert form["lead"].value() == accompanier.pk
    assert form["opened_on"].value() == TODAY()


def test_coordinator_can_make_another_accompanier_lead(login, coordinator, other_accompanier):
    subject = PoliticalSubjectFactory()

    response = _post(
        login(coordinator), "process-create", _open_data(other_accompanier), subject_id=subject.pk
    )

    process = Process.objects.get(subject=subject)
    assert response.status_code == 302
    assert list(process.team.all()) == [other_accompanier]


def test_mass_assignment_on_open_changes_nothing_it_should_not(login, accompanier, team_subject):
    other_subject = PoliticalSubjectFactory()
    data = _open_data(
        accompanier,
        status="closed",
        version="99",
        is_archived="on",
        subject=str(other_subject.pk),
        closed_on=TODAY().isoformat(),
        last_session_on=TODAY().isoformat(),
    )

    _post(login(accompanier), "process-create", data, subject_id=team_subject.pk)

    process = team_subject.processes.get(kind="crisis")
    assert (process.status, process.version, process.is_archived, process.closed_on) == (
        ProcessStatus.OPEN,
        1,
        False,
        None,
    )
    assert process.last_session_on is None
    assert other_subject.processes.count() == 0


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"opened_on": "2999-01-01"}, "opened_on"),
        ({"next_follow_up": "2001-01-01"}, "next_follow_up"),
        ({"frequency_days": "0"}, "frequency_days"),
        ({"frequency_days": "366"}, "frequency_days"),
        ({"kind": "nonsense"}, "kind"),
        ({"opened_on": "not a date"}, "opened_on"),
        ({"opened_on": "2024-01-01\x00"}, "opened_on"),
    ],
)
def test_accompanier_cannot_open_a_process_with_bad_input(
    login, accompanier, team_subject, override, field
):
    response = _post(
        login(accompanier),
        "process-create",
        _open_data(accompanier, **override),
        subject_id=team_subject.pk,
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert team_subject.processes.count() == 1


def test_accompanier_cannot_make_a_trainer_lead(login, accompanier, trainer, team_subject):
    response = _post(
        login(accompanier), "process-create", _open_data(trainer), subject_id=team_subject.pk
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["lead"]


# --- Detail -------------------------------------------------------------------------------------


def test_team_member_can_see_the_detail_with_the_alias_but_not_the_name(
    login, accompanier, team_process
):
    response = _get(login(accompanier), "process-detail", process_id=team_process.pk)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Colectivo Semilla" in content
    assert team_process.subject.name not in content
    assert "who-viewed" not in content


def test_every_detail_view_is_audited(login, accompanier, team_process):
    client = login(accompanier)

    _get(client, "process-detail", process_id=team_process.pk)
    _get(client, "process-detail", process_id=team_process.pk)

    views = AuditEvent.objects.filter(
        action="view", target_type="accompaniment.process", target_id=str(team_process.pk)
    )
    assert views.count() == 2
    assert {event.actor_id for event in views} == {accompanier.pk}


def test_coordinator_can_see_who_viewed_the_process(login, coordinator, team_process):
    response = _get(login(coordinator), "process-detail", process_id=team_process.pk)

    assert 'class="card mt-3 who-viewed"' in response.content.decode()
    assert len(response.context["viewed_by"]) == 1


def test_detail_shows_latest_score_and_trend_per_field(login, accompanier, team_process):
    FieldAssessmentFactory(
        process=team_process, field="security", score=2, assessed_on=TODAY() - dt.timedelta(days=30)
    )
    FieldAssessmentFactory(process=team_process, field="security", score=4, assessed_on=TODAY())
    ObjectiveFactory(process=team_process, field="security", status="met")
    ObjectiveFactory(process=team_process, field="security")

    response = _get(login(accompanier), "process-detail", process_id=team_process.pk)

    security = {item.code: item for item in response.context["fields"]}["security"]
    assert (security.latest.score, security.previous.score, security.trend) == (4, 2, 1)
    assert (len(security.objectives), security.objectives_met) == (2, 1)


def _fill(process, n):
    for index in range(n):
        field = list(PsychosocialField)[index % 4]
        ObjectiveFactory(process=process, field=field)
        FieldAssessmentFactory(
            process=process, field=field, assessed_on=TODAY() - dt.timedelta(days=index)
        )
        SessionFactory(process=process)
    process.team.add(UserFactory(roles=[Role.ACCOMPANIMENT]))


def test_detail_query_count_does_not_grow_with_the_data(login, accompanier, team_process):
    client = login(accompanier)
    small = ProcessFactory(lead=accompanier)
    large = ProcessFactory(lead=accompanier)
    _fill(small, 2)
    _fill(large, 12)
    _get(client, "process-detail", process_id=small.pk)  # warm up session and caches

    with CaptureQueriesContext(connection) as at_two:
        _get(client, "process-detail", process_id=small.pk)
    with CaptureQueriesContext(connection) as at_twelve:
        _get(client, "process-detail", process_id=large.pk)

    assert len(at_two) == len(at_twelve)


# --- Editing ------------------------------------------------------------------------------------


def _edit_data(process, **overrides):
    data = {
        "lead": str(process.lead_id),
        "team": [str(pk) for pk in process.team.values_list("pk", flat=True)],
        "frequency_days": "21",
        "next_follow_up": (TODAY() + dt.timedelta(days=3)).isoformat(),
        "version": str(process.version),
    }
    data.update(overrides)
    return data


def test_team_member_can_edit_frequency_and_follow_up(login, accompanier, team_process):
    response = _post(
        login(accompanier), "process-edit", _edit_data(team_process), process_id=team_process.pk
    )

    team_process.refresh_from_db()
    assert response.status_code == 302
    assert (team_process.frequency_days, team_process.version) == (21, 2)
    assert team_process.next_follow_up == TODAY() + dt.timedelta(days=3)


def test_changing_the_lead_keeps_the_new_lead_on_the_team(
    login, coordinator, other_accompanier, team_process
):
    data = _edit_data(team_process, lead=str(other_accompanier.pk))

    _post(login(coordinator), "process-edit", data, process_id=team_process.pk)

    team_process.refresh_from_db()
    assert team_process.lead == other_accompanier
    assert team_process.team.filter(pk=other_accompanier.pk).exists()


def test_a_stale_process_edit_is_refused_with_input_kept_and_saved_values_shown(
    login, accompanier, coordinator, team_process
):
    stale = _edit_data(team_process, frequency_days="45")
    _post(
        login(coordinator),
        "process-edit",
        _edit_data(team_process, frequency_days="7"),
        process_id=team_process.pk,
    )

    response = _post(login(accompanier), "process-edit", stale, process_id=team_process.pk)

    team_process.refresh_from_db()
    assert response.status_code == 409
    assert team_process.frequency_days == 7
    assert response.context["form"]["frequency_days"].value() == "45"
    assert ("Agreed frequency (days)", "7") in [
        (str(label), value) for label, value in response.context["stale_values"]
    ]
    assert 'data-testid="stale-values"' in response.content.decode()


def test_an_unchanged_past_follow_up_date_does_not_block_an_edit(login, accompanier, team_process):
    past = TODAY() - dt.timedelta(days=10)
    Process.objects.filter(pk=team_process.pk).update(next_follow_up=past)
    team_process.refresh_from_db()

    response = _post(
        login(accompanier),
        "process-edit",
        _edit_data(team_process, next_follow_up=past.isoformat()),
        process_id=team_process.pk,
    )

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"frequency_days": "-3"}, "frequency_days"),
        ({"next_follow_up": "2001-01-01"}, "next_follow_up"),
        ({"version": ""}, "version"),
        ({"lead": "not-a-uuid"}, "lead"),
    ],
)
def test_team_member_cannot_save_a_process_with_bad_input(
    login, accompanier, team_process, override, field
):
    response = _post(
        login(accompanier),
        "process-edit",
        _edit_data(team_process, **override),
        process_id=team_process.pk,
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]


# --- Status workflow ------------------------------------------------------------------------------


def _status(client, process, **data):
    payload = {"version": str(process.version), "reason": "", "closing_summary": ""}
    payload.update(data)
    return _post(client, "process-status", payload, process_id=process.pk)


def test_team_member_can_pause_a_process_with_a_reason(login, accompanier, team_process):
    response = _status(
        login(accompanier), team_process, to_status="paused", reason="Vacaciones del colectivo"
    )

    team_process.refresh_from_db()
    assert response.status_code == 302
    assert (team_process.status, team_process.status_reason) == (
        "paused",
        "Vacaciones del colectivo",
    )
    event = AuditEvent.objects.get(action="update", target_id=str(team_process.pk))
    assert event.metadata == {"from": "active", "to": "paused"}


def test_team_member_cannot_pause_without_a_reason(login, accompanier, team_process):
    response = _status(login(accompanier), team_process, to_status="paused")

    team_process.refresh_from_db()
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["reason"]
    assert team_process.status == "active"


def test_team_member_cannot_close_without_a_closing_summary(login, accompanier, team_process):
    response = _status(login(accompanier), team_process, to_status="closed", reason="Fin")

    team_process.refresh_from_db()
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["closing_summary"]
    assert team_process.status == "active"


def test_team_member_cannot_make_an_illegal_transition(login, accompanier, team_process):
    response = _status(login(accompanier), team_process, to_status="open")

    team_process.refresh_from_db()
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["to_status"]
    assert team_process.status == "active"


def test_closing_sets_closed_on_and_makes_the_process_read_only(login, accompanier, team_process):
    client = login(accompanier)

    _status(client, team_process, to_status="closed", reason="Fin", closing_summary="Logros")

    team_process.refresh_from_db()
    assert (team_process.status, team_process.closed_on) == ("closed", TODAY())
    assert team_process.closing_summary == "Logros"
    for name in ["process-edit", "process-status", "objective-create", "assessment-create"]:
        response = _post(client, name, {"frequency_days": "9"}, process_id=team_process.pk)
        assert response.status_code == 302, name
        assert response.url == reverse(
            "accompaniment:process-detail", kwargs={"process_id": team_process.pk}
        )
    follow = client.get(response.url)
    assert "read-only" in follow.content.decode()
    team_process.refresh_from_db()
    assert team_process.frequency_days == 30
    assert team_process.objectives.count() == 0


def test_objective_and_assessment_of_a_closed_process_cannot_be_edited(
    login, accompanier, team_process
):
    objective = ObjectiveFactory(process=team_process)
    assessment = FieldAssessmentFactory(process=team_process)
    Process.objects.filter(pk=team_process.pk).update(status="closed", closed_on=TODAY())
    client = login(accompanier)

    objective_response = _post(
        client,
        "objective-edit",
        {"field": "security", "description": "x", "status": "met", "version": "1"},
        objective_id=objective.pk,
    )
    assessment_response = _post(
        client,
        "assessment-edit",
        {"field": "security", "assessed_on": TODAY().isoformat(), "score": "5", "version": "1"},
        assessment_id=assessment.pk,
    )

    assert (objective_response.status_code, assessment_response.status_code) == (302, 302)
    assert Objective.objects.get(pk=objective.pk).status == "agreed"
    assert FieldAssessment.objects.get(pk=assessment.pk).score == 3


# --- Archive and delete ---------------------------------------------------------------------------


def test_coordinator_can_archive_a_process_with_sessions(login, coordinator, team_process):
    SessionFactory(process=team_process)

    response = _post(login(coordinator), "process-archive", {}, process_id=team_process.pk)

    team_process.refresh_from_db()
    assert response.status_code == 302
    assert team_process.is_archived is True
    assert team_process.sessions.count() == 1


def test_accompanier_cannot_archive_a_process(login, accompanier, team_process):
    response = _post(login(accompanier), "process-archive", {}, process_id=team_process.pk)

    team_process.refresh_from_db()
    assert response.status_code == 403
    assert team_process.is_archived is False


def test_coordinator_cannot_delete_a_process_with_sessions(login, coordinator, team_process):
    SessionFactory(process=team_process)

    response = _post(login(coordinator), "process-delete", {}, process_id=team_process.pk)

    assert response.status_code == 409
    assert Process.objects.filter(pk=team_process.pk).exists()


def test_coordinator_can_delete_a_process_without_sessions_after_confirming(
    login, coordinator, team_process
):
    ObjectiveFactory(process=team_process)
    client = login(coordinator)

    confirm = _get(client, "process-delete", process_id=team_process.pk)
    response = _post(client, "process-delete", {}, process_id=team_process.pk)

    assert confirm.status_code == 200
    assert "data-confirm" in confirm.content.decode()
    assert response.status_code == 302
    assert not Process.objects.filter(pk=team_process.pk).exists()
    assert AuditEvent.objects.filter(action="delete", target_id=str(team_process.pk)).count() == 1


def test_team_member_can_reach_the_security_page_of_a_process(login, accompanier, team_process):
    from django.urls import reverse

    response = login(accompanier).get(
        reverse("accompaniment:process-detail", kwargs={"process_id": team_process.pk})
    )

    security_url = reverse("security:process", kwargs={"process_id": team_process.pk})
    assert f'href="{security_url}"' in response.content.decode()
