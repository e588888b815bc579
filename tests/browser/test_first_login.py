"""First login: e-mail and password, guided TOTP enrolment, home, language."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from aluna.accounts.factories import DEFAULT_PASSWORD
from tests.fixtures.browser import open_account_menu
from tests.fixtures.mfa import current_code

pytestmark = pytest.mark.browser

SUBMIT = "form.allauth-form button[type=submit]:not([form])"


def test_new_user_can_enrol_totp_on_first_login_and_switch_language(page, coordinator):
    # Arrange: Carmen has an account but no authenticator yet.
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "es-mx")

    # Act: sign in with e-mail and password.
    page.locator("input[name=login]").fill(coordinator.email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator(SUBMIT).click()

    # The password she just typed counts: no second "confirm access" before enrolling.
    # Assert: she is sent to the guided enrolment, which shows the QR code and the secret.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    qr = page.get_by_test_id("totp-qr")
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert qr.evaluate("img => img.naturalWidth") > 0
    secret = page.get_by_test_id("authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret)
    assert _unlabelled_inputs(page) == []

    # Act: type the code her authenticator app computes.
    page.locator("input[name=code]").fill(current_code(secret))
    page.locator(SUBMIT).click()

    # Assert: TOTP is active and the recovery codes are shown once, with a way on.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    expect(page.locator("#recovery_codes")).to_be_visible()
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    page.get_by_test_id("continue").click()

    # Assert: she reaches home, greeted by name.
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Carmen")

    # Act: switch to English, from the account menu.
    open_account_menu(page)
    page.get_by_role("button", name="English").click()

    # Assert: the page is now in English.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Carmen")
    open_account_menu(page)
    expect(page.get_by_test_id("logout")).to_have_text("Log out")

    # Act and assert: and back to Spanish.
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es-mx")


def test_visitor_can_see_bootstrap_styled_login_page(page):
    # Act
    page.goto("/accounts/login/")

    # Assert: Bootstrap's stylesheet is served and applied to the submit button.
    button = page.locator(SUBMIT)
    expect(button).to_have_class(re.compile(r"\bbtn-primary\b"))
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(13, 110, 253)"
    assert _unlabelled_inputs(page) == []


def test_visitor_can_use_login_page_on_a_phone(phone_page):
    # Act
    phone_page.goto("/accounts/login/")

    # Assert: nothing sticks out sideways and the form is usable with the thumb.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(phone_page.locator("input[name=login]")).to_be_visible()
    expect(phone_page.locator(SUBMIT)).to_be_in_viewport()
    assert _unlabelled_inputs(phone_page) == []


def _unlabelled_inputs(page) -> list[str]:
    """Names of the visible inputs in <main> that no <label> describes."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
                'main input:not([type=hidden]), main textarea, main select')]
              .filter(i => !i.labels || i.labels.length === 0).map(i => i.name || i.id)"""
    )
