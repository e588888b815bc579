"""Security plans and protocols: creation, concurrency, review reminders."""

import datetime as dt

import pytest
from django.urls import reverse

from aluna.notifications.models import Notification
from security.models import PlanMeasure, Protocol, SecurityPlan
from security.services import plan_create, plan_review_reminders_send
from security.tasks import send_plan_review_reminders
from tests.fixtures.celery_worker import wait_for

REVIEW = dt.date(2031, 6, 1)


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


def _plan(process, user, review_on=REVIEW):
    return plan_create(
        process=process, actor=user, data={"title": "Plan colectivo", "review_on": review_on}
    )


def test_accompanier_can_create_a_plan_with_a_measure_and_a_protocol(
    login, accompanier, team_process
):
    client = login(accompanier)
    review = (dt.date.today() + dt.timedelta(days=60)).isoformat()

    created = client.post(
        reverse("security:plan-create", kwargs={"process_id": team_process.pk}),
        {"title": "Plan 2031", "review_on": review},
    )
    plan = SecurityPlan.objects.get()
    client.post(
        reverse("security:plan-measure-add", kwargs={"plan_id": plan.pk}),
        {"measure-what": "Cambiar rutas", "measure-who": "Pablo", "measure-status": "pending"},
    )
    client.post(
        reverse("security:plan-protocol-add", kwargs={"plan_id": plan.pk}),
        {
            "protocol-if_threat": "Seguimiento en carretera",
            "protocol-steps": "Desviarse",
            "protocol-who_to_call": "Coordinación",
        },
    )
    detail = client.get(reverse("security:plan-detail", kwargs={"plan_id": plan.pk}))

    assert created.status_code == 302
    assert (PlanMeasure.objects.get().what, Protocol.objects.get().steps) == (
        "Cambiar rutas",
        "Desviarse",
    )
    assert detail.status_code == 200
    assert [m.what for m in detail.context["measures"]] == ["Cambiar rutas"]
    assert [p.steps for p in detail.context["protocols"]] == ["Desviarse"]


def test_accompanier_cannot_set_a_review_date_in_the_past(login, accompanier, team_process):
    response = login(accompanier).post(
        reverse("security:plan-create", kwargs={"process_id": team_process.pk}),
        {"title": "Plan", "review_on": "2000-01-01"},
    )

    assert response.status_code == 400


def test_accompanier_can_edit_a_plan_from_its_saved_title_and_review_date(
    login, accompanier, team_process
):
    plan = _plan(team_process, accompanier)
    client = login(accompanier)
    url = reverse("security:plan-edit", kwargs={"plan_id": plan.pk})
    review = (dt.date.today() + dt.timedelta(days=20)).isoformat()

    form = client.get(url).context["form"]
    saved = client.post(url, {"title": "Plan revisado", "review_on": review, "version": "1"})

    plan.refresh_from_db()
    assert (form["title"].value(), form["review_on"].value(), form["version"].value()) == (
        "Plan colectivo",
        REVIEW,
        1,
    )
    assert saved.status_code == 302
    assert (plan.title, plan.review_on.isoformat(), plan.version) == ("Plan revisado", review, 2)


def test_accompanier_cannot_overwrite_a_plan_saved_by_someone_else(
    login, client, accompanier, coordinator, team_process
):
    plan = _plan(team_process, accompanier)
    url = reverse("security:plan-edit", kwargs={"plan_id": plan.pk})
    review = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    # Both open the edit form at version 1; Carmen saves first.
    login(coordinator).post(url, {"title": "Plan de Carmen", "review_on": review, "version": "1"})
    client.logout()

    response = login(accompanier).post(
        url, {"title": "Plan de Pablo", "review_on": review, "version": "1"}
    )

    assert response.status_code == 409
    assert SecurityPlan.objects.get(pk=plan.pk).title == "Plan de Carmen"
    assert response.context["form"]["title"].value() == "Plan de Pablo"
    assert response.context["form"]["version"].value() == 2
    assert ("Title", "Plan de Carmen") in [
        (str(label), value) for label, value in response.context["stale_values"]
    ]
    page = response.content.decode()
    assert 'data-testid="stale-values"' in page
    assert 'value="Plan de Pablo"' in page


def test_non_member_cannot_see_a_plan(login, other_accompanier, accompanier, team_process):
    plan = _plan(team_process, accompanier)

    response = login(other_accompanier).get(
        reverse("security:plan-detail", kwargs={"plan_id": plan.pk})
    )

    assert response.status_code == 404


def test_team_is_reminded_once_when_a_plan_review_falls_due(accompanier, team_process):
    _plan(team_process, accompanier)

    before = plan_review_reminders_send(today=REVIEW - dt.timedelta(days=1))
    due = plan_review_reminders_send(today=REVIEW)
    again = plan_review_reminders_send(today=REVIEW + dt.timedelta(days=1))

    assert (before, due, again) == (0, 1, 0)
    assert Notification.objects.get().recipient == accompanier


@pytest.mark.worker
def test_team_can_receive_the_plan_review_email_from_the_worker(
    celery_worker, worker_outbox, accompanier, team_process
):
    _plan(team_process, accompanier)

    result = send_plan_review_reminders.delay(REVIEW.isoformat())

    assert celery_worker.wait_for_task(result.id) == "succeeded"
    (sent,) = wait_for(worker_outbox)
    assert sent["To"] == accompanier.email
    assert "Plan colectivo" not in sent.get_payload(decode=True).decode()
