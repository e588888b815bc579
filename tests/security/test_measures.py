"""Protection measures: validation, the not-implemented list, expiry reminders."""

import datetime as dt

import pytest
from django.urls import reverse

from accompaniment.factories import ProcessFactory
from aluna.audit.models import AuditEvent
from aluna.notifications.models import Notification
from security.aggregates import measures_granted_by_source, measures_granted_by_status
from security.models import MeasureStatus, ProtectionMeasure
from security.services import measure_expiry_reminders_send
from security.tasks import send_measure_expiry_reminders
from tests.fixtures.celery_worker import wait_for

TODAY = dt.date(2031, 3, 1)


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


def _measure(process, **kw):
    values = {
        "source": "federal",
        "kind": "panic_button",
        "status": MeasureStatus.GRANTED,
        "granted_on": dt.date(2030, 1, 1),
    }
    values.update(kw)
    return ProtectionMeasure.objects.create(process=process, **values)


def _form(**kw):
    data = {
        "source": "cidh",
        "cidh_number": "mc-123-2024",
        "kind": "escorts",
        "status": "not_implemented",
        "granted_on": "2024-05-01",
        "implemented_on": "",
        "review_on": "",
        "expires_on": "2025-05-01",
        "notes": "",
    }
    data.update(kw)
    return data


def test_accompanier_can_add_a_cidh_measure_granted_but_not_implemented(
    login, accompanier, team_process
):
    url = reverse("security:measure-create", kwargs={"process_id": team_process.pk})

    response = login(accompanier).post(url, _form())

    measure = ProtectionMeasure.objects.get()
    assert response.status_code == 302
    assert (measure.cidh_number, measure.status) == ("MC-123-2024", "not_implemented")


@pytest.mark.parametrize(
    "overrides",
    [
        {"cidh_number": "123/2024"},
        {"cidh_number": ""},
        {"status": "implemented"},
        {"implemented_on": "2024-06-01"},
        {"expires_on": "2020-01-01"},
        {"granted_on": "2999-01-01"},
        {"kind": "tank"},
        {"notes": "a\x00b"},
    ],
)
def test_accompanier_cannot_save_an_invalid_measure(login, accompanier, team_process, overrides):
    url = reverse("security:measure-create", kwargs={"process_id": team_process.pk})

    response = login(accompanier).post(url, _form(**overrides))

    assert response.status_code == 400
    assert ProtectionMeasure.objects.count() == 0


