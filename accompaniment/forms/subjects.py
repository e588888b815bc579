from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aluna.core.concurrency import VersionedFormMixin
from aluna.core.forms import BootstrapWidgetsMixin, PickerChoiceField, active_or_current
from aluna.core.widgets import DateInput, PickerSelect

from ..models import (
    INDIVIDUAL_KIND_CODE,
    AreaOfDefence,
    FederalEntity,
    PoliticalSubject,
    SubjectKind,
)
from ..selectors.subjects import subject_collective_choices, subject_picker_matches


class SubjectFilterForm(BootstrapWidgetsMixin, forms.Form):
    ARCHIVED_CHOICES = [
        ("", _("Not archived")),
        ("yes", _("Archived")),
        ("all", _("All")),
    ]
    SORT_CHOICES = [("alias", _("Alias")), ("recent", _("Most recent"))]

    q = forms.CharField(label=_("Alias"), required=False, max_length=80)
    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=SubjectKind.objects.all(), required=False
    )
    area = forms.ModelChoiceField(
        label=_("Area of defence"), queryset=AreaOfDefence.objects.all(), required=False
    )
    state = forms.ModelChoiceField(
        label=_("State"), queryset=FederalEntity.objects.all(), required=False
    )
    archived = forms.ChoiceField(label=_("Archived"), choices=ARCHIVED_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    name_search = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class SubjectNameSearchForm(BootstrapWidgetsMixin, forms.Form):
    """Sent by POST only, so the name never travels in a URL."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("Whole words, in any order; accents and capitals do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class SubjectForm(forms.ModelForm):
    """Identity, place, contact and (with consent) intersectional factors of a subject.

    Lengths, NUL characters and choices are checked by the model-derived fields;
    the consent rule by PoliticalSubject.clean().
    """

    class Meta:
        model = PoliticalSubject
        # The template lays the fields out; areas of defence are many-to-many.
        fields = [*PoliticalSubject.EDITABLE_FIELDS, "areas"]
        widgets = {
            "consent_date": DateInput(),
            "areas": forms.CheckboxSelectMultiple,
            "contact": forms.Textarea(attrs={"rows": 3}),
            "other_factors": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        instance = self.instance
        adding = instance._state.adding
        self.fields["kind"].queryset = active_or_current(
            SubjectKind, [] if adding else [instance.kind_id]
        )
        self.fields["state"].queryset = active_or_current(
            FederalEntity, [] if adding else [instance.state_id]
        )
        current_areas = [] if adding else [a.pk for a in instance.areas.all()]
        self.fields["areas"].queryset = active_or_current(AreaOfDefence, current_areas)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the name."))
        return name

    def clean_alias(self):
        alias = " ".join(self.cleaned_data["alias"].split())
        if not alias:
            raise forms.ValidationError(_("Give a working alias."))
        return alias

    def clean_consent_date(self):
        consent_date = self.cleaned_data.get("consent_date")
        if consent_date and consent_date > timezone.localdate():
            raise forms.ValidationError(_("The consent date cannot be in the future."))
        return consent_date

    def clean(self):
        cleaned = super().clean()
        name, alias = cleaned.get("name"), cleaned.get("alias")
        if name and alias and name.casefold() == alias.casefold():
            self.add_error("alias", _("The alias must not be the real name."))
        return cleaned


class SubjectEditForm(VersionedFormMixin, SubjectForm):
    pass


class MembershipForm(forms.Form):
    collective = PickerChoiceField(
        label=_("Collective"),
        queryset=None,
        widget=PickerSelect(
            search_url=reverse_lazy("accompaniment:subject-picker-search"),
            search_kind="collective",
        ),
        help_text=_("Type part of the alias or the initials and choose from the list."),
    )
    role = forms.CharField(label=_("Role in the collective"), max_length=120, required=False)
    start_date = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
    )
    end_date = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DateInput(),
    )

    def __init__(self, *args, user, defender: PoliticalSubject, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.defender = defender
        self.fields["collective"].queryset = subject_collective_choices(
            user=user, defender=defender
        )
        self.fields["collective"].label_from_instance = lambda s: f"{s.alias} ({s.kind})"
        self.fields["collective"].resolve = lambda term: subject_picker_matches(
            user=user, query=term, collectives_only=True
        )

    def clean(self):
        cleaned = super().clean()
        if self.defender.kind.code != INDIVIDUAL_KIND_CODE:
            raise forms.ValidationError(
                _("Only an individual defender can be a member of a collective.")
            )
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        collective = cleaned.get("collective")
        if collective:
            duplicate = self.defender.memberships.filter(
                collective=collective, start_date=start
            ).exists()
            if duplicate:
                self.add_error(
                    "collective", _("This membership is already recorded with the same start.")
                )
        return cleaned


class ConfirmForm(forms.Form):
    """An explicit confirmation for destructive actions."""

    confirm = forms.BooleanField(widget=forms.HiddenInput, initial=True)
