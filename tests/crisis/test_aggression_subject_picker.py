"""The aggression form's "Political subjects affected" is a type-ahead picker: the
chosen ones render as ticked boxes, and without JavaScript the aliases typed in its
box are resolved among the user's own cases."""

import re

import pytest
from django.urls import reverse

from accompaniment.factories import PoliticalSubjectFactory, ProcessFactory
from crisis.models import Aggression
from tests.crisis.test_aggressions import _form_data

CREATE = reverse("crisis:aggression-create")


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def cases(accompanier, other_accompanier):
    """Pablo: "Radio Norte", "Radio Sur"; Olga: "Radio Olga"."""
    mine = [
        ProcessFactory(subject=PoliticalSubjectFactory(alias=alias), lead=accompanier).subject
        for alias in ("Radio Norte", "Radio Sur")
    ]
    ProcessFactory(subject=PoliticalSubjectFactory(alias="Radio Olga"), lead=other_accompanier)
    return mine


def test_the_form_offers_a_search_box_not_a_list_of_every_subject(login, accompanier, cases):
    html = login(accompanier).get(CREATE).content.decode()

    assert '<select name="subjects"' not in html
    assert html.count('name="subjects_query"') == 1
    assert "Radio Norte" not in html
    assert 'data-search-url="/acompanamiento/sujetos/buscar/"' in html


def test_a_preselected_subject_is_a_ticked_box(login, accompanier, cases):
    norte = cases[0]

    html = login(accompanier).get(CREATE, {"subject": norte.pk}).content.decode()

    boxes = re.findall(
        r'<input type="checkbox" class="btn-check" name="subjects" value="([^"]+)"[^>]*checked>',
        html,
    )
    assert boxes == [str(norte.pk)]


def test_without_javascript_the_aliases_typed_are_resolved(login, accompanier, cases):
    response = login(accompanier).post(
        CREATE, _form_data(affected=[], subjects_query="radio norte; Radio Sur ")
    )

    assert response.status_code == 302
    assert set(Aggression.objects.get().subjects.all()) == set(cases)


def test_an_alias_typed_and_a_subject_picked_both_count(login, accompanier, cases):
    norte, sur = cases

    response = login(accompanier).post(
        CREATE, _form_data(affected=[norte], subjects_query="Radio Sur")
    )

    assert response.status_code == 302
    assert set(Aggression.objects.get().subjects.all()) == {norte, sur}


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("Radio", "“Radio” matches several: Radio Norte, Radio Sur. Type the whole alias."),
        ("Radio Olga", "“Radio Olga”: none of your cases matches it."),
    ],
)
def test_an_alias_typed_that_is_ambiguous_or_not_yours_is_refused(
    login, accompanier, cases, typed, error
):
    response = login(accompanier).post(CREATE, _form_data(affected=[], subjects_query=typed))

    assert response.status_code == 400
    assert response.context["form"].errors["subjects"] == [error]
    assert Aggression.objects.count() == 0
