"""What the crisis quick form shows: coloured risk levels, an ambiguous alias's choices
below their message, and the script that takes the person to the first wrong field."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accompaniment.factories import PoliticalSubjectFactory
from crisis.selectors.interventions import SUBJECT_MATCH_LIMIT


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


def _quick_post(**overrides) -> dict:
    data = {
        "subject_query": "Colectivo Semilla",
        "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "phone",
        "risk_level": "high",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_accompanier_sees_each_risk_level_in_its_own_colour_with_an_icon(login, accompanier):
    client = login(accompanier)

    html = client.get(reverse("crisis:crisis-create")).content.decode()

    labels = re.findall(
        r'<label class="btn btn-risk btn-risk-(\w+)"[^>]*>\s*<i class="bi ([\w-]+)"', html
    )
    assert labels == [
        ("low", "bi-shield-check"),
        ("medium", "bi-exclamation-circle"),
        ("high", "bi-exclamation-triangle"),
        ("critical", "bi-exclamation-octagon-fill"),
    ]
    assert "btn-outline-danger" not in html


def test_every_page_loads_the_script_that_focuses_the_first_wrong_field(login, accompanier):
    client = login(accompanier)

    html = client.get(reverse("crisis:crisis-create")).content.decode()

    assert html.count('src="/static/js/form_errors.js"') == 1


def test_accompanier_reads_the_ambiguity_message_above_the_subjects_it_offers(
    login, accompanier, db
):
    client = login(accompanier)
    PoliticalSubjectFactory(alias="Radio Norte", created_by=accompanier)
    PoliticalSubjectFactory(alias="Radio Sur", created_by=accompanier)

    response = client.post(reverse("crisis:crisis-create"), _quick_post(subject_query="Radio"))

    html = response.content.decode()
    assert response.status_code == 400
    message = html.index("Several subjects match this alias: choose one below.")
    assert message < html.index('data-testid="subject-candidates"')
    assert re.findall(r'for="subject-[0-9a-f-]+">([^<]+)', html) == ["Radio Norte ", "Radio Sur "]
    assert 'data-testid="subject-more"' not in html


def test_accompanier_is_told_when_more_subjects_match_than_are_shown(login, accompanier, db):
    client = login(accompanier)
    for number in range(SUBJECT_MATCH_LIMIT + 1):
        PoliticalSubjectFactory(alias=f"Radio {number:02d}", created_by=accompanier)

    response = client.post(reverse("crisis:crisis-create"), _quick_post(subject_query="Radio"))

    html = response.content.decode()
    assert response.status_code == 400
    assert html.count('name="subject"') == SUBJECT_MATCH_LIMIT
    assert html.index('data-testid="subject-candidates"') < html.index('data-testid="subject-more"')
    assert (
        "More subjects match: only the first 10 are shown. "
        "Type more of the alias to narrow the list."
    ) in html
