"""Sessions of a process: record one, read it, correct it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aluna.audit.selectors import audit_views_of
from aluna.audit.services import audit_view
from aluna.core.access import role_required
from aluna.core.concurrency import stale_values_of, submit_versioned
from aluna.core.roles import Role

from ..forms.sessions import SessionEditForm, SessionForm
from ..models import Session
from ..selectors.sessions import (
    process_get_for_session_form,
    session_get_for_detail_page,
    session_get_for_edit_page,
)
from ..services.sessions import CLOSED_PROCESS_MESSAGE, session_record, session_update

FORM_TEMPLATE = "accompaniment/sessions/session_form.html"
case_workers = role_required(Role.COORDINATION, Role.ACCOMPANIMENT)


def _refuse_closed(request, context):
    """A closed or archived process takes no session: the page says so instead."""
    context["closed_message"] = CLOSED_PROCESS_MESSAGE
    status = 400 if request.method == "POST" else 200
    return render(request, FORM_TEMPLATE, context, status=status)


@case_workers
@require_http_methods(["GET", "POST"])
def session_create(request, process_id):
    process = process_get_for_session_form(user=request.user, process_id=process_id)
    context = {"process": process, "session": None, "closed_message": None}
    if process.is_read_only:
        return _refuse_closed(request, context)
    form = SessionForm(request.POST or None, process=process, user=request.user)
    submission = submit_versioned(
        request,
        form,
        save=lambda data: session_record(
            process=process, actor=request.user, data=data, request=request
        ),
    )
    if submission.saved:
        messages.success(request, _("The session was recorded."))
        return redirect("accompaniment:session-detail", session_id=submission.result.pk)
    return render(
        request, FORM_TEMPLATE, {**context, **submission.context}, status=submission.status
    )


@case_workers
@require_http_methods(["GET"])
def session_detail(request, session_id):
    session = session_get_for_detail_page(user=request.user, session_id=session_id)
    audit_view(request, session)
    is_coordinator = request.user.has_role(Role.COORDINATION)
    context = {
        "session": session,
        "process": session.process,
        "who_viewed": audit_views_of(session) if is_coordinator else None,
    }
    return render(request, "accompaniment/sessions/session_detail.html", context)


@case_workers
@require_http_methods(["GET", "POST"])
def session_edit(request, session_id):
    session = session_get_for_edit_page(user=request.user, session_id=session_id)
    process = session.process
    context = {"process": process, "session": session, "closed_message": None}
    if process.is_read_only:
        return _refuse_closed(request, context)
    form = SessionEditForm(
        request.POST or None, process=process, user=request.user, instance=session
    )
    submission = submit_versioned(
        request,
        form,
        save=lambda data: session_update(
            session=session,
            actor=request.user,
            data=data,
            expected_version=data["version"],
            request=request,
        ),
        describe=_stale_values,
    )
    if submission.saved:
        messages.success(request, _("The session was saved."))
        return redirect("accompaniment:session-detail", session_id=session.pk)
    return render(
        request, FORM_TEMPLATE, {**context, **submission.context}, status=submission.status
    )


def _stale_values(session: Session) -> list[tuple[str, str]]:
    """The session as it is saved now, for the "Saved now" card."""
    worked = ", ".join(str(field.label) for field in session.fields_worked)
    return [
        *stale_values_of(session, SessionForm.Meta.fields),
        (_("Fields worked"), worked or "—"),
    ]
