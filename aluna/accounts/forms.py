"""Forms declare their fields explicitly: nothing else in a POST reaches the model."""

from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django import forms
from django.utils.translation import gettext_lazy as _

from aluna.core.roles import Role
from aluna.core.widgets import DateInput

from .models import User


class RoleChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=Role.choices, required=False, label=_("Roles"), **kwargs)


class UserInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    roles = RoleChoiceField()

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("A user with this e-mail address already exists."))
        return email


class UserEditForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    roles = RoleChoiceField()

    def __init__(self, *args, managed: User, actor: User, **kwargs):
        kwargs.setdefault(
            "initial", {"full_name": managed.full_name, "roles": sorted(managed.role_codes)}
        )
        super().__init__(*args, **kwargs)
        self.managed, self.actor = managed, actor

    def clean_roles(self) -> list[str]:
        roles = self.cleaned_data["roles"]
        if self.managed == self.actor and Role.ADMINISTRATION not in roles:
            # Nobody takes away their own way back into user management.
            raise forms.ValidationError(_("You cannot remove your own administration role."))
        return roles


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=150)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )


class SecurityPolicyForm(forms.Form):
    passkey_deadline = forms.DateField(
        label=_("Passkeys required from"),
        required=False,
        widget=DateInput(attrs={"class": "form-control"}),
        help_text=_(
            "From this day on, people in administración and coordinación must add a "
            "passkey or security key before they can use Aluna. Leave it empty while "
            "there is no deadline yet."
        ),
    )


class AddPasskeyForm(AddWebAuthnForm):
    """allauth's form, with a label people can read in their language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name of the passkey or key")
        self.fields["name"].help_text = _("For example: my phone, my blue key.")
