from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aluna.accounts.roles import Role
from aluna.audit.models import AuditAction
from aluna.audit.selectors import audit_views_of
from aluna.audit.services import audit_record, audit_target_type
from aluna.core.access import role_required
from aluna.core.concurrency import STALE_EDIT_MESSAGE, StaleEdit

from ..forms.sessions import SessionEditForm, SessionForm
from ..models import Session
from ..selectors.sessions import (
    process_get_for_session_form,
    session_get_for_detail_page,
    session_get_for_edit_page,
)
from ..services.sessions import (
    CLOSED_PROCESS_MESSAGE,
    ProcessClosed,
    session_record,
    session_update,
)

FORM_TEMPLATE = "accompaniment/sessions/session_form.html"


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def session_create(request, process_id):
    process = process_get_for_session_form(user=request.user, process_id=process_id)
    context = {"process": process, "session": None, "closed_message": None}
    if process.is_read_only:
        context["closed_message"] = CLOSED_PROCESS_MESSAGE
        status = 400 if request.method == "POST" else 200
        return render(request, FORM_TEMPLATE, context, status=status)
    form_kwargs = {"process": process, "user": request.user}
    if request.method == "POST":
        form = SessionForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                session = session_record(
                    process=process, actor=request.user, data=form.cleaned_data, request=request
                )
            except ProcessClosed as closed:
                form.add_error(None, closed)
            else:
                messages.success(request, _("The session was recorded."))
                return redirect("accompaniment:session-detail", session_id=session.pk)
    else:
        form = SessionForm(**form_kwargs)
    context["form"] = form
    return render(request, FORM_TEMPLATE, context, status=400 if form.errors else 200)


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET"])
def session_detail(request, session_id):
    session = session_get_for_detail_page(user=request.user, session_id=session_id)
    target_type = audit_target_type(session)
    audit_record(
        action=AuditAction.VIEW,
        actor=request.user,
        target_type=target_type,
        target_id=str(session.pk),
        request=request,
    )
    is_coordinator = request.user.has_role(Role.COORDINATION)
    return render(
        request,
        "accompaniment/sessions/session_detail.html",
        {
            "session": session,
            "process": session.process,
            "who_viewed": (
                audit_views_of(target_type=target_type, target_id=session.pk)
                if is_coordinator
                else None
            ),
        },
    )


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def session_edit(request, session_id):
    session = session_get_for_edit_page(user=request.user, session_id=session_id)
    process = session.process
    context = {"process": process, "session": session, "closed_message": None}
    if process.is_read_only:
        context["closed_message"] = CLOSED_PROCESS_MESSAGE
        status = 400 if request.method == "POST" else 200
        return render(request, FORM_TEMPLATE, context, status=status)
    form_kwargs = {"process": process, "user": request.user, "instance": session}
    status = 200
    if request.method == "POST":
        form = SessionEditForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                session_update(
                    session=session,
                    actor=request.user,
                    data=form.cleaned_data,
                    expected_version=form.cleaned_data["version"],
                    request=request,
                )
            except StaleEdit as stale:
                # Read the saved values before the form validates onto that instance.
                context["stale_values"] = _stale_values(stale.current)
                form = _form_against_current(request, stale.current, form_kwargs)
                status = 409
            except ProcessClosed as closed:
                form.add_error(None, closed)
            else:
                messages.success(request, _("The session was saved."))
                return redirect("accompaniment:session-detail", session_id=session.pk)
        if form.errors and status == 200:
            status = 400
    else:
        form = SessionEditForm(**form_kwargs)
    context["form"] = form
    return render(request, FORM_TEMPLATE, context, status=status)


def _form_against_current(request, current: Session, form_kwargs: dict) -> SessionEditForm:
    """The user's input kept, now based on the saved version: saving again is a
    deliberate choice to replace what the other person saved."""
    data = request.POST.copy()
    data["version"] = current.version
    form = SessionEditForm(data, **{**form_kwargs, "instance": current})
    form.is_valid()
    form.add_error(None, STALE_EDIT_MESSAGE)
    return form


def _stale_values(session: Session) -> list[tuple[str, str]]:
    """The session as it is saved now, for the "Saved now" card."""
    local_start = timezone.localtime(session.started_at)
    return [
        (_("Date and time"), formats.date_format(local_start, "SHORT_DATETIME_FORMAT")),
        (_("Modality"), session.get_modality_display()),
        (_("Duration (minutes)"), str(session.duration_minutes)),
        (
            _("Fields worked"),
            ", ".join(str(field.label) for field in session.fields_worked),
        ),
        (_("Participants"), str(session.participants_count)),
        (_("Notes"), session.notes),
        (_("Psychosocial impacts"), ", ".join(e.label for e in session.impacts.all())),
        (_("Coping mechanisms"), ", ".join(e.label for e in session.coping_mechanisms.all())),
        (_("Agreements"), session.agreements),
        (
            _("Next session"),
            formats.date_format(session.next_session_on, "SHORT_DATE_FORMAT")
            if session.next_session_on
            else "",
        ),
    ]
