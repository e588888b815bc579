"""The project's widgets: native date pickers, and selects rendered faster.

`PickerInput` and `PickerSelectMultiple` are type-ahead pickers for lists too long
for a select (subjects: tens of thousands), see their docstring.

`DateInput` and `DateTimeInput` give the phone's own date and time pickers
(`type="date"`, `type="datetime-local"`) with the ISO value those inputs need.

Django renders every `<option>` of a select through a template include: at a
few hundred options (all accompaniment staff, the 32 states) that costs ~10 ms
per field, a fifth of a list page's 50 ms budget. These widgets build the same
markup in Python, escaping every value and label with `format_html`.
"""

from collections import OrderedDict

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class DateInput(forms.DateInput):
    """The browser's date picker; the value is always ISO (yyyy-mm-dd)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the value is ISO (yyyy-mm-ddThh:mm)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def flatatt(attrs: dict) -> str:
    """Attributes in their given order, as django/forms/widgets/attrs.html writes them."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _render_select(widget: dict) -> str:
    parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('<optgroup label="{}">', group_name))
        parts.extend(
            format_html(
                '<option value="{}"{}>{}</option>',
                option["value"],
                flatatt(option["attrs"]),
                option["label"],
            )
            for option in options
        )
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece above went through format_html # nosec B308


# Markup of catalogue selects, per exact catalogue version, name, value, attributes and
# language: the same few selects are rendered on every list page (aluna/core/choices.py).
_RENDERED: OrderedDict = OrderedDict()
_RENDERED_MAX = 512


def _rendered_key(widget, name, value, attrs) -> tuple | None:
    token = getattr(widget.choices, "token", None)
    token = token() if token is not None else None
    if token is None:
        return None
    final_attrs = widget.build_attrs(widget.attrs, attrs)
    return (
        token,
        type(widget),
        name,
        tuple(widget.format_value(value)),
        tuple(sorted((k, str(v)) for k, v in final_attrs.items())),
        str(getattr(widget.choices.field, "empty_label", "")),
        translation.get_language(),
    )


class FastSelectMixin:
    def render(self, name, value, attrs=None, renderer=None):
        key = _rendered_key(self, name, value, attrs)
        if key is not None and key in _RENDERED:
            return _RENDERED[key]
        html = _render_select(self.get_context(name, value, attrs)["widget"])
        if key is not None:
            _RENDERED[key] = html
            while len(_RENDERED) > _RENDERED_MAX:
                _RENDERED.popitem(last=False)
        return html


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass


def speed_up_selects(form) -> None:
    """Swap the plain Select widgets of `form` for their fast twins (same HTML)."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.Select:
            widget.__class__ = FastSelect
        elif type(widget) is forms.SelectMultiple:
            widget.__class__ = FastSelectMultiple


# --- Type-ahead pickers -------------------------------------------------------------------


class PickedValues(list):
    """The ids a picker sent, and the text left in its search box (`query`): without
    JavaScript that text is all there is, and the form resolves it."""

    query = ""


class PickedValue(str):
    """One id a picker sent ("" for none), and the text left in its search box."""

    query = ""


def _query_of(data, name: str) -> str:
    return " ".join(str(data.get(f"{name}_query", "")).split())


class _PickerMixin:
    """A type-ahead picker (ARIA 1.2 combobox + listbox, static/js/picker.js) over a
    search endpoint that is POSTed to (the text typed never reaches a URL), answering
    {"results": [{"id", "alias", "label"}], "more": bool}. Without JavaScript it is
    the plain text box it starts as, and the form resolves what was typed
    (aluna.core.forms.PickerChoiceField / PickerMultipleChoiceField).

    Not a Select: crispy forms would render a Select's every option itself.
    Rendered by templates/includes/picker.html through the project's template engine.
    """

    template = "includes/picker.html"
    multiple = False
    shows_chosen = False

    def __init__(self, *, search_url, target: str = "", search_kind: str = "", attrs=None):
        super().__init__(attrs=attrs)
        self.search_url = search_url
        self.target = target
        # Sent with every search as `kind` (the endpoint narrows what it answers).
        self.search_kind = search_kind

    def picker_context(self, name, value, attrs) -> dict:
        attrs = {**self.attrs, **(attrs or {})}
        widget_id = attrs.pop("id", None) or f"id_{name}"
        # Bootstrap helpers may hand a select's class: the box is a text input.
        css = " ".join(c for c in attrs.pop("class", "").split() if c != "form-select")
        return {
            "id": widget_id,
            "search_url": str(self.search_url),
            "search_kind": self.search_kind,
            "multiple": self.multiple,
            "shows_chosen": self.shows_chosen,
            "attrs": attrs,
            "css": css,
        }

    def render(self, name, value, attrs=None, renderer=None):
        context = {"picker": self.get_picker_context(name, value, attrs)}
        return render_to_string(self.template, context)


class PickerInput(_PickerMixin, forms.TextInput):
    """The search box is the field itself (`name`); a pick is sent as a hidden
    `target` input with the chosen id, which the form prefers to the text (the
    crisis quick form's subject)."""

    def get_picker_context(self, name, value, attrs) -> dict:
        return {
            **self.picker_context(name, value, attrs),
            "query_name": name,
            "query": self.format_value(value) or "",
            "target": self.target,
            "chosen": [],
        }


class _ChosenPicker(_PickerMixin, forms.Widget):
    """What is chosen shows as ticked checkboxes named `name` (untick one to take it
    out, with or without JavaScript); the search box is `<name>_query`."""

    shows_chosen = True

    def chosen(self, values) -> list[tuple[str, str]]:
        """(id, label) of the chosen values that are still valid choices."""
        ids = [str(v) for v in values if v not in (None, "")]
        if not ids or not hasattr(self.choices, "queryset"):
            return []
        try:
            objects = list(self.choices.queryset.filter(pk__in=ids))
        except (ValueError, ValidationError):
            return []
        by_id = {str(obj.pk): obj for obj in objects}
        label = self.choices.field.label_from_instance
        return [(pk, label(by_id[pk])) for pk in dict.fromkeys(ids) if pk in by_id]

    def get_picker_context(self, name, value, attrs) -> dict:
        if isinstance(value, list | tuple):
            values = value
        else:
            values = [] if value in (None, "") else [value]
        return {
            **self.picker_context(name, value, attrs),
            "query_name": f"{name}_query",
            "query": getattr(value, "query", ""),
            "target": name,
            "chosen": self.chosen(values),
        }

    def value_omitted_from_data(self, data, files, name):
        return False


class PickerSelect(_ChosenPicker):
    """One record (a ModelChoiceField): a new pick replaces the one chosen."""

    def value_from_datadict(self, data, files, name):
        value = PickedValue(data.get(name) or "")
        value.query = _query_of(data, name)
        return value


class PickerSelectMultiple(_ChosenPicker):
    """Several records (a ModelMultipleChoiceField): each pick is added."""

    multiple = True
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        values = PickedValues(getter(name) if getter else data.get(name) or [])
        values.query = _query_of(data, name)
        return values
