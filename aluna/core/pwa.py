"""The installable app: its manifest, its service worker and its offline page.

All three are public (the browser fetches them before and without a session) and
personal to nobody. The service worker's source is static/js/sw.js; VERSION, a
hash of that source, of the offline page and of the static files' manifest,
changes with every deployment that changes any of them, so phones update.
"""

import hashlib
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOUR = "#0b5394"


def _static_source(path: str) -> bytes:
    found = finders.find(path)
    if found:
        with open(found, "rb") as source:
            return source.read()
    with staticfiles_storage.open(path) as source:
        return source.read()


@cache
def _worker_source() -> str:
    source = _static_source("js/sw.js").decode()
    manifest = getattr(staticfiles_storage, "manifest_name", "")
    fingerprint = hashlib.sha256(source.encode())
    fingerprint.update(render_to_string("core/offline.html").encode())
    fingerprint.update(_static_source("js/offline_store.js"))
    if manifest and staticfiles_storage.exists(manifest):
        fingerprint.update(_static_source(manifest))
    return (
        source.replace("__VERSION__", fingerprint.hexdigest()[:16])
        .replace("__OFFLINE_URL__", reverse("offline"))
        .replace("__STATIC_URL__", settings.STATIC_URL)
        .replace("__STORE_URL__", staticfiles_storage.url("js/offline_store.js"))
    )


@login_not_required
@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    """Served from the root so its scope is the whole app; never cached stale."""
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@login_not_required
@require_GET
@cache_control(max_age=86400, public=True)
def manifest(request):
    return JsonResponse(
        {
            "name": _("Aluna · Psychosocial accompaniment"),
            "short_name": "Aluna",
            "description": _("Case management of Aluna Acompañamiento Psicosocial."),
            "lang": "es-MX",
            "dir": "ltr",
            "start_url": reverse("core:home"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": THEME_COLOUR,
            "icons": [
                {
                    "src": staticfiles_storage.url(f"pwa/icon-{size}.png"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": "any",
                }
                for size in (192, 512)
            ]
            + [
                {
                    "src": staticfiles_storage.url("pwa/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                }
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@login_not_required
@require_GET
@cache_control(no_cache=True, public=True)
def offline(request):
    """What a phone shows when a page cannot load: the same for everyone, no data."""
    return render(request, "core/offline.html")
