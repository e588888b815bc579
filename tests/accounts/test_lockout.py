"""Failed logins lock an account, not the office it shares an address with.

Failures count per account (5 in 15 minutes) and per client address with a
much higher limit (10 a minute, 30 in 15 minutes) against password spraying.
The address is REMOTE_ADDR unless the request comes through one of our own
proxies (TRUSTED_PROXIES): a header the client writes changes nothing.
"""

import re
import time
import types

import pytest
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.test import Client
from django.urls import reverse

from aluna.accounts.factories import DEFAULT_PASSWORD, UserFactory
from aluna.audit.models import AuditEvent
from aluna.audit.services import identifier_hash

TOO_MANY = "Too many failed login attempts. Try again later."
WRONG_CREDENTIALS = "The email address and/or password you specified are not correct."
OFFICE = "203.0.113.10"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _the_clock_stands_still(monkeypatch):
    """The limits are windows of time: on a loaded machine thirty logins can take
    longer than a minute, and the oldest attempts would leave the window. The
    rate limiter's clock stands still so each test sees the window it describes."""
    frozen = time.time()
    clock = types.SimpleNamespace(time=lambda: frozen, monotonic=time.monotonic, sleep=time.sleep)
    monkeypatch.setattr(allauth_ratelimit, "time", clock)


def _try_login(client, email, password, **headers):
    response = client.post(
        reverse("account_login"), {"login": email, "password": password}, **headers
    )
    if response.status_code == 302:
        return "logged in"
    return list(response.context["form"].non_field_errors())


def _fail(client, email, times, **headers):
    return [_try_login(client, email, "no-es-la-clave", **headers) for _ in range(times)]


def test_five_failures_on_one_account_do_not_block_a_colleague_at_the_same_office(
    client, accompanier, coordinator
):
    office = {"REMOTE_ADDR": OFFICE}
    assert _fail(client, accompanier.email, 5, **office) == [[WRONG_CREDENTIALS]] * 5

    colleague = _try_login(Client(), coordinator.email, DEFAULT_PASSWORD, **office)
    locked = _try_login(Client(), accompanier.email, DEFAULT_PASSWORD, **office)

    assert colleague == "logged in"
    assert locked == [TOO_MANY]


def test_a_locked_person_retrying_does_not_spend_the_office_limit(client, accompanier, coordinator):
    office = {"REMOTE_ADDR": OFFICE}
    _fail(client, accompanier.email, 5, **office)

    retries = _fail(client, accompanier.email, 20, **office)
    colleague = _try_login(client, coordinator.email, DEFAULT_PASSWORD, **office)

    assert retries == [[TOO_MANY]] * 20
    assert colleague == "logged in"


def test_a_spray_over_thirty_accounts_from_one_address_is_slowed(client, db):
    accounts = [UserFactory(email=f"persona{n}@aluna.test") for n in range(30)]
    sprayer = {"REMOTE_ADDR": "198.51.100.66"}

    results = [_try_login(client, user.email, "Primavera2026!", **sprayer) for user in accounts]

    assert results == [[WRONG_CREDENTIALS]] * 10 + [[TOO_MANY]] * 20
    lockouts = AuditEvent.objects.filter(action="lockout")
    assert [event.metadata["scope"] for event in lockouts] == ["address"] * 20


def test_a_spray_does_not_lock_out_the_accounts_it_names_once_refused(client, accompanier):
    sprayer = {"REMOTE_ADDR": "198.51.100.66"}
    for n in range(10):
        _fail(client, f"persona{n}@aluna.test", 1, **sprayer)

    refused = _fail(client, accompanier.email, 10, **sprayer)
    owner = _try_login(client, accompanier.email, DEFAULT_PASSWORD, REMOTE_ADDR=OFFICE)

    assert refused == [[TOO_MANY]] * 10
    assert owner == "logged in"


def test_the_sprayer_address_limit_leaves_other_addresses_alone(client, accompanier):
    for n in range(10):
        _fail(client, f"persona{n}@aluna.test", 1, REMOTE_ADDR="198.51.100.66")

    response = _try_login(client, accompanier.email, DEFAULT_PASSWORD, REMOTE_ADDR=OFFICE)

    assert response == "logged in"


