"""Re-authentication for sensitive actions (role changes, exports, PDFs).

Apps import from here, not from allauth: one place to change the policy.
The window is settings.ACCOUNT_REAUTHENTICATION_TIMEOUT (300 s); with a
second factor enrolled allauth also offers the TOTP code.
"""

from allauth.account.decorators import reauthentication_required


def reauth_required(view=None, *, allow_get: bool = False):
    """Send the user to re-enter their password (or TOTP) unless they did so recently.

    Requests are suspended and resumed by allauth, POST data included.
    """
    return reauthentication_required(view, allow_get=allow_get)
