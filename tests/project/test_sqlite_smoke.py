"""The `make run` path on embedded SQLite, in a child process with the demo's environment.

No PostgreSQL, no Redis: migrate, seed the demo, log in through the real login
form with a demo account and open each main page.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD_SCRIPT = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aluna.settings")
    import django
    django.setup()

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    assert connection.vendor == "sqlite", connection.vendor
    assert settings.MFA_REQUIRED is False
    assert settings.CELERY_TASK_ALWAYS_EAGER is True

    client = Client(HTTP_HOST="127.0.0.1")
    home = reverse("core:home")
    response = client.get(home)
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(reverse("account_login")), response["Location"]

    login_url = reverse("account_login")
    assert client.get(login_url).status_code == 200
    response = client.post(
        login_url,
        {"login": "coordinacion@demo.aluna.mx", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302, (response.status_code, response.content[:2000])
    assert response["Location"] == home, response["Location"]

    for name in [
        "core:home",
        "accompaniment:index",
        "security:index",
        "training:index",
        "advocacy:index",
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 200, (name, response.status_code)
        print("ok", name, response.status_code)
    print("SMOKE OK")
    """
)


def _run(args: list[str], *, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, (
        f"{' '.join(args[1:])} exited {result.returncode}\n"
        f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    )
    return result


def test_demo_user_can_log_in_and_open_main_pages_on_embedded_sqlite(tmp_path):
    # The demo's environment (scripts/run): no PostgreSQL, no Redis, not under test.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "ALUNA_TESTING", "DJANGO_SETTINGS_MODULE"}
        and not k.startswith("PYTEST")
    }
    database = tmp_path / "aluna.sqlite3"
    env.update(DEBUG="true", DEMO_SKIP_MFA="true", DATABASE_URL=f"sqlite:///{database}")
    script = tmp_path / "smoke.py"
    script.write_text(CHILD_SCRIPT)
    python = sys.executable

    _run([python, "manage.py", "migrate", "--no-input", "-v", "0"], env=env)
    seeded = _run([python, "manage.py", "seed_demo", "--scale", "small"], env=env)
    smoke = _run([python, str(script)], env=env)

    assert database.exists()
    assert "coordinacion@demo.aluna.mx" in seeded.stdout
    assert "DEMO_SKIP_MFA is on" in seeded.stdout
    assert smoke.stdout.splitlines()[-1] == "SMOKE OK"
