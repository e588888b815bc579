"""Session lifetime: idle and absolute timeouts, heartbeat, kept forms, ending sessions."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from aluna.accounts import stash
from aluna.accounts.factories import DEFAULT_PASSWORD
from aluna.accounts.middleware import LAST_ACTIVITY_KEY, STARTED_KEY
from aluna.audit.models import AuditEvent
from tests.fixtures.mfa import mark_recently_reauthenticated

NEW_PASSWORD = "otra-clave-larga-y-rara-77"


@pytest.fixture(autouse=True)
def _accounts_wiring(settings):
    settings.LANGUAGE_CODE = "en"  # assert on English source texts, whatever locale/ holds


def _age_session(client, *, idle: float = 0, started: float = 0) -> None:
    session = client.session
    now = time.time()
    session[LAST_ACTIVITY_KEY] = now - idle
    session[STARTED_KEY] = now - started
    session.save()


def _log_in_with_form(client, user, secret) -> None:
    """Log in through allauth's real forms: password, then the TOTP code."""
    from tests.conftest import forget_used_totp_code
    from tests.fixtures.mfa import current_code

    client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD})
    code = current_code(secret)
    # allauth refuses a TOTP code twice; a second login within 30 s needs the used mark gone.
    forget_used_totp_code(user, code)
    client.post(reverse("mfa_authenticate"), {"code": code})


# --- Timeouts -----------------------------------------------------------------------------


def test_user_can_keep_working_before_the_idle_timeout(accompanier, login):
    client = login(accompanier)
    client.get(reverse("accounts:my-security"))
    _age_session(client, idle=14 * 60)

    response = client.get(reverse("accounts:my-security"))

    assert response.status_code == 200


def test_user_cannot_continue_after_15_idle_minutes(accompanier, login):
    client = login(accompanier)
    client.get(reverse("accounts:my-security"))
    _age_session(client, idle=15 * 60 + 1)

    response = client.get(reverse("accounts:my-security"))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=%2Fcuenta%2Fseguridad%2F"
    assert SESSION_KEY not in client.session
    follow = client.get(response.url)
    assert [str(m) for m in follow.context["messages"]] == [
        "Your session expired. Please log in again."
    ]


def test_user_cannot_continue_after_12_hours_even_when_active(accompanier, login):
    client = login(accompanier)
    client.get(reverse("accounts:my-security"))
    _age_session(client, idle=5, started=12 * 60 * 60 + 1)

    response = client.get(reverse("accounts:my-security"))

    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_user_can_keep_the_session_alive_with_the_heartbeat(accompanier, login):
    client = login(accompanier)
    client.get(reverse("accounts:my-security"))
    _age_session(client, idle=14 * 60)

    beat = client.post(reverse("accounts:heartbeat"))
    _age_session_idle_only(client, extra=2 * 60)
    response = client.get(reverse("accounts:my-security"))

    assert beat.status_code == 204
    assert response.status_code == 200


def _age_session_idle_only(client, *, extra: float) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] -= extra
    session.save()


def test_anonymous_cannot_send_a_heartbeat(client):
    response = client.post(reverse("accounts:heartbeat"))
    assert response.status_code == 302


def test_session_js_is_included_for_signed_in_users_only(accompanier, rf):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = accompanier
    html = render_to_string("accounts/includes/session_js.html", {"user": accompanier})

    assert 'data-heartbeat-url="/cuenta/latido/"' in html
    assert render_to_string("accounts/includes/session_js.html", {}).strip() == ""


# --- Nothing typed is lost -------------------------------------------------------------------


def test_user_can_send_a_form_typed_into_an_expired_session_after_logging_in_again(
    admin_user, managed_accompanier, settings
):
    from tests.fixtures.mfa import enrol_totp

    secret = enrol_totp(admin_user)
    client = Client()
    _log_in_with_form(client, admin_user, secret)
    mark_recently_reauthenticated(client, admin_user)  # role edits ask for the password again
    edit_url = reverse("accounts:user-edit", kwargs={"user_id": managed_accompanier.pk})
    assert client.get(edit_url).status_code == 200
    _age_session(client, idle=16 * 60)

    expired = client.post(
        edit_url, {"full_name": "Nombre escrito con cuidado", "roles": ["formacion", "incidencia"]}
    )

    assert expired.status_code == 302
    assert expired.url == f"{reverse('account_login')}?next={edit_url.replace('/', '%2F')}"
    sealed = client.session[stash.SESSION_KEY]
    assert "Nombre escrito" not in str(sealed)  # encrypted at rest in the session table

    _log_in_with_form(client, admin_user, secret)
    offer = client.get(edit_url)
    mark_recently_reauthenticated(client, admin_user)

    assert (offer.status_code, offer.get("Location")) == (200, None)
    assert offer.templates[0].name == "accounts/resubmit.html"
    assert offer.context["items"] == [
        ("full_name", "Nombre escrito con cuidado"),
        ("roles", "formacion"),
        ("roles", "incidencia"),
    ]
    assert 'value="Nombre escrito con cuidado"' in offer.text
    assert stash.SESSION_KEY not in client.session

    sent = client.post(edit_url, dict_from_items(offer.context["items"]))

    managed_accompanier.refresh_from_db()
    assert sent.status_code == 302
    assert managed_accompanier.full_name == "Nombre escrito con cuidado"
    assert sorted(managed_accompanier.groups.values_list("name", flat=True)) == [
        "formacion",
        "incidencia",
    ]


