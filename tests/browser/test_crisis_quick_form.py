"""The crisis quick form on a phone (390x844): logged in at most 12 interactions."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from crisis.models import CrisisIntervention
from tests.fixtures.pagecheck import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE_WIDTH = 390
MAX_INTERACTIONS = 12


class Counter:
    """Counts every click, fill, check and select the test makes."""

    def __init__(self):
        self.count = 0

    def __call__(self, action):
        self.count += 1
        return action


def _sign_in(page, client, live_server) -> None:
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


def test_accompanier_can_log_a_crisis_on_a_phone_in_at_most_12_interactions(
    phone_page, live_server, login, accompanier, team_process
):
    # Arrange: Pablo is on the team of "Colectivo Semilla"; he starts from the crisis board.
    page = phone_page
    _sign_in(page, login(accompanier), live_server)
    page.goto(live_server.url + reverse("crisis:crisis-board"))
    act = Counter()

    # Act: open the quick form and fill only what a phone call gives.
    act(page.get_by_test_id("crisis-create-link").click())
    form = page.get_by_test_id("crisis-form")
    expect(form).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    act(form.get_by_role("combobox", name="Working alias or initials").fill("Semilla"))
    act(form.get_by_text("Phone", exact=True).click())
    act(form.get_by_text("Critical", exact=True).click())
    act(form.get_by_text("Immediate needs", exact=True).click())
    act(form.get_by_label("Psychological first aid").check())
    act(page.get_by_test_id("crisis-save").click())

    # Assert: the crisis is saved and shown, then it is on the board.
    expect(page.get_by_test_id("crisis-detail")).to_be_visible()
    act(page.get_by_role("link", name="Crisis board").click())
    row = page.get_by_test_id("crisis-row").first
    expect(row).to_contain_text("Colectivo Semilla")
    expect(row).to_contain_text("Critical")
    assert act.count <= MAX_INTERACTIONS
    print(f"\nquick form: {act.count} interactions (board -> saved -> board)")
    crisis = CrisisIntervention.objects.get()
    assert crisis.risk_level == "critical"
    assert crisis.immediate_needs == ["psychological_first_aid"]
    assert crisis.process.subject_id == team_process.subject_id


def test_accompanier_is_taken_to_the_first_wrong_field_after_an_error(
    phone_page, live_server, login, accompanier, team_process
):
    # Arrange: Pablo opens the quick form and forgets the risk level and the channel.
    page = phone_page
    _sign_in(page, login(accompanier), live_server)
    page.goto(live_server.url + reverse("crisis:crisis-create"))
    form = page.get_by_test_id("crisis-form")
    form.get_by_role("combobox", name="Working alias or initials").fill("Semilla")

    # Act
    page.get_by_test_id("crisis-save").click()

    # Assert: the page came back with the errors; the first wrong field (how) has the
    # focus, is on screen and says what is wrong.
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    first_channel = page.locator("#id_channel_0")
    expect(first_channel).to_be_focused()
    expect(first_channel).to_have_attribute("aria-invalid", "true")
    expect(page.locator("label[for=id_channel_0]")).to_be_in_viewport()
    described_by = first_channel.get_attribute("aria-describedby")
    assert page.locator(f"#{described_by}").inner_text() == "Say how the contact happened."
    expect(page.locator("#id_risk_level_0")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []
