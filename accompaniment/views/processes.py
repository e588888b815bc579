"""Process pages: open, detail, edit, status, archive/delete, objectives, assessments, timeline.

Closed and archived processes are read-only: every view that would change them
redirects to the detail page with an error message instead.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aluna.audit.selectors import audit_views_of
from aluna.audit.services import audit_view
from aluna.core.access import role_required
from aluna.core.concurrency import submit_versioned
from aluna.core.roles import Role

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


def _post_or_none(request):
    return request.POST if request.method == "POST" else None


def _status(request) -> int:
    """A form shown again after a POST was refused input."""
    return 400 if request.method == "POST" else 200


def _save_with(service, request, **record):
    """The `save` of submit_versioned: `service` on `record`, with the form's data and
    the version it was opened on."""
    return lambda data: service(
        **record, actor=request.user, data=data, expected_version=data["version"], request=request
    )


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
    context = {"form": form, "subject": subject, "process": None}
    return _render_form(request, "form.html", context, status=_status(request))


@case_workers
def process_detail(request, process_id):
    process = process_get_for_detail_page(user=request.user, process_id=process_id)
    audit_view(request, process)
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
    context["viewed_by"] = audit_views_of(process) if is_coordinator else None
    return render(request, "accompaniment/processes/detail.html", context)


@case_workers
@require_http_methods(["GET", "POST"])
def process_edit(request, process_id):
    process = process_get_for_edit(user=request.user, process_id=process_id)
    if process_is_read_only(process):
        return _refuse_read_only(request, process)
    form = ProcessEditForm(_post_or_none(request), user=request.user, process=process)
    submission = submit_versioned(
        request, form, save=_save_with(process_update, request, process=process)
    )
    if submission.saved:
        messages.success(request, _("The process was saved."))
        return redirect("accompaniment:process-detail", process_id=process.pk)
    context = {**submission.context, "subject": process.subject, "process": process}
    return _render_form(request, "form.html", context, status=submission.status)


@case_workers
@require_http_methods(["GET", "POST"])
def process_status(request, process_id):
    process = process_get_for_edit(user=request.user, process_id=process_id)
    if process_is_read_only(process):
        return _refuse_read_only(request, process)
    form = ProcessStatusForm(_post_or_none(request), process=process)
    submission = submit_versioned(request, form, save=_status_changer(request, process))
    if submission.saved:
        messages.success(request, _("The status of the process was changed."))
        return redirect("accompaniment:process-detail", process_id=process.pk)
    context = {**submission.context, "process": process, "subject": process.subject}
    return _render_form(request, "status.html", context, status=submission.status)


def _status_changer(request, process):
    def change(data):
        try:
            return process_change_status(
                process=process,
                actor=request.user,
                to_status=data["to_status"],
                reason=data["reason"],
                closing_summary=data["closing_summary"],
                expected_version=data["version"],
                request=request,
            )
        except (IllegalTransition, ProcessReadOnly) as exc:
            message = _("The process cannot move to that status.")
            raise ValidationError({"to_status": message}) from exc

    return change


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
            return redirect("accompaniment:subject-detail", subject_id=subject_id)
    if request.method == "POST" and has_sessions:
        messages.error(request, _("A process with sessions cannot be deleted. Archive it instead."))
    context = {"process": process, "subject": process.subject, "action": "delete"}
    context["has_sessions"] = has_sessions
    status = 409 if request.method == "POST" else 200
    return _render_form(request, "confirm.html", context, status=status)


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
    context = {"form": form, "process": process, "subject": process.subject, "objective": None}
    return _render_form(request, "objective_form.html", context, status=_status(request))


@case_workers
@require_http_methods(["GET", "POST"])
def objective_edit_view(request, objective_id):
    objective = objective_get_for_user(user=request.user, objective_id=objective_id)
    process = objective.process
    if process_is_read_only(process):
        return _refuse_read_only(request, process)
    form = ObjectiveEditForm(_post_or_none(request), objective=objective)
    save = _save_with(objective_update, request, objective=objective)
    submission = submit_versioned(request, form, save=save)
    if submission.saved:
        messages.success(request, _("The objective was saved."))
        return redirect("accompaniment:process-detail", process_id=process.pk)
    context = {**submission.context, "process": process, "subject": process.subject}
    context["objective"] = objective
    return _render_form(request, "objective_form.html", context, status=submission.status)


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
    context = {"form": form, "process": process, "subject": process.subject, "assessment": None}
    return _render_form(request, "assessment_form.html", context, status=_status(request))


@case_workers
@require_http_methods(["GET", "POST"])
def assessment_edit_view(request, assessment_id):
    assessment = assessment_get_for_user(user=request.user, assessment_id=assessment_id)
    process = assessment.process
    if process_is_read_only(process):
        return _refuse_read_only(request, process)
    form = AssessmentEditForm(_post_or_none(request), assessment=assessment)
    save = _save_with(assessment_update, request, assessment=assessment)
    submission = submit_versioned(request, form, save=save)
    if submission.saved:
        messages.success(request, _("The assessment was saved."))
        return redirect("accompaniment:process-detail", process_id=process.pk)
    context = {**submission.context, "process": process, "subject": process.subject}
    context["assessment"] = assessment
    return _render_form(request, "assessment_form.html", context, status=submission.status)


# --- Timeline ------------------------------------------------------------------------------------


@case_workers
def process_timeline(request, process_id):
    process = process_get_for_edit(user=request.user, process_id=process_id)
    audit_view(request, process)
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    page = timeline_page(process=process, user=request.user, page=page_number)
    context = {"process": process, "subject": process.subject, "page": page}
    return render(request, "accompaniment/processes/timeline.html", context)
