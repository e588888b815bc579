"""Forms for processes, objectives and assessments.

Plain forms, not model forms: a POST can only ever set the fields listed here
(status, archive flag, subject, version of the record, closing date are never
taken from the request, except `version` as the concurrency token).
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aluna.core.concurrency import VersionedFormMixin, initial_from
from aluna.core.widgets import DateInput

from ..models import (
    PROCESS_TRANSITIONS,
    FieldAssessment,
    Objective,
    ObjectiveStatus,
    Process,
    ProcessKind,
    ProcessStatus,
    PsychosocialField,
)
from ..selectors.processes import staff_for_team_choices

REASON_MAX_LENGTH = 2000
SUMMARY_MAX_LENGTH = 10000
DESCRIPTION_MAX_LENGTH = 2000
NOTES_MAX_LENGTH = 5000


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class _TeamFieldsMixin(forms.Form):
    lead = StaffChoiceField(label=_("Lead"), queryset=None)
    team = StaffMultipleChoiceField(
        label=_("Team"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The lead is always on the team. Only the team and coordinación see the case."),
    )
    frequency_days = forms.IntegerField(
        label=_("Agreed frequency (days)"),
        min_value=1,
        max_value=365,
        initial=30,
        help_text=_("How often the team agreed to meet, in days."),
    )
    next_follow_up = forms.DateField(label=_("Next follow-up"), required=False, widget=DateInput())

    def _setup_staff_choices(self):
        staff = staff_for_team_choices()
        self.fields["lead"].queryset = staff
        self.fields["team"].queryset = staff

    def clean_next_follow_up(self):
        value = self.cleaned_data.get("next_follow_up")
        unchanged = value is not None and value == self.initial.get("next_follow_up")
        if value and value < timezone.localdate() and not unchanged:
            raise forms.ValidationError(_("The next follow-up cannot be in the past."))
        return value


class ProcessOpenForm(_TeamFieldsMixin):
    field_order = ["kind", "opened_on", "lead", "team", "frequency_days", "next_follow_up"]

    kind = forms.ChoiceField(label=_("Kind of accompaniment"), choices=ProcessKind.choices)
    opened_on = forms.DateField(label=_("Opened on"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._setup_staff_choices()
        if not self.is_bound:
            self.fields["opened_on"].initial = timezone.localdate()
            if self.fields["lead"].queryset.filter(pk=user.pk).exists():
                self.fields["lead"].initial = user.pk

    def clean_opened_on(self):
        value = self.cleaned_data["opened_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The opening date cannot be in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        opened_on, follow_up = cleaned.get("opened_on"), cleaned.get("next_follow_up")
        if opened_on and follow_up and follow_up < opened_on:
            self.add_error(
                "next_follow_up", _("The next follow-up cannot be before the opening date.")
            )
        return cleaned


class ProcessEditForm(VersionedFormMixin, _TeamFieldsMixin):
    field_order = ["lead", "team", "frequency_days", "next_follow_up"]

    def __init__(self, *args, user, process, **kwargs):
        # The stored follow-up date stays acceptable even when it has passed.
        kwargs["initial"] = {
            **initial_from(process, Process.EDITABLE_FIELDS),
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)
        self.user = user
        self.process = process
        self._setup_staff_choices()

    def clean(self):
        cleaned = super().clean()
        follow_up = cleaned.get("next_follow_up")
        if follow_up and follow_up < self.process.opened_on:
            self.add_error(
                "next_follow_up", _("The next follow-up cannot be before the opening date.")
            )
        return cleaned


class ProcessStatusForm(VersionedFormMixin):
    to_status = forms.ChoiceField(label=_("New status"), choices=())
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to pause or close the process."),
    )
    closing_summary = forms.CharField(
        label=_("Closing summary"),
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required to close: what was achieved and what remains."),
    )

    def __init__(self, *args, process, **kwargs):
        kwargs.setdefault("initial", {"version": process.version})
        super().__init__(*args, **kwargs)
        self.process = process
        allowed = PROCESS_TRANSITIONS[ProcessStatus(process.status)]
        self.fields["to_status"].choices = [
            (value, label) for value, label in ProcessStatus.choices if value in allowed
        ]

    def clean(self):
        cleaned = super().clean()
        to_status = cleaned.get("to_status")
        if (
            to_status in (ProcessStatus.PAUSED, ProcessStatus.CLOSED)
            and not (cleaned.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Give the reason for pausing or closing the process."))
        if to_status == ProcessStatus.CLOSED and not (cleaned.get("closing_summary") or "").strip():
            self.add_error("closing_summary", _("Closing a process requires a closing summary."))
        return cleaned


class ObjectiveForm(forms.Form):
    field = forms.ChoiceField(label=_("Field"), choices=PsychosocialField.choices)
    description = forms.CharField(
        label=_("Objective"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("As agreed with the political subject."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ObjectiveStatus.choices, initial=ObjectiveStatus.AGREED
    )

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process

    def clean_description(self):
        value = self.cleaned_data["description"].strip()
        if not value:
            raise forms.ValidationError(_("Describe the objective."))
        return value


class ObjectiveEditForm(VersionedFormMixin, ObjectiveForm):
    field_order = list(Objective.EDITABLE_FIELDS)

    def __init__(self, *args, objective, **kwargs):
        kwargs["initial"] = initial_from(objective, Objective.EDITABLE_FIELDS)
        super().__init__(*args, process=objective.process, **kwargs)


class AssessmentForm(forms.Form):
    field = forms.ChoiceField(label=_("Field"), choices=PsychosocialField.choices)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    score = forms.TypedChoiceField(
        label=_("Score"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("1 = very weak, 5 = very strong."),
        error_messages={"invalid_choice": _("The score must be a whole number from 1 to 5.")},
    )
    indicator_notes = forms.CharField(
        label=_("Indicator notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process
        if not self.is_bound and "assessed_on" not in self.initial:
            self.initial["assessed_on"] = timezone.localdate()

    def clean_assessed_on(self):
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The assessment date cannot be in the future."))
        if value < self.process.opened_on:
            raise forms.ValidationError(
                _("The assessment date cannot be before the process was opened.")
            )
        return value


class AssessmentEditForm(VersionedFormMixin, AssessmentForm):
    field_order = list(FieldAssessment.EDITABLE_FIELDS)

    def __init__(self, *args, assessment, **kwargs):
        kwargs["initial"] = initial_from(assessment, FieldAssessment.EDITABLE_FIELDS)
        super().__init__(*args, process=assessment.process, **kwargs)
