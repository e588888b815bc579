import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aluna.accounts.decorators import reauth_required
from aluna.core.access import role_required
from aluna.core.roles import Role

from . import preview, selectors, services
from .forms import (
    DonorForm,
    GrantForm,
    OutputFilterForm,
    OutputForm,
    ReportForm,
    ReportOptionsForm,
)
from .models import ReportStatus

PAGE_SIZE = 25
advocacy_roles = role_required(Role.ADVOCACY, Role.COORDINATION)
IN_PROGRESS = (ReportStatus.QUEUED, ReportStatus.RUNNING)
# What the report page says (and announces to screen readers) about the PDF.
PDF_STATES = {
    ReportStatus.DRAFT: gettext_lazy("No PDF yet."),
    ReportStatus.QUEUED: gettext_lazy("Queued: generation starts in a few seconds."),
    ReportStatus.RUNNING: gettext_lazy("Generating the PDF…"),
    ReportStatus.DONE: gettext_lazy("The PDF is ready."),
    ReportStatus.FAILED: gettext_lazy("Generation failed."),
}


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _filters_of(request) -> str:
    """The list's filters as a query string, for the pagination links."""
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v], doseq=False)


@advocacy_roles
def index(request):
    return render(
        request,
        "advocacy/index.html",
        {
            "reports": selectors.reports_for_list_page(user=request.user)[:5],
            "dues": selectors.report_dues_upcoming(user=request.user, today=timezone.localdate())[
                :5
            ],
        },
    )


# --- outputs -------------------------------------------------------------------------------


@advocacy_roles
@require_GET
def output_list(request):
    form = OutputFilterForm(request.GET or None)
    outputs = selectors.outputs_for_list_page(user=request.user, filters=form.filters())
    return render(
        request,
        "advocacy/outputs/output_list.html",
        {"form": form, "page_obj": _page(request, outputs), "querystring": _filters_of(request)},
    )


@advocacy_roles
@require_http_methods(["GET", "POST"])
def output_create(request):
    form = OutputForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        output = services.output_create(actor=request.user, data=form.cleaned_data, request=request)
        messages.success(request, _("The output was recorded."))
        return redirect("advocacy:output-detail", output_id=output.pk)
    return render(request, "advocacy/outputs/output_form.html", {"form": form})


@advocacy_roles
@require_GET
def output_detail(request, output_id):
    output = selectors.output_get(user=request.user, output_id=output_id)
    return render(request, "advocacy/outputs/output_detail.html", {"output": output})


