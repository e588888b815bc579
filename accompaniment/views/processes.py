"""Process pages: open, detail, edit, status, archive/delete, objectives, assessments, timeline.

Closed and archived processes are read-only: every view that would change them
redirects to the detail page with an error message instead.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aluna.accounts.roles import Role
from aluna.audit.models import AuditAction
from aluna.audit.selectors import audit_views_of
from aluna.audit.services import audit_record, audit_target_type
from aluna.core.access import role_required
from aluna.core.concurrency import STALE_EDIT_MESSAGE, StaleEdit

from ..forms.processes import (
    AssessmentEditForm,
    AssessmentForm,
    ObjectiveEditForm,
    ObjectiveForm,
    ProcessEditForm,
    ProcessOpenForm,
    ProcessStatusForm,
)
from ..selectors.access import subject_get_for_user
from ..selectors.processes import (
    assessment_get_for_user,
    objective_get_for_user,
    process_fields_overview,
    process_get_for_detail_page,
    process_get_for_edit,
    process_is_read_only,
)
from ..services.processes import (
    READ_ONLY_MESSAGE,
    IllegalTransition,
    ProcessHasSessions,
    ProcessReadOnly,
    assessment_create,
    assessment_update,
    objective_create,
    objective_update,
    process_archive,
    process_change_status,
    process_delete,
    process_open,
    process_update,
)
from ..timeline import process_links, timeline_page

case_workers = role_required(Role.COORDINATION, Role.ACCOMPANIMENT)


def _refuse_read_only(request, process):
    messages.error(request, READ_ONLY_MESSAGE)
    return redirect("accompaniment:process-detail", process_id=process.pk)


def _audit_view(request, process) -> None:
    with transaction.atomic():
        audit_record(
            action=AuditAction.VIEW,
            actor=request.user,
            target_type=audit_target_type(process),
            target_id=str(process.pk),
            request=request,
        )


def _post_or_none(request):
    return request.POST if request.method == "POST" else None


def _user_label(user) -> str:
    return user.get_full_name() if user is not None else "—"


def _render_form(request, template, context, *, status=200):
    return render(request, f"accompaniment/processes/{template}", context, status=status)


# --- Processes ------------------------------------------------------------------------------


@case_workers
@require_http_methods(["GET", "POST"])
def process_create(request, subject_id):
    subject = subject_get_for_user(user=request.user, subject_id=subject_id)
    form = ProcessOpenForm(_post_or_none(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        process = process_open(
            subject=subject, actor=request.user, data=form.cleaned_data, request=request
        )
        messages.success(request, _("The process was opened."))
        return redirect("accompaniment:process-detail", process_id=process.pk)
    return _render_form(
        request,
        "form.html",
        {"form": form, "subject": subject, "process": None},
        status=400 if request.method == "POST" else 200,
    )


@case_workers
def process_detail(request, process_id):
    process = process_get_for_detail_page(user=request.user, process_id=process_id)
    _audit_view(request, process)
    is_coordinator = request.user.has_role(Role.COORDINATION)
    context = {
        "process": process,
        "subject": process.subject,
        "team": list(process.team.all()),
        "fields": process_fields_overview(process=process),
        "read_only": process_is_read_only(process),
        "is_coordinator": is_coordinator,
        "can_change_status": not process.is_archived and not process.is_closed,
        "process_links": process_links(process=process),
    }
    if is_coordinator:
        context["viewed_by"] = audit_views_of(
            target_type=audit_target_type(process), target_id=process.pk
        )
    return render(request, "accompaniment/processes/detail.html", context)


@case_workers
@require_http_methods(["GET", "POST"])
def process_edit(request, process_id):
    process = process_get_for_edit(user=request.user, process_id=process_id)
    if process_is_read_only(process):
        return _refuse_read_only(request, process)
    form = ProcessEditForm(_post_or_none(request), user=request.user, process=process)
    stale_values = None
    if request.method == "POST" and form.is_valid():
        try:
            process_update(
                process=process,
                actor=request.user,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except StaleEdit as stale:
            current = stale.current
            form.add_error(None, STALE_EDIT_MESSAGE)
            stale_values = [
                (_("Lead"), _user_label(current.lead)),
                (_("Team"), ", ".join(_user_label(u) for u in current.team.all())),
                (_("Agreed frequency (days)"), current.frequency_days),
                (_("Next follow-up"), current.next_follow_up or "—"),
            ]
            # Saving again means saving over the version the user has now seen.
            data = request.POST.copy()
            data["version"] = current.version
            form.data = data
        else:
            messages.success(request, _("The process was saved."))
            return redirect("accompaniment:process-detail", process_id=process.pk)
    return _render_form(
        request,
        "form.html",
        {
            "form": form,
            "subject": process.subject,
            "process": process,
            "stale_values": stale_values,
        },
        status=400 if request.method == "POST" else 200,
    )


@case_workers
@require_http_methods(["GET", "POST"])
def process_status(request, process_id):
    process = process_get_for_edit(user=request.user, process_id=process_id)
    if process_is_read_only(process):
        return _refuse_read_only(request, process)
    form = ProcessStatusForm(_post_or_none(request), process=process)
    if request.method == "POST" and form.is_valid():
        try:
            process_change_status(
                process=process,
                actor=request.user,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                closing_summary=form.cleaned_data["closing_summary"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except StaleEdit:
            form.add_error(None, STALE_EDIT_MESSAGE)
        except (IllegalTransition, ProcessReadOnly):
            form.add_error("to_status", _("The process cannot move to that status."))
        else:
            messages.success(request, _("The status of the process was changed."))
            return redirect("accompaniment:process-detail", process_id=process.pk)
    return _render_form(
        request,
        "status.html",
        {"form": form, "process": process, "subject": process.subject},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.COORDINATION)
@require_http_methods(["GET", "POST"])
def process_archive_view(request, process_id):
    process = process_get_for_edit(user=request.user, process_id=process_id)
    if request.method == "POST":
        process_archive(process=process, actor=request.user, request=request)
        messages.success(request, _("The process was archived. It stays read-only."))
        return redirect("accompaniment:process-detail", process_id=process.pk)
    return _render_form(
        request,
        "confirm.html",
        {"process": process, "subject": process.subject, "action": "archive"},
    )


@role_required(Role.COORDINATION)
@require_http_methods(["GET", "POST"])
def process_delete_view(request, process_id):
    process = process_get_for_edit(user=request.user, process_id=process_id)
    has_sessions = process.sessions.exists()
    if request.method == "POST" and not has_sessions:
        subject_id = process.subject_id
        try:
            process_delete(process=process, actor=request.user, request=request)
        except ProcessHasSessions:
            has_sessions = True
        else:
            messages.success(request, _("The process was deleted."))
            return _redirect_to_subject(subject_id)
    if request.method == "POST" and has_sessions:
        messages.error(request, _("A process with sessions cannot be deleted. Archive it instead."))
    return _render_form(
        request,
        "confirm.html",
        {
            "process": process,
            "subject": process.subject,
            "action": "delete",
            "has_sessions": has_sessions,
        },
        status=409 if request.method == "POST" else 200,
    )


def _redirect_to_subject(subject_id):
    from django.urls import NoReverseMatch, reverse

    try:
        return redirect(reverse("accompaniment:subject-detail", kwargs={"subject_id": subject_id}))
    except NoReverseMatch:
        return redirect("accompaniment:index")


# --- Objectives --------------------------------------------------------------------------------


@case_workers
@require_http_methods(["GET", "POST"])
def objective_create_view(request, process_id):
    process = process_get_for_edit(user=request.user, process_id=process_id)
    if process_is_read_only(process):
        return _refuse_read_only(request, process)
    form = ObjectiveForm(_post_or_none(request), process=process)
    if request.method == "POST" and form.is_valid():
        objective_create(
            process=process, actor=request.user, data=form.cleaned_data, request=request
        )
        messages.success(request, _("The objective was added."))
        return redirect("accompaniment:process-detail", process_id=process.pk)
    return _render_form(
        request,
        "objective_form.html",
        {"form": form, "process": process, "subject": process.subject, "objective": None},
        status=400 if request.method == "POST" else 200,
    )


@case_workers
@require_http_methods(["GET", "POST"])
def objective_edit_view(request, objective_id):
    objective = objective_get_for_user(user=request.user, objective_id=objective_id)
    process = objective.process
    if process_is_read_only(process):
        return _refuse_read_only(request, process)
    initial = {
        "field": objective.field,
        "description": objective.description,
        "status": objective.status,
        "version": objective.version,
    }
    form = ObjectiveEditForm(_post_or_none(request), process=process, initial=initial)
    stale_values = None
    if request.method == "POST" and form.is_valid():
        try:
            objective_update(
                objective=objective,
                actor=request.user,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except StaleEdit as stale:
            current = stale.current
            form.add_error(None, STALE_EDIT_MESSAGE)
            stale_values = [
                (_("Field"), current.get_field_display()),
                (_("Objective"), current.description),
                (_("Status"), current.get_status_display()),
            ]
            data = request.POST.copy()
            data["version"] = current.version
            form.data = data
        else:
            messages.success(request, _("The objective was saved."))
            return redirect("accompaniment:process-detail", process_id=process.pk)
    return _render_form(
        request,
        "objective_form.html",
        {
            "form": form,
            "process": process,
            "subject": process.subject,
            "objective": objective,
            "stale_values": stale_values,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Field assessments ---------------------------------------------------------------------------


@case_workers
@require_http_methods(["GET", "POST"])
def assessment_create_view(request, process_id):
    process = process_get_for_edit(user=request.user, process_id=process_id)
    if process_is_read_only(process):
        return _refuse_read_only(request, process)
    initial = {"field": request.GET.get("field", "")}
    form = AssessmentForm(_post_or_none(request), process=process, initial=initial)
    if request.method == "POST" and form.is_valid():
        assessment_create(
            process=process, actor=request.user, data=form.cleaned_data, request=request
        )
        messages.success(request, _("The assessment was recorded."))
        return redirect("accompaniment:process-detail", process_id=process.pk)
    return _render_form(
        request,
        "assessment_form.html",
        {"form": form, "process": process, "subject": process.subject, "assessment": None},
        status=400 if request.method == "POST" else 200,
    )


@case_workers
@require_http_methods(["GET", "POST"])
def assessment_edit_view(request, assessment_id):
    assessment = assessment_get_for_user(user=request.user, assessment_id=assessment_id)
    process = assessment.process
    if process_is_read_only(process):
        return _refuse_read_only(request, process)
    initial = {
        "field": assessment.field,
        "assessed_on": assessment.assessed_on,
        "score": assessment.score,
        "indicator_notes": assessment.indicator_notes,
        "version": assessment.version,
    }
    form = AssessmentEditForm(_post_or_none(request), process=process, initial=initial)
    stale_values = None
    if request.method == "POST" and form.is_valid():
        try:
            assessment_update(
                assessment=assessment,
                actor=request.user,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except StaleEdit as stale:
            current = stale.current
            form.add_error(None, STALE_EDIT_MESSAGE)
            stale_values = [
                (_("Field"), current.get_field_display()),
                (_("Assessed on"), current.assessed_on),
                (_("Score"), current.score),
                (_("Indicator notes"), current.indicator_notes or "—"),
            ]
            data = request.POST.copy()
            data["version"] = current.version
            form.data = data
        else:
            messages.success(request, _("The assessment was saved."))
            return redirect("accompaniment:process-detail", process_id=process.pk)
    return _render_form(
        request,
        "assessment_form.html",
        {
            "form": form,
            "process": process,
            "subject": process.subject,
            "assessment": assessment,
            "stale_values": stale_values,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Timeline ------------------------------------------------------------------------------------


@case_workers
def process_timeline(request, process_id):
    process = process_get_for_edit(user=request.user, process_id=process_id)
    _audit_view(request, process)
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    page = timeline_page(process=process, user=request.user, page=page_number)
    return render(
        request,
        "accompaniment/processes/timeline.html",
        {"process": process, "subject": process.subject, "page": page},
    )
