"""The re-identification preview: every hidden figure with its reason, the combinations
that single out fewer than 5 people, and the advocate's way out (drop, coarsen)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accompaniment.factories import CollectiveFactory, PoliticalSubjectFactory, ProcessFactory
from accompaniment.models import FederalEntity
from advocacy.models import DonorReport
from advocacy.services import report_compute_tables

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


def seed_subjects():
    """Six women defenders in Chiapas (07) and Oaxaca (20), three each, and two
    collectives in Guerrero (12): Guerrero × collective is a group of 2."""
    states = {code: FederalEntity.objects.get(code=code) for code in ("07", "20", "12")}
    subjects = [
        PoliticalSubjectFactory(state=states[code], gender_identity="woman")
        for code in ("07", "07", "07", "20", "20", "20")
    ]
    subjects += [CollectiveFactory(state=states["12"]) for _ in range(2)]
    for subject in subjects:
        ProcessFactory(subject=subject)


def _report(advocate, **options) -> DonorReport:
    today = timezone.localdate()
    return DonorReport.objects.create(
        title="Informe",
        start=today - dt.timedelta(days=30),
        end=today,
        sections=["subjects"],
        options=options,
        created_by=advocate,
    )


def test_advocate_sees_each_hidden_figure_and_the_combinations_that_single_people_out(
    login, advocate
):
    seed_subjects()
    report = _report(advocate)

    html = (
        login(advocate)
        .get(reverse("advocacy:report-preview", kwargs={"report_id": report.pk}))
        .text
    )

    risky = html.split('data-testid="preview-risky"')[1].split("</div>")[0]
    assert "kind × gender identity × state" in risky
    assert "<li>Informal collective or group · Not recorded · Guerrero</li>" in risky
    assert "<li>Individual defender · Woman · Chiapas</li>" in risky  # 3 people
    assert "3 combinations of" in risky
    hidden = html.split('data-testid="preview-hidden"')[1].split("</ul>")[0]
    guerrero = 'by state</span> · Guerrero: <span class="text-nowrap">“&lt;5”</span>'
    assert guerrero in hidden
    assert "A count from 1 to 4." in hidden
    assert "Two-way table: a small count" in hidden


def test_advocate_coarsens_states_to_regions_and_the_report_follows(login, advocate):
    seed_subjects()
    report = _report(advocate)
    client = login(advocate)
    url = reverse("advocacy:report-preview", kwargs={"report_id": report.pk})

    response = client.post(url, {"coarsen_states": "on", "drop": ["area"]})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.options == {"drop": ["area"], "coarsen_states": True}
    labels = [table["label"] for table in report_compute_tables(report=report)[0]["tables"]]
    assert labels == [
        "Political subjects accompanied, by kind",
        "Political subjects accompanied, by gender identity",
        "Political subjects accompanied, by region",
        "Political subjects accompanied, by region and gender identity",
    ]
    html = client.get(url).text
    assert "kind × gender identity × region" in html
    # Chiapas and Oaxaca are both "South": 6 women defenders, no longer fewer than 5.
    assert "Individual defender · Woman · South" not in html
    assert "<li>Informal collective or group · Not recorded · South</li>" in html


def test_dropping_the_place_leaves_no_risky_combination_here(login, advocate):
    seed_subjects()
    report = _report(advocate, drop=["place", "gender"])

    html = (
        login(advocate)
        .get(reverse("advocacy:report-preview", kwargs={"report_id": report.pk}))
        .text
    )

    assert 'data-testid="preview-risky-none"' in html


def test_a_bad_option_is_a_clear_error_not_a_500(login, advocate):
    report = _report(advocate)
    url = reverse("advocacy:report-preview", kwargs={"report_id": report.pk})

    response = login(advocate).post(url, {"drop": ["names"]})

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    report.refresh_from_db()
    assert report.options == {}
