"""The installable app in a real Chromium: it installs, keeps nothing personal in
its caches, and shows a Spanish page instead of the browser's when offline."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accompaniment.factories import CollectiveFactory, ProcessFactory
from tests.fixtures.browser import CHROMIUM_ARGS, CHROMIUM_PATH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANARY = "Canario Xochiquetzal"

_CACHED_TEXTS = """async () => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      found.push({cache: name, url: request.url, body: await response.text()});
    }
  }
  return found;
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


def test_chromium_reports_the_app_installable(
    browser, live_server, login, accompanier, isolated_cache, tmp_path
):
    # A profile of its own: Chromium never offers to install from an incognito window.
    context = browser.browser_type.launch_persistent_context(
        tmp_path,
        executable_path=CHROMIUM_PATH,
        args=CHROMIUM_ARGS,
        headless=True,
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        locale="es-MX",
    )
    page = context.new_page()
    _sign_in(page, login(accompanier), live_server)
    page.goto("/")
    _worker_ready(page)

    cdp = context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    context.close()

    assert errors == []


def test_caches_hold_no_page_and_no_case_data_after_a_visit(
    phone_page, live_server, login, accompanier
):
    # Arrange: Pablo's team accompanies a collective whose alias is a canary.
    process = ProcessFactory(subject=CollectiveFactory(alias=CANARY), lead=accompanier)
    page = phone_page
    _sign_in(page, login(accompanier), live_server)

    # Act: visit the home page, the subject list and the subject's process.
    page.goto("/")
    _worker_ready(page)
    page.reload()
    for path in ("/acompanamiento/", f"/acompanamiento/procesos/{process.pk}/"):
        page.goto(path)
        expect(page.get_by_text(CANARY).first).to_be_visible()

    # Assert: only static files and the offline page are cached, with no canary.
    cached = page.evaluate(_CACHED_TEXTS)
    paths = {entry["url"].removeprefix(live_server.url) for entry in cached}
    assert {p for p in paths if not p.startswith(settings.STATIC_URL)} == {"/sin-conexion/"}
    assert [e["url"] for e in cached if CANARY in e["body"]] == []


def test_phone_without_signal_sees_the_spanish_offline_page(
    phone_page, live_server, login, accompanier
):
    page = phone_page
    _sign_in(page, login(accompanier), live_server)
    page.goto("/")
    _worker_ready(page)

    page.context.set_offline(True)
    page.goto("/acompanamiento/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sin conexión")
    page.context.set_offline(False)
