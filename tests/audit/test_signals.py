"""Sign-ins, sign-outs, failures, lockouts and second factors land in the audit trail."""

import json

from django.urls import reverse

from aluna.accounts.factories import DEFAULT_PASSWORD
from aluna.audit.models import AuditEvent
from aluna.audit.services import identifier_hash
from tests.fixtures.mfa import current_code, enrol_totp


def _actions():
    return list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))


def _post_login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_failed_login_is_recorded_without_the_typed_address(client, accompanier):
    response = _post_login(client, "Pablo@aluna.test", "not the password")

    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert event.action == "login_failed"
    assert event.actor is None
    assert event.metadata == {"identifier_hash": identifier_hash("pablo@aluna.test")}
    stored = json.dumps(list(AuditEvent.objects.values()), default=str).lower()
    assert "pablo" not in stored


def test_accompanier_login_with_second_factor_is_recorded_once_complete(client, accompanier):
    secret = enrol_totp(accompanier)

    response = _post_login(client, accompanier.email, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert _actions() == []
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})

    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert (event.action, event.actor) == ("login", accompanier)
    assert event.request_id != ""


def test_wrong_second_factor_code_is_recorded(client, accompanier):
    enrol_totp(accompanier)
    _post_login(client, accompanier.email, DEFAULT_PASSWORD)

    client.post(reverse("mfa_authenticate"), {"code": "000000"})

    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.metadata) == (
        "mfa_failed",
        accompanier,
        {"type": "totp"},
    )


def test_logout_is_recorded(login, coordinator):
    client = login(coordinator)

    client.post(reverse("account_logout"))

    assert _actions() == ["login", "logout"]
    assert AuditEvent.objects.get(action="logout").actor == coordinator


def test_sixth_wrong_password_is_recorded_as_lockout(client, accompanier):
    # allauth refuses before authenticate(): aluna.accounts.adapter records the lockout.
    for _ in range(6):
        _post_login(client, accompanier.email, "not the password")

    assert _actions() == ["login_failed"] * 5 + ["lockout"]
    lockout = AuditEvent.objects.get(action="lockout")
    assert lockout.metadata == {
        "identifier_hash": identifier_hash(accompanier.email),
        "scope": "account",
    }


def test_enrolling_a_second_factor_is_recorded(client, trainer, django_capture_on_commit_callbacks):
    _post_login(client, trainer.email, DEFAULT_PASSWORD)
    # allauth asks for the password again before adding a second factor.
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret

    # allauth sends its signal once the activation has committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    assert response.status_code == 302
    enrolments = AuditEvent.objects.filter(action="mfa_enrolled").order_by("sequence")
    assert [(e.actor, e.metadata["type"]) for e in enrolments] == [
        (trainer, "totp"),
        (trainer, "recovery_codes"),
    ]
