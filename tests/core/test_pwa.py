"""The installable app: manifest, service worker and offline page, public and
personal to nobody."""

import json

import pytest
from django.urls import reverse


def test_phone_can_read_the_spanish_manifest_without_signing_in(client, db):
    response = client.get(reverse("manifest"))

    manifest = json.loads(response.content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert manifest["name"] == "Aluna · Acompañamiento psicosocial"
    assert manifest["lang"] == "es-MX"
    assert (manifest["start_url"], manifest["display"]) == ("/", "standalone")
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert [i["purpose"] for i in manifest["icons"]].count("maskable") == 1


def test_service_worker_is_served_from_the_root_never_stale(client, db):
    response = client.get(reverse("service-worker"))

    source = response.content.decode()
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert response["Content-Type"].startswith("text/javascript")
    assert "__VERSION__" not in source
    assert 'const OFFLINE_URL = "/sin-conexion/"' in source


def test_offline_page_shows_nobody_and_no_case(client, login, coordinator):
    anonymous = client.get(reverse("offline")).content.decode()
    signed_in = login(coordinator).get(reverse("offline")).content.decode()

    assert anonymous == signed_in
    assert "Sin conexión" in anonymous
    assert coordinator.email not in signed_in


@pytest.mark.parametrize("directive", ["worker-src 'self'", "manifest-src 'self'"])
def test_csp_admits_only_this_site_as_worker_and_manifest(login, coordinator, directive):
    response = login(coordinator).get("/")

    assert directive in response["Content-Security-Policy"]
