import time
from datetime import UTC, datetime

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from aluna.audit.models import AuditAction
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
                    action=AuditAction.LOCKOUT,
                    request=request,
                    metadata={"identifier_hash": identifier_hash(credentials.get("email", ""))},
                )
            raise

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Don't ask for the password twice on the very first login.

        allauth confirms access before any change of factors. A user who had no
        factor before this login and typed their password moments ago (within
        the re-authentication timeout) is enrolling for the first time, guided
        straight from the login (TOTP, then the recovery codes): that password
        counts. Factors that existed before the login still need it again.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        if not required or app != "allauth.mfa" or self.request is None:
            return required
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return required
        from allauth.mfa.models import Authenticator

        password_logins = [
            record["at"]
            for record in get_authentication_records(self.request, user)
            if record.get("method") == "password"
        ]
        if not password_logins:
            return required
        logged_in_at = password_logins[-1]
        if time.time() - logged_in_at >= account_settings.REAUTHENTICATION_TIMEOUT:
            return required
        older_factor = Authenticator.objects.filter(
            user=user, created_at__lt=datetime.fromtimestamp(logged_in_at, tz=UTC)
        ).exists()
        return older_factor

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # "Nobody has an account with this address" mails tell a stranger that
        # the organisation runs this system; with prevent-enumeration on,
        # unknown addresses simply get nothing.
        if template_prefix == "account/email/unknown_account":
            return
        super().send_mail(template_prefix, email, context)
