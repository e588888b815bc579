"""Views of the security app: role check, record scope (404 for not-yours), one service."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aluna.audit.selectors import audit_views_of
from aluna.audit.services import audit_view
from aluna.core.access import role_required
from aluna.core.concurrency import submit_versioned
from aluna.core.pagination import paginate_ids_first
from aluna.core.roles import Role

from . import selectors, services
from .forms import (
    CheckInForm,
    PlanMeasureForm,
    ProtectionMeasureEditForm,
    ProtectionMeasureForm,
    ProtocolForm,
    RiskAssessmentEditForm,
    RiskAssessmentFormGroup,
    SecurityPlanEditForm,
    SecurityPlanForm,
)
from .risk import RISK_BANDS

case_workers = role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
PAGE_SIZE = 25
FORM_TEMPLATE = "security/simple_form.html"


def _post_or_none(request):
    return request.POST if request.method == "POST" else None


def _status(request) -> int:
    """A form shown again after a POST was refused input."""
    return 400 if request.method == "POST" else 200


def _who_viewed(request, obj):
    """ "Who consulted this record" for coordinación; None (no box) for everyone else."""
    return audit_views_of(obj) if request.user.has_role(Role.COORDINATION) else None


def _save_with(service, request, **record):
    """The `save` of submit_versioned: `service` on `record`, given the form's data and
    the version it was opened on."""
    return lambda data: service(
        **record, actor=request.user, data=data, expected_version=data["version"], request=request
    )


def _process(request, process_id):
    return selectors.process_get_for_user(user=request.user, process_id=process_id)


def _refuse_read_only(request, process):
    messages.error(request, _("This process is closed or archived: its records are kept as is."))
    return redirect("security:process", process_id=process.pk)


# --- Overview ----------------------------------------------------------------------------------


@case_workers
def index(request):
    page = Paginator(selectors.checkins_open_for_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "security/index.html", {"page_obj": page})


@case_workers
def process_security(request, process_id):
    process = _process(request, process_id)
    audit_view(request, process)
    assessments = Paginator(
        selectors.risk_assessments_for_process_page(process=process), 10
    ).get_page(request.GET.get("page"))
    context = {
        "process": process,
        "subject": process.subject,
        "page_obj": assessments,
        "measures": selectors.measures_for_process_page(process=process),
        "plans": selectors.plans_for_process_page(process=process),
        "bands": RISK_BANDS,
    }
    return render(request, "security/process.html", context)


# --- Risk assessments --------------------------------------------------------------------------


@case_workers
@require_http_methods(["GET", "POST"])
def assessment_create(request, process_id):
    process = _process(request, process_id)
    if process.is_read_only:
        return _refuse_read_only(request, process)
    parts = RiskAssessmentFormGroup(_post_or_none(request), process=process)
    if request.method == "POST" and parts.is_valid():
        assessment = services.risk_assessment_create(
            process=process, actor=request.user, request=request, **parts.cleaned_data
        )
        messages.success(request, _("The risk assessment was recorded."))
        return redirect("security:assessment-detail", assessment_id=assessment.pk)
    context = {**parts.context, "process": process, "bands": RISK_BANDS}
    return render(request, "security/assessment_form.html", context, status=_status(request))


@case_workers
def assessment_detail(request, assessment_id):
    assessment = selectors.risk_assessment_get_for_user(
        user=request.user, assessment_id=assessment_id
    )
    audit_view(request, assessment)
    previous = selectors.risk_assessment_previous(assessment=assessment)
    context = {
        "assessment": assessment,
        "process": assessment.process,
        "previous": previous,
        "changes": selectors.risk_assessment_changes(assessment=assessment, previous=previous),
        "bands": RISK_BANDS,
        "who_viewed": _who_viewed(request, assessment),
        **selectors.risk_assessment_detail_rows(assessment=assessment),
    }
    return render(request, "security/assessment_detail.html", context)


@case_workers
@require_http_methods(["GET", "POST"])
def assessment_edit(request, assessment_id):
    assessment = selectors.risk_assessment_get_for_user(
        user=request.user, assessment_id=assessment_id
    )
    process = assessment.process
    if process.is_read_only:
        return _refuse_read_only(request, process)
    form = RiskAssessmentEditForm(_post_or_none(request), instance=assessment, process=process)
    save = _save_with(services.risk_assessment_update, request, assessment=assessment)
    submission = submit_versioned(request, form, save=save)
    if submission.saved:
        messages.success(request, _("The risk assessment was saved."))
        return redirect("security:assessment-detail", assessment_id=assessment.pk)
    context = {**submission.context, "process": process, "title": _("Edit date and summary")}
    return render(request, FORM_TEMPLATE, context, status=submission.status)


# --- Protection measures -----------------------------------------------------------------------


@case_workers
@require_http_methods(["GET", "POST"])
def measure_create(request, process_id):
    process = _process(request, process_id)
    if process.is_read_only:
        return _refuse_read_only(request, process)
    form = ProtectionMeasureForm(_post_or_none(request), process=process)
    if request.method == "POST" and form.is_valid():
        services.measure_create(
            process=process, actor=request.user, data=form.cleaned_data, request=request
        )
        messages.success(request, _("The protection measure was recorded."))
        return redirect("security:process", process_id=process.pk)
    context = {"form": form, "process": process, "title": _("Add a protection measure")}
    return render(request, FORM_TEMPLATE, context, status=_status(request))


@case_workers
@require_http_methods(["GET", "POST"])
def measure_edit(request, measure_id):
    measure = selectors.measure_get_for_user(user=request.user, measure_id=measure_id)
    process = measure.process
    if request.method == "POST" and process.is_read_only:
        return _refuse_read_only(request, process)
    if request.method == "GET":
        audit_view(request, measure)
    form = ProtectionMeasureEditForm(_post_or_none(request), instance=measure, process=process)
    save = _save_with(services.measure_update, request, measure=measure)
    submission = submit_versioned(request, form, save=save)
    if submission.saved:
        messages.success(request, _("The protection measure was saved."))
        return redirect("security:process", process_id=process.pk)
    context = {
        **submission.context,
        "process": process,
        "title": _("Edit the protection measure"),
        "who_viewed": _who_viewed(request, measure),
    }
    return render(request, FORM_TEMPLATE, context, status=submission.status)


@case_workers
def measures_not_implemented(request):
    queryset = selectors.measures_granted_not_implemented_for_user(user=request.user)
    page = paginate_ids_first(queryset, PAGE_SIZE, request.GET.get("page"), user=request.user)
    services.measure_search_record(
        actor=request.user, results=page.paginator.count, request=request
    )
    return render(request, "security/measures_not_implemented.html", {"page_obj": page})


# --- Check-ins ---------------------------------------------------------------------------------


@case_workers
@require_http_methods(["GET", "POST"])
def checkin_create(request):
    form = CheckInForm(_post_or_none(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        checkin = services.checkin_create(
            actor=request.user,
            subject=data["subject"],
            state=data["state"],
            municipality=data["municipality"],
            expected_at=data["expected_at"],
            contacts=data["contacts"],
            request=request,
        )
        messages.success(request, _("The trip was registered. Check in when you arrive."))
        return redirect("security:checkin-detail", checkin_id=checkin.pk)
    context = {"form": form, "title": _("Register a trip")}
    return render(request, FORM_TEMPLATE, context, status=_status(request))


@case_workers
def checkin_detail(request, checkin_id):
    checkin = selectors.checkin_get_for_user(user=request.user, checkin_id=checkin_id)
    audit_view(request, checkin)
    context = {
        "checkin": checkin,
        "contacts": selectors.checkin_contacts_for_page(checkin=checkin),
        "reference": services.checkin_reference(checkin),
        "who_viewed": _who_viewed(request, checkin),
    }
    return render(request, "security/checkin_detail.html", context)


@case_workers
@require_http_methods(["GET", "POST"])
def checkin_close(request, checkin_id):
    checkin = selectors.checkin_get_for_user(user=request.user, checkin_id=checkin_id)
    if request.method == "POST":
        services.checkin_close(checkin=checkin, actor=request.user, request=request)
        messages.success(request, _("Checked in: the trip is closed and no alert will be sent."))
        return redirect("security:index")
    return render(request, "security/checkin_close.html", {"checkin": checkin})


# --- Plans -------------------------------------------------------------------------------------


@case_workers
@require_http_methods(["GET", "POST"])
def plan_create(request, process_id):
    process = _process(request, process_id)
    if process.is_read_only:
        return _refuse_read_only(request, process)
    form = SecurityPlanForm(_post_or_none(request))
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(
            process=process, actor=request.user, data=form.cleaned_data, request=request
        )
        messages.success(request, _("The security plan was created."))
        return redirect("security:plan-detail", plan_id=plan.pk)
    context = {"form": form, "process": process, "title": _("Create a security plan")}
    return render(request, FORM_TEMPLATE, context, status=_status(request))


@case_workers
def plan_detail(request, plan_id):
    plan = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    audit_view(request, plan)
    context = {
        "plan": plan,
        "process": plan.process,
        "measure_form": PlanMeasureForm(prefix="measure"),
        "protocol_form": ProtocolForm(prefix="protocol"),
        "who_viewed": _who_viewed(request, plan),
        **selectors.plan_detail_rows(plan=plan),
    }
    return render(request, "security/plan_detail.html", context)


@case_workers
@require_http_methods(["GET", "POST"])
def plan_edit(request, plan_id):
    plan = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    process = plan.process
    if process.is_read_only:
        return _refuse_read_only(request, process)
    form = SecurityPlanEditForm(_post_or_none(request), instance=plan)
    save = _save_with(services.plan_update, request, plan=plan)
    submission = submit_versioned(request, form, save=save)
    if submission.saved:
        messages.success(request, _("The security plan was saved."))
        return redirect("security:plan-detail", plan_id=plan.pk)
    context = {**submission.context, "process": process, "title": _("Edit the security plan")}
    return render(request, FORM_TEMPLATE, context, status=submission.status)


def _plan_item_add(request, plan_id, form_class, prefix, service, title):
    plan = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    if plan.process.is_read_only:
        return _refuse_read_only(request, plan.process)
    form = form_class(_post_or_none(request), prefix=prefix)
    if request.method == "POST" and form.is_valid():
        service(plan=plan, actor=request.user, data=form.cleaned_data, request=request)
        messages.success(request, _("The security plan was saved."))
        return redirect("security:plan-detail", plan_id=plan.pk)
    context = {"form": form, "process": plan.process, "title": title}
    return render(request, FORM_TEMPLATE, context, status=_status(request))


@case_workers
@require_http_methods(["GET", "POST"])
def plan_measure_add(request, plan_id):
    return _plan_item_add(
        request, plan_id, PlanMeasureForm, "measure", services.plan_measure_add, _("Add a measure")
    )


@case_workers
@require_http_methods(["GET", "POST"])
def plan_protocol_add(request, plan_id):
    return _plan_item_add(
        request, plan_id, ProtocolForm, "protocol", services.plan_protocol_add, _("Add a protocol")
    )
