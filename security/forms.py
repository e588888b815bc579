"""Forms of the security app: they validate and normalise; services persist."""

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accompaniment.models import FederalEntity, Perpetrator
from accompaniment.selectors.access import subjects_for_user
from accompaniment.selectors.processes import staff_for_team_choices
from aluna.core.concurrency import VersionedFormMixin
from aluna.core.forms import BootstrapWidgetsMixin, active_or_current
from aluna.core.widgets import DateInput, DateTimeInput

from .models import (
    MeasureSource,
    MeasureStatus,
    PlanItemStatus,
    ProtectionMeasure,
    RiskAssessment,
    SecurityPlan,
    cidh_number_validator,
)

TEXT_MAX = 2000
ONE_TO_FIVE = [("", "—")] + [(i, str(i)) for i in range(1, 6)]
MAX_TRIP_DAYS = 14


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class OnlyValidateMixin:
    """A model form that only validates: services persist, so no instance is touched here."""

    def _post_clean(self):
        pass


class EditFormMixin(VersionedFormMixin):
    """The edit form of a versioned record: shows `instance` and carries the version
    it was opened on (what `submit_versioned` compares)."""

    def __init__(self, *args, instance, **kwargs):
        kwargs["initial"] = {"version": instance.version, **kwargs.get("initial", {})}
        super().__init__(*args, instance=instance, **kwargs)


# --- Risk assessments --------------------------------------------------------------------------


class RiskAssessmentForm(OnlyValidateMixin, BootstrapWidgetsMixin, forms.ModelForm):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = RiskAssessment
        fields = RiskAssessment.EDITABLE_FIELDS

    def __init__(self, *args, process, **kwargs):
        self.process = process
        super().__init__(*args, **kwargs)

    def clean_assessed_on(self):
        value = _not_in_future(self.cleaned_data["assessed_on"])
        if value < self.process.opened_on:
            raise forms.ValidationError(_("The date cannot be before the process was opened."))
        return value


class RiskAssessmentEditForm(EditFormMixin, RiskAssessmentForm):
    pass


