"""Issue #16: the first load of the crisis path weighs at most 100 KB on the wire.

Not timed, and without a browser: the crisis quick form is rendered for a signed-in
accompanier with static files as in production (collected with hashed names and
compressed; whitenoise picks Brotli when the phone accepts it), and every file that
an empty-cache first load fetches is requested through the project's middleware:
the page, its stylesheets, scripts and icons, the fonts its stylesheets point to,
the web app manifest, and what registering the service worker fetches (the worker
and its offline page). Each counts its body as served (compressed or not: pages are
not compressed, they carry secrets, see BREACH) plus its response headers.

bench/phone.py measures the same load in Chromium on Slow 3G (`--weights`).
"""

import re
import shutil
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
from django.urls import reverse

from aluna.accounts.factories import UserFactory
from aluna.core.roles import Role
from tests.fixtures.production_static import production_static

BUDGET_KB = 100.0  # bench/phone.py's BUDGET_FIRST_LOAD_KB
# The status line and what gunicorn adds to each answer (Server, Date, Connection).
SERVER_OVERHEAD = 100
# People the quick form offers as responders: a realistic crisis team, not the cast's four.
CRISIS_STAFF = 15
# What a browser fetches from a page's <link rel>: not preload hints it may skip.
FETCHED_LINKS = {"stylesheet", "icon", "manifest", "apple-touch-icon"}


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []
        self.worker = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html" and attrs.get("data-sw"):
            self.worker = attrs["data-sw"]
            self.urls.append(self.worker)
        elif tag == "link" and FETCHED_LINKS & set((attrs.get("rel") or "").split()):
            self.urls.append(attrs["href"])
        elif tag in ("script", "img") and attrs.get("src"):
            self.urls.append(attrs["src"])


def _wire_bytes(response) -> int:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    headers = sum(len(f"{name}: {value}\r\n") for name, value in response.items())
    cookies = sum(len(f"Set-Cookie: {c.OutputString()}\r\n") for c in response.cookies.values())
    return len(body) + headers + cookies + SERVER_OVERHEAD


def _static_text(url: str) -> str:
    """A collected static file's own text (not its compressed copy)."""
    with staticfiles_storage.open(url.removeprefix(staticfiles_storage.base_url)) as source:
        return source.read().decode()


def _first_load(client: Client, page_url: str) -> dict[str, int]:
    """Every URL an empty-cache first load of `page_url` fetches, with its bytes on the wire."""
    accept = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br", "HTTP_ACCEPT_LANGUAGE": "es-MX"}
    page = client.get(page_url, **accept)
    assert page.status_code == 200
    weights = {page_url: _wire_bytes(page)}
    parser = _References()
    parser.feed(page.content.decode())
    queue = list(parser.urls)
    while queue:
        url = queue.pop(0)
        if url in weights or url.startswith("data:"):
            continue
        response = client.get(url, **accept)
        assert response.status_code == 200, url
        weights[url] = _wire_bytes(response)
        content_type = response["Content-Type"]
        if content_type.startswith("text/css"):
            # The fonts and images the stylesheet points to (the icon font: the page uses icons).
            for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", _static_text(url)):
                queue.append(ref if ref.startswith("data:") else urljoin(url, ref))
        elif "javascript" in content_type and url == parser.worker:
            # The service worker: the script it imports and the offline page it keeps.
            worker = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            worker = worker.decode()
            queue += re.findall(r'importScripts\("([^"]+)"\)', worker)
            queue += re.findall(r'const OFFLINE_URL = "([^"]+)"', worker)
        elif "manifest" in content_type:
            # The one icon Chrome fetches to tell the app can be installed.
            icons = response.json()["icons"]
            queue.append(min(icons, key=lambda icon: int(icon["sizes"].split("x")[0]))["src"])
    return weights


@pytest.mark.xdist_group("collectstatic")
def test_the_crisis_forms_first_load_weighs_at_most_100_kb(tmp_path, login, accompanier):
    for number in range(CRISIS_STAFF - 1):
        UserFactory(full_name=f"Persona Acompañante {number:02}", roles=[Role.ACCOMPANIMENT])
    with production_static(tmp_path):
        client = login(accompanier, client=Client())  # middleware loaded with these settings
        weights = _first_load(client, reverse("crisis:crisis-create"))
    shutil.rmtree(tmp_path)

    total_kb = sum(weights.values()) / 1024
    breakdown = "\n".join(
        f"{size / 1024:6.1f} KB  {url}"
        for url, size in sorted(weights.items(), key=lambda i: -i[1])
    )
    print(f"first load {total_kb:.1f} KB:\n{breakdown}")
    assert reverse("service-worker") in weights and reverse("offline") in weights
    assert any(url.endswith(".woff2") for url in weights), "the icon font is part of the load"
    assert any("bootstrap" in url and url.endswith(".css") for url in weights)
    assert total_kb <= BUDGET_KB, f"first load {total_kb:.1f} KB > {BUDGET_KB} KB:\n{breakdown}"
