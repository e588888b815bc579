from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accompaniment.models import FederalEntity, PoliticalSubject, PsychosocialField
from accompaniment.selectors.access import subjects_for_user
from accompaniment.selectors.subjects import picker_label, subject_picker_matches
from aluna.core.forms import BootstrapWidgetsMixin, PickerChoiceField
from aluna.core.roles import Role
from aluna.core.widgets import DateInput, PickerSelect

from .models import (
    AttendanceStatus,
    Cohort,
    EnrolmentStatus,
    Obstacle,
    Participant,
    Practice,
    Programme,
    QuestionKind,
    QuestionnaireKind,
    TrainingSession,
)


def _no_nul(value: str) -> str:
    if value and "\x00" in value:
        raise forms.ValidationError(_("The text contains a NUL character."))
    return value


def trainers():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.TRAINING)
        .distinct()
        .order_by("full_name")
    )


class ProgrammeForm(BootstrapWidgetsMixin, forms.ModelForm):
    fields_covered = forms.MultipleChoiceField(
        label=_("Fields covered"),
        choices=PsychosocialField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "description",
            "modality",
            "length_months",
            "fields_covered",
            "attendance_threshold",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self):
        return _no_nul(self.cleaned_data["name"])

    def clean_description(self):
        return _no_nul(self.cleaned_data["description"])


