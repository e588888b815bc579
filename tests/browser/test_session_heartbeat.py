"""session.js in a real Chromium: typing in a form sends one heartbeat a minute at most."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_user_typing_in_a_form_sends_one_heartbeat(accompanier, login, page, live_server):
    client = login(accompanier)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(reverse("account_change_password"))
    # base.html gains the include later (lead); until then put the same tag in the page.
    if page.locator("script[data-heartbeat-url]").count() == 0:
        page.evaluate(
            """([url, token]) => {
                const s = document.createElement("script");
                s.src = "/static/js/session.js";
                s.dataset.heartbeatUrl = url;
                s.dataset.csrfToken = token;
                document.body.appendChild(s);
            }""",
            [
                reverse("accounts:heartbeat"),
                page.locator("input[name=csrfmiddlewaretoken]").first.input_value(),
            ],
        )
        page.wait_for_function("() => document.querySelector('script[data-heartbeat-url]')")
        page.wait_for_load_state("networkidle")
    beats = []
    page.on(
        "response",
        lambda r: beats.append(r.status) if r.url.endswith(reverse("accounts:heartbeat")) else None,
    )
    # The heartbeat waits a minute after page load; pretend that minute has passed.
    page.clock.install()
    page.clock.fast_forward(61_000)

    with page.expect_response(lambda r: r.url.endswith(reverse("accounts:heartbeat"))) as first:
        page.locator("input[type=password]").first.press_sequentially("abc")
    page.locator("input[type=password]").nth(1).press_sequentially("defgh")
    page.wait_for_timeout(300)

    assert first.value.status == 204
    assert beats == [204]
