"""The hub's numbers advocacy reads (accompaniment/aggregates.py): the same counts the
donor report's subjects, processes and sessions sections computed before they moved,
by category code, one query each, and nothing that names anyone."""

import datetime as dt

import pytest
from django.utils import timezone

from accompaniment import aggregates as hub
from accompaniment.factories import (
    CollectiveFactory,
    PoliticalSubjectFactory,
    ProcessFactory,
    SessionFactory,
)
from accompaniment.models import AreaOfDefence, FederalEntity, GenderIdentity, ProcessKind
from advocacy.aggregates import processes_section, sessions_section, subjects_section

pytestmark = pytest.mark.django_db

DAYS = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def period():
    today = timezone.localdate()
    return {"start": today - 365 * DAYS, "end": today}


@pytest.fixture
def areas():
    return list(AreaOfDefence.objects.order_by("code")[:2])


@pytest.fixture
def hub_cases(accompanier, areas):
    """Three subjects accompanied in the last year and one whose process ended long ago."""
    today = timezone.localdate()
    chiapas, oaxaca = FederalEntity.objects.get(code="07"), FederalEntity.objects.get(code="20")
    defender = PoliticalSubjectFactory(
        state=chiapas, gender_identity=GenderIdentity.WOMAN, areas=areas
    )
    ProcessFactory(subject=defender, lead=accompanier, opened_on=today - 120 * DAYS)
    ProcessFactory(
        subject=PoliticalSubjectFactory(state=oaxaca),
        lead=accompanier,
        opened_on=today - 400 * DAYS,
        closed_on=today - 200 * DAYS,
    )
    crisis = ProcessFactory(
        subject=CollectiveFactory(state=None, areas=areas[:1]),
        kind=ProcessKind.CRISIS,
        lead=accompanier,
        opened_on=today - 30 * DAYS,
    )
    ProcessFactory(  # over before the period: neither accompanied, opened nor closed in it
        subject=PoliticalSubjectFactory(state=chiapas),
        lead=accompanier,
        opened_on=today - 800 * DAYS,
        closed_on=today - 500 * DAYS,
    )
    now = timezone.now()
    SessionFactory(process=crisis, started_at=now - 3 * DAYS, modality="phone", works_security=True)
    SessionFactory(
        process=crisis,
        started_at=now - 2 * DAYS,
        modality="in_person",
        works_psychoemotional=False,
        works_security=True,
    )
    SessionFactory(process=crisis, started_at=now - 400 * DAYS, modality="video")
    return crisis


def test_advocate_gets_subjects_accompanied_by_kind_gender_state_and_area(
    hub_cases, period, areas, django_assert_num_queries
):
    first, second = (area.code for area in areas)

    with django_assert_num_queries(4):
        numbers = (
            hub.subjects_by_kind(**period),
            hub.subjects_by_gender(**period),
            hub.subjects_by_state(**period),
            hub.subjects_by_area(**period),
        )

    assert numbers == (
        {"individual-defender": 2, "informal-collective": 1},
        {"woman": 1, "": 2},
        {"07": 1, "20": 1, None: 1},
        {first: 2, second: 1},
    )


def test_advocate_gets_processes_opened_and_closed_and_sessions_by_field_and_modality(
    hub_cases, period, django_assert_num_queries
):
    with django_assert_num_queries(4):
        numbers = (
            hub.processes_opened_by_kind(**period),
            hub.processes_closed_by_kind(**period),
            hub.sessions_by_field(**period),
            hub.sessions_by_modality(**period),
        )

    assert numbers == (
        {"strengthening": 1, "crisis": 1},
        {"strengthening": 1},
        {"psychoemotional": 1, "internal_dynamics": 0, "security": 2, "political_project": 0},
        {"phone": 1, "in_person": 1},
    )


def test_advocate_gets_the_hub_sections_labelled_as_before(hub_cases, period, areas):
    by_kind, by_gender, by_state, by_state_and_gender, by_area = subjects_section(**period)
    opened, closed = processes_section(**period)
    by_field, by_modality = sessions_section(**period)

    assert by_kind.rows == [("Individual defender", 2), ("Informal collective or group", 1)]
    assert by_gender.rows == [("Not recorded", 2), ("Woman", 1)]
    assert by_state.rows == [("Chiapas", 1), ("Not recorded", 1), ("Oaxaca", 1)]
    assert by_area.rows == sorted([(areas[0].label_en, 2), (areas[1].label_en, 1)])
    assert by_state_and_gender.kind == "grid"
    assert by_state_and_gender.row_categories == [
        ("07", "Chiapas"),
        (None, "Not recorded"),
        ("20", "Oaxaca"),
    ]
    assert sum(by_state_and_gender.cells.values()) == 3
    assert opened.rows == [("Crisis and emergency", 1), ("Organisational strengthening", 1)]
    assert closed.rows == [("Organisational strengthening", 1)]
    assert by_field.rows == [
        ("Psycho-emotional", 1),
        ("Internal dynamics and relationships", 0),
        ("Security", 2),
        ("Political project", 0),
    ]
    assert by_modality.rows == [("In person", 1), ("Phone", 1)]


def test_hub_labels_name_categories_never_a_case(hub_cases):
    labels = [
        hub.subject_kind_labels(),
        hub.state_labels(),
        hub.area_labels(),
        hub.gender_labels(),
        hub.process_kind_labels(),
        hub.session_field_labels(),
        hub.session_modality_labels(),
    ]

    subject = hub_cases.subject
    every_label = {str(label) for mapping in labels for label in mapping.values()}
    assert every_label & {subject.name, subject.alias, subject.municipality} == set()
    assert len(labels[1]) == 32