def test_a_forged_forwarded_for_header_changes_nothing_without_a_trusted_proxy(client, db):
    tries = [
        _try_login(
            client,
            f"persona{n}@aluna.test",
            "no-es-la-clave",
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
        for n in range(11)
    ]

    assert tries == [[WRONG_CREDENTIALS]] * 10 + [[TOO_MANY]]


def test_a_trusted_proxy_names_the_client_and_forged_hops_to_its_left_are_ignored(
    client, settings, accompanier
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.0.0.5"}

    def through_proxy(n, forwarded_for):
        return _try_login(
            client,
            f"persona{n}@aluna.test",
            "no-es-la-clave",
            HTTP_X_FORWARDED_FOR=forwarded_for,
            **proxy,
        )

    # The sprayer writes a fresh address on the left each time; the proxy appends the real one.
    spray = [through_proxy(n, f"192.0.2.{n}, 198.51.100.66") for n in range(11)]
    office = _try_login(
        client,
        accompanier.email,
        DEFAULT_PASSWORD,
        HTTP_X_FORWARDED_FOR=f"{OFFICE}, 10.0.0.9",
        **proxy,
    )

    assert spray == [[WRONG_CREDENTIALS]] * 10 + [[TOO_MANY]]
    assert office == "logged in"


def test_lockout_answers_alike_for_known_and_unknown_addresses(client, accompanier):
    def page(email):
        response = client.post(
            reverse("account_login"), {"login": email, "password": "no-es-la-clave"}
        )
        html = response.content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        html = re.sub(r'nonce="[^"]+"', "", html)
        return response.status_code, html.replace(email, "EMAIL")

    known = [page(accompanier.email) for _ in range(6)]
    unknown = [page("nadie@aluna.test") for _ in range(6)]

    assert known == unknown
    assert [status for status, _ in known] == [200] * 6
    assert WRONG_CREDENTIALS in known[4][1]
    assert TOO_MANY in known[5][1]


def test_a_lockout_is_audited_with_the_limit_that_refused_it(client, db):
    _fail(client, "nadie@aluna.test", 6)

    event = AuditEvent.objects.get(action="lockout")

    assert event.metadata == {
        "identifier_hash": identifier_hash("nadie@aluna.test"),
        "scope": "account",
    }


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("", "10.0.0.5"),
        ("198.51.100.66", "198.51.100.66"),
        ("1.2.3.4, 198.51.100.66", "198.51.100.66"),
        ("198.51.100.66, 10.0.0.9", "198.51.100.66"),
        ("10.0.0.7, 10.0.0.9", "10.0.0.7"),
        ("not-an-address, 198.51.100.66", "198.51.100.66"),
        ("198.51.100.66, not-an-address", "10.0.0.5"),
    ],
)
def test_client_address_reads_only_what_our_proxies_appended(rf, settings, forwarded_for, expected):
    from aluna.core.client_address import client_address

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_address(request) == expected


def test_client_address_is_the_peer_when_the_peer_is_no_proxy_of_ours(rf, settings):
    from aluna.core.client_address import client_address

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.get("/", REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="10.0.0.1")

    assert client_address(request) == "198.51.100.66"


def test_production_refuses_to_start_with_a_trusted_proxy_that_is_no_address(tmp_path):
    from tests.core.test_security_headers import _manage, _production_env

    env = _production_env(tmp_path, TRUSTED_PROXIES="10.0.0.5,proxy.internal")

    result = _manage("check", "--deploy", env=env)

    assert result.returncode == 1
    assert "TRUSTED_PROXIES: 'proxy.internal' is not an address" in result.stderr


def _age_account_failures(rf, email: str, *, seconds: float) -> None:
    """Move the recorded failures of `email` back in time, as waiting would."""
    from allauth.account.adapter import get_adapter
    from allauth.core.internal import ratelimit
    from django.core.cache import cache

    request = rf.post("/accounts/login/")
    key = get_adapter(request)._get_login_attempts_cache_key(request, email=email)
    [rate] = [
        r
        for r in ratelimit.get_rates(app="allauth.account", action="login_failed")
        if r.per == "key"
    ]
    cache_key = ratelimit.get_cache_key(
        request, app="allauth.account", action="login_failed", rate=rate, key=key
    )
    history = cache.get(cache_key)
    assert len(history) == 5
    cache.set(cache_key, [moment - seconds for moment in history], rate.duration)


def test_a_locked_account_opens_again_once_its_failures_are_fifteen_minutes_old(
    client, rf, accompanier
):
    _fail(client, accompanier.email, 5)
    _age_account_failures(rf, accompanier.email, seconds=14 * 60)
    still_locked = _try_login(Client(), accompanier.email, DEFAULT_PASSWORD)
    _age_account_failures(rf, accompanier.email, seconds=60)

    opened = _try_login(Client(), accompanier.email, DEFAULT_PASSWORD)

    assert still_locked == [TOO_MANY]
    assert opened == "logged in"


def test_while_the_cache_is_down_no_one_logs_in_and_the_page_says_why(
    client, accompanier, settings
):
    """The failures are counted in the cache: a Redis outage must not lift the limit."""
    settings.CACHES = {
        "default": {
            "BACKEND": "aluna.core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }

    response = client.post(
        reverse("account_login"),
        {"login": accompanier.email, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR=OFFICE,
    )

    assert response.status_code == 429
    assert "Wait a few minutes and try again." in response.content.decode()
    assert "_auth_user_id" not in client.session
