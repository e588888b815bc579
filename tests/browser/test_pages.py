"""Every main page of every role, as people meet it on a phone and on a desk.

On the small demo data, each role's main pages (tests/browser/main_pages.py) are
opened at 360×740 and 1366×768 in one Chromium, one signed-in context per role
(the same tab is resized, not reloaded), in Spanish. On each one:

- axe-core finds no violation of impact serious or critical;
- the page never scrolls sideways (`scrollWidth` within the viewport);
- no English text shows: the libraries' defaults ("Select an option", "Next",
  "Page … of …") nor a source text of our catalogue (tests/fixtures/pagecheck.py);
- dates are written the Mexican way: no "2026-01-01", no "1 de Enero";
- on the desk, the header holds on one line;
- the page logs no JavaScript error and loads every stylesheet, script and font.

allauth's pages (sign-in, password reset, sign-up closed signed out; password,
second factor, e-mail, confirm-it-is-you and sign-out signed in) are checked the
same way.
`scripts/screenshots --check` runs the same checks and saves what they looked at.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from aluna.core.seeding import seed_all
from tests.browser.main_pages import ROLES, main_pages
from tests.fixtures.browser import BROWSER_LOCALE, TIMEOUT_MS, PageProblems
from tests.fixtures.pagecheck import (
    axe_violations,
    dates_on,
    english_on,
    horizontal_overflow,
    htmx_missing,
)
from tests.fixtures.seeded import demo_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 768}
# One line of header: the brand, the grouped menus and "Mi cuenta" (about 56 px).
HEADER_MAX_HEIGHT = 72
# allauth's pages, in our templates or its own (same for every role).
ACCOUNT_PAGES = (
    ("password-change", "account_change_password"),
    ("two-factor", "mfa_index"),
    ("reauthenticate", "account_reauthenticate"),
    ("email", "account_email"),
    ("sign-out", "account_logout"),
)
SIGNED_OUT_PAGES = (
    ("login", "account_login"),
    ("password-reset", "account_reset_password"),
    ("password-reset-sent", "account_reset_password_done"),
    ("signup-closed", "account_signup"),
)

# (role, page, width, check) that fail on pages other helpers are changing, left out
# until their branches are merged. The lead empties this list after the merge.
# Empty now: every page passes every check on this branch.
KNOWN_UNTIL_MERGE: set[tuple[str, str, int, str]] = set()


def _problems(page, viewport) -> dict[str, list[str]]:
    """What is wrong with the open page at this size, by check."""
    page.set_viewport_size(viewport)
    overflow = horizontal_overflow(page)
    found = {
        "axe": axe_violations(page),
        "overflow": [f"{overflow} px wider than the screen"] if overflow else [],
        "english": english_on(page),
        "dates": dates_on(page),
        "htmx": htmx_missing(page),
        "errors": list(page.problems.messages),
    }
    if viewport is DESK:
        height = page.evaluate("document.querySelector('nav.navbar').offsetHeight")
        found["header"] = [f"the header is {height} px tall"] if height > HEADER_MAX_HEIGHT else []
    page.problems.messages.clear()
    return found


def _sweep(page, role, pages, report) -> None:
    for slug, path in pages:
        page.set_viewport_size(PHONE)
        page.goto(path)
        page.wait_for_load_state("networkidle")
        for viewport in (PHONE, DESK):
            report["widths"][(role, slug, viewport["width"])] = page.evaluate(
                "document.documentElement.scrollWidth"
            )
            for check, messages in _problems(page, viewport).items():
                if (role, slug, viewport["width"], check) in KNOWN_UNTIL_MERGE:
                    report["known"].append((role, slug, viewport["width"], check, messages))
                elif messages:
                    report["problems"].append(f"{role} {slug} {viewport['width']}: {messages}")
                if check == "axe":
                    report["axe"] += len(messages)


def _open(browser, live_server, cookies=()):
    context = browser.new_context(base_url=live_server.url, locale=BROWSER_LOCALE, viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS * 2)
    context.add_cookies(list(cookies))
    page = context.new_page()
    page.problems = PageProblems()
    page.on("console", page.problems.on_console)
    page.on("pageerror", page.problems.on_page_error)
    page.on("response", page.problems.on_response)
    page.on("requestfailed", page.problems.on_request_failed)
    return context, page


def test_every_main_page_is_accessible_fits_the_screen_and_speaks_spanish(
    browser, live_server, login, isolated_cache
):
    seed_all(scale="small", log=lambda _: None)
    report = {"problems": [], "known": [], "widths": {}, "axe": 0}

    context, page = _open(browser, live_server)
    _sweep(page, "signed-out", [(slug, reverse(name)) for slug, name in SIGNED_OUT_PAGES], report)
    context.close()
    for role in ROLES:
        client = login(demo_user(role), client=Client())
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
        pages = main_pages(role)
        if role == "admin":
            pages += [(slug, reverse(name)) for slug, name in ACCOUNT_PAGES]
        context, page = _open(browser, live_server, [cookie])
        _sweep(page, role, pages, report)
        context.close()

    widest = max((width, key) for key, width in report["widths"].items() if key[2] == 360)
    print(
        f"\n{len(report['widths'])} page views, {report['axe']} serious or critical axe "
        f"violations; widest at 360 px: {widest}; left out until merge: {report['known']}"
    )
    assert len(report["widths"]) > 170
    assert report["problems"] == []
