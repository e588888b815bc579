import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import LAST_ACTIVITY_KEY, STARTED_KEY


@receiver(user_logged_in, dispatch_uid="aluna.accounts.start_session_clock")
def start_session_clock(sender, request, user, **kwargs):
    """The absolute session limit counts from the login itself."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[STARTED_KEY] = now
        request.session[LAST_ACTIVITY_KEY] = now
