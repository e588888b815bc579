"""The main accompaniment journey on a phone: find a subject, open its process,
record a session, see it in the timeline."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from accompaniment.models import Process, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def _sign_in(page, client, live_server) -> None:
    """Reuse the session of a client logged in with a verified second factor (the
    login form itself has its own journey), and ask for the English interface so
    the selectors do not depend on translations."""
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


def test_accompanier_can_find_a_subject_and_record_a_session_on_a_phone(
    phone_page, live_server, login, accompanier, team_process
):
    # Arrange: Pablo leads the process of "Colectivo Semilla".
    page = phone_page
    _sign_in(page, login(accompanier), live_server)
    next_session = timezone.localdate() + dt.timedelta(days=14)

    # Act: find the subject by its alias in the list.
    page.goto(reverse("accompaniment:index"))
    filters = page.get_by_test_id("subject-filters")
    filters.locator("input[name=q]").fill("Semilla")
    filters.get_by_role("button", name="Filter").click()
    page.get_by_test_id("subject-list").get_by_role("link", name="Colectivo Semilla").click()

    # Act: open its process, then the session form.
    expect(page).to_have_url(re.compile(str(team_process.subject_id)))
    with translation.override("en"):  # the browser asked for English
        kind = str(team_process.get_kind_display())
    page.get_by_test_id("subject-processes").get_by_role("link", name=kind).click()
    expect(page).to_have_url(re.compile(str(team_process.pk)))
    page.get_by_test_id("add-session").click()

    # Assert: the form fits a phone and starts from now, 60 minutes.
    form = page.get_by_test_id("session-form")
    expect(form).to_be_visible()
    assert _fits_the_phone(page)
    assert form.locator("input[name=started_at]").input_value() != ""
    expect(form.locator("input[name=duration_minutes]")).to_have_value("60")

    # Act: fill it in with the thumb.
    form.get_by_text("Phone", exact=True).click()
    form.get_by_label("Security", exact=True).check()
    form.get_by_label("Notes", exact=True).fill("Revisamos el plan tras la amenaza del lunes.")
    form.get_by_text("Personal", exact=True).click()
    form.get_by_label("Fear", exact=True).check()
    form.locator("input[name=next_session_on]").fill(next_session.isoformat())
    page.get_by_test_id("session-save").click()

    # Assert: the session is shown, and the process knows its next follow-up.
    expect(page.get_by_test_id("session-detail")).to_be_visible()
    expect(page.get_by_test_id("session-notes")).to_have_text(
        "Revisamos el plan tras la amenaza del lunes."
    )
    expect(page.get_by_test_id("session-impacts")).to_contain_text("Fear")
    assert _fits_the_phone(page)
    session = Session.objects.get()
    assert session.fields_worked == ["security"]
    assert Process.objects.get(pk=team_process.pk).next_follow_up == next_session

    # Act: open the process timeline.
    page.get_by_test_id("timeline-link").click()

    # Assert: the new session is in it, linking back to the session.
    entry = page.get_by_test_id("timeline").locator("[data-kind=session]")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Phone")
    assert _fits_the_phone(page)
    entry.get_by_role("link").click()
    expect(page).to_have_url(re.compile(reverse("accompaniment:session-detail", args=[session.pk])))


def test_accompanier_sees_errors_in_the_session_form_on_a_phone(
    phone_page, live_server, login, accompanier, team_process
):
    # Arrange
    page = phone_page
    _sign_in(page, login(accompanier), live_server)
    page.goto(reverse("accompaniment:session-create", args=[team_process.pk]))

    # Act: save without ticking any field worked.
    page.get_by_test_id("session-save").click()

    # Assert: the form comes back with the error and nothing was saved.
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.get_by_test_id("error-fields_worked")).to_be_visible()
    assert _fits_the_phone(page)
    assert Session.objects.count() == 0
