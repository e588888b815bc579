"""Security headers on authenticated pages, and production settings that pass check --deploy."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def home_response(login, coordinator):
    return login(coordinator).get("/")


def test_coordinator_gets_a_strict_content_security_policy(home_response):
    csp = csp_directives(home_response["Content-Security-Policy"])

    assert home_response.status_code == 200
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert [v for v in csp["script-src"] if v.startswith("'nonce-")] != []


def test_coordinator_pages_cannot_be_framed_or_leak_referrers(home_response):
    assert home_response["X-Frame-Options"] == "DENY"
    assert home_response["Referrer-Policy"] == "same-origin"
    assert home_response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in home_response["Permissions-Policy"]


def test_coordinator_pages_are_never_stored_by_browser_or_proxy(home_response):
    cache_control = {part.strip() for part in home_response["Cache-Control"].split(",")}

    assert {"no-store", "private"} <= cache_control


def _key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The environment of a production process: DEBUG off, no pytest, real keys."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="aluna.settings",
        DEBUG="false",
        ALUNA_TESTING="0",
        SECRET_KEY=secrets.token_urlsafe(60)[:60],
        ALLOWED_HOSTS="aluna.example.org",
        FIELD_ENCRYPTION_KEYS=_key(),
        BLIND_INDEX_KEY=_key(),
        AUDIT_HMAC_KEY=_key(),
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        EMAIL_URL="smtp://localhost:25",
    )
    env.update(overrides)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    # An empty value also overrides any SECRET_KEY a developer's .env provides.
    result = _manage("check", env=_production_env(tmp_path, SECRET_KEY=""))

    assert result.returncode == 1
    assert "SECRET_KEY is not set" in result.stderr
