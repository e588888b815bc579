from django import forms


class BootstrapWidgetsMixin:
    """Give every widget its Bootstrap class, for forms rendered with
    `includes/field.html` (list filters: crispy's template cascade costs
    several milliseconds per field on pages that must answer in 50 ms)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)