class CohortForm(BootstrapWidgetsMixin, forms.ModelForm):
    languages = forms.CharField(
        label=_("Languages of delivery"),
        initial="Español",
        max_length=300,
        help_text=_("Separated by commas, e.g. Español, Tsotsil, Tseltal."),
    )

    class Meta:
        model = Cohort
        fields = ["name", "starts_on", "ends_on", "region", "state", "capacity", "facilitators"]
        widgets = {
            "starts_on": DateInput,
            "ends_on": DateInput,
            "facilitators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].queryset = FederalEntity.objects.filter(is_active=True)
        self.fields["facilitators"].queryset = trainers()
        self.fields["facilitators"].label_from_instance = lambda u: u.full_name or u.email
        if user.has_role(Role.TRAINING) and not self.is_bound:
            self.initial.setdefault("facilitators", [user.pk])
        self.fields["facilitators"].help_text = _("Users with the training role.")

    def clean_name(self):
        return _no_nul(self.cleaned_data["name"])

    def clean_languages(self):
        value = _no_nul(self.cleaned_data["languages"])
        languages = [part.strip() for part in value.split(",") if part.strip()]
        if not languages:
            raise forms.ValidationError(_("Name at least one language."))
        if any(len(lang) > 60 for lang in languages):
            raise forms.ValidationError(_("A language name is longer than 60 characters."))
        return languages

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The cohort cannot end before it starts."))
        return cleaned


class ParticipantForm(BootstrapWidgetsMixin, forms.ModelForm):
    """External professional, or (coordinación only) a political subject already in the system."""

    class Meta:
        model = Participant
        fields = ["subject", "name", "organisation", "state", "gender", "age_range"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].queryset = FederalEntity.objects.filter(is_active=True)
        if user.has_role(Role.COORDINATION):
            # Picked by type-ahead among tens of thousands (same scope as the picker).
            self.fields["subject"] = PickerChoiceField(
                label=self.fields["subject"].label,
                queryset=subjects_for_user(user=user).filter(is_archived=False),
                required=False,
                widget=PickerSelect(search_url=reverse_lazy("accompaniment:subject-picker-search")),
                resolve=lambda term: subject_picker_matches(user=user, query=term),
                help_text=_(
                    "Only when the participant is already accompanied; leave the name empty then."
                ),
            )
            self.fields["subject"].label_from_instance = picker_label
        else:
            # Trainers cannot see political subjects.
            del self.fields["subject"]

    def clean_name(self):
        return _no_nul(self.cleaned_data["name"]).strip()

    def clean_organisation(self):
        return _no_nul(self.cleaned_data["organisation"])

    def clean(self):
        cleaned = super().clean()
        subject: PoliticalSubject | None = cleaned.get("subject")
        name = cleaned.get("name")
        if subject and name:
            self.add_error("name", _("Give either a political subject or a name, not both."))
        elif not subject and not name:
            self.add_error("name", _("Give the participant's name."))
        return cleaned


class EnrolmentStatusForm(BootstrapWidgetsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=EnrolmentStatus.choices)
    drop_reason = forms.CharField(
        label=_("Reason for dropping out"), max_length=300, required=False
    )

    def clean(self):
        cleaned = super().clean()
        _no_nul(cleaned.get("drop_reason", ""))
        if cleaned.get("status") == EnrolmentStatus.DROPPED and not cleaned.get("drop_reason"):
            self.add_error("drop_reason", _("Say why the participant dropped out."))
        return cleaned


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        error_messages={
            "empty": _("The file is empty."),
            "required": _("Choose a CSV file."),
        },
    )
    MAX_BYTES = 1024 * 1024
    # The first bytes of what people upload by mistake, renamed or exported wrongly.
    NOT_CSV = (
        (b"\x89PNG", _("an image (PNG)")),
        (b"\xff\xd8\xff", _("an image (JPEG)")),
        (b"GIF8", _("an image (GIF)")),
        (b"%PDF-", _("a PDF document")),
        (b"PK\x03\x04", _("an Excel workbook (.xlsx) or a ZIP archive")),
        (b"\xd0\xcf\x11\xe0", _("an old Excel or Word file (.xls, .doc)")),
        (b"{\\rtf", _("an RTF document")),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Upload a .csv file."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        head = upload.read(8)
        upload.seek(0)
        for signature, kind in self.NOT_CSV:
            if head.startswith(signature):
                raise forms.ValidationError(
                    _(
                        "This file is %(kind)s, not a CSV file. In the spreadsheet, "
                        "save the list as “CSV UTF-8” and upload that file."
                    ),
                    code="not_csv",
                    params={"kind": kind},
                )
        return upload


class SessionForm(BootstrapWidgetsMixin, forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["date", "topic", "facilitator", "place", "link"]
        widgets = {"date": DateInput}

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["facilitator"].queryset = cohort.facilitators.filter(is_active=True)
        self.fields["facilitator"].label_from_instance = lambda u: u.full_name or u.email

    def clean_topic(self):
        return _no_nul(self.cleaned_data["topic"])

    def clean_place(self):
        return _no_nul(self.cleaned_data["place"])

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("date")
        if day and not (self.cohort.starts_on <= day <= self.cohort.ends_on):
            self.add_error("date", _("The session must fall between the cohort's start and end."))
        if not cleaned.get("place") and not cleaned.get("link"):
            self.add_error("place", _("Give the place or the link."))
        return cleaned


class AttendanceMarkForm(forms.Form):
    enrolment = forms.UUIDField()
    status = forms.ChoiceField(choices=AttendanceStatus.choices)
    version = forms.IntegerField(min_value=0)


class QuestionnaireForm(BootstrapWidgetsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("When"), choices=QuestionnaireKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    likert = forms.CharField(
        label=_("Likert items (1-5), one per line"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Use the same wording at entry and exit to compare them."),
    )
    open_questions = forms.CharField(
        label=_("Open questions, one per line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def _lines(self, name):
        lines = [line.strip() for line in _no_nul(self.cleaned_data[name]).splitlines()]
        lines = [line for line in lines if line]
        if any(len(line) > 300 for line in lines):
            raise forms.ValidationError(_("A question is longer than 300 characters."))
        if len(lines) > 40:
            raise forms.ValidationError(_("At most 40 questions."))
        return lines

    def clean_likert(self):
        return self._lines("likert")

    def clean_open_questions(self):
        return self._lines("open_questions")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("likert") and not cleaned.get("open_questions") and not self.errors:
            raise forms.ValidationError(_("Write at least one question."))
        return cleaned


class ResponseForm(forms.Form):
    """Built from a questionnaire: a 1-5 choice per Likert item, a text per open question.

    `enrolments` (who may answer) and `sessions` (those a satisfaction questionnaire
    asks about, else None) are the only choices: anything else is an invalid choice.
    """

    def __init__(self, *args, questionnaire, enrolments, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"] = forms.ModelChoiceField(
            label=_("Participant"), queryset=enrolments
        )
        self.fields["enrolment"].label_from_instance = lambda e: e.participant.display_name
        self.fields["enrolment"].widget.attrs["class"] = "form-select"
        if sessions is not None:
            self.fields["session"] = forms.ModelChoiceField(label=_("Session"), queryset=sessions)
            self.fields["session"].label_from_instance = lambda s: f"{s.date} · {s.topic}"
            self.fields["session"].widget.attrs["class"] = "form-select"
        self.questions = list(questionnaire.questions.all())
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.LIKERT:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text,
                    choices=[(str(i), str(i)) for i in range(1, 6)],
                    coerce=int,
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                )

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            value = cleaned.get(f"q{question.pk}")
            if isinstance(value, str):
                _no_nul(value)
        return cleaned

    def answers(self):
        return {q: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


class FollowUpForm(BootstrapWidgetsMixin, forms.Form):
    months_after = forms.TypedChoiceField(label=_("Months after the course"), coerce=int)
    contacted_on = forms.DateField(label=_("Contacted on"), widget=DateInput)
    reached = forms.BooleanField(label=_("We reached the person"), required=False, initial=True)
    practices = forms.MultipleChoiceField(
        label=_("Practices adopted"),
        choices=Practice.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    obstacles = forms.MultipleChoiceField(
        label=_("What got in the way"),
        choices=Obstacle.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months_after"].choices = [(m, str(m)) for m in months]

    def clean_notes(self):
        return _no_nul(self.cleaned_data["notes"])

    def clean_contacted_on(self):
        day = self.cleaned_data["contacted_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The contact date cannot be in the future."))
        return day
