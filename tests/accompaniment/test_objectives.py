"""Objectives per field: adding, editing, and the status change trail."""

import pytest
from django.urls import reverse

from accompaniment.factories import ObjectiveFactory, ProcessFactory
from accompaniment.models import Objective, ObjectiveChange
from aluna.audit.models import AuditEvent


def _create(client, target, **data):
    payload = {"field": "security", "description": "Plan de seguridad", "status": "agreed"}
    payload.update(data)
    return client.post(
        reverse("accompaniment:objective-create", kwargs={"process_id": target.pk}), payload
    )


def _edit(client, objective, **data):
    payload = {
        "field": objective.field,
        "description": objective.description,
        "status": objective.status,
        "version": str(objective.version),
    }
    payload.update(data)
    return client.post(
        reverse("accompaniment:objective-edit", kwargs={"objective_id": objective.pk}), payload
    )


def test_team_member_can_add_an_objective(login, accompanier, team_process):
    response = _create(login(accompanier), team_process)

    objective = team_process.objectives.get()
    assert response.status_code == 302
    assert (objective.field, objective.description) == ("security", "Plan de seguridad")
    assert list(objective.changes.values_list("from_status", "to_status")) == [("", "agreed")]
    assert AuditEvent.objects.filter(action="create", target_id=str(objective.pk)).count() == 1


def test_mass_assignment_cannot_move_an_objective_to_another_process(
    login, accompanier, team_process
):
    elsewhere = ProcessFactory()

    _create(login(accompanier), team_process, process=str(elsewhere.pk), version="7")

    assert elsewhere.objectives.count() == 0
    assert team_process.objectives.get().version == 1


def test_a_status_change_writes_an_objective_change(login, accompanier, team_process):
    objective = ObjectiveFactory(process=team_process)

    response = _edit(login(accompanier), objective, status="met")

    change = ObjectiveChange.objects.get(objective=objective)
    assert response.status_code == 302
    assert (change.from_status, change.to_status, change.changed_by) == (
        "agreed",
        "met",
        accompanier,
    )


def test_editing_only_the_description_writes_no_objective_change(login, accompanier, team_process):
    objective = ObjectiveFactory(process=team_process)

    _edit(login(accompanier), objective, description="Otro texto")

    assert Objective.objects.get(pk=objective.pk).description == "Otro texto"
    assert ObjectiveChange.objects.filter(objective=objective).count() == 0


def test_non_member_cannot_edit_an_objective_of_another_team(
    login, other_accompanier, team_process
):
    objective = ObjectiveFactory(process=team_process)

    get = login(other_accompanier).get(
        reverse("accompaniment:objective-edit", kwargs={"objective_id": objective.pk})
    )
    post = _edit(login(other_accompanier), objective, status="met")

    assert (get.status_code, post.status_code) == (404, 404)
    assert Objective.objects.get(pk=objective.pk).status == "agreed"


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
def test_each_role_gets_the_expected_answer_on_objective_edit(
    request, login, team_process, who, expected
):
    objective = ObjectiveFactory(process=team_process)
    client = login(request.getfixturevalue(who))

    response = client.get(
        reverse("accompaniment:objective-edit", kwargs={"objective_id": objective.pk})
    )

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 1_000_000}, "description"),
        ({"description": "plan\x00"}, "description"),
        ({"field": "cooking"}, "field"),
        ({"status": "done"}, "status"),
    ],
)
def test_team_member_cannot_add_an_objective_with_bad_input(
    login, accompanier, team_process, override, field
):
    response = _create(login(accompanier), team_process, **override)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert team_process.objectives.count() == 0


def test_a_stale_objective_edit_is_refused(login, accompanier, coordinator, team_process):
    objective = ObjectiveFactory(process=team_process)
    _edit(login(coordinator), objective, status="in_progress")

    response = _edit(login(accompanier), objective, status="dropped")

    assert response.status_code == 409
    assert Objective.objects.get(pk=objective.pk).status == "in_progress"
    assert response.context["form"]["status"].value() == "dropped"
