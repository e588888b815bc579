"""The filters of the coordinators' review."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aluna.core.forms import BootstrapWidgetsMixin

from ..models import AreaOfDefence, FederalEntity, PsychosocialField
from ..selectors.dashboard import (
    FIELD_SORT_KEYS,
    SORT_LAST_SESSION,
    SORT_OPENED,
    SORT_ORGANISATION,
)
from ..selectors.processes import staff_for_team_choices


def sort_choices() -> list[tuple[str, str]]:
    """Every sort key of the review, both ways, named as a person would say it."""
    choices = [
        (SORT_ORGANISATION, _("Organisation, A to Z")),
        (f"-{SORT_ORGANISATION}", _("Organisation, Z to A")),
        (f"-{SORT_OPENED}", _("Process opened most recently first")),
        (SORT_OPENED, _("Process opened longest ago first")),
    ]
    for field, label in PsychosocialField.choices:
        key = FIELD_SORT_KEYS[field]
        choices.append((key, _("%(field)s, lowest first") % {"field": label}))
        choices.append((f"-{key}", _("%(field)s, highest first") % {"field": label}))
    choices += [
        (SORT_LAST_SESSION, _("Longest without a session first")),
        (f"-{SORT_LAST_SESSION}", _("Most recent session first")),
    ]
    return choices


class DashboardFilterForm(BootstrapWidgetsMixin, forms.Form):
    """Filters of the dashboard; choices are active catalogue entries and accompaniment staff."""

    state = forms.ModelChoiceField(
        label=_("State"), queryset=FederalEntity.objects.none(), required=False
    )
    area = forms.ModelChoiceField(
        label=_("Area of defence"), queryset=AreaOfDefence.objects.none(), required=False
    )
    lead = forms.ModelChoiceField(label=_("Lead staff"), queryset=None, required=False)
    # Spanish in the address bar, like the other keys people may see there.
    orden = forms.ChoiceField(label=_("Sort by"), choices=(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["state"].queryset = FederalEntity.objects.filter(is_active=True)
        self.fields["area"].queryset = AreaOfDefence.objects.filter(is_active=True)
        self.fields["lead"].queryset = staff_for_team_choices()
        for name in ("state", "area", "lead"):
            self.fields[name].empty_label = gettext("All")
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["orden"].choices = sort_choices()
        self.fields["orden"].widget.attrs["class"] = "form-select"

    def sort_key(self) -> str:
        """The valid sort key asked for, or "" (the default order)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["orden"]
        return ""
