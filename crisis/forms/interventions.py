"""Crisis forms: the quick form (phone first, a minute to fill) and its completion."""

import datetime as dt
import uuid

from django import forms
from django.core.validators import MaxLengthValidator
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accompaniment.models import AggressionType, FederalEntity, RiskLevel, SubjectKind
from accompaniment.selectors.access import subjects_for_user
from accompaniment.selectors.catalogues import active_entries
from aluna.core.concurrency import VersionedFormMixin
from aluna.core.widgets import DateTimeInput, PickerInput

from ..models import (
    Aggression,
    ContactChannel,
    CrisisIntervention,
    CrisisStatus,
    ImmediateNeed,
)
from ..selectors.interventions import (
    SUBJECT_MATCH_LIMIT,
    aggressions_of_subject,
    subject_matches_for_crisis,
)
from ..selectors.roster import crisis_staff_choices

TEXT_MAX_LENGTH = 5_000
ALIAS_MAX_LENGTH = 80
NAME_MAX_LENGTH = 200
# A contact logged a few minutes late from another device clock is fine; the future is not.
MAX_FUTURE = dt.timedelta(minutes=10)
MAX_PAST = dt.timedelta(days=60)

RISK_CHOICES = [
    (RiskLevel.LOW, RiskLevel.LOW.label),
    (RiskLevel.MEDIUM, RiskLevel.MEDIUM.label),
    (RiskLevel.HIGH, RiskLevel.HIGH.label),
    (RiskLevel.CRITICAL, RiskLevel.CRITICAL.label),
]


def _clean_contacted_at(value):
    now = timezone.now()
    if value > now + MAX_FUTURE:
        raise forms.ValidationError(_("The contact cannot be in the future."))
    if value < now - MAX_PAST:
        raise forms.ValidationError(
            _("The contact is more than 60 days old: record it as a session instead.")
        )
    return value


