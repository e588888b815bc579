"""/healthz: for the load balancer and Docker, anonymous, and says nothing else."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_can_see_that_database_and_cache_are_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_is_never_cached(client):
    response = client.get("/healthz")

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "must-revalidate", "private", "max-age=0"} <= cache_control
    assert response.has_header("Expires")


def test_healthz_sets_no_cookie_and_reveals_no_version(client):
    response = client.get("/healthz")

    assert response.cookies == {}
    assert response.has_header("Server") is False
    assert response.content == b'{"status": "ok", "database": "ok", "cache": "ok"}'


def test_anonymous_cannot_post_to_healthz(client):
    response = client.post("/healthz")

    assert response.status_code == 405


def test_healthz_reports_an_unreachable_cache_as_a_failure(client, settings):
    # A real Redis client pointed at a port where nothing listens.
    settings.CACHES = {
        "default": {
            "BACKEND": "aluna.core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "fail", "database": "ok", "cache": "fail"}
