from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from aluna.audit.services import audit_record, identifier_hash


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by an administrator only: no self sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if getattr(error, "code", None) == "too_many_login_attempts":
                audit_record(
                    action="lockout",
                    request=request,
                    metadata={"identifier_hash": identifier_hash(credentials.get("email", ""))},
                )
            raise

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # "Nobody has an account with this address" mails tell a stranger that
        # the organisation runs this system; with prevent-enumeration on,
        # unknown addresses simply get nothing.
        if template_prefix == "account/email/unknown_account":
            return
        super().send_mail(template_prefix, email, context)
