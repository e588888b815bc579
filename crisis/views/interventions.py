"""Crisis pages: the quick form, the board, a crisis, its completion and follow-ups."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accompaniment.selectors.access import subject_get_for_user
from aluna.audit.selectors import audit_views_of
from aluna.audit.services import audit_view
from aluna.core.access import role_required
from aluna.core.concurrency import stale_values_of, submit_versioned
from aluna.core.roles import Role

from ..forms.interventions import (
    CrisisEditForm,
    CrisisQuickForm,
    FollowUpDoneForm,
    FollowUpRescheduleForm,
)
from ..models import ImmediateNeed
from ..selectors.interventions import (
    crisis_board_for_user,
    crisis_get_for_detail_page,
    crisis_get_for_edit_page,
    crisis_get_for_user,
    follow_up_get_for_user,
)
from ..services.follow_ups import crisis_follow_up_complete, crisis_follow_up_reschedule
from ..services.interventions import crisis_acknowledge, crisis_record, crisis_update

BOARD_PAGE_SIZE = 25
CASE_ROLES = (Role.COORDINATION, Role.ACCOMPANIMENT)
# What the "saved now by someone else" card shows of a crisis.
STALE_FIELDS = ("contacted_at", "channel", "risk_level", "status")


@role_required(*CASE_ROLES)
@require_http_methods(["GET", "POST"])
def crisis_create(request):
    subject_id = request.GET.get("subject")
    subject = subject_get_for_user(user=request.user, subject_id=subject_id) if subject_id else None
    form = CrisisQuickForm(request.POST or None, user=request.user, subject=subject)
    if request.method == "POST" and form.is_valid():
        crisis = crisis_record(actor=request.user, data=form.cleaned_data, request=request)
        messages.success(request, _("The crisis was logged and the team is being alerted."))
        return redirect("crisis:crisis-detail", crisis_id=crisis.pk)
    context = {"form": form, "preset_subject": subject}
    status = 400 if form.errors else 200
    return render(request, "crisis/interventions/quick_form.html", context, status=status)


@role_required(*CASE_ROLES)
@require_http_methods(["GET"])
def crisis_detail(request, crisis_id):
    crisis = crisis_get_for_detail_page(user=request.user, crisis_id=crisis_id)
    audit_view(request, crisis)
    needs = dict(ImmediateNeed.choices)
    context = {
        "crisis": crisis,
        "process": crisis.process,
        "needs": [needs.get(code, code) for code in crisis.immediate_needs],
        "who_viewed": (
            audit_views_of(crisis) if request.user.has_role(Role.COORDINATION) else None
        ),
    }
    return render(request, "crisis/interventions/detail.html", context)


@role_required(*CASE_ROLES)
@require_http_methods(["GET", "POST"])
def crisis_edit(request, crisis_id):
    crisis = crisis_get_for_edit_page(user=request.user, crisis_id=crisis_id)
    form = CrisisEditForm(request.POST or None, user=request.user, instance=crisis)
    submission = submit_versioned(
        request,
        form,
        save=lambda data: crisis_update(
            intervention=crisis,
            actor=request.user,
            data=data,
            expected_version=data["version"],
            request=request,
        ),
        describe=lambda current: stale_values_of(current, STALE_FIELDS),
    )
    if submission.saved:
        messages.success(request, _("The crisis was saved."))
        return redirect("crisis:crisis-detail", crisis_id=crisis.pk)
    context = {**submission.context, "crisis": crisis}
    return render(request, "crisis/interventions/edit_form.html", context, status=submission.status)


@role_required(*CASE_ROLES)
@require_http_methods(["GET"])
def crisis_board(request):
    crises = crisis_board_for_user(user=request.user)
    page_obj = Paginator(crises, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "now": timezone.now()}
    return render(request, "crisis/interventions/board.html", context)


@role_required(*CASE_ROLES)
@require_POST
def crisis_acknowledge_view(request, crisis_id):
    crisis = crisis_get_for_user(user=request.user, crisis_id=crisis_id)
    crisis_acknowledge(intervention=crisis, user=request.user, request=request)
    messages.success(request, _("You acknowledged the alert: escalation stops."))
    return redirect("crisis:crisis-detail", crisis_id=crisis.pk)


@role_required(*CASE_ROLES)
@require_POST
def crisis_follow_up_done(request, follow_up_id):
    """Mark a follow-up done (with a note), or reschedule it (action=reschedule)."""
    follow_up = follow_up_get_for_user(user=request.user, follow_up_id=follow_up_id)
    if follow_up.done_at is not None:
        messages.info(request, _("This follow-up was already done."))
        return redirect("crisis:crisis-detail", crisis_id=follow_up.intervention_id)
    rescheduling = request.POST.get("action") == "reschedule"
    form = (FollowUpRescheduleForm if rescheduling else FollowUpDoneForm)(request.POST)
    if not form.is_valid():
        context = {"form": form, "crisis_id": follow_up.intervention_id}
        return render(request, "crisis/interventions/follow_up_error.html", context, status=400)
    if rescheduling:
        crisis_follow_up_reschedule(
            follow_up=follow_up,
            actor=request.user,
            due_at=form.cleaned_data["due_at"],
            request=request,
        )
        messages.success(request, _("The follow-up was rescheduled."))
    else:
        crisis_follow_up_complete(
            follow_up=follow_up, actor=request.user, note=form.cleaned_data["note"], request=request
        )
        messages.success(request, _("The follow-up was marked done."))
    return redirect("crisis:crisis-detail", crisis_id=follow_up.intervention_id)
