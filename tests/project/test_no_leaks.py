"""Nothing sensitive leaves the process: not in log lines, not in e-mails.

The journey uses distinctive strings standing for a person's name and a case
note, pushes them through a failed login, an invitation, a search-like query
string and a request that crashes, and then reads everything the real log
handler wrote and every e-mail sent.
"""

import io
import logging

import pytest
from django.core import mail
from django.http import HttpResponse
from django.urls import include, path, reverse

from aluna.core.logging import ScrubSensitiveFilter
from aluna.core.roles import Role

SENSITIVE = ["Xochiquetzal Tlacuilo", "xochi.tlacuilo@example.org", "amenaza de muerte en Ocosingo"]


def crashing_view(request):
    raise ValueError(f"could not save note {request.POST.get('note')}")


def fine_view(request):
    return HttpResponse("ok")


urlpatterns = [
    path("boom/", crashing_view),
    path("fine/", fine_view),
    path("", include("aluna.urls")),
]


@pytest.fixture
def captured_log():
    """The real console handler (with its scrubbing filter), writing to a buffer."""
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, ScrubSensitiveFilter) for f in h.filters)
    ]
    assert handlers, "the console handler with ScrubSensitiveFilter is not configured"
    buffer = io.StringIO()
    previous = [h.setStream(buffer) for h in handlers]
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    yield buffer
    root.setLevel(old_level)
    for h, stream in zip(handlers, previous, strict=True):
        h.setStream(stream)


@pytest.mark.urls(__name__)
def test_a_whole_journey_leaves_no_sensitive_string_in_logs_or_emails(
    client, login, admin_user, captured_log, django_capture_on_commit_callbacks
):
    # A failed login with the defender's address as identifier.
    client.post(reverse("account_login"), {"login": SENSITIVE[1], "password": "wrong-password!"})
    # A password reset for that address.
    client.post(reverse("account_reset_password"), {"email": SENSITIVE[1]})
    # An administrator invites a colleague whose name is the sensitive string.
    admin_client = login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("accounts:user-create"),
            {"email": SENSITIVE[1], "full_name": SENSITIVE[0], "roles": [Role.ACCOMPANIMENT]},
        )
    # A search-like query string and a crash while saving a note.
    admin_client.get("/fine/", {"q": SENSITIVE[0]})
    admin_client.raise_request_exception = False
    response = admin_client.post("/boom/", {"note": SENSITIVE[2], "name": SENSITIVE[0]})

    assert response.status_code == 500
    assert SENSITIVE[2] not in response.content.decode()
    logged = captured_log.getvalue()
    assert "ValueError" in logged  # the crash was logged, without its message
    # The invitation, and nothing else (no reset e-mail for an address without an account).
    assert [message.to for message in mail.outbox] == [[SENSITIVE[1]]]
    leaks = [
        (where, secret)
        for secret in SENSITIVE
        for where, text in [("log", logged)]
        + [(f"mail {m.subject!r}", m.subject + m.body) for m in mail.outbox]
        if secret.lower() in text.lower()
    ]
    assert leaks == []


def test_development_server_access_log_drops_query_strings():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /acompanamiento/?q=Xochiquetzal+Tlacuilo HTTP/1.1", "200", "1234"),
        None,
    )

    ScrubSensitiveFilter().filter(record)

    assert record.getMessage() == '"GET /acompanamiento/?… HTTP/1.1" 200 1234'
