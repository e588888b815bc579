"""Selects rendered in Python give exactly Django's HTML, escaped the same way."""

import re

import pytest
from django import forms

from aluna.core.forms import BootstrapWidgetsMixin
from aluna.core.widgets import FastSelect, FastSelectMultiple

CHOICES = [
    ("", "Todas"),
    ("a", 'Ñandú & <script>"'),
    ("Grupo <b>", [("x", "Equis"), ("y", "Ye")]),
    (3, "tres"),
]
ATTRS = {"class": "form-select", "required": True, "data-note": 'q"', "hidden": False}


def _normalised(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


@pytest.mark.parametrize(
    ("django_widget", "fast_widget", "value"),
    [
        (forms.Select, FastSelect, "a"),
        (forms.Select, FastSelect, None),
        (forms.SelectMultiple, FastSelectMultiple, ["x", 3]),
    ],
)
def test_fast_selects_render_the_same_html_as_django(django_widget, fast_widget, value):
    expected = django_widget(choices=CHOICES, attrs=ATTRS).render("f", value, {"id": "id_f"})
    rendered = fast_widget(choices=CHOICES, attrs=ATTRS).render("f", value, {"id": "id_f"})

    assert _normalised(rendered) == _normalised(expected)
    assert "<script>" not in rendered


def test_forms_with_the_bootstrap_mixin_get_fast_selects_but_keep_radios():
    class Form(BootstrapWidgetsMixin, forms.Form):
        one = forms.ChoiceField(choices=CHOICES[:2])
        many = forms.MultipleChoiceField(choices=CHOICES[:2])
        radio = forms.ChoiceField(choices=CHOICES[:2], widget=forms.RadioSelect)

    form = Form()

    assert type(form.fields["one"].widget) is FastSelect
    assert type(form.fields["many"].widget) is FastSelectMultiple
    assert type(form.fields["radio"].widget) is forms.RadioSelect
    assert 'class="form-select"' in str(form["one"])
