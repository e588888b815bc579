import secrets
import time

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aluna.accounts.decorators import reauth_required
from aluna.accounts.roles import Role
from aluna.audit.selectors import audit_views_of
from aluna.audit.services import audit_target_type
from aluna.core.access import role_required
from aluna.core.concurrency import STALE_EDIT_MESSAGE, StaleEdit
from aluna.pdf.render import render_pdf

from ..forms.subjects import (
    ConfirmForm,
    MembershipForm,
    SubjectEditForm,
    SubjectFilterForm,
    SubjectForm,
    SubjectNameSearchForm,
)
from ..models import PoliticalSubject
from ..selectors.access import subject_get_for_user, subjects_for_user
from ..selectors.subjects import (
    membership_get_for_user,
    open_process_counts,
    subject_file_for_pdf,
    subject_get_for_detail_page,
    subject_get_for_edit,
    subject_ids_matching_name,
    subject_memberships_for_detail_page,
    subject_processes_for_detail_page,
    subjects_for_list_page,
)
from ..services.subjects import (
    membership_create,
    membership_end,
    subject_create,
    subject_delete,
    subject_record_export,
    subject_record_name_search,
    subject_record_view,
    subject_update,
)
from ..subject_sections import subject_sections

SUBJECT_PAGE_SIZE = 25
# Name searches live in the server-side session as id lists behind a random
# token: the name typed never reaches a URL, a log line or the browser history.
NAME_SEARCH_SESSION_KEY = "accompaniment.subject_name_searches"
NAME_SEARCH_KEEP = 5
NAME_SEARCH_MAX_AGE = 60 * 60


def _name_search_store(request, ids: list) -> str:
    searches = request.session.get(NAME_SEARCH_SESSION_KEY, {})
    newest = sorted(searches.items(), key=lambda item: item[1]["at"])[-(NAME_SEARCH_KEEP - 1) :]
    searches = dict(newest)
    token = secrets.token_urlsafe(16)
    searches[token] = {"ids": [str(pk) for pk in ids], "at": time.time()}
    request.session[NAME_SEARCH_SESSION_KEY] = searches
    return token


