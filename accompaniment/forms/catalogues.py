from django import forms
from django.utils.translation import gettext_lazy as _

from ..catalogues import Catalogue

# --- Catalogues -------------------------------------------------------------------


class CatalogueEntryForm(forms.ModelForm):
    """Code, labels, position (and the catalogue's own fields) of one entry.

    The code is set once: other records, reports and exports refer to it.
    Length limits, required labels, slug format and NUL characters are checked by
    the model-derived fields; uniqueness of the code by the model.
    """

    def __init__(self, *args, catalogue: Catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        if not self.instance._state.adding:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code cannot be changed.")

    def clean_code(self):
        return self.cleaned_data["code"].strip().lower()


def catalogue_entry_form_class(catalogue: Catalogue) -> type[CatalogueEntryForm]:
    return forms.modelform_factory(
        catalogue.model, form=CatalogueEntryForm, fields=catalogue.fields
    )


class CatalogueEntrySearchForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("All")),
        ("active", _("Active")),
        ("inactive", _("Inactive")),
    ]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)


class CatalogueEntryActivationForm(forms.Form):
    """The state asked for, not a flip: a double submit cannot undo itself."""

    is_active = forms.TypedChoiceField(
        choices=[("1", _("Active")), ("0", _("Inactive"))],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
