import datetime as dt

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aluna.core.concurrency import VersionedFormMixin
from aluna.core.forms import active_or_current
from aluna.core.widgets import DateInput, DateTimeInput

from ..models import (
    CopingMechanism,
    Dimension,
    Process,
    PsychosocialField,
    PsychosocialImpact,
    Session,
)
from ..selectors.catalogues import active_entries

NOTES_MAX_LENGTH = 20_000
AGREEMENTS_MAX_LENGTH = 5_000
# A session recorded late at night may carry tomorrow's date in another time zone,
# never more.
MAX_FUTURE = dt.timedelta(days=1)


class SessionForm(forms.ModelForm):
    """A session, quick to enter on a phone.

    The four `works_<field>` booleans are one checkbox list here (at least one is
    required); impacts and coping mechanisms offer active catalogue entries only
    (an entry already on the session stays offered when editing).
    """

    fields_worked = forms.MultipleChoiceField(
        label=_("Fields worked"),
        choices=PsychosocialField.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one of the four fields worked.")},
    )

    class Meta:
        model = Session
        fields = [*Session.EDITABLE_FIELDS, "impacts", "coping_mechanisms"]
        widgets = {
            "started_at": DateTimeInput(),
            "modality": forms.RadioSelect,
            "duration_minutes": forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
            "participants_count": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "notes": forms.Textarea(attrs={"rows": 5}),
            "agreements": forms.Textarea(attrs={"rows": 3}),
            "impacts": forms.CheckboxSelectMultiple,
            "coping_mechanisms": forms.CheckboxSelectMultiple,
            "next_session_on": DateInput(),
        }
        error_messages = {
            "duration_minutes": {
                "min_value": _("A session lasts at least 5 minutes."),
                "max_value": _("A session lasts at most 720 minutes (12 hours)."),
            },
            "participants_count": {
                "min_value": _("At least one person took part."),
                "max_value": _("At most 500 participants."),
            },
        }

    def __init__(self, *args, process: Process, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process
        self.user = user
        # The model's choices carry an empty "---------" option; a radio list does not need it.
        self.fields["modality"].choices = Session._meta.get_field("modality").choices
        for name, limit in (("notes", NOTES_MAX_LENGTH), ("agreements", AGREEMENTS_MAX_LENGTH)):
            self.fields[name].widget.attrs["maxlength"] = limit
            self.fields[name].validators.append(MaxLengthValidator(limit))
        self.fields["impacts"].queryset = self._offered(PsychosocialImpact, "impacts")
        self.fields["coping_mechanisms"].queryset = self._offered(
            CopingMechanism, "coping_mechanisms"
        )
        self.fields["modality"].widget.attrs["class"] = "btn-check"
        for name in ("fields_worked", "impacts", "coping_mechanisms"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        self.fields["started_at"].help_text = _("Local time (Mexico City).")
        self.fields["next_session_on"].help_text = _(
            "Optional. It becomes the process's next follow-up date."
        )
        if self.instance._state.adding:
            self.initial.setdefault(
                "started_at", timezone.localtime().replace(second=0, microsecond=0)
            )
        else:
            self.initial.setdefault("fields_worked", list(self.instance.fields_worked))

    def _offered(self, model, relation):
        if self.instance._state.adding:
            return active_entries(model)
        # An entry deactivated after it was recorded stays offered on that session.
        return active_or_current(
            model, getattr(self.instance, relation).values_list("pk", flat=True)
        )

    def impact_groups(self) -> list[tuple[str, list]]:
        """The impact checkboxes grouped by dimension, in the dimensions' order."""
        by_dimension: dict[str, list] = {}
        for checkbox in self["impacts"].subwidgets:
            by_dimension.setdefault(checkbox.data["value"].instance.dimension, []).append(checkbox)
        return [
            (label, by_dimension[value])
            for value, label in Dimension.choices
            if value in by_dimension
        ]

    def clean_started_at(self):
        started_at = self.cleaned_data["started_at"]
        if started_at > timezone.now() + MAX_FUTURE:
            raise forms.ValidationError(_("A session cannot be recorded more than one day ahead."))
        if timezone.localtime(started_at).date() < self.process.opened_on:
            raise forms.ValidationError(
                _("The session cannot be before the process was opened (%(date)s).")
                % {"date": self.process.opened_on.isoformat()}
            )
        return started_at

    def clean_next_session_on(self):
        next_session_on = self.cleaned_data["next_session_on"]
        unchanged = (
            not self.instance._state.adding and next_session_on == self.instance.next_session_on
        )
        if next_session_on and not unchanged and next_session_on < timezone.localdate():
            raise forms.ValidationError(_("The next session cannot be in the past."))
        return next_session_on

    def clean(self):
        cleaned = super().clean()
        started_at = cleaned.get("started_at")
        next_session_on = cleaned.get("next_session_on")
        if (
            started_at
            and next_session_on
            and next_session_on < timezone.localtime(started_at).date()
        ):
            self.add_error("next_session_on", _("The next session cannot be before this session."))
        return cleaned


class SessionEditForm(SessionForm, VersionedFormMixin):
    """The same form with the version it was opened on (optimistic concurrency)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)
