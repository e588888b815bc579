from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aluna.accounts.roles import Role
from aluna.audit.models import AuditAction
from aluna.audit.selectors import audit_views_of
from aluna.audit.services import audit_record, audit_target_type
from aluna.core.access import role_required
from aluna.core.concurrency import STALE_EDIT_MESSAGE, StaleEdit

from ..forms.crisis import CrisisEditForm, CrisisQuickForm
from ..models import ImmediateNeed
from ..selectors.access import subject_get_for_user
from ..selectors.crisis import (
    crisis_board_for_user,
    crisis_get_for_detail_page,
    crisis_get_for_edit_page,
    crisis_get_for_user,
    follow_up_get_for_user,
)
from ..services.crisis import (
    crisis_acknowledge,
    crisis_follow_up_complete,
    crisis_follow_up_reschedule,
    crisis_record,
    crisis_update,
)

BOARD_PAGE_SIZE = 25
CASE_ROLES = (Role.COORDINATION, Role.ACCOMPANIMENT)


@role_required(*CASE_ROLES)
@require_http_methods(["GET", "POST"])
def crisis_create(request):
    subject = None
    subject_id = request.GET.get("subject")
    if subject_id:
        subject = subject_get_for_user(user=request.user, subject_id=subject_id)
    if request.method == "POST":
        form = CrisisQuickForm(request.POST, user=request.user, subject=subject)
        if form.is_valid():
            crisis = crisis_record(actor=request.user, data=form.cleaned_data, request=request)
            messages.success(request, _("The crisis was logged and the team is being alerted."))
            return redirect("accompaniment:crisis-detail", crisis_id=crisis.pk)
    else:
        form = CrisisQuickForm(user=request.user, subject=subject)
    return render(
        request,
        "accompaniment/crisis/quick_form.html",
        {"form": form, "preset_subject": subject},
        status=400 if form.errors else 200,
    )


@role_required(*CASE_ROLES)
@require_http_methods(["GET"])
def crisis_detail(request, crisis_id):
    crisis = crisis_get_for_detail_page(user=request.user, crisis_id=crisis_id)
    target_type = audit_target_type(crisis)
    audit_record(
        action=AuditAction.VIEW,
        actor=request.user,
        target_type=target_type,
        target_id=str(crisis.pk),
        request=request,
    )
    needs = dict(ImmediateNeed.choices)
    is_coordinator = request.user.has_role(Role.COORDINATION)
    return render(
        request,
        "accompaniment/crisis/detail.html",
        {
            "crisis": crisis,
            "process": crisis.process,
            "needs": [needs.get(code, code) for code in crisis.immediate_needs],
            "who_viewed": (
                audit_views_of(target_type=target_type, target_id=crisis.pk)
                if is_coordinator
                else None
            ),
        },
    )


@role_required(*CASE_ROLES)
@require_http_methods(["GET", "POST"])
def crisis_edit(request, crisis_id):
    crisis = crisis_get_for_edit_page(user=request.user, crisis_id=crisis_id)
    form_kwargs = {"user": request.user, "instance": crisis}
    context = {"crisis": crisis}
    status = 200
    if request.method == "POST":
        form = CrisisEditForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                crisis_update(
                    intervention=crisis,
                    actor=request.user,
                    data=form.cleaned_data,
                    expected_version=form.cleaned_data["version"],
                    request=request,
                )
            except StaleEdit as stale:
                context["stale_values"] = _stale_values(stale.current)
                data = request.POST.copy()
                data["version"] = stale.current.version
                form = CrisisEditForm(data, **{**form_kwargs, "instance": stale.current})
                form.is_valid()
                form.add_error(None, STALE_EDIT_MESSAGE)
                status = 409
            else:
                messages.success(request, _("The crisis was saved."))
                return redirect("accompaniment:crisis-detail", crisis_id=crisis.pk)
        if form.errors and status == 200:
            status = 400
    else:
        form = CrisisEditForm(**form_kwargs)
    context["form"] = form
    return render(request, "accompaniment/crisis/edit_form.html", context, status=status)


def _stale_values(crisis) -> list[tuple[str, str]]:
    return [
        (
            _("When"),
            formats.date_format(timezone.localtime(crisis.contacted_at), "SHORT_DATETIME_FORMAT"),
        ),
        (_("How"), crisis.get_channel_display()),
        (_("Risk level"), crisis.get_risk_level_display()),
        (_("Status"), crisis.get_status_display()),
    ]


@role_required(*CASE_ROLES)
@require_http_methods(["GET"])
def crisis_board(request):
    crises = crisis_board_for_user(user=request.user)
    page_obj = Paginator(crises, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accompaniment/crisis/board.html",
        {"page_obj": page_obj, "now": timezone.now()},
    )


@role_required(*CASE_ROLES)
@require_POST
def crisis_acknowledge_view(request, crisis_id):
    crisis = crisis_get_for_user(user=request.user, crisis_id=crisis_id)
    crisis_acknowledge(intervention=crisis, user=request.user, request=request)
    messages.success(request, _("You acknowledged the alert: escalation stops."))
    return redirect("accompaniment:crisis-detail", crisis_id=crisis.pk)


class FollowUpDoneForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2_000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpRescheduleForm(forms.Form):
    due_at = forms.DateTimeField(
        label=_("New due time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_due_at(self):
        due_at = self.cleaned_data["due_at"]
        if due_at < timezone.now():
            raise forms.ValidationError(_("The new due time cannot be in the past."))
        return due_at


@role_required(*CASE_ROLES)
@require_POST
def crisis_follow_up_done(request, follow_up_id):
    follow_up = follow_up_get_for_user(user=request.user, follow_up_id=follow_up_id)
    crisis_id = follow_up.intervention_id
    if follow_up.done_at is not None:
        messages.info(request, _("This follow-up was already done."))
        return redirect("accompaniment:crisis-detail", crisis_id=crisis_id)
    if request.POST.get("action") == "reschedule":
        form = FollowUpRescheduleForm(request.POST)
        if form.is_valid():
            crisis_follow_up_reschedule(
                follow_up=follow_up,
                actor=request.user,
                due_at=form.cleaned_data["due_at"],
                request=request,
            )
            messages.success(request, _("The follow-up was rescheduled."))
            return redirect("accompaniment:crisis-detail", crisis_id=crisis_id)
    else:
        form = FollowUpDoneForm(request.POST)
        if form.is_valid():
            crisis_follow_up_complete(
                follow_up=follow_up,
                actor=request.user,
                note=form.cleaned_data["note"],
                request=request,
            )
            messages.success(request, _("The follow-up was marked done."))
            return redirect("accompaniment:crisis-detail", crisis_id=crisis_id)
    return render(
        request,
        "accompaniment/crisis/follow_up_error.html",
        {"form": form, "crisis_id": crisis_id},
        status=400,
    )
