import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import selectors, services
from .session_keys import LAST_ACTIVITY_KEY, STARTED_KEY


@receiver(user_logged_in, dispatch_uid="aluna.accounts.start_session_clock")
def start_session_clock(sender, request, user, **kwargs):
    """The absolute session limit counts from the login itself."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[STARTED_KEY] = now
        request.session[LAST_ACTIVITY_KEY] = now


@receiver(user_logged_in, dispatch_uid="aluna.accounts.record_user_session")
def record_user_session(sender, request, user, **kwargs):
    """List the new session under "Mi cuenta > Seguridad"."""
    if request is not None:
        services.user_session_record(request=request, user=user)


@receiver(user_logged_in, dispatch_uid="aluna.accounts.warm_passkey_policy")
def warm_passkey_policy(sender, request, user, **kwargs):
    """Read the passkey deadline now, so the pages that follow find it cached."""
    selectors.passkey_deadline()
