"""Test support for accounts: wiring that the lead adds to settings/urls, and session helpers.

Tests use `with_accounts_wiring` so they pass before and after the URL include
and the middleware land in aluna/urls.py and aluna/settings.py.
"""

import time

from django.urls import include, path

from aluna import urls as project_urls

MIDDLEWARE_PATH = "aluna.accounts.middleware.SessionTimeoutMiddleware"

_has_include = any(
    getattr(pattern, "namespace", None) == "accounts" for pattern in project_urls.urlpatterns
)
urlpatterns = list(project_urls.urlpatterns)
if not _has_include:
    urlpatterns.append(path("cuenta/", include("aluna.accounts.urls")))
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


def middleware_with_session_timeout(middleware: list[str]) -> list[str]:
    if MIDDLEWARE_PATH in middleware:
        return list(middleware)
    position = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
    return [*middleware[:position], MIDDLEWARE_PATH, *middleware[position:]]


def mark_recently_reauthenticated(client, user, *, seconds_ago: float = 0) -> None:
    """Record in the client's session that `user` re-entered their password `seconds_ago`."""
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time() - seconds_ago, "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