class ThreatForm(BootstrapWidgetsMixin, forms.Form):
    description = forms.CharField(
        label=_("Threat"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    perpetrator = forms.ModelChoiceField(
        label=_("Source or perpetrator"), queryset=Perpetrator.objects.none(), required=False
    )
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood (1-5)"), choices=ONE_TO_FIVE, coerce=int
    )
    impact = forms.TypedChoiceField(label=_("Impact (1-5)"), choices=ONE_TO_FIVE, coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perpetrator"].queryset = active_or_current(Perpetrator)


class FactorForm(BootstrapWidgetsMixin, forms.Form):
    description = forms.CharField(
        label=_("Description"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    weight = forms.TypedChoiceField(label=_("Weight (1-5)"), choices=ONE_TO_FIVE, coerce=int)


ThreatFormSet = forms.formset_factory(
    ThreatForm, extra=2, min_num=1, validate_min=True, max_num=20, validate_max=True
)
FactorFormSet = forms.formset_factory(FactorForm, extra=3, max_num=20, validate_max=True)


def _filled_rows(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.has_changed() and f.cleaned_data]


class RiskAssessmentFormGroup:
    """A new assessment's form and its threats, vulnerabilities and capacities,
    validated and read as one."""

    def __init__(self, data=None, *, process):
        self.form = RiskAssessmentForm(data, process=process)
        self.formsets = {
            "threats": ThreatFormSet(data, prefix="threats"),
            "vulnerabilities": FactorFormSet(data, prefix="vulnerabilities"),
            "capacities": FactorFormSet(data, prefix="capacities"),
        }

    def is_valid(self) -> bool:
        # Every part is validated, so the page shows all the errors at once.
        return all([self.form.is_valid(), *(f.is_valid() for f in self.formsets.values())])

    @property
    def cleaned_data(self) -> dict:
        """The keyword arguments of services.risk_assessment_create: the rows filled in."""
        rows = {name: _filled_rows(formset) for name, formset in self.formsets.items()}
        return {
            name: self.form.cleaned_data[name] for name in RiskAssessment.EDITABLE_FIELDS
        } | rows

    @property
    def context(self) -> dict:
        return {"form": self.form, **self.formsets}


# --- Protection measures -----------------------------------------------------------------------


class ProtectionMeasureForm(OnlyValidateMixin, BootstrapWidgetsMixin, forms.ModelForm):
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=TEXT_MAX, widget=forms.Textarea({"rows": 3})
    )

    class Meta:
        model = ProtectionMeasure
        fields = ProtectionMeasure.EDITABLE_FIELDS
        widgets = {
            "granted_on": DateInput(),
            "implemented_on": DateInput(),
            "review_on": DateInput(),
            "expires_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"cidh_number": _("Only for IACHR precautionary measures: MC-123-2024.")}

    def __init__(self, *args, process, **kwargs):
        self.process = process
        super().__init__(*args, **kwargs)

    def clean_granted_on(self):
        return _not_in_future(self.cleaned_data["granted_on"])

    def clean_implemented_on(self):
        return _not_in_future(self.cleaned_data.get("implemented_on"))

    def clean(self):
        data = super().clean()
        source, number = data.get("source"), (data.get("cidh_number") or "").strip().upper()
        if source == MeasureSource.CIDH:
            if not number:
                self.add_error("cidh_number", _("IACHR precautionary measures need their number."))
            else:
                try:
                    cidh_number_validator(number)
                    data["cidh_number"] = number
                except forms.ValidationError as error:
                    self.add_error("cidh_number", error)
        else:
            data["cidh_number"] = ""
        status, granted = data.get("status"), data.get("granted_on")
        implemented = data.get("implemented_on")
        if status == MeasureStatus.IMPLEMENTED and not implemented:
            self.add_error("implemented_on", _("Say when the measure was implemented."))
        if status == MeasureStatus.NOT_IMPLEMENTED and implemented:
            self.add_error(
                "implemented_on",
                _("A measure granted but not implemented cannot have an implementation date."),
            )
        for name in ("implemented_on", "expires_on", "review_on"):
            value = data.get(name)
            if granted and value and value < granted:
                self.add_error(name, _("This date cannot be before the grant date."))
        return data


class ProtectionMeasureEditForm(EditFormMixin, ProtectionMeasureForm):
    pass


# --- Check-ins ---------------------------------------------------------------------------------


class CheckInForm(BootstrapWidgetsMixin, forms.Form):
    subject = forms.ModelChoiceField(
        label=_("Defender"),
        queryset=None,
        required=False,
        empty_label=_("Myself"),
        help_text=_("Whose trip this is: a defender you accompany, or yourself."),
    )
    state = forms.ModelChoiceField(label=_("State"), queryset=None)
    municipality = forms.CharField(
        label=_("Municipality"),
        max_length=120,
        help_text=_("A coarse destination only: never an address."),
    )
    expected_at = forms.DateTimeField(label=_("Expected check-in"), widget=DateTimeInput())
    contact_1 = StaffChoiceField(label=_("First person to alert"), queryset=None)
    contact_2 = StaffChoiceField(label=_("Second person to alert"), queryset=None, required=False)
    contact_3 = StaffChoiceField(label=_("Third person to alert"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = (
            subjects_for_user(user=user)
            .filter(Q(processes__team=user) | Q(created_by=user))
            .distinct()
            .only("id", "alias")
            .order_by("alias")
        )
        self.fields["subject"].label_from_instance = lambda s: s.alias
        self.fields["state"].queryset = active_or_current(FederalEntity)
        staff = staff_for_team_choices()
        for name in ("contact_1", "contact_2", "contact_3"):
            self.fields[name].queryset = staff

    def clean_expected_at(self):
        value = self.cleaned_data["expected_at"]
        now = timezone.now()
        if value < now - dt.timedelta(minutes=5):
            raise forms.ValidationError(_("The expected check-in cannot be in the past."))
        if value > now + dt.timedelta(days=MAX_TRIP_DAYS):
            raise forms.ValidationError(
                _("The expected check-in must be within %(days)s days.") % {"days": MAX_TRIP_DAYS}
            )
        return value

    def clean(self):
        data = super().clean()
        contacts = [data.get(n) for n in ("contact_1", "contact_2", "contact_3") if data.get(n)]
        if len({c.pk for c in contacts}) != len(contacts):
            self.add_error("contact_2", _("Each person can be in the alert chain only once."))
        if data.get("subject") is None and self.user in contacts:
            self.add_error(
                "contact_1", _("For your own trip, choose other people to alert, not yourself.")
            )
        data["contacts"] = contacts
        return data


class CheckInCloseForm(forms.Form):
    confirm = forms.BooleanField(widget=forms.HiddenInput, initial=True)


# --- Plans -------------------------------------------------------------------------------------


class SecurityPlanForm(OnlyValidateMixin, BootstrapWidgetsMixin, forms.ModelForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    review_on = forms.DateField(label=_("Review on"), widget=DateInput())

    class Meta:
        model = SecurityPlan
        fields = SecurityPlan.EDITABLE_FIELDS

    def clean_review_on(self):
        value = self.cleaned_data["review_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The review date cannot be in the past."))
        return value


class SecurityPlanEditForm(EditFormMixin, SecurityPlanForm):
    pass


class PlanMeasureForm(BootstrapWidgetsMixin, forms.Form):
    what = forms.CharField(
        label=_("What"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    who = forms.CharField(label=_("Who"), max_length=200)
    due_on = forms.DateField(label=_("By when"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=PlanItemStatus.choices)


class ProtocolForm(BootstrapWidgetsMixin, forms.Form):
    if_threat = forms.CharField(
        label=_("If this threat materialises"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    steps = forms.CharField(
        label=_("What to do"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    who_to_call = forms.CharField(
        label=_("Who to call"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