def dict_from_items(items):
    data: dict[str, list[str]] = {}
    for key, value in items:
        data.setdefault(key, []).append(value)
    return data


@pytest.fixture
def managed_accompanier(db):
    from aluna.accounts.factories import UserFactory

    return UserFactory(email="maria@aluna.test", full_name="María", roles=["acompanamiento"])


def test_another_user_cannot_see_what_the_previous_user_typed(accompanier, coordinator, login):
    from tests.fixtures.mfa import enrol_totp

    client = login(accompanier)
    client.get(reverse("accounts:my-security"))
    _age_session(client, idle=16 * 60)
    client.post(reverse("accounts:my-security"), {"nota": "algo confidencial"})
    assert stash.SESSION_KEY in client.session

    secret = enrol_totp(coordinator)
    _log_in_with_form(client, coordinator, secret)
    response = client.get(reverse("accounts:my-security"))

    assert response.status_code == 200
    assert "algo confidencial" not in response.text
    assert stash.SESSION_KEY not in client.session


def test_forged_cross_site_post_is_not_kept_after_expiry(accompanier, login):
    client = login(accompanier, client=Client(enforce_csrf_checks=True))
    client.get(reverse("accounts:my-security"))
    _age_session(client, idle=16 * 60)

    response = client.post(reverse("accounts:my-security"), {"nota": "texto del atacante"})

    assert response.status_code == 302
    assert stash.SESSION_KEY not in client.session


def test_stash_cannot_be_opened_for_another_user_or_path():
    sealed = stash.seal(user_id="a", path="/x/", items=[("k", "v")])

    assert stash.unseal(sealed, user_id="a", path="/x/") == [("k", "v")]
    assert stash.unseal(sealed, user_id="b", path="/x/") is None
    assert stash.unseal({**sealed, "user": "b"}, user_id="b", path="/x/") is None
    assert stash.unseal(sealed, user_id="a", path="/y/") is None


# --- Ending sessions ------------------------------------------------------------------------


def test_user_can_log_out_on_every_device(accompanier, login):
    laptop = login(accompanier, client=Client())
    phone = login(accompanier, client=Client())

    page = phone.get(reverse("accounts:my-security"))
    response = phone.post(reverse("accounts:logout-everywhere"))

    assert page.status_code == 200
    assert reverse("accounts:logout-everywhere") in page.text
    assert reverse("mfa_index") in page.text
    assert reverse("account_change_password") in page.text
    assert response.status_code == 302
    assert response.url == reverse("account_login")
    assert phone.get(reverse("core:home")).status_code == 302
    assert laptop.get(reverse("core:home")).status_code == 302
    event = AuditEvent.objects.get(action="sessions_revoked")
    assert (event.actor, event.metadata) == (accompanier, {"reason": "logout_everywhere"})


def test_user_cannot_log_out_everywhere_with_a_get(accompanier, login):
    client = login(accompanier)

    response = client.get(reverse("accounts:logout-everywhere"))

    assert response.status_code == 405
    assert client.get(reverse("core:home")).status_code == 200


def test_anonymous_cannot_open_my_security(client):
    response = client.get(reverse("accounts:my-security"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_password_change_ends_the_other_sessions(accompanier, login):
    laptop = login(accompanier, client=Client())
    phone = login(accompanier, client=Client())
    assert laptop.get(reverse("core:home")).status_code == 200

    response = phone.post(
        reverse("account_change_password"),
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    accompanier.refresh_from_db()
    assert response.status_code == 302
    assert accompanier.check_password(NEW_PASSWORD) is True
    assert laptop.get(reverse("core:home")).status_code == 302
