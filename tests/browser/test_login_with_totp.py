"""Returning users: password, then the code from their authenticator app."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from aluna.accounts.factories import DEFAULT_PASSWORD
from tests.fixtures.browser import open_account_menu
from tests.fixtures.mfa import current_code, enrol_totp

pytestmark = pytest.mark.browser

SUBMIT = "form.allauth-form button[type=submit]:not([form])"


def _sign_in_with_password(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))


def test_accompanier_can_log_in_with_password_and_totp_code(page, accompanier):
    # Arrange
    secret = enrol_totp(accompanier)
    _sign_in_with_password(page, accompanier)

    # Act
    code_input = page.locator("input[name=code]")
    expect(code_input).to_have_attribute("autocomplete", "one-time-code")
    code_input.fill(current_code(secret))
    page.locator(SUBMIT).click()

    # Assert
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pablo")
    open_account_menu(page)
    expect(page.get_by_test_id("logout")).to_be_visible()


def test_accompanier_cannot_log_in_with_a_wrong_totp_code(page, accompanier):
    # Arrange
    secret = enrol_totp(accompanier)
    _sign_in_with_password(page, accompanier)

    # Act
    page.locator("input[name=code]").fill(_wrong_code(secret))
    page.locator(SUBMIT).click()

    # Assert: the error is shown next to the field and the user is still outside.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.locator("input[name=code]")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator(".invalid-feedback")).to_be_visible()
    # Home sends her back to the code step: the login is still pending.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.get_by_test_id("logout")).to_have_count(0)


def _wrong_code(secret: str) -> str:
    """A six-digit code that no nearby time step of `secret` produces."""
    totp = pyotp.TOTP(secret)
    now = time.time()
    nearby = {totp.at(now + step * totp.interval) for step in range(-3, 4)}
    return next(code for code in (f"{n:06d}" for n in range(1_000_000)) if code not in nearby)
