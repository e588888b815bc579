"""The subject picker in the browser: a crisis logged on a phone by typing part of an
alias and picking with the keyboard; an aggression with two subjects picked; a
subject enrolled in a cohort (one value: a new pick replaces the last)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accompaniment.factories import PoliticalSubjectFactory, ProcessFactory
from accompaniment.models import AggressionType
from crisis.models import Aggression, CrisisIntervention
from tests.fixtures.pagecheck import axe_violations
from training.factories import CohortFactory
from training.models import Enrolment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


class Counter:
    """Counts every tap, key and fill the test makes, from the home page to saved."""

    def __init__(self):
        self.count = 0

    def __call__(self, action=None, times: int = 1):
        self.count += times
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


@pytest.fixture
def pablos_cases(accompanier, other_accompanier, team_process):
    """Pablo: "Colectivo Semilla" and "Semillero del Sur"; Olga: "Semilla de Olga"."""
    sur = ProcessFactory(
        subject=PoliticalSubjectFactory(alias="Semillero del Sur"), lead=accompanier
    )
    ProcessFactory(subject=PoliticalSubjectFactory(alias="Semilla de Olga"), lead=other_accompanier)
    return team_process.subject, sur.subject


def test_accompanier_logs_a_crisis_on_a_phone_by_typing_part_of_an_alias(
    phone_page, live_server, login, accompanier, pablos_cases
):
    # Arrange: Pablo starts from his home page; no URL ever carries what he types.
    semilla, sur = pablos_cases
    page = phone_page
    urls = []
    page.on("request", lambda request: urls.append(request))
    _sign_in(page, login(accompanier), live_server)
    page.goto(live_server.url + reverse("core:home"))
    act = Counter()

    # Act: the big button, part of the alias, the keyboard to pick the second match.
    act(page.get_by_test_id("home-log-crisis").click())
    box = page.get_by_role("combobox", name="Working alias or initials")
    act(box.press_sequentially("semi", delay=20), times=4)
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(2)
    expect(listbox.get_by_role("option").nth(0)).to_have_text(
        f"Colectivo Semilla ({semilla.initials})"
    )
    expect(listbox.get_by_role("option").nth(1)).to_have_text(f"Semillero del Sur ({sur.initials})")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert axe_violations(page) == []
    act(box.press("ArrowDown"))
    act(box.press("ArrowDown"))
    expect(box).to_have_attribute(
        "aria-activedescendant", listbox.get_by_role("option").nth(1).get_attribute("id")
    )
    act(box.press("Enter"))
    expect(box).to_have_value("Semillero del Sur")
    expect(box).to_have_attribute("aria-expanded", "false")
    form = page.get_by_test_id("crisis-form")
    act(form.get_by_text("Phone", exact=True).click())
    act(form.get_by_text("Critical", exact=True).click())
    assert axe_violations(page) == []
    act(page.get_by_test_id("crisis-save").click())

    # Assert: saved for the subject picked, in 11 interactions from home (4 of them letters).
    expect(page.get_by_test_id("crisis-detail")).to_be_visible()
    crisis = CrisisIntervention.objects.select_related("process").get()
    assert crisis.process.subject_id == sur.pk
    assert crisis.risk_level == "critical"
    print(f"\ncrisis by type-ahead at 390x844: {act.count} interactions (home -> saved)")
    assert act.count == 11
    searches = [r for r in urls if r.url.endswith(reverse("accompaniment:subject-picker-search"))]
    assert searches and {r.method for r in searches} == {"POST"}
    assert not [r.url for r in urls if "semi" in r.url.lower()]


def test_accompanier_picks_two_subjects_affected_by_an_aggression(
    page, live_server, login, accompanier, pablos_cases
):
    semilla, sur = pablos_cases
    kind = AggressionType.objects.filter(is_active=True).order_by("position").first()
    _sign_in(page, login(accompanier), live_server)
    page.goto(live_server.url + reverse("crisis:aggression-create"))
    form = page.get_by_test_id("aggression-form")
    form.get_by_label("Date and time").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label(kind.label_en, exact=True).check()

    box = page.get_by_role("combobox", name="Political subjects affected")
    listbox = page.get_by_role("listbox", name="Political subjects affected")
    box.press_sequentially("semillero")
    expect(listbox.get_by_role("option")).to_have_count(1)
    box.press("ArrowDown")
    box.press("Enter")
    box.press_sequentially("colectivo")
    listbox.get_by_role("option", name=f"Colectivo Semilla ({semilla.initials})").click()
    chosen = page.locator("[data-picker-chosen] input:checked")
    expect(chosen).to_have_count(2)
    expect(box).to_have_value("")
    assert axe_violations(page) == []
    page.get_by_test_id("save-aggression").click()

    expect(page.get_by_test_id("aggression-subjects")).to_be_visible()
    aggression = Aggression.objects.get()
    assert set(aggression.subjects.values_list("alias", flat=True)) == {
        "Colectivo Semilla",
        "Semillero del Sur",
    }


def test_coordinator_enrols_a_subject_in_a_cohort_picked_with_the_keyboard(
    page, live_server, login, coordinator, pablos_cases
):
    semilla, sur = pablos_cases
    cohort = CohortFactory()
    _sign_in(page, login(coordinator), live_server)
    page.goto(
        live_server.url + reverse("training:participant-add", kwargs={"cohort_id": cohort.pk})
    )

    box = page.locator("#id_subject")
    expect(box).to_have_attribute("role", "combobox")
    box.press_sequentially("semill")
    listbox = page.locator("#id_subject-listbox")
    expect(listbox.get_by_role("option")).to_have_count(3)
    box.press("ArrowDown")
    box.press("Enter")
    box.press_sequentially("sur")
    expect(listbox.get_by_role("option")).to_have_count(1)
    box.press("ArrowDown")
    box.press("Enter")
    chosen = page.locator("[data-picker-chosen] input:checked")
    expect(chosen).to_have_count(1)
    expect(chosen).to_have_value(str(sur.pk))
    page.get_by_test_id("training-form").get_by_role("button", name="Save").click()

    expect(page).to_have_url(
        live_server.url + reverse("training:cohort-detail", kwargs={"cohort_id": cohort.pk})
    )
    assert Enrolment.objects.get().participant.subject_id == sur.pk


def test_without_javascript_the_picker_is_a_plain_box_that_still_works(
    browser, live_server, isolated_cache, login, accompanier, pablos_cases
):
    semilla, sur = pablos_cases
    kind = AggressionType.objects.filter(is_active=True).order_by("position").first()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page, login(accompanier), live_server)
        page.goto(live_server.url + reverse("crisis:aggression-create"))
        form = page.get_by_test_id("aggression-form")
        box = form.get_by_role("textbox", name="Political subjects affected")
        expect(box).not_to_have_attribute("role", "combobox")
        form.get_by_label("Date and time").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
        form.get_by_label(kind.label_en, exact=True).check()
        box.fill("Colectivo Semilla, semillero del sur")
        page.get_by_test_id("save-aggression").click()

        expect(page.get_by_test_id("aggression-subjects")).to_be_visible()
    finally:
        context.close()
    assert set(Aggression.objects.get().subjects.all()) == {semilla, sur}


def test_after_an_error_the_aggression_form_focuses_its_first_wrong_field(
    page, live_server, login, accompanier, pablos_cases
):
    _sign_in(page, login(accompanier), live_server)
    page.goto(live_server.url + reverse("crisis:aggression-create"))
    form = page.get_by_test_id("aggression-form")
    form.get_by_label("Date and time").fill("")

    page.get_by_test_id("save-aggression").click()

    # crispy's markup (is-invalid) and the plain include's (invalid-feedback) alike.
    when = form.get_by_label("Date and time")
    expect(when).to_be_focused()
    expect(when).to_have_attribute("aria-invalid", "true")
    box = page.get_by_role("combobox", name="Political subjects affected")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_accessible_description(
        "Type part of the alias or the initials and choose from the list. "
        "Choose at least one political subject affected."
    )
