"""What the phone's offline queue needs from every page (static/js/offline_queue.js).

`offline_epoch`: a random token of the session, on <html data-offline-epoch>. The
queue's key is made for one epoch: a new login gets a new key, and a page rendered
without a session (logout, the session ended, "log out on every device", a device
reported compromised) carries an empty epoch, which wipes the queue and its key at
the phone's next contact with the server.

`offline_texts`: the Spanish (or English) words the scripts show, from the catalogue.
"""

import secrets

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

SESSION_KEY = "offline_epoch"


def new_epoch_at_login(sender, request, user, **kwargs):
    """Every login starts a new epoch, so the queue of an earlier session is dropped
    (set here, with the login's own session write, not by a page)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = secrets.token_urlsafe(16)


def _epoch(request) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    epoch = request.session.get(SESSION_KEY)
    if not epoch:
        epoch = request.session[SESSION_KEY] = secrets.token_urlsafe(16)
    return epoch


def _texts() -> dict[str, str]:
    return {
        "kept": _("Saved on this phone; it will be sent as soon as there is signal."),
        "not_kept": _(
            "This phone could not keep the entry. Do not close the page: try again, "
            "or call the team."
        ),
        "sending": _("Sending…"),
        "arrived": _("Your entry saved on this phone arrived at %(time)s."),
        "see_crisis": _("See the crisis"),
        "waiting_one": _("%(count)s entry waiting to be sent"),
        "waiting_many": _("%(count)s entries waiting to be sent"),
        "refused_one": _("%(count)s entry could not be recorded"),
        "refused_many": _("%(count)s entries could not be recorded"),
        "queued_mark": _("Pending on this phone: it will be sent as soon as there is signal."),
        "refused_mark": _("This mark could not be saved. Choose again."),
        "retry": _("Retry"),
        "refused_entry": _(
            "An entry kept on this phone could not be recorded as it was: take it back "
            "into the form, correct it and save it again."
        ),
        "recover": _("Take it back"),
        "draft_restored": _("We brought back what you had typed, kept on this phone."),
        "draft_offline": _(
            "There is no signal: what you typed stays on this phone. Save again when "
            "there is signal."
        ),
        "offline": _("Not saved: there is no connection."),
        "network": _("Not saved: the connection failed."),
        "timeout": _("Not saved: the server took too long to answer."),
        "server": _("Not saved: the server had a problem."),
        "refused": _("Not saved: the server refused the change."),
    }


def offline(request):
    return {
        "offline_epoch": SimpleLazyObject(lambda: _epoch(request)),
        "offline_texts": _texts(),
    }
