"""Administración and coordinación need a passkey once the deadline an administrator set passes."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from aluna.accounts.models import SecurityPolicy
from aluna.audit.models import AuditEvent
from tests.fixtures.mfa import mark_recently_reauthenticated


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _deadline(days_from_today: int) -> None:
    SecurityPolicy.objects.update_or_create(
        pk=1,
        defaults={"passkey_deadline": timezone.localdate() + datetime.timedelta(days_from_today)},
    )


def _add_passkey(user) -> None:
    Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={})


def test_coordinator_without_a_passkey_is_sent_to_add_one_once_the_deadline_passes(
    coordinator, login
):
    _deadline(0)
    client = login(coordinator)
    mark_recently_reauthenticated(client, coordinator)

    home = client.get(reverse("core:home"))
    cases = client.get(reverse("accompaniment:index"))
    add_page = client.get(reverse("mfa_add_webauthn"))

    assert (home.status_code, home.url) == (302, reverse("mfa_add_webauthn"))
    assert (cases.status_code, cases.url) == (302, reverse("mfa_add_webauthn"))
    assert add_page.status_code == 200
    assert [str(m) for m in add_page.context["messages"]] == [
        "Your role needs a passkey or security key from now on. "
        "Add one to go on; you can still log out."
    ] * 2


def test_coordinator_sent_to_add_a_passkey_can_still_log_out(coordinator, login):
    _deadline(-3)
    client = login(coordinator)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("who", ["admin", "coordinator"])
def test_admin_and_coordinator_can_work_during_the_grace_period(cast, login, who):
    _deadline(1)
    client = login(cast[who])

    assert client.get(reverse("core:home")).status_code == 200


def test_coordinator_can_work_without_a_passkey_while_no_deadline_is_set(coordinator, login):
    client = login(coordinator)

    assert client.get(reverse("core:home")).status_code == 200


def test_coordinator_with_a_passkey_can_work_after_the_deadline(coordinator, login):
    _deadline(-1)
    _add_passkey(coordinator)
    client = login(coordinator)

    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.parametrize("who", ["accompanier", "trainer", "advocate", "outsider"])
def test_other_roles_are_not_asked_for_a_passkey(cast, login, who):
    _deadline(-1)
    client = login(cast[who])

    assert client.get(reverse("core:home")).status_code == 200


def test_admin_sets_the_passkey_deadline_and_it_is_audited(
    admin_user, coordinator, login, django_capture_on_commit_callbacks
):
    _add_passkey(admin_user)
    client = login(admin_user)
    today = timezone.localdate()
    client.get(reverse("core:home"))  # the policy "none yet" is now cached

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:security-policy"), {"passkey_deadline": today.isoformat()}
        )

    assert (response.status_code, response.url) == (302, reverse("accounts:security-policy"))
    assert SecurityPolicy.objects.get().passkey_deadline == today
    event = AuditEvent.objects.get(action="update", target_type="accounts.securitypolicy")
    assert (event.actor, event.metadata) == (
        admin_user,
        {"field": "passkey_deadline", "value": today.isoformat()},
    )
    coordinator_client = login(coordinator, client=type(client)())
    assert coordinator_client.get(reverse("core:home")).url == reverse("mfa_add_webauthn")


def test_admin_gets_a_spanish_error_for_a_date_that_is_no_date(admin_user, login, settings):
    settings.LANGUAGE_CODE = "es-mx"
    client = login(admin_user)

    response = client.post(reverse("accounts:security-policy"), {"passkey_deadline": "mañana"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"passkey_deadline": ["Escribe una fecha válida."]}
    assert SecurityPolicy.objects.exists() is False


def test_coordinator_cannot_change_the_security_policy(coordinator, login):
    client = login(coordinator)

    response = client.post(reverse("accounts:security-policy"), {"passkey_deadline": ""})

    assert response.status_code == 403


def test_new_coordinator_sets_up_the_authenticator_app_before_the_passkey(coordinator, client):
    _deadline(-1)
    client.force_login(coordinator)  # no second factor at all yet
    mark_recently_reauthenticated(client, coordinator)

    home = client.get(reverse("core:home"))
    totp_page = client.get(reverse("mfa_activate_totp"))

    assert (home.status_code, home.url) == (302, reverse("mfa_activate_totp"))
    assert totp_page.status_code == 200
