"""Spanish is what users see by default: its catalogue must be complete."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = Path("locale") / "es" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = [
    "aluna",
    "accompaniment",
    "crisis",
    "security",
    "training",
    "advocacy",
    "templates",
]


def _entries(po_file: Path, *flags: str) -> list[str]:
    """msgids that msgattrib selects with `flags` (e.g. --untranslated)."""
    out = subprocess.run(
        ["msgattrib", *flags, "--no-obsolete", "--no-wrap", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""']


def test_spanish_catalogue_has_no_untranslated_entry():
    assert _entries(ROOT / CATALOGUE, "--untranslated") == []


def test_spanish_catalogue_has_no_fuzzy_entry():
    assert _entries(ROOT / CATALOGUE, "--only-fuzzy") == []


@pytest.mark.xdist_group("makemessages")
def test_makemessages_would_add_no_new_entry(tmp_path):
    """Re-extract the strings from a copy of the sources: nothing new may appear."""
    for name in [*SOURCE_DIRS, "locale"]:
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "es",
            "--no-location",
            "--no-obsolete",
            "-v",
            "0",
        ],
        cwd=tmp_path,
        env={**os.environ, "ALUNA_TESTING": "0", "DEBUG": "true", "DATABASE_URL": "sqlite://"},
        check=True,
        capture_output=True,
    )
    new_or_changed = _entries(tmp_path / CATALOGUE, "--untranslated") + _entries(
        tmp_path / CATALOGUE, "--only-fuzzy"
    )
    assert new_or_changed == []
