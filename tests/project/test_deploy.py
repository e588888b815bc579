"""The container runs the app as an unprivileged user (Docker cannot run here: read the files).

`check --deploy` under production settings is kept clean by
tests/core/test_security_headers.py.
"""

import re
from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parents[2]


def _instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions, current = [], ""
    for line in dockerfile.read_text().splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if current and stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        current += " " + stripped.removesuffix("\\")
        if not stripped.endswith("\\"):
            keyword, _, arguments = current.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
            current = ""
    return instructions


def _final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    starts = [i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM"]
    return instructions[starts[-1] :]


def test_the_image_runs_as_a_user_that_is_not_root():
    stage = _final_stage(_instructions(BASE_DIR / "Dockerfile"))
    users = [arguments for keyword, arguments in stage if keyword == "USER"]

    assert users, "the final stage has no USER: it would run as root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    runs = " ".join(arguments for keyword, arguments in stage if keyword == "RUN")
    created = re.search(rf"useradd\b[^&]*--uid (\d+)[^&]*\b{re.escape(user)}\b", runs)
    assert created, f"USER {user} is never created with useradd --uid"
    assert int(created.group(1)) != 0


def test_the_image_starts_as_that_user_with_only_var_writable():
    stage = _final_stage(_instructions(BASE_DIR / "Dockerfile"))
    keywords = [keyword for keyword, _ in stage]
    user = [arguments for keyword, arguments in stage if keyword == "USER"][-1]

    # Nothing after USER switches back or runs a build step as root.
    assert keywords.index("USER") > max(i for i, k in enumerate(keywords) if k == "RUN")
    assert f"chown -R {user}:{user} var" in " ".join(a for k, a in stage if k == "RUN")
    # The code itself stays root's: a compromised process cannot rewrite the app.
    copies = [arguments for keyword, arguments in stage if keyword == "COPY"]
    assert not [c for c in copies if "--chown" in c]


def test_compose_never_overrides_the_user_and_keeps_the_root_filesystem_read_only():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    app_services = {
        name: service
        for name, service in compose["services"].items()
        if service.get("image", "").startswith("aluna")
    }

    assert set(app_services) == {"web", "worker", "beat"}
    for name, service in app_services.items():
        assert "user" not in service, name
        assert service["read_only"] is True, name
        assert service["cap_drop"] == ["ALL"], name
        assert "no-new-privileges:true" in service["security_opt"], name


def test_the_entrypoint_never_becomes_root_again():
    entrypoint = (BASE_DIR / "docker" / "entrypoint.sh").read_text()

    for escalation in ("sudo", "su ", "gosu", "su-exec", "setpriv", "chown", "chmod"):
        assert escalation not in entrypoint
    assert entrypoint.rstrip().endswith('exec "$@"')
