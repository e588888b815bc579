import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from aluna.core.forms import BootstrapWidgetsMixin, active_or_current
from aluna.core.widgets import DateInput

from . import aggregates
from .models import AdvocacyOutput, Donor, DonorReport, Grant, OutputKind

MAX_DUE_DATES = 24
# A due date as people write it in Mexico (30/06/2026), or as ISO (2026-06-30).
DUE_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def _no_nul(value):
    if isinstance(value, str) and "\x00" in value:
        raise ValidationError(_("This text contains a character that is not allowed."))
    return value


class NoNulMixin:
    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, _("This text contains a character that is not allowed."))
        return cleaned


def _catalogue(field_name: str):
    """The hub catalogue an output's field points to (areas of defence, states)."""
    return AdvocacyOutput._meta.get_field(field_name).related_model


class OutputForm(NoNulMixin, BootstrapWidgetsMixin, forms.ModelForm):
    class Meta:
        model = AdvocacyOutput
        fields = [
            "kind",
            "title",
            "date",
            "audiences",
            "areas",
            "states",
            "description",
            "link",
            "outcome",
        ]
        widgets = {
            "date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kind"].choices = [("", _("Choose a kind")), *OutputKind.choices]
        for name in ("areas", "states"):
            held = () if self.instance._state.adding else self._held(name)
            self.fields[name].queryset = active_or_current(_catalogue(name), held)
            # Checkboxes, not a multiple select: readable and usable on a phone.
            self.fields[name].widget = forms.CheckboxSelectMultiple(
                choices=self.fields[name].choices, attrs={"class": "form-check-input"}
            )

    def _held(self, name: str) -> list:
        return list(getattr(self.instance, name).values_list("pk", flat=True))

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value and value.year < 1990:
            raise ValidationError(_("Give a date from 1990 onwards."))
        return value

    def clean_link(self):
        link = self.cleaned_data.get("link", "")
        if link and not link.lower().startswith(("https://", "http://")):
            raise ValidationError(_("The link must start with https:// or http://."))
        return link


class OutputFilterForm(BootstrapWidgetsMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OutputKind.choices]
    )
    area = forms.ModelChoiceField(
        label=_("Area of defence"),
        required=False,
        queryset=_catalogue("areas").objects.all(),
        empty_label=_("All areas"),
    )
    state = forms.ModelChoiceField(
        label=_("State"),
        required=False,
        queryset=_catalogue("states").objects.all(),
        empty_label=_("All states"),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def clean_q(self):
        return _no_nul(self.cleaned_data.get("q", "")).strip()

    def filters(self) -> dict | None:
        """What the list is filtered by: `{}` when nothing was asked, None when what
        was asked is not valid (the list then shows nothing, and the form its errors)."""
        if not self.is_bound:
            return {}
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return {
            "query": data["q"],
            "kind": data["kind"],
            "area": data["area"],
            "state": data["state"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return cleaned


class DonorForm(NoNulMixin, BootstrapWidgetsMixin, forms.ModelForm):
    class Meta:
        model = Donor
        fields = ["name", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


def _parse_due_date(text: str) -> dt.date | None:
    for pattern in DUE_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class GrantForm(NoNulMixin, BootstrapWidgetsMixin, forms.ModelForm):
    due_dates = forms.CharField(
        label=_("Reporting schedule"),
        help_text=_("The dates reports are due, one per line, for example 30/06/2026."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Grant
        fields = ["donor", "project", "start", "end", "amount", "currency"]
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["donor"].empty_label = _("Choose a donor")

    def clean_currency(self):
        value = (self.cleaned_data.get("currency") or "").upper()
        if value and (len(value) != 3 or not value.isalpha()):
            raise ValidationError(_("Use a three-letter currency code such as MXN."))
        return value

    def clean_due_dates(self):
        raw = self.cleaned_data.get("due_dates", "")
        dates = []
        for line in raw.replace(",", "\n").splitlines():
            line = line.strip()
            if not line:
                continue
            day = _parse_due_date(line)
            if day is None:
                raise ValidationError(
                    _("“%(value)s” is not a date: write it as 30/06/2026."),
                    params={"value": line[:20]},
                )
            dates.append(day)
        if not dates:
            raise ValidationError(_("Give at least one due date."))
        if len(dates) > MAX_DUE_DATES:
            raise ValidationError(_("Give at most %(n)s due dates."), params={"n": MAX_DUE_DATES})
        return sorted(set(dates))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date cannot be before the start date."))
        return cleaned


class ReportForm(NoNulMixin, BootstrapWidgetsMixin, forms.ModelForm):
    sections = forms.MultipleChoiceField(
        label=_("Sections"), choices=(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = DonorReport
        fields = [
            "title",
            "grant",
            "start",
            "end",
            "sections",
            "narrative_context",
            "narrative_results",
            "narrative_challenges",
        ]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "narrative_context": forms.Textarea(attrs={"rows": 4}),
            "narrative_results": forms.Textarea(attrs={"rows": 4}),
            "narrative_challenges": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "grant": _("Pick a grant to use its period, or leave empty and give a period."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["sections"].choices = aggregates.section_choices()
        self.fields["sections"].widget.attrs["class"] = "form-check-input"
        self.fields["grant"].queryset = Grant.objects.select_related("donor")
        self.fields["grant"].empty_label = _("No grant")
        self.fields["grant"].required = False
        self.fields["start"].required = False
        self.fields["end"].required = False
        if self.instance._state.adding and not self.initial.get("sections"):
            self.initial["sections"] = [code for code, _l in aggregates.section_choices()]
        for name in ("narrative_context", "narrative_results", "narrative_challenges"):
            self.fields[name].max_length = 8000
            self.fields[name].widget.attrs["maxlength"] = 8000

    def clean(self):
        cleaned = super().clean()
        grant, start, end = cleaned.get("grant"), cleaned.get("start"), cleaned.get("end")
        if grant and not start:
            cleaned["start"] = start = grant.start
        if grant and not end:
            cleaned["end"] = end = grant.end
        if not (start and end):
            raise ValidationError(_("Pick a grant or give the period's start and end dates."))
        if end < start:
            self.add_error("end", _("The end date cannot be before the start date."))
        elif (end - start).days > 366 * 3:
            self.add_error("end", _("A report covers at most three years."))
        for name in ("narrative_context", "narrative_results", "narrative_challenges"):
            if len(cleaned.get(name) or "") > 8000:
                self.add_error(name, _("Keep this section under 8,000 characters."))
        return cleaned

    def _post_clean(self):
        # start/end may have been filled from the grant after field cleaning.
        for name in ("start", "end"):
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()


class ReportOptionsForm(forms.Form):
    """The re-identification preview's choices: breakdowns to drop, states to coarsen."""

    drop = forms.MultipleChoiceField(
        label=_("Leave out these breakdowns of the subjects"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    coarsen_states = forms.BooleanField(
        label=_("Show regions instead of states"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drop"].choices = list(aggregates.SUBJECT_BREAKDOWNS.items())

    def options(self) -> dict:
        return {
            "drop": sorted(self.cleaned_data["drop"]),
            "coarsen_states": self.cleaned_data["coarsen_states"],
        }