def test_accompanier_can_open_a_measure_on_its_saved_values(login, accompanier, team_process):
    measure = _measure(team_process, notes="Botón entregado", expires_on=dt.date(2031, 1, 1))

    response = login(accompanier).get(
        reverse("security:measure-edit", kwargs={"measure_id": measure.pk})
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert [form[name].value() for name in ("kind", "notes", "expires_on", "version")] == [
        "panic_button",
        "Botón entregado",
        dt.date(2031, 1, 1),
        1,
    ]
    assert 'value="2031-01-01"' in response.content.decode()


def test_accompanier_cannot_overwrite_a_measure_saved_by_someone_else(
    login, client, accompanier, coordinator, team_process
):
    measure = _measure(
        team_process, status=MeasureStatus.NOT_IMPLEMENTED, granted_on=dt.date(2024, 5, 1)
    )
    url = reverse("security:measure-edit", kwargs={"measure_id": measure.pk})
    base = _form(source="federal", cidh_number="", kind="panic_button", expires_on="")
    # Both open the form at version 1; Carmen records the implementation first.
    saved = login(coordinator).post(
        url,
        {**base, "status": "implemented", "implemented_on": "2024-06-01", "version": "1"},
    )
    client.logout()

    response = login(accompanier).post(
        url, {**base, "status": "not_implemented", "notes": "Sin botón aún", "version": "1"}
    )

    measure.refresh_from_db()
    assert (saved.status_code, response.status_code) == (302, 409)
    assert (measure.status, measure.version) == (MeasureStatus.IMPLEMENTED, 2)
    assert response.context["form"]["notes"].value() == "Sin botón aún"
    assert response.context["form"]["version"].value() == 2
    stale_values = {str(label): str(value) for label, value in response.context["stale_values"]}
    assert (stale_values["Status"], stale_values["Notes"]) == ("Implemented", "—")
    page = response.content.decode()
    assert 'data-testid="stale-values"' in page
    assert "Sin botón aún" in page


def test_non_member_cannot_edit_a_measure(login, other_accompanier, team_process):
    measure = _measure(team_process)

    response = login(other_accompanier).get(
        reverse("security:measure-edit", kwargs={"measure_id": measure.pk})
    )

    assert response.status_code == 404


def test_accompanier_sees_only_team_measures_granted_but_not_implemented(
    login, accompanier, other_accompanier, team_process
):
    mine = _measure(team_process, status=MeasureStatus.NOT_IMPLEMENTED)
    _measure(ProcessFactory(lead=other_accompanier), status=MeasureStatus.NOT_IMPLEMENTED)
    _measure(team_process, status=MeasureStatus.IMPLEMENTED, implemented_on=dt.date(2030, 2, 1))

    response = login(accompanier).get(reverse("security:measures-not-implemented"))

    assert [m.pk for m in response.context["page_obj"]] == [mine.pk]


def test_accompanier_leaves_a_count_only_trace_of_the_not_implemented_list(
    login, accompanier, team_process
):
    _measure(team_process, status=MeasureStatus.NOT_IMPLEMENTED)

    login(accompanier).get(reverse("security:measures-not-implemented"))

    event = AuditEvent.objects.get(action="search")
    assert (event.actor, event.target_type, event.target_id, event.metadata) == (
        accompanier,
        "security.protectionmeasure",
        "",
        {"results": 1},
    )


def test_advocacy_counts_of_measures_not_implemented_are_numbers_only(team_process):
    _measure(team_process, status=MeasureStatus.NOT_IMPLEMENTED)
    _measure(team_process, status=MeasureStatus.NOT_IMPLEMENTED, source="state", kind="phone")
    _measure(team_process)
    period = {"start": dt.date(2030, 1, 1), "end": dt.date(2030, 12, 31)}

    not_implemented = measures_granted_by_source(**period, status=MeasureStatus.NOT_IMPLEMENTED)

    assert not_implemented == {"federal": 1, "state": 1}
    assert measures_granted_by_status(**period) == {"not_implemented": 2, "granted": 1}


def test_team_is_reminded_30_and_7_days_before_expiry_once(accompanier, team_process):
    _measure(team_process, expires_on=TODAY + dt.timedelta(days=30))
    _measure(team_process, expires_on=TODAY + dt.timedelta(days=7))
    _measure(team_process, expires_on=TODAY + dt.timedelta(days=8))

    first = measure_expiry_reminders_send(today=TODAY)
    again = measure_expiry_reminders_send(today=TODAY)

    assert (first, again) == (2, 0)
    assert sorted(n.params["days"] for n in Notification.objects.filter(recipient=accompanier)) == [
        7,
        30,
    ]


@pytest.mark.worker
def test_team_can_receive_a_nameless_expiry_email_from_the_worker(
    celery_worker, worker_outbox, accompanier, team_process
):
    _measure(team_process, expires_on=TODAY + dt.timedelta(days=7))

    result = send_measure_expiry_reminders.delay(TODAY.isoformat())

    assert celery_worker.wait_for_task(result.id) == "succeeded"
    (sent,) = wait_for(worker_outbox)
    body = sent.get_payload(decode=True).decode()
    assert sent["To"] == accompanier.email
    assert "7" in body
    assert "Semilla" not in body and "Semilla" not in sent["Subject"]


def test_not_implemented_list_query_count_is_flat(login, coordinator, accompanier):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(coordinator)
    url = reverse("security:measures-not-implemented")
    for _ in range(2):
        _measure(ProcessFactory(lead=accompanier), status=MeasureStatus.NOT_IMPLEMENTED)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(10):
        _measure(ProcessFactory(lead=accompanier), status=MeasureStatus.NOT_IMPLEMENTED)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 12
    assert len(large) == len(small)
