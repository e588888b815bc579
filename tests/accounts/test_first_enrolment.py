"""The first TOTP enrolment follows the login without asking for the password twice;
every later change of factors still asks for it again."""

import time

from django.urls import reverse

from aluna.accounts.factories import DEFAULT_PASSWORD
from tests.fixtures.mfa import enrol_totp


def _password_login(client, user):
    client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD})


def test_new_user_goes_from_login_straight_to_enrolment(client, coordinator):
    _password_login(client, coordinator)

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 200


def test_new_user_whose_login_is_old_must_confirm_the_password(client, coordinator):
    _password_login(client, coordinator)
    session = client.session
    records = session["account_authentication_methods"]
    records[-1]["at"] = time.time() - 6 * 60
    session["account_authentication_methods"] = records
    session.save()

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_user_with_a_factor_must_reauthenticate_to_change_it(login, coordinator):
    enrol_totp(coordinator)
    client = login(coordinator)

    response = client.get(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
