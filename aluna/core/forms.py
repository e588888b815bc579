import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from .widgets import PickedValue, PickedValues, speed_up_selects


def active_or_current(model: type[Model], current_ids=()) -> QuerySet:
    """The catalogue entries a form offers: the active ones, and those the record
    already holds (an entry deactivated since stays selectable on the records
    that use it, and is not silently dropped on save)."""
    kept = [pk for pk in current_ids if pk]
    return model.objects.filter(Q(is_active=True) | Q(pk__in=kept))


class BootstrapWidgetsMixin:
    """Give every widget its Bootstrap class, for forms rendered with
    `includes/field.html` (list filters: crispy's template cascade costs
    several milliseconds per field on pages that must answer in 50 ms), and render
    selects in Python (same HTML, see aluna.core.widgets)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        speed_up_selects(self)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


def _resolve_term(resolve, term: str):
    """The one record `term` names (it matches one, or exactly one's label), or the
    reason it names none: (record, None) or (None, message)."""
    matches, more = resolve(term)
    exact = [m for m in matches if str(m).casefold() == term.casefold()]
    if len(matches) == 1 or len(exact) == 1:
        return (exact or matches)[0], None
    if not matches:
        return None, _("“%(term)s”: none of your cases matches it.") % {"term": term}
    found = ", ".join(str(m) for m in matches) + (", …" if more else "")
    message = _("“%(term)s” matches several: %(found)s. Type the whole alias.")
    return None, message % {"term": term, "found": found}


class PickerChoiceField(forms.ModelChoiceField):
    """A record chosen with a type-ahead picker (`widgets.PickerSelect`).

    Without JavaScript, what is left in the picker's search box is resolved with
    `resolve(term) -> (matches, more)` among what the user may choose; a pick made
    with the list wins over the text.
    """

    def __init__(self, *args, resolve=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolve = resolve

    def prepare_value(self, value):
        return value if isinstance(value, PickedValue) else super().prepare_value(value)

    def clean(self, value):
        query = getattr(value, "query", "")
        if value in (None, "") and query and self.resolve is not None:
            record, error = _resolve_term(self.resolve, query)
            if error:
                raise ValidationError(error)
            value = str(record.pk)
        return super().clean(str(value) if value is not None else value)


class PickerMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Records chosen with a type-ahead picker (`widgets.PickerSelectMultiple`).

    What is left in the picker's search box is resolved with `resolve(term)`, which
    returns (matches, more) among what the user may choose: that is how the field
    works without JavaScript (terms separated by commas or semicolons). A term
    matching one record, or exactly one record's label, takes it; otherwise the
    error says why, so the person can type more of it.
    """

    def __init__(self, *args, resolve=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolve = resolve

    def prepare_value(self, value):
        prepared = super().prepare_value(value)
        if isinstance(prepared, list | tuple):
            picked = PickedValues(prepared)
            picked.query = getattr(value, "query", "")
            return picked
        return prepared

    def _resolve_terms(self, query: str) -> list[str]:
        ids, errors = [], []
        for term in (" ".join(part.split()) for part in re.split(r"[,;]", query)):
            if not term:
                continue
            record, error = _resolve_term(self.resolve, term)
            if error:
                errors.append(error)
            else:
                ids.append(str(record.pk))
        if errors:
            raise ValidationError(errors)
        return ids

    def clean(self, value):
        query = getattr(value, "query", "")
        ids = [str(v) for v in (value or [])]
        if query and self.resolve is not None:
            ids += self._resolve_terms(query)
        return super().clean(list(dict.fromkeys(ids)))
