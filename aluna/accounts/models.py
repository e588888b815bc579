import secrets
import uuid
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from aluna.core.roles import Role

from .managers import UserManager


def _new_security_stamp() -> str:
    return secrets.token_hex(16)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of the organisation. Log in with e-mail; created by an administrator."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the admin site"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Rotating the stamp ends every session of the user at once (see
    # get_session_auth_hash): "log out everywhere" and "compromised device".
    security_stamp = models.CharField(max_length=32, default=_new_security_stamp, editable=False)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        """The first name, for a greeting: honorifics ("Sra.", "Lic.") are skipped."""
        words = (self.full_name or "").split()
        names = [word for word in words if not word.endswith(".")]
        return (names or words or [self.email])[0]

    def get_session_auth_hash(self) -> str:
        key_salt = "aluna.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.security_stamp}", algorithm="sha256"
        ).hexdigest()

    def rotate_security_stamp(self) -> None:
        self.security_stamp = _new_security_stamp()

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def prime_role_codes(self, names) -> None:
        """Set `role_codes` from group names read in another query of this request."""
        self.__dict__["role_codes"] = frozenset(names) if self.is_active else frozenset()

    @property
    def roles(self) -> list[Role]:
        """The roles held, in a stable order, for pages that name them."""
        return [Role(code) for code in sorted(self.role_codes) if code in Role.values]

    def has_role(self, *roles: Role | str) -> bool:
        return any(str(role) in self.role_codes for role in roles)


class Invitation(models.Model):
    """A one-time link that lets an invited person set their first password.

    Only a SHA-256 of the token is stored: a leaked database backup holds no
    usable link.
    """

    VALIDITY = timedelta(hours=48)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @property
    def expires_at(self):
        return self.created_at + self.VALIDITY

    def is_usable(self, *, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and now < self.expires_at and self.user.is_active


class UserSession(models.Model):
    """What a person sees of one of their signed-in sessions, made at login.

    The session itself (Django's database sessions) holds the last activity;
    this row adds what lets a person recognise it: device and browser family,
    and the address range (a /24 or /48, never the address) it was first used
    from. It goes with its session (CASCADE): logging out, ending it from
    "Mi cuenta > Seguridad" or clearsessions remove both.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_sessions")
    session = models.OneToOneField(
        "sessions.Session", on_delete=models.CASCADE, related_name="+", editable=False
    )
    device = models.CharField(_("device"), max_length=40, blank=True)
    browser = models.CharField(_("browser"), max_length=40, blank=True)
    address_range = models.CharField(_("address range"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("signed in"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.device} {self.browser} {self.address_range}".strip()


class SecurityPolicy(models.Model):
    """Organisation-wide security choices an administrator makes; one row (pk 1)."""

    # selectors.passkey_deadline() caches the deadline; services drop it on save.
    CACHE_KEY = "accounts.security_policy.passkey_deadline"

    passkey_deadline = models.DateField(
        _("passkeys required from"),
        null=True,
        blank=True,
        help_text=_(
            "From this day on, people in administración and coordinación must add a "
            "passkey or security key before they can use Aluna. Empty: not required yet."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policies")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
