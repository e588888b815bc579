import time
from datetime import UTC, datetime

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core.internal import ratelimit
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from aluna.audit.models import AuditAction
from aluna.audit.services import audit_record, identifier_hash
from aluna.core.client_address import client_address


def _refused_scope(request: HttpRequest, *, key: str) -> str | None:
    """Which limit, "account" or "address", refuses the next try; None if neither."""
    parts = (account_settings.RATE_LIMITS.get("login_failed") or "").split(",")
    for scope, per in (("account", "key"), ("address", "ip")):
        mine = [part for part in parts if part.strip() and ratelimit.parse_rate(part).per == per]
        config = {"login_failed": ",".join(mine)}
        allowed = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed",
            config=config,
            key=key,
            dry_run=True,
        )
        if not allowed:
            return scope
    return None


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by an administrator only: no self sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """REMOTE_ADDR, or the client our own proxy names (TRUSTED_PROXIES only)."""
        address = client_address(request)
        if address is None:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        """Refuse a login over the per-account or per-address limit of failures.

        Unlike allauth's own, a refused try is checked before anything is
        counted: it spends neither limit. Otherwise the tries of a person whose
        account is locked would use up the limit of everyone at the same
        address, and a sprayer over the address limit would still lock out the
        accounts it names.
        """
        key = self._get_login_attempts_cache_key(request, **credentials)
        scope = _refused_scope(request, key=key)
        if scope is None:
            self._login_failed_rl_usage = ratelimit.consume(
                request, app="allauth.account", action="login_failed", key=key
            )
            if self._login_failed_rl_usage:
                return
            scope = "race"
        audit_record(
            action=AuditAction.LOCKOUT,
            request=request,
            metadata={
                "identifier_hash": identifier_hash(credentials.get("email", "")),
                "scope": scope,
            },
        )
        raise self.validation_error("too_many_login_attempts")

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
