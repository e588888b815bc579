"""The security journey in a real browser, on a phone: assess a defender's risk, add a
protection measure, register a trip, miss the check-in, and see the alert."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accompaniment.models import FederalEntity
from security.models import CheckIn, ProtectionMeasure, RiskAssessment
from security.services import grace_minutes, overdue_checkins_alert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def _sign_in(page, client, live_server) -> None:
    """Reuse the test client's verified session, with the English interface."""
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


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_accompanier_can_assess_protect_and_be_alerted_of_a_missed_checkin_on_a_phone(
    phone_page, live_server, login, accompanier, team_process, team_subject
):
    # Arrange: Pablo, on the team of Colectivo Semilla's process, on his phone.
    page = phone_page
    _sign_in(page, login(accompanier), live_server)
    today = timezone.localdate().isoformat()

    # Act: from the process, open its security page and assess the risk.
    page.goto(reverse("accompaniment:process-detail", kwargs={"process_id": team_process.pk}))
    page.get_by_role("main").get_by_role("link", name="Security and protection").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Colectivo Semilla")
    page.get_by_role("link", name="Assess risk").click()
    page.get_by_label("Assessed on").fill(today)
    threats = page.get_by_role("group", name="Threats")
    threats.get_by_label("Threat").first.fill("Llamadas intimidatorias tras la denuncia")
    threats.get_by_label("Likelihood (1-5)").first.select_option("4")
    threats.get_by_label("Impact (1-5)").first.select_option("5")
    vulnerabilities = page.get_by_role("group", name="Vulnerabilities")
    vulnerabilities.get_by_label("Description").first.fill("Vive sola en la comunidad")
    vulnerabilities.get_by_label("Weight (1-5)").first.select_option("3")
    capacities = page.get_by_role("group", name="Capacities")
    capacities.get_by_label("Description").first.fill("Red de apoyo comunitaria")
    capacities.get_by_label("Weight (1-5)").first.select_option("2")
    assert _fits_the_phone(page)
    page.get_by_role("button", name="Save").click()

    # Assert: the computed level, 20 × 3 ÷ 2 = 30, medium.
    expect(page).to_have_url(re.compile(r"/riesgo/[0-9a-f-]{36}/$"))
    expect(page.get_by_test_id("risk-level")).to_have_text("Medium")
    expect(page.get_by_test_id("risk-score")).to_have_text("Score 30")
    assert RiskAssessment.objects.get().level == "medium"

    # Act: add a protection measure the Mechanism granted but never implemented.
    page.get_by_role("link", name="Back to the security of the process").click()
    page.get_by_role("link", name="Add a protection measure").click()
    page.get_by_label("Source").select_option(label="Federal Protection Mechanism")
    page.get_by_label("Kind").select_option(label="Panic button")
    page.get_by_label("Status").select_option(label="Granted but not implemented")
    page.get_by_label("Granted on").fill(today)
    page.get_by_role("button", name="Save").click()

    # Assert: it is listed with its state of its own.
    expect(page.get_by_role("cell", name="Granted but not implemented")).to_be_visible()
    assert ProtectionMeasure.objects.get().status == "not_implemented"

    # Act: register a trip for the collective, Pablo first in the alert chain.
    expected_at = timezone.localtime() + dt.timedelta(minutes=2)
    page.goto(reverse("security:index"))
    page.get_by_role("link", name="Register a trip").click()
    page.get_by_label("Defender").select_option(label="Colectivo Semilla")
    page.get_by_label("State").select_option(str(FederalEntity.objects.get(code="07").pk))
    page.get_by_label("Municipality").fill("Ocosingo")
    page.get_by_label("Expected check-in").fill(expected_at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("First person to alert").select_option(label=accompanier.full_name)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("checkin-status")).to_have_text("On the way")

    # Act: nobody checks in; beat's periodic check runs after the grace period.
    checkin = CheckIn.objects.get()
    late = checkin.expected_at + dt.timedelta(minutes=grace_minutes() + 1)
    assert overdue_checkins_alert(now=late) == 1

    # Assert: the bell behind the phone's menu shows the alert, nameless and placeless.
    page.reload()
    page.get_by_role("button", name="Show menu").click()
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_test_id("notification-bell").click()
    alert = page.get_by_test_id("notification")
    expect(alert).to_contain_text(f"is {grace_minutes() + 1} minutes overdue")
    expect(alert).not_to_contain_text("Ocosingo")
    expect(alert).not_to_contain_text("Colectivo Semilla")
    alert.get_by_role("button", name="Open").click()
    expect(page.get_by_test_id("checkin-status")).to_have_text("Overdue: 1 person alerted")

    # Assert: the subject's page sums it all up.
    page.goto(reverse("accompaniment:subject-detail", kwargs={"subject_id": team_subject.pk}))
    section = page.get_by_test_id("subject-security")
    expect(section.get_by_test_id("risk-level")).to_have_text("Medium")
    expect(section.get_by_test_id("measure-status")).to_have_text("Granted but not implemented")
    expect(section.get_by_test_id("subject-security-checkins")).to_contain_text("1 overdue")
    assert _fits_the_phone(page)
