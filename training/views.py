from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aluna.audit.models import AuditAction
from aluna.audit.services import audit_view
from aluna.core.access import role_required
from aluna.core.concurrency import StaleEdit
from aluna.core.downloads import attachment
from aluna.core.roles import Role
from aluna.pdf.render import render_pdf

from . import imports, selectors, services
from .charts import change_chart, trend_chart
from .forms import (
    AttendanceMarkForm,
    CohortForm,
    CsvImportForm,
    EnrolmentStatusForm,
    FollowUpForm,
    ParticipantForm,
    ProgrammeForm,
    QuestionnaireForm,
    ResponseForm,
    SessionForm,
)
from .models import EnrolmentStatus
from .schedule import follow_up_months

training_roles = role_required(Role.TRAINING, Role.COORDINATION)


def _form_page(request, form, title, subtitle=""):
    """The one-form page most writes share; 400 while the form has errors."""
    return render(
        request,
        "training/form.html",
        {"form": form, "title": title, "subtitle": subtitle},
        status=400 if form.errors else 200,
    )


@training_roles
@require_http_methods(["GET"])
def index(request):
    """The trainer's home: my cohorts, their next session, pending follow-ups."""
    page = Paginator(selectors.cohort_list_for_home(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training/index.html",
        {
            "page_obj": page,
            "pending": selectors.pending_follow_ups(user=request.user),
            "today": timezone.localdate(),
        },
    )


# --- Programmes ---------------------------------------------------------------------------


@training_roles
@require_http_methods(["GET"])
def programme_list(request):
    page = Paginator(selectors.programmes_for_user(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "training/programme_list.html", {"page_obj": page})


@training_roles
@require_http_methods(["GET", "POST"])
def programme_create(request):
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = services.programme_create(
            actor=request.user, data=form.cleaned_data, request=request
        )
        messages.success(request, _("The programme was created."))
        return redirect("training:programme-detail", programme_id=programme.pk)
    return _form_page(request, form, _("New programme"))


@training_roles
@require_http_methods(["GET"])
def programme_detail(request, programme_id):
    page = selectors.programme_detail_for_user(user=request.user, programme_id=programme_id)
    return render(request, "training/programme_detail.html", page)


@training_roles
@require_http_methods(["GET", "POST"])
def questionnaire_edit(request, programme_id):
    programme = selectors.programme_get_for_user(user=request.user, programme_id=programme_id)
    form = QuestionnaireForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_save(
                actor=request.user,
                programme=programme,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                likert=form.cleaned_data["likert"],
                open_=form.cleaned_data["open_questions"],
                request=request,
            )
        except services.QuestionnaireAnswered as answered:
            form.add_error(None, str(answered))
        else:
            messages.success(request, _("The questionnaire was saved."))
            return redirect("training:programme-detail", programme_id=programme.pk)
    return _form_page(request, form, _("Questionnaire"), programme.name)


# --- Cohorts ----------------------------------------------------------------------------------


@training_roles
@require_http_methods(["GET", "POST"])
def cohort_create(request, programme_id):
    programme = selectors.programme_get_for_user(user=request.user, programme_id=programme_id)
    form = CohortForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        cohort = services.cohort_create(
            actor=request.user, programme=programme, data=form.cleaned_data, request=request
        )
        messages.success(request, _("The cohort was created."))
        if selectors.cohort_is_visible_to(user=request.user, cohort=cohort):
            return redirect("training:cohort-detail", cohort_id=cohort.pk)
        return redirect("training:programme-detail", programme_id=programme.pk)
    return _form_page(request, form, _("New cohort"), programme.name)


@training_roles
@require_http_methods(["GET"])
def cohort_detail(request, cohort_id):
    page = selectors.cohort_detail_for_user(user=request.user, cohort_id=cohort_id)
    audit_view(request, page["cohort"])
    status_choices = [(value, str(label)) for value, label in EnrolmentStatus.choices]
    return render(
        request, "training/cohort_detail.html", {**page, "status_choices": status_choices}
    )


@training_roles
@require_http_methods(["GET", "POST"])
def participant_add(request, cohort_id):
    cohort = selectors.cohort_get_for_user(user=request.user, cohort_id=cohort_id)
    form = ParticipantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_enrol(
                actor=request.user, cohort=cohort, data=form.cleaned_data, request=request
            )
        except services.CohortFull as full:
            form.add_error(None, str(full))
        else:
            messages.success(request, _("The participant was enrolled."))
            return redirect("training:cohort-detail", cohort_id=cohort.pk)
    return _form_page(request, form, _("Enrol a participant"), cohort.name)


@training_roles
@require_POST
def enrolment_status(request, enrolment_id):
    enrolment = selectors.enrolment_get_for_user(user=request.user, enrolment_id=enrolment_id)
    form = EnrolmentStatusForm(request.POST)
    if form.is_valid():
        services.enrolment_set_status(
            actor=request.user,
            enrolment=enrolment,
            status=form.cleaned_data["status"],
            drop_reason=form.cleaned_data["drop_reason"],
            request=request,
        )
        messages.success(request, _("The enrolment was updated."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("training:cohort-detail", cohort_id=enrolment.cohort_id)


@training_roles
@require_http_methods(["GET", "POST"])
def cohort_import(request, cohort_id):
    """Upload a CSV: a line-by-line report; nothing is imported unless all lines are valid."""
    cohort = selectors.cohort_get_for_user(user=request.user, cohort_id=cohort_id)
    posted = request.method == "POST"
    # Bound on every POST: one without a file must say "choose a file", not show a blank form.
    form = CsvImportForm(request.POST, request.FILES) if posted else CsvImportForm()
    report = None
    if posted and form.is_valid():
        report = services.participants_import_csv(
            actor=request.user, cohort=cohort, raw=form.cleaned_data["file"].read(), request=request
        )
        if report.imported:
            count = {"count": report.imported}
            messages.success(request, _("%(count)s participants were imported.") % count)
            return redirect("training:cohort-detail", cohort_id=cohort.pk)
    columns = [imports.column_label(key) for key in imports.COLUMNS]
    context = {"cohort": cohort, "form": form, "report": report, "columns": columns}
    return render(request, "training/cohort_import.html", context, status=400 if posted else 200)


@training_roles
@require_GET
def cohort_import_template(request, cohort_id):
    """An empty participants' file whose first line names the columns in Spanish."""
    selectors.cohort_get_for_user(user=request.user, cohort_id=cohort_id)
    header = ",".join(imports.column_label(key) for key in imports.COLUMNS)
    return attachment(
        f"\ufeff{header}\r\n",
        content_type="text/csv; charset=utf-8",
        base=pgettext("file name", "participants-template"),
        extension="csv",
    )


# --- Sessions and attendance ---------------------------------------------------------------


@training_roles
@require_http_methods(["GET", "POST"])
def session_create(request, cohort_id):
    cohort = selectors.cohort_get_for_user(user=request.user, cohort_id=cohort_id)
    form = SessionForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        services.session_create(
            actor=request.user, cohort=cohort, data=form.cleaned_data, request=request
        )
        messages.success(request, _("The session was added."))
        return redirect("training:cohort-detail", cohort_id=cohort.pk)
    return _form_page(request, form, _("Add a session"), cohort.name)


@training_roles
@require_http_methods(["GET", "POST"])
def attendance(request, session_id):
    """The whole cohort on one page; each change is POSTed (htmx) and the row swapped."""
    session = selectors.session_get_for_user(user=request.user, session_id=session_id)
    if request.method == "POST":
        return _attendance_mark(request, session)
    rows = selectors.attendance_sheet(session=session)
    audit_view(request, session)
    context = {
        "session": session,
        "rows": rows,
        "counts": selectors.attendance_counts(rows),
        "post_url": request.path,
    }
    return render(request, "training/attendance.html", context)


def _attendance_mark(request, session):
    """One mark, answered with its row. The row carries the version of the mark it
    showed: a change made on a stale row is refused (409, the StaleEdit contract) and
    the row comes back with the mark as saved now, saying someone else changed it."""
    form = AttendanceMarkForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Invalid attendance mark."), status=400)
    enrolment = selectors.attendance_enrolment_get(
        session=session, enrolment_id=form.cleaned_data["enrolment"]
    )
    try:
        mark = services.attendance_mark(
            actor=request.user,
            session=session,
            enrolment=enrolment,
            status=form.cleaned_data["status"],
            expected_version=form.cleaned_data["version"],
            request=request,
        )
    except StaleEdit as stale:
        return _attendance_row(request, enrolment, stale.current, conflict=True, status=409)
    return _attendance_row(request, enrolment, mark, saved=True)


def _attendance_row(request, enrolment, mark, *, conflict=False, saved=False, status=200):
    row = selectors.attendance_row(enrolment=enrolment, mark=mark, conflict=conflict, saved=saved)
    return render(
        request,
        "training/includes/attendance_row.html",
        {"row": row, "post_url": request.path},
        status=status,
    )


# --- Evaluations ---------------------------------------------------------------------------


@training_roles
@require_http_methods(["GET", "POST"])
def response_create(request, cohort_id, kind):
    cohort = selectors.cohort_get_for_user(user=request.user, cohort_id=cohort_id)
    questionnaire = selectors.questionnaire_for_cohort(cohort=cohort, kind=kind)
    if questionnaire is None:
        messages.warning(request, _("The programme has no questionnaire of this kind yet."))
        return redirect("training:programme-detail", programme_id=cohort.programme_id)
    form = ResponseForm(
        request.POST or None,
        questionnaire=questionnaire,
        enrolments=selectors.respondents_of(cohort=cohort),
        sessions=selectors.sessions_to_rate(cohort=cohort, kind=kind),
        initial={"enrolment": request.GET.get("enrolment")},
    )
    if request.method == "POST" and form.is_valid():
        services.response_record(
            actor=request.user,
            questionnaire=questionnaire,
            enrolment=form.cleaned_data["enrolment"],
            session=form.cleaned_data.get("session"),
            answers=form.answers(),
            request=request,
        )
        messages.success(request, _("The answers were saved."))
        return redirect("training:cohort-detail", cohort_id=cohort.pk)
    return render(
        request,
        "training/response_form.html",
        {"form": form, "cohort": cohort, "questionnaire": questionnaire},
        status=400 if form.errors else 200,
    )


@training_roles
@require_http_methods(["GET"])
def cohort_evaluation(request, cohort_id):
    cohort = selectors.cohort_get_for_user(user=request.user, cohort_id=cohort_id)
    items, trend = selectors.evaluation_report(cohort=cohort)
    return render(
        request,
        "training/cohort_evaluation.html",
        {
            "cohort": cohort,
            "items": items,
            "chart": change_chart(items),
            "trend": trend_chart(trend),
            "trend_rows": trend,
        },
    )


# --- Certificates -----------------------------------------------------------------------------


@training_roles
@require_POST
def certificate_issue(request, enrolment_id):
    enrolment = selectors.enrolment_get_for_user(user=request.user, enrolment_id=enrolment_id)
    certificate = services.certificate_issue(
        actor=request.user, enrolment=enrolment, request=request
    )
    if certificate is None:
        messages.error(
            request,
            _(
                "Not eligible yet: the attendance must reach the threshold "
                "and the exit evaluation be done."
            ),
        )
    else:
        messages.success(request, _("The certificate was issued."))
    return redirect("training:cohort-detail", cohort_id=enrolment.cohort_id)


@training_roles
@require_http_methods(["GET"])
def certificate_pdf(request, enrolment_id):
    certificate = selectors.certificate_get_for_user(user=request.user, enrolment_id=enrolment_id)
    enrolment = certificate.enrolment
    pdf = render_pdf(
        template_name="training/certificate_pdf.html",
        context={
            "certificate": certificate,
            "enrolment": enrolment,
            "cohort": enrolment.cohort,
            "programme": enrolment.cohort.programme,
            "verify_url": request.build_absolute_uri(reverse("training:certificate-verify")),
        },
        request=request,
    )
    audit_view(request, certificate, action=AuditAction.EXPORT)
    return attachment(
        pdf,
        content_type="application/pdf",
        base=pgettext("file name", "certificate") + f"-{certificate.code}",
        extension="pdf",
    )


@training_roles
@require_POST
def certificates_bulk(request, cohort_id):
    cohort = selectors.cohort_get_for_user(user=request.user, cohort_id=cohort_id)
    batch = services.certificate_batch_start(actor=request.user, cohort=cohort, request=request)
    return redirect("training:batch-progress", batch_id=batch.pk)


@training_roles
@require_http_methods(["GET"])
def batch_progress(request, batch_id):
    batch = selectors.certificate_batch_get_for_user(user=request.user, batch_id=batch_id)
    template = (
        "training/includes/batch_progress.html"
        if request.headers.get("HX-Request")
        else "training/batch_progress.html"
    )
    return render(request, template, {"batch": batch})


@login_not_required
@require_http_methods(["GET"])
def certificate_verify(request):
    """Public: says only whether a code is valid, and for which programme and year."""
    code = (request.GET.get("code") or "").strip().upper()[:32]
    return render(
        request,
        "training/certificate_verify.html",
        {
            "code": code,
            "certificate": selectors.certificate_for_verification(code=code),
            "checked": bool(code),
        },
    )


# --- Follow-up --------------------------------------------------------------------------------


@training_roles
@require_http_methods(["GET", "POST"])
def follow_up_create(request, enrolment_id):
    enrolment = selectors.enrolment_get_for_user(user=request.user, enrolment_id=enrolment_id)
    form = FollowUpForm(request.POST or None, months=follow_up_months())
    if request.method == "POST" and form.is_valid():
        services.follow_up_record(
            actor=request.user, enrolment=enrolment, data=form.cleaned_data, request=request
        )
        messages.success(request, _("The follow-up was recorded."))
        return redirect("training:cohort-follow-up", cohort_id=enrolment.cohort_id)
    title = _("Follow-up after the course")
    return _form_page(request, form, title, enrolment.participant.display_name)


@training_roles
@require_http_methods(["GET"])
def cohort_follow_up(request, cohort_id):
    cohort = selectors.cohort_get_for_user(user=request.user, cohort_id=cohort_id)
    return render(
        request,
        "training/cohort_follow_up.html",
        {
            "cohort": cohort,
            "report": selectors.follow_up_report(cohort=cohort),
            "graduates": selectors.graduates_for_follow_up(cohort=cohort),
        },
    )
