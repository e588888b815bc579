"""The project's widgets: native date pickers, and selects rendered faster.

`DateInput` and `DateTimeInput` give the phone's own date and time pickers
(`type="date"`, `type="datetime-local"`) with the ISO value those inputs need.

Django renders every `<option>` of a select through a template include: at a
few hundred options (all accompaniment staff, the 32 states) that costs ~10 ms
per field, a fifth of a list page's 50 ms budget. These widgets build the same
markup in Python, escaping every value and label with `format_html`.
"""

from collections import OrderedDict

from django import forms
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
