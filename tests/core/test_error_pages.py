"""Error pages: our own templates, in the user's language, never a traceback."""

import pytest
from django.test import Client
from django.urls import path

from aluna.core.views import error_500

pytestmark = pytest.mark.django_db

SECRET_DETAIL = "expediente-de-la-senora-pena"


def _broken_view(request):
    raise RuntimeError(f"database exploded while loading {SECRET_DETAIL}")


# This module doubles as a URLconf for the tests that need a view that fails.
urlpatterns = [path("broken/", _broken_view)]
handler500 = "aluna.core.views.error_500"


def test_coordinator_cannot_find_an_unknown_url_and_sees_our_404_page(login, coordinator):
    client = login(coordinator)

    response = client.get(f"/no-existe/{SECRET_DETAIL}/")

    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == [
        "errors/404.html",
        "errors/base_error.html",
    ]
    assert response["Content-Language"] == "es-mx"
    assert SECRET_DETAIL not in response.content.decode()


def test_anonymous_sees_the_same_404_page_without_the_path(client):
    # URLs that resolve to nothing never reach LoginRequiredMiddleware's view check.
    response = client.get(f"/no-existe/{SECRET_DETAIL}/")

    assert response.status_code == 404
    assert [t.name for t in response.templates][:1] == ["errors/404.html"]
    assert SECRET_DETAIL not in response.content.decode()


def test_the_500_page_shows_no_traceback(rf):
    request = rf.get("/anything/")

    response = error_500(request)

    body = response.content.decode()
    assert response.status_code == 500
    assert "Traceback" not in body
    assert "<h1" in body


@pytest.mark.urls("tests.core.test_error_pages")
def test_coordinator_sees_the_500_page_without_the_error_when_a_view_fails(login, coordinator):
    client = login(coordinator, client=Client(raise_request_exception=False))

    response = client.get("/broken/")

    body = response.content.decode()
    assert response.status_code == 500
    assert [t.name for t in response.templates][:1] == ["errors/500.html"]
    assert "Traceback" not in body
    assert "RuntimeError" not in body
    assert SECRET_DETAIL not in body
