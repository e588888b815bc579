"""With no signal nothing is lost and nothing shows as saved before the server said so.

A phone (390x844) in a real Chromium: `context.set_offline(True)` cuts the network.
Crisis entries are kept on the phone encrypted (IndexedDB, AES-GCM, a key that cannot
be read) and sent once when the signal returns, through the real Celery worker and its
mail sink; attendance marks are shown as pending, never as saved, and sent later.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session as LoginSession
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accompaniment.models import Session
from crisis.models import CrisisIntervention, OnCallShift
from crisis.selectors.roster import local_week_start
from tests.fixtures.browser import open_account_menu
from tests.fixtures.celery_worker import wait_for, wait_for_outbox
from training.factories import CohortFactory, EnrolmentFactory, TrainingSessionFactory
from training.models import Attendance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANARY = "Canario Xochiquetzal 7731"

# Everything the app keeps on the phone, as text: IndexedDB (each record, its encrypted
# bytes decoded as text too), localStorage and Cache Storage.
_PHONE_STORAGE = """async () => {
  const db = await new Promise((ok, ko) => {
    const req = indexedDB.open("aluna-offline", 1);
    req.onsuccess = () => ok(req.result); req.onerror = () => ko(req.error);
  });
  const all = (name) => new Promise((ok, ko) => {
    const req = db.transaction(name).objectStore(name).getAll();
    req.onsuccess = () => ok(req.result); req.onerror = () => ko(req.error);
  });
  const entries = await all("entries");
  const keys = await all("keys");
  db.close();
  const text = (value) => value instanceof ArrayBuffer || ArrayBuffer.isView(value)
    ? new TextDecoder("latin1").decode(value) : JSON.stringify(value);
  const cached = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      cached.push(await (await cache.match(request)).text());
    }
  }
  return {
    entries: entries.map((e) => Object.values(e).map(text).join(" ")),
    keys: keys.map((k) => ({type: k.key.constructor.name, extractable: k.key.extractable,
                             algorithm: k.key.algorithm.name, usages: k.key.usages})),
    local: JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage}),
    cached: cached.join(" "),
  };
}"""


def _sign_in(page, client, live_server) -> None:
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _worker_ready(page) -> None:
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")


def _storage(page) -> dict:
    return page.evaluate(_PHONE_STORAGE)


def _fill_crisis(page, *, alias: str) -> None:
    form = page.get_by_test_id("crisis-form")
    form.get_by_role("combobox", name="Alias de trabajo o iniciales").fill(alias)
    form.get_by_text("Teléfono", exact=True).click()
    form.get_by_text("Alto", exact=True).click()
    form.get_by_text("Acciones y canalizaciones").click()
    form.get_by_label("Acciones realizadas").fill(CANARY)
    page.get_by_test_id("crisis-save").click()


def _keep_a_crisis_offline(page, live_server) -> None:
    page.goto(live_server.url + reverse("crisis:crisis-create"))
    _worker_ready(page)
    page.context.set_offline(True)
    _fill_crisis(page, alias="Semilla")
    expect(page.locator("[data-offline-status]")).to_have_text(
        "Guardado en este teléfono; se enviará en cuanto haya señal."
    )


def _on_call(coordinator) -> None:
    OnCallShift.objects.create(week_start=local_week_start(at=timezone.now()), user=coordinator)


def _recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message["To"].split(","))


@pytest.mark.worker
def test_crisis_typed_without_signal_is_kept_encrypted_and_sent_once_when_it_returns(
    celery_worker,
    worker_outbox,
    phone_page,
    live_server,
    login,
    accompanier,
    coordinator,
    team_subject,
):
    # Arrange: Pablo opens the crisis form; then the signal goes.
    _on_call(coordinator)
    page = phone_page
    _sign_in(page, login(accompanier), live_server)

    # Act 1: he fills and saves it with no signal.
    _keep_a_crisis_offline(page, live_server)

    # Assert 1: kept on the phone, encrypted under a key script cannot read; nothing sent.
    stored = _storage(page)
    assert len(stored["entries"]) == 1
    assert CANARY not in stored["entries"][0] and "Semilla" not in stored["entries"][0]
    assert stored["keys"] == [
        {
            "type": "CryptoKey",
            "extractable": False,
            "algorithm": "AES-GCM",
            "usages": ["encrypt", "decrypt"],
        }
    ]
    assert CANARY not in stored["local"] + stored["cached"] + page.url
    expect(page.get_by_test_id("offline-badge")).to_have_text("1 registro por enviar")
    assert CrisisIntervention.objects.count() == 0

    # Act 2: the signal returns.
    page.context.set_offline(False)

    # Assert 2: it arrived once, he is told so, the badge is gone, one round of alerts.
    expect(page.locator("[data-offline-status]")).to_contain_text("llegó a las")
    expect(page.get_by_test_id("offline-badge")).to_be_hidden()
    wait_for_outbox(celery_worker)
    crisis = CrisisIntervention.objects.select_related("process__subject").get()
    assert crisis.actions_taken == CANARY
    assert crisis.process.subject_id == team_subject.pk
    assert _recipients(worker_outbox()) == sorted([accompanier.email, coordinator.email])
    assert _storage(page)["entries"] == []


@pytest.mark.worker
def test_two_tabs_back_online_send_the_kept_crisis_once(
    celery_worker,
    worker_outbox,
    phone_page,
    live_server,
    login,
    accompanier,
    coordinator,
    team_subject,
):
    _on_call(coordinator)
    page = phone_page
    _sign_in(page, login(accompanier), live_server)
    _keep_a_crisis_offline(page, live_server)
    second = page.context.new_page()

    # Act: the signal returns; the first tab sends on `online`, the second as it loads.
    page.context.set_offline(False)
    second.goto(live_server.url + reverse("crisis:crisis-board"))

    expect(page.locator("[data-offline-status]")).to_contain_text("llegó a las")
    wait_for(lambda: not _storage(second)["entries"])
    wait_for_outbox(celery_worker)
    assert CrisisIntervention.objects.count() == 1
    assert _recipients(worker_outbox()) == sorted([accompanier.email, coordinator.email])


def test_logout_wipes_the_kept_entries_and_their_key(phone_page, live_server, login, accompanier):
    page = phone_page
    _sign_in(page, login(accompanier), live_server)
    _keep_a_crisis_offline(page, live_server)
    # Back online, but the server cannot be reached for the crisis: the entry stays.
    page.route("**/crisis/nueva/**", lambda route: route.abort())
    page.context.set_offline(False)
    assert len(_storage(page)["entries"]) == 1

    open_account_menu(page)
    page.get_by_test_id("logout").click()

    expect(page.locator("html")).to_have_attribute("data-offline-epoch", "")
    stored = _storage(page)
    assert (stored["entries"], stored["keys"]) == ([], [])


def test_a_session_ended_elsewhere_wipes_the_queue_at_the_next_contact(
    phone_page, live_server, login, accompanier
):
    page = phone_page
    _sign_in(page, login(accompanier), live_server)
    _keep_a_crisis_offline(page, live_server)
    page.route("**/crisis/nueva/**", lambda route: route.abort())
    page.context.set_offline(False)

    # "Cerrar sesión en todos los dispositivos" (or a device reported compromised).
    LoginSession.objects.all().delete()
    page.goto(live_server.url + reverse("crisis:crisis-board"))

    expect(page.locator("html")).to_have_attribute("data-offline-epoch", "")
    wait_for(lambda: _storage(page)["keys"] == [])
    assert _storage(page)["entries"] == []


def test_an_entry_the_server_refuses_on_arrival_is_offered_back_into_the_form(
    phone_page, live_server, login, accompanier, team_subject
):
    # Arrange: with no signal, Pablo logs a contact dated three months ago (the phone
    # cannot know the 60-day limit).
    page = phone_page
    _sign_in(page, login(accompanier), live_server)
    page.goto(live_server.url + reverse("crisis:crisis-create"))
    _worker_ready(page)
    page.context.set_offline(True)
    old = timezone.localtime() - dt.timedelta(days=90)
    page.locator("input[name=contacted_at]").fill(old.strftime("%Y-%m-%dT%H:%M"))
    _fill_crisis(page, alias="Semilla")
    expect(page.locator("[data-offline-status]")).to_contain_text("Guardado en este teléfono")

    # Act: the signal returns; the server refuses it; he takes it back and corrects it.
    page.context.set_offline(False)
    expect(page.get_by_test_id("offline-badge")).to_have_text("1 registro no se pudo guardar")
    page.get_by_test_id("recover-entry").click()

    # Assert: what he typed is back in the form; saved after the correction, once.
    form = page.get_by_test_id("crisis-form")
    expect(form.get_by_label("Acciones realizadas")).to_have_value(CANARY)
    expect(page.get_by_test_id("offline-badge")).to_be_hidden()
    assert CrisisIntervention.objects.count() == 0
    form.locator("input[name=contacted_at]").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_test_id("crisis-save").click()
    expect(page.get_by_test_id("crisis-detail")).to_be_visible()
    assert CrisisIntervention.objects.get().actions_taken == CANARY


# --- Attendance --------------------------------------------------------------------------


def _attendance_page(page, live_server, login, trainer, people=2):
    cohort = CohortFactory(facilitators=[trainer])
    for _ in range(people):
        EnrolmentFactory(cohort=cohort)
    session = TrainingSessionFactory(cohort=cohort)
    _sign_in(page, login(trainer), live_server)
    page.goto(live_server.url + reverse("training:attendance", args=[session.pk]))
    _worker_ready(page)
    return page.get_by_test_id("attendance-row")


def _count(page, state: str):
    return page.locator(f"[data-count-for='{state}'] [data-count]")


def test_a_mark_taken_without_signal_is_pending_then_saved_once(
    phone_page, live_server, login, trainer
):
    page = phone_page
    rows = _attendance_page(page, live_server, login, trainer)
    row = rows.first

    # Act 1: no signal; the trainer taps "Presente".
    page.context.set_offline(True)
    row.get_by_text("Presente", exact=True).tap()

    # Assert 1: pending on the phone, not saved, not counted.
    expect(row).to_have_attribute("data-pending", "queued")
    expect(row.get_by_test_id("attendance-row-status")).to_contain_text(
        "Pendiente en este teléfono"
    )
    expect(row.get_by_test_id("attendance-saved")).to_have_count(0)
    expect(_count(page, "present")).to_have_text("0")
    expect(page.get_by_test_id("offline-badge")).to_have_text("1 registro por enviar")
    assert Attendance.objects.count() == 0

    # Act 2: the signal returns.
    page.context.set_offline(False)

    # Assert 2: saved once, shown as saved and counted.
    expect(rows.first.get_by_test_id("attendance-saved")).to_be_visible()
    expect(_count(page, "present")).to_have_text("1")
    expect(_count(page, "")).to_have_text("1")
    expect(page.get_by_test_id("offline-badge")).to_be_hidden()
    assert list(Attendance.objects.values_list("status", flat=True)) == ["present"]


def _network_fails(route):
    route.abort()


def _server_fails(route):
    route.fulfill(status=500, body="boom")


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (_network_fails, "No se guardó: falló la conexión."),
        (_server_fails, "No se guardó: el servidor tuvo un problema."),
    ],
    ids=["network-fails", "server-error"],
)
def test_a_failed_save_says_so_at_once_and_retry_saves_it_once(
    phone_page, live_server, login, trainer, failure, message
):
    page = phone_page
    rows = _attendance_page(page, live_server, login, trainer)
    row = rows.nth(1)

    def fail_posts(route):
        if route.request.method == "POST":
            failure(route)
        else:
            route.continue_()

    page.route("**/asistencia/", fail_posts)

    # Act 1: a tap whose save fails.
    row.get_by_text("Retardo", exact=True).tap()

    # Assert 1: said at once, where it happened; nothing shows as saved or counted.
    error = row.get_by_test_id("htmx-error")
    expect(error).to_contain_text(message)
    expect(row).to_have_attribute("data-pending", "failed")
    expect(row.get_by_test_id("attendance-saved")).to_have_count(0)
    expect(_count(page, "late")).to_have_text("0")
    assert Attendance.objects.count() == 0

    # Act 2: the network is back; "Reintentar".
    page.unroute("**/asistencia/")
    error.get_by_test_id("htmx-retry").click()

    # Assert 2: saved once.
    expect(rows.nth(1).get_by_test_id("attendance-saved")).to_be_visible()
    expect(_count(page, "late")).to_have_text("1")
    assert list(Attendance.objects.values_list("status", flat=True)) == ["late"]
    # htmx itself writes each failed request to the console: expected here.
    page.problems.messages[:] = [m for m in page.problems.messages if "htmx.min.js" not in m]


# --- A session note being typed ----------------------------------------------------------


def _draft_records(page) -> list[str]:
    return [e for e in _storage(page)["entries"] if "draft:" in e]


def test_a_session_note_survives_a_lost_signal_and_a_reload(
    phone_page, live_server, login, accompanier, team_process
):
    # Arrange: Pablo records a session; he types the note and picks the channel.
    page = phone_page
    _sign_in(page, login(accompanier), live_server)
    url = live_server.url + reverse("accompaniment:session-create", args=[team_process.pk])
    page.goto(url)
    _worker_ready(page)
    form = page.get_by_test_id("session-form")
    form.get_by_text("Teléfono", exact=True).click()
    form.get_by_label("Seguridad", exact=True).check()
    form.get_by_label("Notas", exact=True).fill(CANARY)
    wait_for(lambda: len(_draft_records(page)) == 1)

    # Act 1: the signal goes; he taps "Guardar", then the page is reloaded.
    page.context.set_offline(True)
    page.get_by_test_id("session-save").click()
    expect(page.get_by_test_id("draft-status")).to_contain_text("No hay señal")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sin conexión")

    # Assert 1: kept on the phone, encrypted; nothing sent.
    assert CANARY not in _draft_records(page)[0]
    assert Session.objects.count() == 0

    # Act 2: signal again; he opens the form: what he typed is back; he saves.
    page.context.set_offline(False)
    page.goto(url)
    form = page.get_by_test_id("session-form")
    expect(form.get_by_label("Notas", exact=True)).to_have_value(CANARY)
    expect(form.get_by_label("Seguridad", exact=True)).to_be_checked()
    expect(page.get_by_test_id("draft-status")).to_be_visible()
    page.get_by_test_id("session-save").click()

    # Assert 2: saved once with the note; the draft is gone from the phone.
    expect(page.get_by_test_id("session-notes")).to_have_text(CANARY)
    assert [session.notes for session in Session.objects.all()] == [CANARY]
    wait_for(lambda: _draft_records(page) == [])
