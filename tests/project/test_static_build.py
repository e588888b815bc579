"""The phone's first load stays light: the vendored CSS and icons are cut to what
Aluna uses by a reproducible build, and production serves static files
compressed, with far-future caching."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from tests.fixtures.production_static import production_static

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "static" / "build"
BUILD_DIR = ROOT / "scripts" / "static-build"
OUTPUTS = ("bootstrap.css", "icons.css", "icons.woff2")


@pytest.mark.xdist_group("static-build")
def test_rebuilding_the_static_files_changes_nothing(tmp_path):
    """scripts/build_static from the committed sources gives the committed files,
    byte for byte: run it after adding a template, a class or an icon."""
    if not (BUILD_DIR / "node_modules" / "purgecss").exists():
        subprocess.run(
            ["npm", "ci", "--prefix", str(BUILD_DIR), "--no-audit", "--no-fund", "--silent"],
            check=True,
        )
    subprocess.run(["node", str(BUILD_DIR / "purge.mjs"), str(tmp_path)], check=True)
    subprocess.run([sys.executable, str(BUILD_DIR / "icons.py"), str(tmp_path)], check=True)

    changed = [
        name for name in OUTPUTS if (tmp_path / name).read_bytes() != (BUILD / name).read_bytes()
    ]

    assert changed == [], "run scripts/build_static and commit static/build/"


def test_every_icon_a_template_uses_is_in_the_subset():
    import re

    used = set()
    for folder in (
        "templates",
        "aluna",
        "accompaniment",
        "crisis",
        "security",
        "training",
        "advocacy",
    ):
        for path in (ROOT / folder).rglob("*.html"):
            used |= set(re.findall(r"\bbi-([a-z0-9-]+)", path.read_text(encoding="utf-8")))
    kept = set(re.findall(r"\.bi-([a-z0-9-]+)::before", (BUILD / "icons.css").read_text()))

    assert sorted(used - kept) == []


@pytest.mark.xdist_group("collectstatic")
def test_production_serves_static_files_compressed_with_far_future_caching(tmp_path):
    from whitenoise.middleware import WhiteNoiseMiddleware

    with production_static(tmp_path):
        from django.contrib.staticfiles.storage import staticfiles_storage

        url = staticfiles_storage.url("build/bootstrap.css")
        middleware = WhiteNoiseMiddleware(lambda request: None)
        request = RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        response = middleware(request)

    assert url.startswith("/static/build/bootstrap.") and url != "/static/build/bootstrap.css"
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    shutil.rmtree(tmp_path)