def _name_search_ids(request, token: str) -> list | None:
    search = request.session.get(NAME_SEARCH_SESSION_KEY, {}).get(token)
    if not search or time.time() - search["at"] > NAME_SEARCH_MAX_AGE:
        return None
    return search["ids"]


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def index(request):
    """The discreet list of subjects: alias and initials, never the name."""
    if request.method == "POST":
        name_form = SubjectNameSearchForm(request.POST)
        if name_form.is_valid():
            ids = subject_ids_matching_name(user=request.user, query=name_form.cleaned_data["name"])
            subject_record_name_search(actor=request.user, results=len(ids), request=request)
            token = _name_search_store(request, ids)
            return redirect(f"{reverse('accompaniment:index')}?name_search={token}")
    else:
        name_form = SubjectNameSearchForm()

    filter_form = SubjectFilterForm(request.GET)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    token = filters.get("name_search", "")
    ids = None
    name_search_expired = False
    if token:
        ids = _name_search_ids(request, token)
        if ids is None:
            name_search_expired = True
            ids = []
    subjects = subjects_for_list_page(
        user=request.user,
        alias=filters.get("q", ""),
        kind=filters.get("kind"),
        area=filters.get("area"),
        state=filters.get("state"),
        archived=filters.get("archived", ""),
        sort=filters.get("sort") or "alias",
        ids=ids,
    )
    page = Paginator(subjects, SUBJECT_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = open_process_counts(user=request.user, subject_ids=[s.pk for s in page])
    rows = [(subject, counts.get(subject.pk, 0)) for subject in page]
    query = request.GET.copy()
    query.pop("page", None)
    filtered = any(
        filters.get(key) for key in ("q", "kind", "area", "state", "archived", "name_search")
    )
    return render(
        request,
        "accompaniment/subjects/subject_list.html",
        {
            "filter_form": filter_form,
            "name_form": name_form,
            "page_obj": page,
            "rows": rows,
            "query": query.urlencode(),
            "filtered": filtered or bool(request.GET.get("name_search")),
            "name_search": token,
            "name_search_expired": name_search_expired,
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def subject_create_view(request):
    if request.method == "POST":
        form = SubjectForm(request.POST, user=request.user)
        if form.is_valid():
            subject = subject_create(actor=request.user, data=form.cleaned_data, request=request)
            messages.success(request, _("The political subject was added."))
            return redirect("accompaniment:subject-detail", subject_id=subject.pk)
    else:
        form = SubjectForm(user=request.user)
    return render(
        request,
        "accompaniment/subjects/subject_form.html",
        {"form": form, "subject": None},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
def subject_detail(request, subject_id):
    """The only page with the full name; every view of it is audited."""
    subject = subject_get_for_detail_page(user=request.user, subject_id=subject_id)
    subject_record_view(subject=subject, actor=request.user, request=request)
    is_coordinator = request.user.has_role(Role.COORDINATION)
    context = {
        "subject": subject,
        "processes": subject_processes_for_detail_page(user=request.user, subject=subject),
        "is_coordinator": is_coordinator,
        **subject_memberships_for_detail_page(user=request.user, subject=subject),
        # Sections other apps keep about the subject (security...), each scoped by user.
        "sections": subject_sections(subject=subject, user=request.user),
    }
    if is_coordinator:
        context["viewed_by"] = audit_views_of(
            target_type=audit_target_type(subject), target_id=subject.pk
        )
    return render(request, "accompaniment/subjects/subject_detail.html", context)


def _stale_values(subject: PoliticalSubject) -> list[tuple[str, str]]:
    """The record as saved now, as (label, value) pairs for the stale-edit box."""
    meta = PoliticalSubject._meta
    values = []
    for field in SubjectForm.Meta.fields:
        label = str(meta.get_field(field).verbose_name).capitalize()
        if field == "areas":
            value = ", ".join(str(area) for area in subject.areas.all())
        elif field in ("kind", "state"):
            value = str(getattr(subject, field) or "")
        elif meta.get_field(field).choices:
            value = getattr(subject, f"get_{field}_display")()
        else:
            value = getattr(subject, field)
            value = "" if value is None else str(value)
        values.append((label, value))
    return values


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def subject_edit_view(request, subject_id):
    subject = subject_get_for_edit(user=request.user, subject_id=subject_id)
    stale_values = None
    status = 200
    if request.method == "POST":
        form = SubjectEditForm(request.POST, instance=subject, user=request.user)
        if form.is_valid():
            try:
                # Compare with the stored row, not with the instance validation modified.
                subject_update(
                    subject=subject_get_for_edit(user=request.user, subject_id=subject_id),
                    actor=request.user,
                    data=form.cleaned_data,
                    expected_version=form.cleaned_data["version"],
                    request=request,
                )
            except StaleEdit as stale:
                messages.error(request, STALE_EDIT_MESSAGE)
                stale_values = _stale_values(stale.current)
                status = 409
            else:
                messages.success(request, _("The political subject was saved."))
                return redirect("accompaniment:subject-detail", subject_id=subject_id)
        else:
            status = 400
    else:
        form = SubjectEditForm(
            instance=subject, user=request.user, initial={"version": subject.version}
        )
    return render(
        request,
        "accompaniment/subjects/subject_form.html",
        {"form": form, "subject": subject, "stale_values": stale_values},
        status=status,
    )


@role_required(Role.COORDINATION)
@require_http_methods(["GET", "POST"])
def subject_delete_view(request, subject_id):
    """GET asks for confirmation; POST deletes, or archives a subject with processes."""
    subject = subject_get_for_user(user=request.user, subject_id=subject_id)
    has_processes = subject.processes.exists()
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if form.is_valid():
            outcome = subject_delete(subject=subject, actor=request.user, request=request)
            if outcome == "archived":
                messages.info(
                    request,
                    _("The subject has accompaniment processes, so it was archived, not deleted."),
                )
                return redirect("accompaniment:subject-detail", subject_id=subject.pk)
            messages.success(request, _("The political subject was deleted."))
            return redirect("accompaniment:index")
    else:
        form = ConfirmForm()
    return render(
        request,
        "accompaniment/subjects/subject_delete.html",
        {"subject": subject, "form": form, "has_processes": has_processes},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def membership_create_view(request, subject_id):
    defender = subject_get_for_user(
        user=request.user,
        subject_id=subject_id,
        queryset=subjects_for_user(user=request.user).select_related("kind"),
    )
    if request.method == "POST":
        form = MembershipForm(request.POST, user=request.user, defender=defender)
        if form.is_valid():
            membership_create(
                defender=defender, actor=request.user, data=form.cleaned_data, request=request
            )
            messages.success(request, _("The membership was recorded."))
            return redirect("accompaniment:subject-detail", subject_id=defender.pk)
    else:
        form = MembershipForm(user=request.user, defender=defender)
    return render(
        request,
        "accompaniment/subjects/membership_form.html",
        {"form": form, "subject": defender},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def membership_end_view(request, membership_id):
    membership = membership_get_for_user(user=request.user, membership_id=membership_id)
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if form.is_valid():
            membership_end(membership=membership, actor=request.user, request=request)
            messages.success(request, _("The membership was ended."))
            return redirect("accompaniment:subject-detail", subject_id=membership.defender_id)
    else:
        form = ConfirmForm()
    return render(
        request,
        "accompaniment/subjects/membership_end.html",
        {"membership": membership, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.COORDINATION)
@reauth_required
def subject_pdf_view(request, subject_id):
    """The subject's complete file, for their own request. Audited "export"."""
    subject = subject_get_for_detail_page(user=request.user, subject_id=subject_id)
    processes = subject_file_for_pdf(subject=subject)
    memberships = subject_memberships_for_detail_page(user=request.user, subject=subject)
    pdf = render_pdf(
        template_name="accompaniment/subjects/subject_file_pdf.html",
        context={"subject": subject, "processes": processes, **memberships},
        request=request,
    )
    subject_record_export(subject=subject, actor=request.user, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="expediente-{subject.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
