"""Crisis pages: the quick form, the board, a crisis, its completion and follow-ups."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
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
    CrisisSubjectConfirmForm,
    FollowUpDoneForm,
    FollowUpRescheduleForm,
    QueuedCrisisQuickForm,
)
from ..models import ImmediateNeed
from ..selectors.interventions import (
    crises_to_confirm_for_author,
    crisis_board_for_user,
    crisis_get_for_detail_page,
    crisis_get_for_edit_page,
    crisis_get_for_user,
    crisis_subject_candidates,
    crisis_to_confirm_get_for_author,
    follow_up_get_for_user,
)
from ..services.follow_ups import crisis_follow_up_complete, crisis_follow_up_reschedule
from ..services.interventions import (
    crisis_acknowledge,
    crisis_confirm_subject,
    crisis_record_once,
    crisis_update,
)

BOARD_PAGE_SIZE = 25
CASE_ROLES = (Role.COORDINATION, Role.ACCOMPANIMENT)
# What the "saved now by someone else" card shows of a crisis.
STALE_FIELDS = ("contacted_at", "channel", "risk_level", "status")


# Header of a POST sent by the phone's queue (static/js/offline_queue.js): nobody is
# looking at the form, so it gets a JSON answer and an unresolved alias is accepted.
QUEUE_HEADER = "X-Aluna-Queue"
# Header of the quick form's own POST (fetch, with signal): answered with where the
# crisis is, so a slow phone loads the crisis page once instead of twice.
FETCH_HEADER = "X-Aluna-Fetch"


@role_required(*CASE_ROLES)
@require_http_methods(["GET", "POST"])
def crisis_create(request):
    subject_id = request.GET.get("subject")
    subject = subject_get_for_user(user=request.user, subject_id=subject_id) if subject_id else None
    queued = request.method == "POST" and request.headers.get(QUEUE_HEADER) == "1"
    form_class = QueuedCrisisQuickForm if queued else CrisisQuickForm
    form = form_class(request.POST or None, user=request.user, subject=subject)
    if request.method == "POST" and form.is_valid():
        crisis, created = crisis_record_once(
            actor=request.user, data=form.cleaned_data, request=request
        )
        if queued:
            return _queued_answer(crisis, created)
        if created:
            messages.success(request, _("The crisis was logged and the team is being alerted."))
        else:
            messages.info(request, _("This crisis had already arrived: it is recorded once."))
        if request.headers.get(FETCH_HEADER) == "1":  # the page goes there itself
            return _queued_answer(crisis, created)
        return redirect("crisis:crisis-detail", crisis_id=crisis.pk)
    if queued:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    context = {"form": form, "preset_subject": subject}
    status = 400 if form.errors else 200
    return render(request, "crisis/interventions/quick_form.html", context, status=status)


def _queued_answer(crisis, created: bool) -> JsonResponse:
    """What the phone's queue needs: where the crisis is, and whether this arrival
    recorded it or an earlier one had (no case data: the page is one tap away)."""
    url = reverse("crisis:crisis-detail", kwargs={"crisis_id": crisis.pk})
    body = {"url": url, "created": created, "to_confirm": crisis.subject_to_confirm}
    return JsonResponse(body, status=201 if created else 200)


@role_required(*CASE_ROLES)
@require_http_methods(["GET", "POST"])
def crisis_subject_confirm(request, crisis_id):
    """The author of a crisis sent with an unresolved alias says who the subject is."""
    crisis = crisis_to_confirm_get_for_author(user=request.user, crisis_id=crisis_id)
    candidates = crisis_subject_candidates(user=request.user, crisis=crisis)
    audit_view(request, crisis)  # the page shows the text typed on the phone
    typed = crisis.process.subject.name
    form = CrisisSubjectConfirmForm(request.POST or None, candidates=candidates, typed=typed)
    if request.method == "POST" and form.is_valid():
        crisis_confirm_subject(
            intervention=crisis,
            actor=request.user,
            subject=form.cleaned_data["subject"],
            new_alias=form.cleaned_data["new_alias"],
            request=request,
        )
        messages.success(request, _("The subject of the crisis is confirmed."))
        return redirect("crisis:crisis-detail", crisis_id=crisis.pk)
    context = {"crisis": crisis, "form": form, "typed": typed}
    status = 400 if form.errors else 200
    return render(request, "crisis/interventions/confirm_subject.html", context, status=status)


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
    to_confirm = crises_to_confirm_for_author(user=request.user)
    context = {"page_obj": page_obj, "now": timezone.now(), "to_confirm": to_confirm}
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
