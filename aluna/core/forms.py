from django import forms
from django.db.models import Model, Q, QuerySet

from .widgets import speed_up_selects


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
