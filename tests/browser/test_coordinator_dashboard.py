"""A coordinator reads the strengthening review and an organisation's chart."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accompaniment.factories import CollectiveFactory, FieldAssessmentFactory, ProcessFactory
from accompaniment.models import PsychosocialField
from tests.fixtures.pagecheck import page_problems

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
    chart = page.get_by_test_id("field-chart").locator("svg:visible")
    expect(chart).to_be_visible()
    assert chart.locator("title").first.text_content() != ""


def _log_in_browser(page, live_server, client) -> None:
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _review_with_history(team_process):
    """Colectivo Semilla with six months of history in two fields; a second
    organisation never assessed (its row is all "–")."""
    today = timezone.localdate()
    for field, scores in [
        (PsychosocialField.SECURITY, [1, 2, 2, 3, 4, 4]),
        (PsychosocialField.PSYCHOEMOTIONAL, [4, 3]),
    ]:
        for age, score in enumerate(reversed(scores)):
            FieldAssessmentFactory(
                process=team_process,
                field=field,
                score=score,
                assessed_on=today - dt.timedelta(days=30 * age),
            )
    return ProcessFactory(subject=CollectiveFactory(alias="Red Ceiba de Defensoras del Territorio"))


@pytest.mark.parametrize(("width", "height"), [(360, 740), (1366, 768)])
def test_coordinator_can_read_the_review_on_a_phone_and_on_a_desk(
    page, live_server, login, coordinator, team_process, width, height
):
    # Arrange
    unassessed = _review_with_history(team_process)
    _log_in_browser(page, live_server, login(coordinator))
    page.set_viewport_size({"width": width, "height": height})

    # Act
    page.goto(reverse("accompaniment:dashboard"))

    # Assert: nothing wider than the screen, nothing axe calls serious, all in Spanish.
    table = page.get_by_test_id("dashboard-table")
    expect(table).to_be_visible()
    assert page_problems(page) == []
    # Every field of every process is on screen, not cut off at the right.
    cells = table.locator("td[data-field]")
    expect(cells).to_have_count(8)
    for index in range(8):
        box = cells.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    semilla = table.locator("tr", has_text="Colectivo Semilla")
    expect(semilla.locator("td[data-field=security] svg[role=img]")).to_have_attribute(
        "aria-label",
        "Seguridad, últimas 6 valoraciones, de la más antigua a la más reciente: 1, 2, 2, 3, 4, 4",
    )
    expect(table.locator(f"tr[data-process='{unassessed.pk}'] td[data-field]")).to_have_text(
        ["–sin valoración aún"] * 4  # the dash, and its meaning for screen readers
    )
    expect(page.get_by_test_id("review-legend")).to_contain_text("– sin valoración aún")


def test_coordinator_can_sort_the_review_by_a_field(
    page, live_server, login, coordinator, team_process
):
    # Arrange: Semilla's security is 4, Ceiba's never assessed.
    unassessed = _review_with_history(team_process)
    _log_in_browser(page, live_server, login(coordinator))
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(reverse("accompaniment:dashboard"))
    rows = page.get_by_test_id("dashboard-table").locator("tbody tr")
    expect(rows.first).to_have_attribute("data-process", str(team_process.pk))

    # Act: sort by security, then the other way round, from the column header.
    header = page.get_by_role("columnheader", name="Seguridad")
    header.get_by_role("link").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    header.get_by_role("link", name="Ordenar: Seguridad, de mayor a menor").click()

    # Assert: highest first, the never assessed last whichever way; the key in the address.
    expect(header).to_have_attribute("aria-sort", "descending")
    assert page.url.endswith("?orden=-seguridad")
    expect(rows.first).to_have_attribute("data-process", str(team_process.pk))
    expect(rows.last).to_have_attribute("data-process", str(unassessed.pk))


def test_coordinator_can_read_an_organisations_chart_on_a_phone(
    page, live_server, login, coordinator, team_process
):
    _review_with_history(team_process)
    _log_in_browser(page, live_server, login(coordinator))
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(reverse("accompaniment:dashboard-organisation", args=[team_process.pk]))

    chart = page.get_by_test_id("field-chart").locator("svg:visible")
    expect(chart).to_have_attribute("viewBox", "0 0 360 304")
    # Its legend is drawn at a readable size, not shrunk to fit the screen.
    label = chart.locator("g.legend text").first
    assert label.bounding_box()["height"] >= 11
    assert page_problems(page) == []
