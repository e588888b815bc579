"""The filters of the coordinators' review."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aluna.core.forms import BootstrapWidgetsMixin

from ..models import AreaOfDefence, FederalEntity
from ..selectors.processes import staff_for_team_choices


class DashboardFilterForm(BootstrapWidgetsMixin, forms.Form):
    """Filters of the dashboard; choices are active catalogue entries and accompaniment staff."""

    state = forms.ModelChoiceField(
        label=_("State"), queryset=FederalEntity.objects.none(), required=False
    )
    area = forms.ModelChoiceField(
        label=_("Area of defence"), queryset=AreaOfDefence.objects.none(), required=False
    )
    lead = forms.ModelChoiceField(label=_("Lead staff"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["state"].queryset = FederalEntity.objects.filter(is_active=True)
        self.fields["area"].queryset = AreaOfDefence.objects.filter(is_active=True)
        self.fields["lead"].queryset = staff_for_team_choices()
        for name in ("state", "area", "lead"):
            self.fields[name].empty_label = gettext("All")
            self.fields[name].widget.attrs["class"] = "form-select"