@advocacy_roles
@require_http_methods(["GET", "POST"])
def output_edit(request, output_id):
    output = selectors.output_get(user=request.user, output_id=output_id)
    form = OutputForm(request.POST or None, instance=output, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.output_update(
            output=output, actor=request.user, data=form.cleaned_data, request=request
        )
        messages.success(request, _("The output was saved."))
        return redirect("advocacy:output-detail", output_id=output.pk)
    return render(request, "advocacy/outputs/output_form.html", {"form": form, "output": output})


@advocacy_roles
@require_http_methods(["GET", "POST"])
def output_delete(request, output_id):
    output = selectors.output_get(user=request.user, output_id=output_id)
    if request.method == "POST":
        services.output_delete(output=output, actor=request.user, request=request)
        messages.success(request, _("The output was deleted."))
        return redirect("advocacy:output-list")
    return render(request, "advocacy/outputs/output_delete.html", {"output": output})


# --- donors and grants ------------------------------------------------------------------------


@advocacy_roles
@require_GET
def grant_list(request):
    page = _page(request, selectors.grants_for_list_page(user=request.user))
    return render(request, "advocacy/grants/grant_list.html", {"page_obj": page})


@advocacy_roles
@require_http_methods(["GET", "POST"])
def donor_create(request):
    form = DonorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.donor_create(actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The donor was added."))
        return redirect("advocacy:grant-list")
    return render(request, "advocacy/grants/donor_form.html", {"form": form})


@advocacy_roles
@require_http_methods(["GET", "POST"])
def grant_create(request):
    form = GrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "due_dates"}
        grant = services.grant_create(
            actor=request.user,
            data=data,
            due_dates=form.cleaned_data["due_dates"],
            request=request,
        )
        messages.success(request, _("The grant was added."))
        return redirect("advocacy:grant-detail", grant_id=grant.pk)
    return render(request, "advocacy/grants/grant_form.html", {"form": form})


@advocacy_roles
@require_GET
def grant_detail(request, grant_id):
    grant = selectors.grant_get(user=request.user, grant_id=grant_id)
    due_dates = selectors.report_dues_of(grant=grant)
    return render(
        request, "advocacy/grants/grant_detail.html", {"grant": grant, "due_dates": due_dates}
    )


# --- donor reports --------------------------------------------------------------------------


@advocacy_roles
@require_GET
def report_list(request):
    page = _page(request, selectors.reports_for_list_page(user=request.user))
    return render(request, "advocacy/reports/report_list.html", {"page_obj": page})


@advocacy_roles
@require_http_methods(["GET", "POST"])
def report_create(request):
    # "Build a report for this grant" (grant page) preselects the grant.
    initial = {"grant": request.GET.get("grant", "")[:36]}
    form = ReportForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        report = services.report_create(actor=request.user, data=form.cleaned_data, request=request)
        messages.success(request, _("The report was saved as a draft."))
        return redirect("advocacy:report-detail", report_id=report.pk)
    return render(request, "advocacy/reports/report_form.html", {"form": form})


@advocacy_roles
@require_http_methods(["GET", "POST"])
def report_edit(request, report_id):
    report = selectors.report_get(user=request.user, report_id=report_id)
    form = ReportForm(request.POST or None, instance=report, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.report_update(
            report=report, actor=request.user, data=form.cleaned_data, request=request
        )
        messages.success(request, _("The report was saved."))
        return redirect("advocacy:report-detail", report_id=report.pk)
    return render(request, "advocacy/reports/report_form.html", {"form": form, "report": report})


def _pdf_state(report) -> dict:
    """The context of the PDF's status box (report_status.html)."""
    for section in report.tables or []:
        for table in section["tables"]:
            for note in table.get("series", []):  # ISO dates in JSON, dates on the page
                note["start"] = dt.date.fromisoformat(str(note["start"]))
                note["end"] = dt.date.fromisoformat(str(note["end"]))
    downloadable = services.report_is_downloadable(report)
    expired = report.status == ReportStatus.DONE and not downloadable
    label = _("The download period has ended.") if expired else PDF_STATES[report.status]
    return {
        "report": report,
        "downloadable": downloadable,
        "in_progress": report.status in IN_PROGRESS,
        "status_label": label,
        "download_days": services.DOWNLOAD_DAYS,
    }


@advocacy_roles
@require_GET
def report_detail(request, report_id):
    report = selectors.report_get(user=request.user, report_id=report_id)
    return render(request, "advocacy/reports/report_detail.html", _pdf_state(report))


@advocacy_roles
@require_GET
def report_status(request, report_id):
    """The status box alone, polled by htmx while the worker generates the PDF."""
    report = selectors.report_status_get(user=request.user, report_id=report_id)
    return render(request, "advocacy/reports/includes/report_status.html", _pdf_state(report))


@advocacy_roles
@require_POST
def report_generate(request, report_id):
    report = selectors.report_get(user=request.user, report_id=report_id)
    if report.status in IN_PROGRESS:
        messages.info(request, _("This report is already being generated."))
    else:
        services.report_request_generation(report=report, actor=request.user, request=request)
    return redirect("advocacy:report-detail", report_id=report.pk)


def _downloadable_or_404(request, report_id):
    report = selectors.report_get(user=request.user, report_id=report_id)
    if not services.report_is_downloadable(report):
        raise Http404(_("This report is not available for download."))
    return report


@advocacy_roles
@reauth_required
@require_GET
def report_download(request, report_id):
    report = _downloadable_or_404(request, report_id)
    pdf = services.report_download_pdf(report=report, actor=request.user, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, services.report_file_name(report, extension="pdf")
    )
    response["Cache-Control"] = "no-store"
    return response


@advocacy_roles
@reauth_required
@require_GET
def report_csv(request, report_id):
    report = _downloadable_or_404(request, report_id)
    text = services.report_download_csv(report=report, actor=request.user, request=request)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, services.report_file_name(report, extension="csv")
    )
    response["Cache-Control"] = "no-store"
    return response


@advocacy_roles
@require_POST
def report_deliver(request, report_id):
    """Record the generated report as delivered to its donor (series protection)."""
    report = selectors.report_get(user=request.user, report_id=report_id)
    try:
        services.report_mark_delivered(report=report, actor=request.user, request=request)
    except ValueError:
        messages.error(
            request, _("Only a generated report of a grant can be recorded as delivered.")
        )
    else:
        messages.success(request, _("The report was recorded as delivered to the donor."))
    return redirect("advocacy:report-detail", report_id=report.pk)


@advocacy_roles
@require_http_methods(["GET", "POST"])
def report_preview(request, report_id):
    """Before generating: what will be hidden and why, and what could single someone out."""
    report = selectors.report_get(user=request.user, report_id=report_id)
    form = ReportOptionsForm(request.POST or None, initial=report.options or {})
    if request.method == "POST" and form.is_valid():
        services.report_set_options(
            report=report, actor=request.user, options=form.options(), request=request
        )
        messages.success(request, _("The report's breakdowns were saved."))
        return redirect("advocacy:report-preview", report_id=report.pk)
    tables = services.report_compute_tables(report=report)
    attributes, risky = preview.risky_combinations(report=report)
    context = {
        "report": report,
        "form": form,
        "hidden": preview.hidden_cells(tables),
        "attributes": [preview.ATTRIBUTE_NAMES[name] for name in attributes],
        "risky": risky,
    }
    return render(request, "advocacy/reports/report_preview.html", context)
