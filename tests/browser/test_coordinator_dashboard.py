"""A coordinator reads the strengthening review and an organisation's chart."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accompaniment.factories import FieldAssessmentFactory
from accompaniment.models import PsychosocialField

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_can_read_the_dashboard_and_an_organisations_chart(
    page, live_server, login, coordinator, team_process
):
    # Arrange: two security assessments of "Colectivo Semilla", the second better.
    today = timezone.localdate()
    for days_ago, score in [(60, 2), (5, 4)]:
        FieldAssessmentFactory(
            process=team_process,
            field=PsychosocialField.SECURITY,
            score=score,
            assessed_on=today - dt.timedelta(days=days_ago),
        )
    client = login(coordinator)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
        ]
    )

    # Act: open the review from the menu ("Accompaniment" drop-down of the header).
    page.goto("/")
    page.locator("#menu-cases").click()
    page.get_by_role("link", name="Strengthening review").first.click()

    # Assert: the organisation's row shows the latest security score and its rise.
    table = page.get_by_test_id("dashboard-table")
    row = table.locator("tr", has_text="Colectivo Semilla")
    expect(row).to_contain_text("4")
    expect(row).to_contain_text("up from 2")

    # Act: open its chart.
    row.get_by_role("link").first.click()

    # Assert: a server-rendered SVG chart of the four fields.
    chart = page.get_by_test_id("field-chart").locator("svg")
    expect(chart).to_be_visible()
    assert chart.locator("title").first.text_content() != ""
