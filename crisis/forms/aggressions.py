"""Forms for the aggressions registry.

Plain forms: a POST can only set the fields listed here. Choice querysets are
narrowed to active catalogue entries (plus those the record already uses) and
the subjects to the user's scope.
"""

import datetime as dt

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accompaniment.models import AggressionType, FederalEntity, Perpetrator
from accompaniment.selectors.subjects import subject_picker_matches
from aluna.core.concurrency import VersionedFormMixin
from aluna.core.forms import BootstrapWidgetsMixin, PickerMultipleChoiceField, active_or_current
from aluna.core.widgets import DateInput, DateTimeInput, PickerSelectMultiple

from ..models import Aggression, ReportingBody
from ..selectors.aggressions import aggression_subject_choices

NARRATIVE_MAX_LENGTH = 20000
EARLIEST_DATE = dt.date(1990, 1, 1)


class SubjectChoiceField(PickerMultipleChoiceField):
    """The subjects affected, picked by type-ahead among the user's cases."""

    def label_from_instance(self, obj):
        return f"{obj.alias} ({obj.initials})" if obj.initials else obj.alias


def report_field_names(body: str) -> tuple[str, str]:
    return f"report_{body}", f"report_{body}_on"


class AggressionForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    is_approximate = forms.BooleanField(
        label=_("The date is approximate"),
        required=False,
        help_text=_("Tick it when the day or the time is not known for sure."),
    )
    state = forms.ModelChoiceField(label=_("State"), queryset=None, required=False)
    municipality = forms.CharField(label=_("Municipality"), max_length=120, required=False)
    types = forms.ModelMultipleChoiceField(
        label=_("Types of aggression"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one type of aggression.")},
    )
    perpetrators = forms.ModelMultipleChoiceField(
        label=_("Perpetrators"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Several if they acted together; “not identified” when unknown."),
    )
    subjects = SubjectChoiceField(
        label=_("Political subjects affected"),
        queryset=None,
        error_messages={"required": _("Choose at least one political subject affected.")},
        widget=PickerSelectMultiple(search_url=reverse_lazy("accompaniment:subject-picker-search")),
        help_text=_("Type part of the alias or the initials and choose from the list."),
    )
    narrative = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=NARRATIVE_MAX_LENGTH,
        required=False,
        help_text=_("Stored encrypted. Shown only on the aggression's page."),
    )
    evidence_kept = forms.BooleanField(label=_("Evidence is kept"), required=False)
    evidence_keeper = forms.CharField(
        label=_("Who keeps the evidence"), max_length=200, required=False
    )

    def __init__(self, *args, user, aggression=None, **kwargs):
        if aggression is not None:
            initial = {name: getattr(aggression, name) for name in Aggression.EDITABLE_FIELDS}
            initial |= {
                "state": aggression.state_id,
                "types": [t.pk for t in aggression.types.all()],
                "perpetrators": [p.pk for p in aggression.perpetrators.all()],
                "subjects": [s.pk for s in aggression.subjects.all()],
            }
            for report in aggression.reports.all():
                flag, on = report_field_names(report.body)
                initial[flag] = True
                initial[on] = report.reported_on
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.user = user
        initial = self.initial
        self.fields["state"].queryset = active_or_current(FederalEntity, [initial.get("state")])
        self.fields["types"].queryset = active_or_current(
            AggressionType, initial.get("types") or []
        )
        self.fields["perpetrators"].queryset = active_or_current(
            Perpetrator, initial.get("perpetrators") or []
        )
        self.fields["subjects"].queryset = aggression_subject_choices(user=user)
        self.fields["subjects"].resolve = lambda term: subject_picker_matches(user=user, query=term)
        for body, label in ReportingBody.choices:
            flag, on = report_field_names(body)
            self.fields[flag] = forms.BooleanField(label=label, required=False)
            self.fields[on] = forms.DateField(
                label=_("Reported on"), required=False, widget=DateInput()
            )

    @property
    def report_rows(self):
        """(checkbox, date) bound fields per reporting body, for the template."""
        return [
            (self[report_field_names(body)[0]], self[report_field_names(body)[1]])
            for body in ReportingBody.values
        ]

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now():
            raise forms.ValidationError(_("The date of the aggression cannot be in the future."))
        if timezone.localtime(value).date() < EARLIEST_DATE:
            raise forms.ValidationError(_("Check the year: this date is too far in the past."))
        return value

    def clean(self):
        cleaned = super().clean()
        occurred_at = cleaned.get("occurred_at")
        occurred_on = timezone.localtime(occurred_at).date() if occurred_at else None
        today = timezone.localdate()
        reports = {}
        for body in ReportingBody.values:
            flag, on = report_field_names(body)
            reported_on = cleaned.get(on)
            if not cleaned.get(flag) and not reported_on:
                continue
            if reported_on and reported_on > today:
                self.add_error(on, _("The date of the report cannot be in the future."))
            elif reported_on and occurred_on and reported_on < occurred_on:
                self.add_error(on, _("The report cannot be before the aggression."))
            reports[body] = reported_on
        cleaned["reports"] = reports
        if cleaned.get("evidence_keeper") and not cleaned.get("evidence_kept"):
            self.add_error(
                "evidence_kept", _("Tick “evidence is kept” or leave “who keeps it” empty.")
            )
        return cleaned


class AggressionEditForm(VersionedFormMixin, AggressionForm):
    def __init__(self, *args, aggression, **kwargs):
        kwargs.setdefault("initial", {})["version"] = aggression.version
        super().__init__(*args, aggression=aggression, **kwargs)
        self.aggression = aggression

    def hidden_subject_ids(self) -> list:
        """Subjects of the aggression this user may not see: they stay on it, untouched."""
        visible = set(self.fields["subjects"].queryset.values_list("pk", flat=True))
        return [s.pk for s in self.aggression.subjects.all() if s.pk not in visible]


class AggressionFilterForm(BootstrapWidgetsMixin, forms.Form):
    type = forms.ModelChoiceField(
        label=_("Type"), queryset=AggressionType.objects.all(), required=False
    )
    perpetrator = forms.ModelChoiceField(
        label=_("Perpetrator"), queryset=Perpetrator.objects.all(), required=False
    )
    state = forms.ModelChoiceField(
        label=_("State"), queryset=FederalEntity.objects.all(), required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return cleaned


class StatisticsPeriodForm(BootstrapWidgetsMixin, forms.Form):
    MAX_DAYS = 366 * 10

    date_from = forms.DateField(label=_("From"), widget=DateInput())
    date_to = forms.DateField(label=_("To"), widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("The end of the period cannot be before its start."))
            elif (end - start).days > self.MAX_DAYS:
                self.add_error("date_to", _("Choose a period of at most ten years."))
            elif start < EARLIEST_DATE:
                self.add_error("date_from", _("Check the year: this date is too far in the past."))
        return cleaned
