"""The recovery codes download as a file named in Spanish with its date."""

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse
from django.utils import timezone

from tests.fixtures.mfa import mark_recently_reauthenticated


def test_user_downloads_the_unused_recovery_codes_as_a_dated_spanish_file(login, coordinator):
    client = login(coordinator)
    codes = RecoveryCodes.activate(coordinator).get_unused_codes()
    mark_recently_reauthenticated(client, coordinator)

    response = client.get(reverse("mfa_download_recovery_codes"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="codigos-de-recuperacion-{timezone.localdate():%Y-%m-%d}.txt"'
    )
    assert response["Cache-Control"] == "no-store, no-cache, must-revalidate, private, max-age=0"
    assert response.content.decode().split() == codes


def test_the_download_still_asks_to_be_signed_in(client):
    response = client.get(reverse("mfa_download_recovery_codes"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
