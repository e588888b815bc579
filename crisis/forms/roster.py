"""Forms for the on-call roster (coordinación)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aluna.core.forms import BootstrapWidgetsMixin
from aluna.core.widgets import DateInput

from ..models import OnCallShift
from ..selectors.roster import crisis_staff_choices, week_start_for

MAX_POSITION = 9
MAX_WEEKS_AHEAD = 104


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class ShiftForm(BootstrapWidgetsMixin, forms.Form):
    week_start = forms.DateField(
        label=_("Week starting (Monday)"),
        widget=DateInput(),
    )
    user = StaffChoiceField(label=_("Person"), queryset=None)
    position = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=MAX_POSITION,
        initial=0,
        help_text=_("0 is on call; 1, 2, ... are the fallbacks, in that order."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = crisis_staff_choices()

    def clean_week_start(self):
        value = self.cleaned_data["week_start"]
        if value.weekday() != 0:
            raise forms.ValidationError(_("A week on call starts on a Monday."))
        this_week = week_start_for(day=timezone.localdate())
        if value < this_week:
            raise forms.ValidationError(_("This week is over: choose this week or a later one."))
        if (value - this_week).days > MAX_WEEKS_AHEAD * 7:
            raise forms.ValidationError(_("Plan at most two years ahead."))
        return value

    def clean(self):
        cleaned = super().clean()
        week, user, position = (
            cleaned.get("week_start"),
            cleaned.get("user"),
            cleaned.get("position"),
        )
        if week is None:
            return cleaned
        if (
            position is not None
            and OnCallShift.objects.filter(week_start=week, position=position).exists()
        ):
            self.add_error("position", _("Someone already holds this place in that week."))
        if user is not None and OnCallShift.objects.filter(week_start=week, user=user).exists():
            self.add_error("user", _("This person is already on the roster that week."))
        return cleaned


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(widget=forms.HiddenInput, initial=True)
