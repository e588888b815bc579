from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from aluna.accounts.decorators import reauth_required
from aluna.audit.models import AuditAction
from aluna.audit.selectors import audit_views_of
from aluna.audit.services import audit_view
from aluna.core.access import role_required
from aluna.core.concurrency import submit_versioned
from aluna.core.downloads import attachment
from aluna.core.pagination import CachedCountPaginator
from aluna.core.roles import Role
from aluna.pdf.render import render_pdf

from ..forms.subjects import (
    ConfirmForm,
    MembershipForm,
    SubjectEditForm,
    SubjectFilterForm,
    SubjectForm,
    SubjectNameSearchForm,
)
from ..name_search import name_search_ids, name_search_store
from ..selectors.access import subject_get_for_user, subjects_for_user
from ..selectors.subjects import (
    membership_get_for_user,
    subject_file_for_pdf,
    subject_get_for_detail_page,
    subject_get_for_edit,
    subject_ids_matching_name,
    subject_list_rows,
    subject_memberships_for_detail_page,
    subject_processes_for_detail_page,
    subjects_for_list_page,
)
from ..services.subjects import (
    membership_create,
    membership_end,
    subject_create,
    subject_delete,
    subject_record_name_search,
    subject_update,
)
from ..subject_sections import subject_sections

SUBJECT_PAGE_SIZE = 25
LIST_FILTERS = ("q", "kind", "area", "state", "archived", "name_search")


def _status(request) -> int:
    """A form shown again after a POST was refused input."""
    return 400 if request.method == "POST" else 200


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def index(request):
    """The discreet list of subjects: alias and initials, never the name."""
    name_form = SubjectNameSearchForm(request.POST or None)
    if request.method == "POST" and name_form.is_valid():
        return _search_by_name(request, name_form.cleaned_data["name"])
    filter_form = SubjectFilterForm(request.GET)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    ids, name_search_expired = name_search_ids(request, filters.get("name_search", ""))
    subjects = subjects_for_list_page(user=request.user, ids=ids, **_list_filters(filters))
    paginator = CachedCountPaginator(subjects, SUBJECT_PAGE_SIZE, user=request.user)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter_form": filter_form,
        "name_form": name_form,
        "page_obj": page,
        "rows": subject_list_rows(user=request.user, page=page),
        "query": query.urlencode(),
        "filtered": any(filters.get(key) for key in LIST_FILTERS)
        or bool(request.GET.get("name_search")),
        "name_search": filters.get("name_search", ""),
        "name_search_expired": name_search_expired,
    }
    return render(
        request, "accompaniment/subjects/subject_list.html", context, status=_status(request)
    )


def _list_filters(filters: dict) -> dict:
    return {
        "alias": filters.get("q", ""),
        "kind": filters.get("kind"),
        "area": filters.get("area"),
        "state": filters.get("state"),
        "archived": filters.get("archived", ""),
        "sort": filters.get("sort") or "alias",
    }


def _search_by_name(request, name: str):
    """Audited by count only; the results come back behind a token, never the name."""
    ids = subject_ids_matching_name(user=request.user, query=name)
    subject_record_name_search(actor=request.user, results=len(ids), request=request)
    token = name_search_store(request, ids)
    return redirect(f"{reverse('accompaniment:index')}?name_search={token}")


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def subject_create_view(request):
    form = SubjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        subject = subject_create(actor=request.user, data=form.cleaned_data, request=request)
        messages.success(request, _("The political subject was added."))
        return redirect("accompaniment:subject-detail", subject_id=subject.pk)
    context = {"form": form, "subject": None}
    return render(
        request, "accompaniment/subjects/subject_form.html", context, status=_status(request)
    )


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
def subject_detail(request, subject_id):
    """The only page with the full name; every view of it is audited."""
    subject = subject_get_for_detail_page(user=request.user, subject_id=subject_id)
    audit_view(request, subject)
    is_coordinator = request.user.has_role(Role.COORDINATION)
    context = {
        "subject": subject,
        "processes": subject_processes_for_detail_page(user=request.user, subject=subject),
        "is_coordinator": is_coordinator,
        **subject_memberships_for_detail_page(user=request.user, subject=subject),
        # Sections other apps keep about the subject (security...), each scoped by user.
        "sections": subject_sections(subject=subject, user=request.user),
        "viewed_by": audit_views_of(subject) if is_coordinator else None,
    }
    return render(request, "accompaniment/subjects/subject_detail.html", context)


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def subject_edit_view(request, subject_id):
    subject = subject_get_for_edit(user=request.user, subject_id=subject_id)
    form = SubjectEditForm(request.POST or None, instance=subject, user=request.user)
    submission = submit_versioned(
        request,
        form,
        # Compare with the stored row, not with the instance validation modified.
        save=lambda data: subject_update(
            subject=subject_get_for_edit(user=request.user, subject_id=subject_id),
            actor=request.user,
            data=data,
            expected_version=data["version"],
            request=request,
        ),
    )
    if submission.saved:
        messages.success(request, _("The political subject was saved."))
        return redirect("accompaniment:subject-detail", subject_id=subject_id)
    context = {**submission.context, "subject": subject}
    template = "accompaniment/subjects/subject_form.html"
    return render(request, template, context, status=submission.status)


@role_required(Role.COORDINATION)
@require_http_methods(["GET", "POST"])
def subject_delete_view(request, subject_id):
    """GET asks for confirmation; POST deletes, or archives a subject with processes."""
    subject = subject_get_for_user(user=request.user, subject_id=subject_id)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if subject_delete(subject=subject, actor=request.user, request=request) == "archived":
            messages.info(
                request,
                _("The subject has accompaniment processes, so it was archived, not deleted."),
            )
            return redirect("accompaniment:subject-detail", subject_id=subject.pk)
        messages.success(request, _("The political subject was deleted."))
        return redirect("accompaniment:index")
    context = {"subject": subject, "form": form, "has_processes": subject.processes.exists()}
    template = "accompaniment/subjects/subject_delete.html"
    return render(request, template, context, status=_status(request))


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def membership_create_view(request, subject_id):
    defender = subject_get_for_user(
        user=request.user,
        subject_id=subject_id,
        queryset=subjects_for_user(user=request.user).select_related("kind"),
    )
    form = MembershipForm(request.POST or None, user=request.user, defender=defender)
    if request.method == "POST" and form.is_valid():
        membership_create(
            defender=defender, actor=request.user, data=form.cleaned_data, request=request
        )
        messages.success(request, _("The membership was recorded."))
        return redirect("accompaniment:subject-detail", subject_id=defender.pk)
    context = {"form": form, "subject": defender}
    template = "accompaniment/subjects/membership_form.html"
    return render(request, template, context, status=_status(request))


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def membership_end_view(request, membership_id):
    membership = membership_get_for_user(user=request.user, membership_id=membership_id)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership_end(membership=membership, actor=request.user, request=request)
        messages.success(request, _("The membership was ended."))
        return redirect("accompaniment:subject-detail", subject_id=membership.defender_id)
    context = {"membership": membership, "form": form}
    template = "accompaniment/subjects/membership_end.html"
    return render(request, template, context, status=_status(request))


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
    audit_view(request, subject, action=AuditAction.EXPORT, metadata={"as": "pdf"})
    return attachment(
        pdf,
        content_type="application/pdf",
        base=pgettext("file name", "subject-file") + f"-{subject.pk}",
        extension="pdf",
    )
