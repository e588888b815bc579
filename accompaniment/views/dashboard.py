"""The coordinators' review of organisational strengthening, and the attention lists."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aluna.audit.selectors import audit_views_of
from aluna.audit.services import audit_view
from aluna.core.access import role_required
from aluna.core.pagination import CachedCountPaginator
from aluna.core.roles import Role

from ..charts import score_line_chart, series_from_scores
from ..forms.dashboard import DashboardFilterForm
from ..models import PsychosocialField
from ..selectors.dashboard import (
    ATTENTION_LISTS,
    ATTENTION_NO_SESSION,
    ATTENTION_OVERDUE,
    ATTENTION_UNASSESSED,
    attention_counts,
    attention_page,
    dashboard_processes,
    dashboard_rows,
    organisation_chart_scores,
    organisation_process_for_chart,
)

DASHBOARD_PAGE_SIZE = 20
ATTENTION_PAGE_SIZE = 25


def _querystring_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@role_required(Role.COORDINATION)
def dashboard(request):
    form = DashboardFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    processes = dashboard_processes(
        state=filters.get("state"), area=filters.get("area"), lead=filters.get("lead")
    )
    paginator = CachedCountPaginator(processes, DASHBOARD_PAGE_SIZE, user=request.user)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filtered": any(filters.values()),
        "page_obj": page,
        "rows": dashboard_rows(processes=page.object_list),
        "fields": PsychosocialField.choices,
        "querystring": _querystring_without_page(request),
    }
    return render(request, "accompaniment/dashboard/dashboard.html", context)


@role_required(Role.COORDINATION)
def dashboard_organisation(request, process_id):
    process = organisation_process_for_chart(user=request.user, process_id=process_id)
    scores = organisation_chart_scores(process=process)
    labels = dict(PsychosocialField.choices)
    series = series_from_scores(labels=labels, scores=scores)
    audit_view(request, process, metadata={"page": "dashboard-organisation"})
    context = {
        "process": process,
        "chart": _organisation_chart(process, series),
        "series": series,
        "scores": scores,
        "field_labels": labels,
        "viewed_by": audit_views_of(process),
    }
    return render(request, "accompaniment/dashboard/organisation.html", context)


def _organisation_chart(process, series):
    description = gettext(
        "Line chart of the 1 to 5 assessments of each field of %(alias)s, by date."
    ) % {"alias": process.subject.alias}
    return score_line_chart(
        series=series,
        title=gettext("Scores of the four fields over time"),
        description=description,
        chart_id="field-scores",
    )


ATTENTION_TITLES = {
    ATTENTION_NO_SESSION: _("No session for longer than agreed"),
    ATTENTION_OVERDUE: _("Overdue follow-ups"),
    ATTENTION_UNASSESSED: _("Open over a year, never assessed"),
}


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
def attention(request):
    """Coordinación sees every running process; acompañamiento only its teams'."""
    today = timezone.localdate()
    which = request.GET.get("list")
    if which not in ATTENTION_LISTS:
        which = ATTENTION_NO_SESSION
    counts = attention_counts(user=request.user, today=today)
    page = attention_page(
        user=request.user,
        today=today,
        which=which,
        number=request.GET.get("page"),
        per_page=ATTENTION_PAGE_SIZE,
        total=counts[which],
    )
    context = {
        "tabs": _attention_tabs(counts, which),
        "which": which,
        "title": ATTENTION_TITLES[which],
        "page_obj": page,
        "today": today,
        "querystring": f"list={which}",
    }
    return render(request, "accompaniment/dashboard/attention.html", context)


def _attention_tabs(counts: dict, which: str) -> list[dict]:
    return [
        {"key": key, "title": ATTENTION_TITLES[key], "count": counts[key], "active": key == which}
        for key in ATTENTION_LISTS
    ]
