import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.messages.storage import default_storage
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render, resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from . import stash
from .session_keys import LAST_ACTIVITY_KEY, STARTED_KEY
from .user_facts import load_user_facts

# Paths a signed-in user without a second factor may still reach: the
# enrolment itself, logging out, switching language and static files.
_ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/jsi18n/")


class RequireTwoFactorMiddleware:
    """Send every signed-in user without TOTP to the guided enrolment first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not _has_totp(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


# What someone who must add a passkey may still reach: the page that adds one,
# confirming who they are before it, logging out, and what every page loads.
_PASSKEY_ALLOWED_NAMES = (
    "mfa_add_webauthn",
    # A new account sets up its authenticator app first (RequireTwoFactorMiddleware).
    "mfa_activate_totp",
    "account_reauthenticate",
    "mfa_reauthenticate",
    "mfa_reauthenticate_webauthn",
    "mfa_view_recovery_codes",
    "account_logout",
    "accounts:heartbeat",
)
_PASSKEY_ALLOWED_PREFIXES = ("/i18n/", "/static/", "/healthz", "/jsi18n/")


class RequirePasskeyMiddleware:
    """Once the deadline set by an administrator has passed, administración and
    coordinación reach nothing but the page that adds a passkey (and log out).

    Place after RequireTwoFactorMiddleware: the authenticator app comes first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(_PASSKEY_ALLOWED_PREFIXES)
            and not _is_passkey_allowed(request.path_info)
        ):
            from .selectors import user_must_add_passkey

            if user_must_add_passkey(user):
                response = redirect("mfa_add_webauthn")
                _add_message(
                    request,
                    response,
                    _(
                        "Your role needs a passkey or security key from now on. "
                        "Add one to go on; you can still log out."
                    ),
                )
                return response
        return self.get_response(request)


def _is_passkey_allowed(path: str) -> bool:
    """Whether the path is one of the named pages a user without a passkey may reach
    (resolved against the request's URLconf, so a page it lacks is simply not one)."""
    try:
        return resolve(path).view_name in _PASSKEY_ALLOWED_NAMES
    except Resolver404:
        return False


def _has_totp(user) -> bool:
    """Whether the user has a TOTP, read fresh on every request; the same query brings
    the roles and the other facts every page reads (user_facts.py)."""
    return load_user_facts(user)


# Writing the session on every request is wasted work; a few seconds of slack is not.
_ACTIVITY_RESOLUTION = 10


class SessionTimeoutMiddleware:
    """End sessions idle for SESSION_IDLE_TIMEOUT or older than SESSION_ABSOLUTE_TIMEOUT.

    A form POSTed into an expired session is not lost: it is sealed into the
    new anonymous session (see stash.py) and offered back, for confirmation,
    once the same person has logged in again and returns to the page.

    Place after AuthenticationMiddleware. The work happens in __call__, so it
    runs before every view-level check (LoginRequiredMiddleware, CSRF).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)

        now = time.time()
        session = request.session
        started = session.get(STARTED_KEY)
        last = session.get(LAST_ACTIVITY_KEY)
        if started is None or last is None:
            started = started or now
            last = last or now
            session[STARTED_KEY] = started
            session[LAST_ACTIVITY_KEY] = last
        if (
            now - last > settings.SESSION_IDLE_TIMEOUT
            or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
        ):
            return self._expire(request)
        if now - last >= _ACTIVITY_RESOLUTION:
            session[LAST_ACTIVITY_KEY] = now

        if request.method == "GET" and stash.SESSION_KEY in session:
            response = self._offer_stash(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _expire(self, request):
        sealed = None
        user_id = str(request.user.pk)
        if request.method == "POST" and request.path != reverse("accounts:heartbeat"):
            sealed = self._seal_post(request, user_id=user_id)
        logout(request)
        if sealed is not None:
            request.session[stash.SESSION_KEY] = sealed
            text = _("Your session expired. Log in again; what you typed has been kept.")
        else:
            text = _("Your session expired. Please log in again.")
        login_url = resolve_url(settings.LOGIN_URL)
        next_path = request.get_full_path()
        response = redirect(f"{login_url}?{urlencode({'next': next_path})}")
        _add_message(request, response, text)
        return response

    def _seal_post(self, request, *, user_id: str):
        # Only a genuine form of this site is kept: a forged cross-site POST
        # must not come back to the user as "what you typed".
        csrf = CsrfViewMiddleware(lambda r: None)
        if csrf.process_view(request, None, (), {}) is not None:
            return None
        items = [
            (key, value)
            for key, values in request.POST.lists()
            if key != "csrfmiddlewaretoken"
            for value in values
        ]
        return stash.seal(user_id=user_id, path=request.path, items=items)

    def _offer_stash(self, request):
        sealed = request.session.get(stash.SESSION_KEY)
        if not isinstance(sealed, dict) or sealed.get("path") != request.path:
            if isinstance(sealed, dict) and sealed.get("user") != str(request.user.pk):
                # Someone else logged in on this browser: never show them the stash.
                request.session.pop(stash.SESSION_KEY, None)
            return None
        request.session.pop(stash.SESSION_KEY, None)
        items = stash.unseal(sealed, user_id=str(request.user.pk), path=request.path)
        if items is None:
            return None
        return render(
            request,
            "accounts/resubmit.html",
            {"items": items, "action": request.get_full_path()},
        )


def _add_message(request, response, text: str) -> None:
    """Add a message even when this middleware runs before MessageMiddleware."""
    if hasattr(request, "_messages"):
        messages.info(request, text)
        return
    storage = default_storage(request)
    storage.add(messages.INFO, text)
    storage.update(response)
