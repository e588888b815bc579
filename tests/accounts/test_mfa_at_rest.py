"""TOTP secrets are stored encrypted, not as allauth's default plaintext."""

import pyotp
from django.db import connection

from tests.fixtures.mfa import enrol_totp


def test_totp_secret_is_encrypted_at_rest(coordinator):
    secret = enrol_totp(coordinator)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data::text FROM mfa_authenticator WHERE user_id = %s AND type = 'totp'",
            [coordinator.pk],
        )
        (raw,) = cursor.fetchone()

    assert secret not in raw
    assert '"secret": "v1:' in raw


def test_coordinator_can_still_log_in_with_an_encrypted_secret(client, coordinator):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    secret = enrol_totp(coordinator)
    authenticator = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP)

    assert TOTP(authenticator).validate_code(pyotp.TOTP(secret).now()) is True
