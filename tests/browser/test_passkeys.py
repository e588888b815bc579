"""Passkeys: Carmen (coordinación) must add one after the deadline, then logs in with it.

Chromium's virtual authenticator (DevTools protocol, WebAuthn domain) stands in for
the fingerprint reader of her phone: a CTAP2 platform authenticator with resident
keys and user verification. The live server runs on http://localhost, a secure
context for WebAuthn, and "localhost" is the relying party id.
"""

import base64
import datetime
import re

import pytest
from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone
from playwright.sync_api import expect

from aluna.accounts.factories import DEFAULT_PASSWORD
from aluna.accounts.models import SecurityPolicy
from tests.fixtures.browser import open_account_menu
from tests.fixtures.mfa import current_code, enrol_totp

pytestmark = pytest.mark.browser

SUBMIT = "form.allauth-form button[type=submit]:not([form])"


def _virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    created = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, created["authenticatorId"]


def _password_step(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator(SUBMIT).click()
    _arrive(page, r"/accounts/2fa/authenticate/$")


def _arrive(page, pattern: str) -> None:
    """Wait until the page at `pattern` has loaded, scripts included, before acting on it."""
    expect(page).to_have_url(re.compile(pattern))
    page.wait_for_load_state("load")


def _leave(page, path: str) -> None:
    """Go to `path` once the current page has finished loading (its scripts too):
    leaving earlier aborts them, which the page fixture rightly reports."""
    page.wait_for_load_state("load")
    page.goto(path)


def _log_out(page) -> None:
    _leave(page, "/")
    open_account_menu(page)
    page.get_by_test_id("logout").click()
    _arrive(page, r"/accounts/login/")


def _forge_same_credential_with_another_key(cdp, authenticator_id) -> None:
    """Keep the credential id the server knows, sign with a key it has never seen."""
    [credential] = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})[
        "credentials"
    ]
    cdp.send(
        "WebAuthn.removeCredential",
        {"authenticatorId": authenticator_id, "credentialId": credential["credentialId"]},
    )
    impostor = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    forged = {
        "credentialId": credential["credentialId"],
        "isResidentCredential": credential["isResidentCredential"],
        "rpId": credential["rpId"],
        "privateKey": base64.b64encode(impostor).decode(),
        "signCount": credential["signCount"] + 1,
    }
    if credential.get("userHandle"):
        forged["userHandle"] = credential["userHandle"]
    cdp.send("WebAuthn.addCredential", {"authenticatorId": authenticator_id, "credential": forged})


def test_coordinator_adds_a_passkey_when_required_then_logs_in_with_it(page, coordinator):
    # Arrange: the deadline has passed and Carmen only has her authenticator app.
    SecurityPolicy.objects.create(
        pk=1, passkey_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    secret = enrol_totp(coordinator)
    cdp, authenticator_id = _virtual_authenticator(page)
    _password_step(page, coordinator)
    page.locator("input[name=code]").fill(current_code(secret))
    page.locator(SUBMIT).click()

    # Assert: she is sent to add a passkey; changing her factors asks for her password
    # again first (allauth's reauthentication), then the page is in Spanish and is the
    # only one she can reach.
    _arrive(page, r"/accounts/reauthenticate/")
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator(SUBMIT).click()
    _arrive(page, r"/accounts/2fa/webauthn/add/$")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Agrega una llave de acceso o de seguridad")
    _leave(page, "/acompanamiento/")
    _arrive(page, r"/accounts/2fa/webauthn/add/$")

    # Act: she names it and her phone (the virtual authenticator) creates it.
    page.get_by_label("Nombre de la llave").fill("Teléfono de Carmen")
    page.locator("#mfa_webauthn_add").click()

    # Assert: the passkey is hers and the app opens again.
    expect(page).not_to_have_url(re.compile(r"/webauthn/add/$"))
    passkey = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.WEBAUTHN)
    assert str(passkey) == "Teléfono de Carmen"
    _leave(page, "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Carmen")

    # Act: next time she logs in with the passkey instead of a code.
    _log_out(page)
    _password_step(page, coordinator)
    page.get_by_test_id("use-passkey").click()

    # Assert
    _arrive(page, r"/$")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Carmen")

    # Act: someone with a copy of the credential id but not its key tries the same.
    _log_out(page)
    _forge_same_credential_with_another_key(cdp, authenticator_id)
    _password_step(page, coordinator)
    page.get_by_test_id("use-passkey").click()

    # Assert: refused, shown in Spanish, and still outside.
    expect(page.get_by_test_id("passkey-error")).to_have_text(
        "No se aceptó esa llave de acceso o de seguridad. "
        "Vuelve a intentarlo o escribe el código de tu app."
    )
    _arrive(page, r"/accounts/2fa/authenticate/$")
    _leave(page, "/")
    _arrive(page, r"/accounts/2fa/authenticate/$")
