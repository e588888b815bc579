"""Drive Debian's Chromium through every main page of every role; save PNGs.

Run through `scripts/screenshots`, which prepares the demo database. Serves the
app with Django's development server on a free port, logs each demo user in
through the login form, and writes var/screenshots/<role>/<page>-<width>.png
(the whole page, not only the first screen). With --check it also prints what
tests/fixtures/pagecheck.py finds wrong on each page.
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aluna.settings")

import django  # noqa: E402

django.setup()

from playwright.sync_api import sync_playwright  # noqa: E402

from aluna.accounts.seeding import DEMO_PASSWORD, demo_user  # noqa: E402
from tests.browser.main_pages import ROLES, main_pages  # noqa: E402
from tests.fixtures.browser import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402
from tests.fixtures.pagecheck import page_problems  # noqa: E402

SIZES = ((360, 740), (1366, 768))
OUT = ROOT / "var" / "screenshots"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(port: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("The development server did not start.")


def _log_in(page, base: str, key: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", demo_user(key).email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator('form[action$="/accounts/login/"] button[type=submit]').click()
    page.wait_for_load_state("networkidle")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--role", choices=ROLES, action="append")
    parser.add_argument("--only", default="", help="pages whose slug contains this")
    parser.add_argument(
        "--check",
        action="store_true",
        help="also list each page's problems (axe, sideways scrolling, English text)",
    )
    args = parser.parse_args()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    # The pages and their records are read before Playwright's event loop starts.
    roles = {
        key: [(s, p) for s, p in main_pages(key) if args.only in s] for key in args.role or ROLES
    }
    server = _serve(port)
    count = 0
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            for key, pages in roles.items():
                for width, height in SIZES:
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, locale="es-MX"
                    )
                    page = context.new_page()
                    _log_in(page, base, key)
                    folder = OUT / key
                    folder.mkdir(parents=True, exist_ok=True)
                    for slug, path in pages:
                        page.goto(base + path)
                        page.wait_for_load_state("networkidle")
                        page.screenshot(path=folder / f"{slug}-{width}.png", full_page=True)
                        count += 1
                        if args.check:
                            for problem in page_problems(page):
                                print(f"{key} {slug} {width}: {problem}")
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{count} screenshots in {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
