"""Login hardening: lockout after failed attempts, no user enumeration, my security page."""

import pytest
from django.core import mail
from django.urls import reverse

from aluna.accounts.factories import DEFAULT_PASSWORD
from aluna.audit.models import AuditEvent
from aluna.audit.services import identifier_hash

TOO_MANY = "Too many failed login attempts. Try again later."
WRONG_CREDENTIALS = "The email address and/or password you specified are not correct."


@pytest.fixture(autouse=True)
def _accounts_wiring(settings):
    settings.LANGUAGE_CODE = "en"  # assert on English source texts, whatever locale/ holds


def _login_errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


def _try_login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_user_cannot_log_in_after_five_wrong_passwords_and_a_lockout_is_audited(
    client, accompanier
):
    for _ in range(5):
        response = _try_login(client, accompanier.email, "no-es-la-clave")
        assert _login_errors(response) == [WRONG_CREDENTIALS]

    response = _try_login(client, accompanier.email, DEFAULT_PASSWORD)

    assert response.status_code == 200
    assert _login_errors(response) == [TOO_MANY]
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="lockout")
    assert event.actor is None
    assert event.metadata == {
        "identifier_hash": identifier_hash("PABLO@aluna.test"),
        "scope": "account",
    }
    assert accompanier.email not in str(event.metadata)


def test_user_can_log_in_after_four_wrong_passwords(client, accompanier):
    for _ in range(4):
        _try_login(client, accompanier.email, "no-es-la-clave")

    response = _try_login(client, accompanier.email, DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="lockout").exists() is False


def test_anonymous_cannot_tell_unknown_addresses_from_wrong_passwords(client, accompanier):
    unknown = _try_login(client, "nadie@aluna.test", "no-es-la-clave")
    wrong_password = _try_login(client, accompanier.email, "no-es-la-clave")

    assert unknown.status_code == wrong_password.status_code == 200
    assert _login_errors(unknown) == _login_errors(wrong_password) == [WRONG_CREDENTIALS]


def test_anonymous_cannot_tell_known_addresses_on_password_reset(client, accompanier):
    url = reverse("account_reset_password")

    unknown = client.post(url, {"email": "nadie@aluna.test"})
    known = client.post(url, {"email": accompanier.email})

    assert (unknown.status_code, unknown.get("Location")) == (
        known.status_code,
        known.get("Location"),
    )
    assert known.status_code == 302
    assert [m.to for m in mail.outbox] == [[accompanier.email]]


def test_deactivated_user_cannot_log_in(client, accompanier):
    accompanier.is_active = False
    accompanier.save()

    response = _try_login(client, accompanier.email, DEFAULT_PASSWORD)

    assert (response.status_code, response.url) == (302, reverse("account_inactive"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:home")).status_code == 302


@pytest.mark.parametrize(
    "who",
    ["admin", "coordinator", "accompanier", "other_accompanier", "trainer", "advocate", "outsider"],
)
def test_every_signed_in_user_can_open_my_security(cast, login, who):
    client = login(cast[who])

    response = client.get(reverse("accounts:my-security"))

    assert response.status_code == 200


def test_reauth_required_sends_a_stale_session_to_reauthenticate(admin_user, login, rf):
    """The helper other apps use for exports and PDFs."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    from aluna.accounts.decorators import reauth_required
    from tests.fixtures.mfa import mark_recently_reauthenticated

    client = login(admin_user)
    mark_recently_reauthenticated(client, admin_user, seconds_ago=6 * 60)

    @reauth_required
    def export(request):
        return HttpResponse("ok")

    request = rf.post("/export/")
    request.user = admin_user
    request.session = SessionStore(session_key=client.session.session_key)
    from allauth.core.exceptions import ReauthenticationRequired

    with pytest.raises(ReauthenticationRequired):
        export(request)
    mark_recently_reauthenticated(client, admin_user, seconds_ago=60)
    request.session = SessionStore(session_key=client.session.session_key)
    assert export(request).content == b"ok"
