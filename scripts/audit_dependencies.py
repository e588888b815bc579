"""Known vulnerabilities in the installed dependencies: pip-audit, with a fallback.

    .venv/bin/python scripts/audit_dependencies.py [--required]

Runs pip-audit over the virtual environment. A known vulnerability fails (exit 1).

Some indexes (this project's CI machine among them) answer PyPI's per-version
JSON, which pip-audit reads, with 404, so pip-audit skips every package. For
those, this script asks PyPI's per-project JSON instead: its `vulnerabilities`
list describes the latest release, so it audits exactly the packages whose
installed version *is* the latest release (most of them: `make lock` pins the
newest). The rest are listed as NOT AUDITED, loudly; with `--required` (or
AUDIT_REQUIRED=1) that fails the run too, and so does an unreachable index.

To accept a vulnerability, add its id to IGNORED with the reason beside it.
"""

import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
IGNORED: dict[str, str] = {}  # vulnerability id -> why it does not apply to us
PROJECT_JSON = "https://pypi.org/pypi/{name}/json"


def run_pip_audit() -> list[dict] | None:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [
            str(VENV_BIN / "pip-audit"),
            "--progress-spinner",
            "off",
            "--skip-editable",
            "--format",
            "json",
            "--output",
            str(report),
        ]
        for vuln_id in IGNORED:
            command += ["--ignore-vuln", vuln_id]
        subprocess.run(command, capture_output=True, timeout=300, check=False)
        try:
            return json.loads(report.read_text())["dependencies"]
        except (OSError, ValueError, KeyError):
            return None


def latest_release_vulns(dep: dict) -> tuple[dict, str, list | None]:
    """(dep, latest version, its vulnerabilities) from PyPI's per-project JSON."""
    url = PROJECT_JSON.format(name=dep["name"])
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 # nosec B310 (https only)
            data = json.load(response)
    except (urllib.error.URLError, TimeoutError, ValueError):
        return dep, "", None
    return dep, data["info"]["version"], data.get("vulnerabilities") or []


def _installed_versions() -> dict[str, str]:
    def normal(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    return {normal(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}


def main() -> int:
    required = "--required" in sys.argv or os.environ.get("AUDIT_REQUIRED") == "1"
    deps = run_pip_audit()
    if deps is None:
        print("NOT AUDITED: pip-audit could not reach the vulnerability service.")
        return 1 if required else 0
    vulnerable = [(d["name"], d["version"], v) for d in deps for v in d.get("vulns") or []]
    audited = [d for d in deps if "skip_reason" not in d]
    installed = _installed_versions()
    skipped = [
        {
            **d,
            "version": d.get("version")
            or installed.get(re.sub(r"[-_.]+", "-", d["name"]).lower(), "?"),
        }
        for d in deps
        if "skip_reason" in d
    ]
    not_audited = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        for dep, latest, vulns in pool.map(latest_release_vulns, skipped):
            if vulns is not None and latest == dep["version"]:
                audited.append(dep)
                vulnerable += [
                    (dep["name"], dep["version"], v) for v in vulns if v["id"] not in IGNORED
                ]
            else:
                reason = f"{dep['version']}, latest {latest}" if latest else "index unreachable"
                not_audited.append(f"{dep['name']} ({reason})")
    for name, version, vuln in vulnerable:
        fixed = ", ".join(vuln.get("fixed_in") or vuln.get("fix_versions") or []) or "no fix yet"
        print(f"VULNERABLE {name} {version}: {vuln['id']} (fixed in {fixed})")
    print(f"{len(audited)} of {len(deps)} packages audited, {len(vulnerable)} vulnerabilities.")
    if not_audited:
        print(f"NOT AUDITED: {', '.join(sorted(not_audited))}")
    return 1 if vulnerable or (not_audited and required) else 0


if __name__ == "__main__":
    sys.exit(main())
