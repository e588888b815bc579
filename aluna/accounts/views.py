from allauth.mfa.recovery_codes.views import DownloadRecoveryCodesView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from aluna.core.access import role_required
from aluna.core.downloads import download_name
from aluna.core.roles import Role

from . import services
from .decorators import reauth_required
from .forms import SecurityPolicyForm, UserEditForm, UserInviteForm, UserSearchForm
from .selectors import (
    invitation_get_usable,
    invitations_latest_of,
    security_policy_get,
    user_get_for_admin,
    user_list_for_admin,
    user_session_get_own,
    user_sessions_active,
)

USERS_PER_PAGE = 25


@role_required(Role.ADMINISTRATION)
def user_list(request):
    form = UserSearchForm(request.GET or None)
    search, role = "", ""
    if form.is_valid():
        search, role = form.cleaned_data["q"], form.cleaned_data["role"]
    page = Paginator(user_list_for_admin(search=search, role=role), USERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page": page, "querystring": querystring.urlencode()},
    )


@role_required(Role.ADMINISTRATION)
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_invite(
            actor=request.user,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            role_codes=form.cleaned_data["roles"],
            request=request,
        )
        messages.success(request, _("Invitation sent. The link is valid for 48 hours."))
        return redirect("accounts:user-detail", user_id=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@role_required(Role.ADMINISTRATION)
def user_detail(request, user_id):
    managed = user_get_for_admin(user_id=user_id)
    invitations = invitations_latest_of(user=managed)
    return render(
        request, "accounts/user_detail.html", {"managed": managed, "invitations": invitations}
    )


@role_required(Role.ADMINISTRATION)
@reauth_required
@require_http_methods(["GET", "POST"])
def user_edit(request, user_id):
    managed = user_get_for_admin(user_id=user_id)
    form = UserEditForm(request.POST or None, managed=managed, actor=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update(
            actor=request.user,
            user=managed,
            full_name=form.cleaned_data["full_name"],
            role_codes=form.cleaned_data["roles"],
            request=request,
        )
        messages.success(request, _("The user was updated."))
        return redirect("accounts:user-detail", user_id=managed.pk)
    return render(
        request, "accounts/user_form.html", {"form": form, "managed": managed, "creating": False}
    )


@role_required(Role.ADMINISTRATION)
@require_http_methods(["GET", "POST"])
def user_deactivate(request, user_id):
    managed = user_get_for_admin(user_id=user_id)
    if managed == request.user:
        raise PermissionDenied
    if request.method == "POST":
        services.user_deactivate(actor=request.user, user=managed, request=request)
        messages.success(request, _("The account was deactivated and its sessions ended."))
        return redirect("accounts:user-detail", user_id=managed.pk)
    return render(request, "accounts/user_deactivate.html", {"managed": managed})


@role_required(Role.ADMINISTRATION)
@require_http_methods(["GET", "POST"])
def user_compromised(request, user_id):
    managed = user_get_for_admin(user_id=user_id)
    if request.method == "POST":
        services.user_revoke_sessions(
            actor=request.user, user=managed, reason="compromised_device", request=request
        )
        messages.success(request, _("Every session of this account was ended."))
        return redirect("accounts:user-detail", user_id=managed.pk)
    return render(request, "accounts/user_compromised.html", {"managed": managed})


@role_required(Role.ADMINISTRATION)
@require_http_methods(["GET", "POST"])
def security_policy(request):
    policy = security_policy_get()
    form = SecurityPolicyForm(
        request.POST or None, initial={"passkey_deadline": policy.passkey_deadline}
    )
    if request.method == "POST" and form.is_valid():
        services.security_policy_update(
            actor=request.user,
            passkey_deadline=form.cleaned_data["passkey_deadline"],
            request=request,
        )
        messages.success(request, _("The security policy was saved."))
        return redirect("accounts:security-policy")
    return render(request, "accounts/security_policy.html", {"form": form, "policy": policy})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = invitation_get_usable(token=token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.is_authenticated:
            logout(request)  # nobody else's session may carry on in this browser
        password = form.cleaned_data["new_password1"]
        services.invitation_accept(invitation=invitation, password=password)
        messages.success(
            request, _("Your password is set. Log in; you will then set up your second factor.")
        )
        return redirect("account_login")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invited": invitation.user}
    )


def my_security(request):
    sessions = user_sessions_active(user=request.user, current_key=request.session.session_key)
    return render(request, "accounts/my_security.html", {"sessions": sessions})


@require_POST
def session_end(request, session_id):
    user_session = user_session_get_own(user=request.user, session_id=session_id)
    is_current = user_session.session_id == request.session.session_key
    services.user_session_end(actor=request.user, user_session=user_session, request=request)
    if is_current:
        logout(request)
        return redirect("account_login")
    messages.success(request, _("That session was ended: its device has to log in again."))
    return redirect("accounts:my-security")


@require_POST
def logout_everywhere(request):
    services.user_revoke_sessions(
        actor=request.user, user=request.user, reason="logout_everywhere", request=request
    )
    logout(request)
    messages.success(request, _("You were logged out on every device."))
    return redirect("account_login")


@require_POST
def heartbeat(request):
    """Typing in a form counts as activity; SessionTimeoutMiddleware did the bookkeeping."""
    return HttpResponse(status=204)


class RecoveryCodesDownload(DownloadRecoveryCodesView):
    """allauth's download of the unused recovery codes, named in Spanish with its
    date (codigos-de-recuperacion-2026-12-05.txt); allauth keeps it out of caches."""

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        name = download_name(pgettext("file name", "recovery-codes"), extension="txt")
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
