"""A coordinator opens the response times from the home page's chart, on a phone,
in Spanish: the figures, and the late cases to review, pass the page checks."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.crisis.test_response_times import make_case
from tests.fixtures.pagecheck import page_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_reviews_the_response_times_on_a_phone(
    phone_page, live_server, login, coordinator
):
    # Arrange: one crisis answered in an hour, one nine hours after the aggression.
    now = timezone.now()
    make_case(
        recorded_by=coordinator,
        happened=now - dt.timedelta(hours=10),
        contacts=[now - dt.timedelta(hours=9)],
        alias="Colectivo Ágil",
    )
    make_case(
        recorded_by=coordinator,
        happened=now - dt.timedelta(hours=10),
        contacts=[now - dt.timedelta(hours=1)],
        alias="Colectivo Lento",
    )
    client = login(coordinator)
    page = phone_page
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "es-mx", "url": live_server.url},
        ]
    )

    # Act: the home page shows the chart; its link opens the page.
    page.goto("/")
    expect(page.get_by_test_id("home-response-chart").locator("svg")).to_be_visible()
    page.get_by_role("link", name="Ver los tiempos de respuesta").click()

    # Assert: the late case is listed by alias for review, the fast one is not.
    expect(page.get_by_role("heading", name="Tiempos de respuesta", level=1)).to_be_visible()
    review = page.get_by_test_id("over-target")
    expect(review).to_contain_text("Colectivo Lento")
    expect(review).to_contain_text("9.0 h")
    expect(review).not_to_contain_text("Colectivo Ágil")
    expect(page.get_by_test_id("response-overall")).to_contain_text("5.0")
    assert page_problems(page) == []
