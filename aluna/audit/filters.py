import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import AuditAction, AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    # Typed as an e-mail address: a drop-down of every account grows with the staff.
    actor = django_filters.ModelChoiceFilter(
        label=_("User's e-mail address"),
        queryset=get_user_model().objects.all(),
        to_field_name="email",
        widget=forms.EmailInput,
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AuditAction.choices, empty_label=_("Any action")
    )
    target_type = django_filters.CharFilter(
        label=_("Record type"), help_text=_("For example accompaniment.subject")
    )
    target_id = django_filters.CharFilter(label=_("Record id"))
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("Until"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "target_type", "target_id", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