class _CrisisFieldsMixin:
    """Limits and widgets shared by both forms."""

    def _setup_common(self, *, user):
        self.user = user
        for name in ("actions_taken", "referrals"):
            self.fields[name].widget.attrs["maxlength"] = TEXT_MAX_LENGTH
            self.fields[name].validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
        self.fields["responders"].queryset = crisis_staff_choices()
        self.fields["contacted_at"].widget.attrs["class"] = "form-control"
        self.fields["channel"].widget.attrs["class"] = "btn-check"
        self.fields["risk_level"].widget.attrs["class"] = "btn-check"
        for name in ("immediate_needs", "responders"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class CrisisQuickForm(_CrisisFieldsMixin, forms.Form):
    """Subject, when, how and risk are required; everything else can wait.

    The subject is found by its working alias among the user's cases: one match is
    taken, several are offered as a choice. The search text is never stored: a
    subject that is not in the user's cases is created only through the explicit
    "new subject" step (new_alias, new_name, new_kind, new_state), which warns never
    to write the real name as the alias; the real name, if known, goes to the
    subject's encrypted name.
    """

    subject_query = forms.CharField(
        label=_("Working alias or initials"),
        max_length=ALIAS_MAX_LENGTH,
        required=False,
        widget=PickerInput(
            search_url=reverse_lazy("accompaniment:subject-picker-search"),
            target="subject",
            attrs={"enterkeyhint": "next"},
        ),
        help_text=_("Type part of the alias or the initials and choose from the list."),
    )
    subject = forms.ModelChoiceField(
        label=_("Subject"),
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a subject from your cases.")},
    )
    new_alias = forms.CharField(
        label=_("Working alias of the new subject"),
        max_length=ALIAS_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    new_name = forms.CharField(
        label=_("Real name, if you know it"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted: it never shows in lists, alerts or e-mails."),
    )
    new_kind = forms.ModelChoiceField(label=_("Kind"), queryset=None, required=False)
    new_state = forms.ModelChoiceField(label=_("State"), queryset=None, required=False)
    contacted_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    channel = forms.ChoiceField(
        label=_("How"),
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how the contact happened.")},
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"),
        choices=RISK_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the risk level.")},
    )
    aggression = forms.ModelChoiceField(
        label=_("Link an aggression already recorded"), queryset=None, required=False
    )
    aggression_types = forms.ModelMultipleChoiceField(
        label=_("New aggression: types"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    immediate_needs = forms.MultipleChoiceField(
        label=_("Immediate needs"),
        choices=ImmediateNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    actions_taken = forms.CharField(
        label=_("Actions taken"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    referrals = forms.CharField(
        label=_("Referrals made"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    responders = forms.ModelMultipleChoiceField(
        label=_("Who is on it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You, if nobody is ticked."),
    )
    # One entry, one crisis: see crisis_record_once. Made with the empty form (and
    # kept by the phone's queue), so a second tap or a retry sends the same key.
    idempotency_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, subject=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_common(user=user)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
        self.preset_subject = subject
        self.candidates: list = [subject] if subject is not None else []
        self.more_candidates = False
        self.fields["subject"].queryset = subjects_for_user(user=user).filter(is_archived=False)
        self.fields["new_kind"].queryset = active_entries(SubjectKind)
        self.fields["new_state"].queryset = active_entries(FederalEntity)
        self.fields["aggression_types"].queryset = active_entries(AggressionType)
        self.fields["aggression"].queryset = (
            aggressions_of_subject(subject=subject)
            if subject is not None
            else Aggression.objects.none()
        )
        self.fields["new_kind"].widget.attrs["class"] = "form-select"
        self.fields["new_state"].widget.attrs["class"] = "form-select"
        self.fields["aggression"].widget.attrs["class"] = "form-select"
        self.fields["subject"].widget.attrs["class"] = "btn-check"
        for name in ("new_alias", "new_name"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["new_alias"].widget.attrs["aria-describedby"] = "new-subject-warning"
        self.initial.setdefault(
            "contacted_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        self.initial.setdefault("responders", [user.pk])
        if subject is not None:
            self.initial.setdefault("subject", subject.pk)

    def _rows(self, name: str) -> list[tuple[str, str, str, bool]]:
        """(value, label, id, checked) for a choice field, rendered by a plain template
        loop: Django's per-option widget templates cost ~1 ms per option, and the
        quick form offers over a hundred (responders, states, types)."""
        bound = self[name]
        value = bound.value()
        values = value if isinstance(value, list | tuple) else [value]
        selected = {str(v) for v in values if v not in (None, "")}
        return [
            (str(choice), str(label), f"{bound.auto_id}_{index}", str(choice) in selected)
            for index, (choice, label) in enumerate(bound.field.choices)
            if str(choice) != ""
        ]

    @property
    def responder_rows(self):
        return self._rows("responders")

    @property
    def need_rows(self):
        return self._rows("immediate_needs")

    @property
    def aggression_type_rows(self):
        return self._rows("aggression_types")

    @property
    def kind_rows(self):
        return self._rows("new_kind")

    @property
    def state_rows(self):
        return self._rows("new_state")

    def clean_contacted_at(self):
        return _clean_contacted_at(self.cleaned_data["contacted_at"])

    def clean_subject_query(self):
        return " ".join(self.cleaned_data["subject_query"].split())

    def clean_new_alias(self):
        return " ".join(self.cleaned_data["new_alias"].split())

    def clean_new_name(self):
        return " ".join(self.cleaned_data["new_name"].split())

    @property
    def creating_subject(self) -> bool:
        """The person opened the new-subject step and wrote in it."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return bool(data.get("new_alias") or data.get("new_name"))

    def _clean_new_subject(self, cleaned) -> None:
        alias, name = cleaned.get("new_alias", ""), cleaned.get("new_name", "")
        if cleaned.get("subject") is not None:
            self.add_error(
                "new_alias",
                _("Choose a subject from your cases or create a new one, not both."),
            )
            return
        if not alias:
            self.add_error("new_alias", _("Give the new subject a working alias."))
        elif name and alias.casefold() == name.casefold():
            self.add_error(
                "new_alias", _("The working alias cannot be the real name: invent another one.")
            )
        if not cleaned.get("new_kind"):
            self.add_error("new_kind", _("Choose the kind of the new subject."))

    def clean(self):
        cleaned = super().clean()
        if self.errors.get("subject"):
            return cleaned
        subject = cleaned.get("subject")
        query = cleaned.get("subject_query", "")
        if self.creating_subject:
            # The search text is left alone: only the new-subject step names a subject.
            self._clean_new_subject(cleaned)
        elif subject is None:
            matches = subject_matches_for_crisis(user=self.user, query=query)
            if not query:
                self.add_error("subject_query", _("Type the working alias of the subject."))
            elif len(matches) == 1:
                cleaned["subject"] = subject = matches[0]
            elif matches:
                self.candidates = matches[:SUBJECT_MATCH_LIMIT]
                self.more_candidates = len(matches) > SUBJECT_MATCH_LIMIT
                self.add_error("subject", _("Several subjects match this alias: choose one below."))
            else:
                self.add_error(
                    "subject_query",
                    _(
                        "None of your cases has this alias. Check it, or create a new "
                        "subject below."
                    ),
                )
        if subject is not None:
            self.candidates = [subject]
        aggression = cleaned.get("aggression")
        if aggression is not None:
            if subject is None or not aggression.subjects.filter(pk=subject.pk).exists():
                self.add_error("aggression", _("This aggression does not concern this subject."))
            elif cleaned.get("aggression_types"):
                self.add_error(
                    "aggression_types",
                    _("Link an existing aggression or describe a new one, not both."),
                )
        return cleaned


class QueuedCrisisQuickForm(CrisisQuickForm):
    """The quick form as it arrives from the phone's queue, maybe hours after it was
    typed: nobody is there to pick among several subjects or to tick "new subject".
    An alias that matches none or several of the author's cases is still recorded
    (and alerted) at once, under a provisional subject flagged "to be confirmed"."""

    SUBJECT_FIELDS = frozenset({"subject", "subject_query", "new_kind"})

    def clean(self):
        cleaned = super().clean()
        alias = " ".join(str(self.data.get("subject_query", "")).split())[:ALIAS_MAX_LENGTH]
        if alias and self._errors and set(self._errors) <= self.SUBJECT_FIELDS:
            for name in self.SUBJECT_FIELDS:
                self._errors.pop(name, None)
            cleaned["subject"] = None
            cleaned["pending_alias"] = alias
            self.candidates = []
        return cleaned


class CrisisSubjectConfirmForm(forms.Form):
    """The author says who the provisional subject of a crisis is: one of their cases,
    or a new subject indeed (the value "new")."""

    NEW = "new"
    subject = forms.ChoiceField(
        label=_("Who is it?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a subject, or say it is a new one.")},
    )

    new_alias = forms.CharField(
        label=_("Working alias of the new subject"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
        help_text=_(
            "Never write the real name here: the alias shows in lists and alerts. "
            "The name typed on the phone stays encrypted."
        ),
    )

    def __init__(self, *args, candidates, typed="", **kwargs):
        super().__init__(*args, **kwargs)
        self.typed = typed
        self.by_pk = {str(subject.pk): subject for subject in candidates}
        self.fields["subject"].choices = [
            *((pk, subject.alias) for pk, subject in self.by_pk.items()),
            (self.NEW, _("A new subject")),
        ]
        self.fields["subject"].widget.attrs["class"] = "form-check-input"

    def clean_subject(self):
        value = self.cleaned_data["subject"]
        return None if value == self.NEW else self.by_pk[value]

    def clean(self):
        cleaned = super().clean()
        alias = cleaned.get("new_alias", "")
        if "subject" in cleaned and cleaned["subject"] is None and not alias:
            self.add_error("new_alias", _("Give the new subject a working alias."))
        if alias and alias.casefold() == self.typed.casefold():
            self.add_error(
                "new_alias",
                _("Write a working alias, not what was typed on the phone: it may be a name."),
            )
        return cleaned


class CrisisEditForm(_CrisisFieldsMixin, VersionedFormMixin, forms.ModelForm):
    """Complete an intervention later: every field, with the version it was opened on."""

    immediate_needs = forms.MultipleChoiceField(
        label=_("Immediate needs"),
        choices=ImmediateNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CrisisIntervention
        fields = [
            "contacted_at",
            "channel",
            "risk_level",
            "aggression",
            "immediate_needs",
            "actions_taken",
            "referrals",
            "responders",
            "status",
        ]
        widgets = {
            "contacted_at": DateTimeInput(),
            "channel": forms.RadioSelect,
            "risk_level": forms.RadioSelect,
            "actions_taken": forms.Textarea(attrs={"rows": 3}),
            "referrals": forms.Textarea(attrs={"rows": 3}),
            "responders": forms.CheckboxSelectMultiple,
            "status": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_common(user=user)
        self.fields["channel"].choices = ContactChannel.choices
        self.fields["risk_level"].choices = RISK_CHOICES
        self.fields["status"].choices = CrisisStatus.choices
        self.fields["status"].widget.attrs["class"] = "form-check-input"
        self.fields["aggression"].queryset = aggressions_of_subject(
            subject=self.instance.process.subject
        )
        self.fields["aggression"].widget.attrs["class"] = "form-select"
        self.initial.setdefault("version", self.instance.version)

    def clean_contacted_at(self):
        value = self.cleaned_data["contacted_at"]
        if value == self.instance.contacted_at:
            return value
        return _clean_contacted_at(value)

    def clean_responders(self):
        responders = self.cleaned_data["responders"]
        if not responders:
            raise forms.ValidationError(_("Someone must be on it."))
        return responders


class FollowUpDoneForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2_000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpRescheduleForm(forms.Form):
    due_at = forms.DateTimeField(label=_("New due time"), widget=DateTimeInput())

    def clean_due_at(self):
        due_at = self.cleaned_data["due_at"]
        if due_at < timezone.now():
            raise forms.ValidationError(_("The new due time cannot be in the past."))
        return due_at
