"""A crisis entry is recorded and alerted exactly once, however many times it arrives,
and never held back by a subject nobody can choose on arrival ("sujeto por confirmar")."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accompaniment.factories import PoliticalSubjectFactory
from accompaniment.models import PoliticalSubject, Process
from aluna.outbox.models import OutboxMessage
from crisis.models import CrisisAlert, CrisisIntervention, OnCallShift
from crisis.selectors.roster import local_week_start
from tests.fixtures.celery_worker import wait_for_outbox

QUEUED = {"HTTP_X_ALUNA_QUEUE": "1"}


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


def _entry(key, **overrides) -> dict:
    data = {
        "subject_query": "Colectivo Semilla",
        "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "phone",
        "risk_level": "high",
        "idempotency_key": str(key),
    }
    data.update(overrides)
    return data


def _alert_rounds() -> int:
    return OutboxMessage.objects.filter(task_name="crisis.send_alerts").count()


def _recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message["To"].split(","))


# --- Exactly once, through the real worker and its mail sink ----------------------------------


@pytest.mark.worker
def test_the_same_entry_posted_twice_is_one_crisis_and_one_alert_round(
    celery_worker, worker_outbox, login, accompanier, coordinator, team_subject
):
    # Arrange: the coordinator is on call; Pablo's phone sends the same entry twice.
    OnCallShift.objects.create(week_start=local_week_start(at=timezone.now()), user=coordinator)
    client = login(accompanier)
    key = uuid.uuid4()

    # Act
    first = client.post(reverse("crisis:crisis-create"), _entry(key))
    again = client.post(reverse("crisis:crisis-create"), _entry(key), **QUEUED)
    wait_for_outbox(celery_worker)

    # Assert: one crisis, both answers point at it, one e-mail each for the round.
    crisis = CrisisIntervention.objects.get()
    url = reverse("crisis:crisis-detail", kwargs={"crisis_id": crisis.pk})
    assert (first.status_code, first.url) == (302, url)
    assert (again.status_code, again.json()) == (
        200,
        {"url": url, "created": False, "to_confirm": False},
    )
    assert crisis.idempotency_key == key
    assert _alert_rounds() == 1
    assert CrisisAlert.objects.filter(intervention=crisis).count() == 2
    assert _recipients(worker_outbox()) == sorted([accompanier.email, coordinator.email])


@pytest.mark.worker
def test_the_same_entry_arriving_at_the_same_moment_is_recorded_once(
    celery_worker, worker_outbox, login, accompanier, coordinator, team_subject
):
    # Arrange: two tabs (two connections) send the same entry at the same instant.
    OnCallShift.objects.create(week_start=local_week_start(at=timezone.now()), user=coordinator)
    session_cookie = login(accompanier).cookies
    key = uuid.uuid4()
    start = threading.Barrier(3)
    answers: list[int] = []

    def send():
        tab = Client()
        tab.cookies = session_cookie
        start.wait()
        try:
            response = tab.post(reverse("crisis:crisis-create"), _entry(key), **QUEUED)
            answers.append(response.status_code)
        finally:
            connection.close()

    tabs = [threading.Thread(target=send) for _ in range(2)]
    for tab in tabs:
        tab.start()
    start.wait()
    for tab in tabs:
        tab.join(timeout=30)
    wait_for_outbox(celery_worker)

    # Assert: one recorded it (201), the other found it (200); one round of alerts.
    assert sorted(answers) == [200, 201]
    assert CrisisIntervention.objects.count() == 1
    assert Process.objects.filter(kind="crisis").count() == 1
    assert _alert_rounds() == 1
    assert _recipients(worker_outbox()) == sorted([accompanier.email, coordinator.email])


@pytest.mark.worker
def test_an_unknown_alias_from_the_queue_is_recorded_and_alerted_at_once(
    celery_worker, worker_outbox, login, accompanier, coordinator
):
    OnCallShift.objects.create(week_start=local_week_start(at=timezone.now()), user=coordinator)
    client = login(accompanier)

    response = client.post(
        reverse("crisis:crisis-create"),
        _entry(uuid.uuid4(), subject_query="Vecinas del  arroyo"),
        **QUEUED,
    )
    wait_for_outbox(celery_worker)

    crisis = CrisisIntervention.objects.select_related("process__subject").get()
    assert response.status_code == 201
    assert response.json()["to_confirm"] is True
    assert crisis.subject_to_confirm is True
    assert crisis.process.subject.name == "Vecinas del arroyo"
    assert crisis.process.subject.alias.startswith("To be confirmed ")
    assert crisis.process.lead == accompanier
    assert _recipients(worker_outbox()) == sorted([accompanier.email, coordinator.email])


# --- Subject to be confirmed -----------------------------------------------------------------


def test_an_ambiguous_alias_from_the_queue_is_recorded_to_be_confirmed(login, accompanier, db):
    PoliticalSubjectFactory(alias="Radio Norte", created_by=accompanier)
    PoliticalSubjectFactory(alias="Radio Sur", created_by=accompanier)
    client = login(accompanier)

    response = client.post(
        reverse("crisis:crisis-create"), _entry(uuid.uuid4(), subject_query="Radio"), **QUEUED
    )

    crisis = CrisisIntervention.objects.select_related("process__subject").get()
    assert response.status_code == 201
    provisional = crisis.process.subject
    assert (crisis.subject_to_confirm, provisional.name) == (True, "Radio")
    assert (
        provisional.alias
        == f"To be confirmed {str(crisis.idempotency_key).replace('-', '')[:6].upper()}"
    )
    assert _alert_rounds() == 1


def test_what_was_typed_on_the_phone_never_becomes_a_plaintext_alias(login, accompanier, db):
    client = login(accompanier)

    _queued_to_confirm(client, alias="Juana Pérez Canario")

    with connection.cursor() as cursor:
        cursor.execute("SELECT alias, name FROM accompaniment_politicalsubject")
        rows = cursor.fetchall()
    assert rows and all("Canario" not in alias and "Canario" not in name for alias, name in rows)


def test_an_unknown_alias_typed_with_signal_is_still_asked_about(login, accompanier, db):
    client = login(accompanier)

    response = client.post(
        reverse("crisis:crisis-create"), _entry(uuid.uuid4(), subject_query="Nadie conocido")
    )

    assert response.status_code == 400
    assert CrisisIntervention.objects.count() == 0


def test_a_queued_entry_with_bad_input_is_refused_with_its_errors(login, accompanier, team_subject):
    client = login(accompanier)

    response = client.post(
        reverse("crisis:crisis-create"), _entry(uuid.uuid4(), risk_level=""), **QUEUED
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["risk_level"]
    assert CrisisIntervention.objects.count() == 0


def test_someone_else_cannot_replay_an_entry_key(login, accompanier, coordinator, team_subject):
    key = uuid.uuid4()
    login(accompanier).post(reverse("crisis:crisis-create"), _entry(key))

    response = login(coordinator).post(reverse("crisis:crisis-create"), _entry(key), **QUEUED)

    assert response.status_code == 403
    assert CrisisIntervention.objects.count() == 1


def _queued_to_confirm(client, alias="Radio") -> CrisisIntervention:
    client.post(
        reverse("crisis:crisis-create"), _entry(uuid.uuid4(), subject_query=alias), **QUEUED
    )
    return CrisisIntervention.objects.select_related("process__subject").get()


def test_author_sees_the_crisis_to_confirm_and_moves_it_to_the_right_subject(
    login, accompanier, db
):
    # Arrange: "Radio" matched two of Pablo's cases when the entry arrived.
    norte = PoliticalSubjectFactory(alias="Radio Norte", created_by=accompanier)
    PoliticalSubjectFactory(alias="Radio Sur", created_by=accompanier)
    client = login(accompanier)
    crisis = _queued_to_confirm(client)
    provisional = crisis.process.subject
    confirm_url = reverse("crisis:crisis-subject-confirm", kwargs={"crisis_id": crisis.pk})

    # Act: the board lists it for him; he opens it and picks "Radio Norte".
    board = client.get(reverse("crisis:crisis-board")).content.decode()
    page = client.get(confirm_url)
    response = client.post(confirm_url, {"subject": str(norte.pk)})

    # Assert: the crisis now belongs to Radio Norte; the provisional subject is gone.
    crisis.refresh_from_db()
    assert 'data-testid="crises-to-confirm"' in board and confirm_url in board
    assert page.status_code == 200 and page.content.decode().count('name="subject"') == 3
    assert response.status_code == 302
    assert (crisis.subject_to_confirm, crisis.process.subject_id) == (False, norte.pk)
    assert not PoliticalSubject.objects.filter(pk=provisional.pk).exists()
    board = client.get(reverse("crisis:crisis-board")).content.decode()
    assert 'data-testid="crises-to-confirm"' not in board


def test_a_new_subject_needs_a_working_alias_other_than_what_was_typed(login, accompanier, db):
    client = login(accompanier)
    crisis = _queued_to_confirm(client, alias="Vecinas del arroyo")
    confirm_url = reverse("crisis:crisis-subject-confirm", kwargs={"crisis_id": crisis.pk})

    missing = client.post(confirm_url, {"subject": "new"})
    same = client.post(confirm_url, {"subject": "new", "new_alias": "vecinas del arroyo"})

    crisis.refresh_from_db()
    assert (missing.status_code, same.status_code) == (400, 400)
    assert "Give the new subject a working alias." in missing.content.decode()
    assert crisis.subject_to_confirm is True


def test_author_can_keep_it_as_a_new_subject_under_a_working_alias(login, accompanier, db):
    client = login(accompanier)
    crisis = _queued_to_confirm(client, alias="Vecinas del arroyo")
    confirm_url = reverse("crisis:crisis-subject-confirm", kwargs={"crisis_id": crisis.pk})

    response = client.post(confirm_url, {"subject": "new", "new_alias": "Arroyo 3"})

    crisis.refresh_from_db()
    assert response.status_code == 302
    assert crisis.subject_to_confirm is False
    assert (crisis.process.subject.alias, crisis.process.subject.name) == (
        "Arroyo 3",
        "Vecinas del arroyo",
    )


@pytest.mark.parametrize("choice", ["", "00000000-0000-0000-0000-000000000000", "x" * 300])
def test_a_bad_confirmation_is_refused_with_a_400(login, accompanier, db, choice):
    client = login(accompanier)
    crisis = _queued_to_confirm(client)
    confirm_url = reverse("crisis:crisis-subject-confirm", kwargs={"crisis_id": crisis.pk})

    response = client.post(confirm_url, {"subject": choice})

    crisis.refresh_from_db()
    assert response.status_code == 400
    assert crisis.subject_to_confirm is True


def test_only_the_author_may_confirm_the_subject(login, accompanier, coordinator, db):
    crisis = _queued_to_confirm(login(accompanier))
    confirm_url = reverse("crisis:crisis-subject-confirm", kwargs={"crisis_id": crisis.pk})

    response = login(coordinator).post(confirm_url, {"subject": "new"})

    crisis.refresh_from_db()
    assert response.status_code == 404
    assert crisis.subject_to_confirm is True


def test_the_forms_own_post_with_signal_is_told_where_the_crisis_is(
    login, accompanier, team_subject
):
    client = login(accompanier)

    response = client.post(
        reverse("crisis:crisis-create"), _entry(uuid.uuid4()), HTTP_X_ALUNA_FETCH="1"
    )

    crisis = CrisisIntervention.objects.get()
    url = reverse("crisis:crisis-detail", kwargs={"crisis_id": crisis.pk})
    assert (response.status_code, response.json()) == (
        201,
        {"url": url, "created": True, "to_confirm": False},
    )
