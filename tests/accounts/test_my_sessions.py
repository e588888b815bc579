"""Mi cuenta > Seguridad lists a person's open sessions and ends any one of them."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from aluna.accounts.factories import DEFAULT_PASSWORD
from aluna.accounts.middleware import LAST_ACTIVITY_KEY
from aluna.accounts.models import UserSession
from aluna.accounts.user_agent import describe
from aluna.audit.models import AuditEvent
from tests.conftest import forget_used_totp_code
from tests.fixtures.mfa import current_code, enrol_totp

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36"
)
LAPTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _device(user, *, user_agent, address) -> Client:
    """A browser on its own device, logged in through the real forms."""
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD})
    code = current_code(user.totp_secret)
    forget_used_totp_code(user, code)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    return client


@pytest.fixture
def pablo(accompanier):
    accompanier.totp_secret = enrol_totp(accompanier)
    return accompanier


def _listed(client):
    return client.get(reverse("accounts:my-security")).context["sessions"]


def test_person_sees_each_open_session_by_device_browser_and_network_never_the_address(pablo):
    phone = _device(pablo, user_agent=PHONE, address="189.203.44.17")
    _device(pablo, user_agent=LAPTOP, address="2806:2f0:9000:1234::8")

    response = phone.get(reverse("accounts:my-security"))

    listed = [
        (s.device, s.browser, s.address_range, s.is_current) for s in response.context["sessions"]
    ]
    assert listed == [
        ("Android", "Samsung Internet", "189.203.44.0/24", True),
        ("Windows", "Firefox", "2806:2f0:9000::/48", False),
    ]
    html = response.content.decode()
    assert "189.203.44.17" not in html
    assert "2806:2f0:9000:1234" not in html
    sessions = response.context["sessions"]
    end_urls = {s.browser: reverse("accounts:session-end", args=[s.id]) for s in sessions}
    assert (end_urls["Samsung Internet"] in html, end_urls["Firefox"] in html) == (False, True)


def test_person_can_end_one_of_their_other_sessions(pablo):
    phone = _device(pablo, user_agent=PHONE, address="189.203.44.17")
    laptop = _device(pablo, user_agent=LAPTOP, address="201.141.2.9")
    laptop_session = UserSession.objects.get(browser="Firefox")

    response = phone.post(reverse("accounts:session-end", args=[laptop_session.pk]))

    assert (response.status_code, response.url) == (302, reverse("accounts:my-security"))
    assert laptop.get(reverse("accounts:my-security")).status_code == 302
    assert [s.browser for s in _listed(phone)] == ["Samsung Internet"]
    event = AuditEvent.objects.get(action="sessions_revoked")
    assert (event.actor, event.target_id, event.metadata) == (
        pablo,
        str(pablo.pk),
        {"reason": "end_one", "user_session": str(laptop_session.pk)},
    )


def test_person_cannot_end_someone_elses_session(pablo, other_accompanier, login):
    phone = _device(pablo, user_agent=PHONE, address="189.203.44.17")
    pablos_session = UserSession.objects.get(user=pablo)
    olga = login(other_accompanier, client=Client())

    response = olga.post(reverse("accounts:session-end", args=[pablos_session.pk]))

    assert response.status_code == 404
    assert phone.get(reverse("accounts:my-security")).status_code == 200
    assert AuditEvent.objects.filter(action="sessions_revoked").exists() is False


def test_ending_a_session_needs_a_post(pablo):
    phone = _device(pablo, user_agent=PHONE, address="189.203.44.17")
    own = UserSession.objects.get(user=pablo)

    response = phone.get(reverse("accounts:session-end", args=[own.pk]))

    assert response.status_code == 405
    assert UserSession.objects.filter(pk=own.pk).exists() is True


def test_ending_the_current_session_logs_out(pablo):
    phone = _device(pablo, user_agent=PHONE, address="189.203.44.17")
    own = UserSession.objects.get(user=pablo)

    response = phone.post(reverse("accounts:session-end", args=[own.pk]))

    assert (response.status_code, response.url) == (302, reverse("account_login"))
    assert "_auth_user_id" not in phone.session
    assert UserSession.objects.filter(user=pablo).exists() is False


def test_sessions_ended_everywhere_idle_or_logged_out_are_not_listed(pablo):
    old_phone = _device(pablo, user_agent=PHONE, address="189.203.44.17")
    old_phone.post(reverse("accounts:logout-everywhere"))
    idle = _device(pablo, user_agent=LAPTOP, address="201.141.2.9")
    session = idle.session
    session[LAST_ACTIVITY_KEY] = time.time() - 16 * 60
    session.save()
    left = _device(pablo, user_agent=LAPTOP, address="201.141.2.9")
    left.post(reverse("account_logout"))

    current = _device(pablo, user_agent=PHONE, address="189.203.44.20")

    assert [(s.device, s.is_current) for s in _listed(current)] == [("Android", True)]


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (PHONE, ("Android", "Samsung Internet")),
        (LAPTOP, ("Windows", "Firefox")),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
            ("iPhone", "Chrome"),
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Safari/605.1.15",
            ("macOS", "Safari"),
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68",
            ("Windows", "Edge"),
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36",
            ("Linux", "Chrome"),
        ),
        ("curl/8.5.0", ("", "")),
        ("", ("", "")),
    ],
)
def test_device_and_browser_family_are_read_from_the_user_agent(user_agent, expected):
    assert describe(user_agent) == expected
