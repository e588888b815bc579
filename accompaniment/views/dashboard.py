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
from ..forms.dashboard import DashboardFilterForm, sort_choices
from ..models import PsychosocialField
from ..selectors.dashboard import (
    ATTENTION_LISTS,
    ATTENTION_NO_SESSION,
    ATTENTION_OVERDUE,
    ATTENTION_UNASSESSED,
    FIELD_SORT_KEYS,
    SORT_LAST_SESSION,
    SORT_ORGANISATION,
    TREND_LENGTH,
    attention_counts,
    attention_page,
    dashboard_processes,
    dashboard_rows,
    organisation_chart_scores,
    organisation_process_for_chart,
)

DASHBOARD_PAGE_SIZE = 20
ATTENTION_PAGE_SIZE = 25


def _querystring_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@role_required(Role.COORDINATION)
def dashboard(request):
    form = DashboardFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    sort = form.sort_key()
    processes = dashboard_processes(
        state=filters.get("state"), area=filters.get("area"), lead=filters.get("lead"), sort=sort
    )
    paginator = CachedCountPaginator(processes, DASHBOARD_PAGE_SIZE, user=request.user)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filtered": any(filters.get(name) for name in ("state", "area", "lead")),
        "page_obj": page,
        "rows": dashboard_rows(processes=page.object_list),
        "columns": sort_columns(sort, _querystring_without(request, "page", "orden")),
        "querystring": _querystring_without(request, "page"),
        "trend_length": TREND_LENGTH,
    }
    return render(request, "accompaniment/dashboard/dashboard.html", context)


def sort_columns(sort: str, querystring: str) -> list[dict]:
    """The review's column headers: each sortable one links to its own order (the other
    way round when it is the current one), with the order in words for screen readers."""
    current = sort or SORT_ORGANISATION
    names = dict(sort_choices())
    columns = [{"label": _("Organisation and process"), "key": SORT_ORGANISATION}]
    columns += [
        {"label": label, "key": FIELD_SORT_KEYS[code], "field": code}
        for code, label in PsychosocialField.choices
    ]
    columns += [
        {"label": _("Objectives met / open"), "key": ""},
        {"label": _("Last session"), "key": SORT_LAST_SESSION},
        {"label": _("Lead"), "key": ""},
    ]
    prefix = f"{querystring}&" if querystring else ""
    for column in columns:
        key = column["key"]
        if not key:
            continue
        column["sorted"] = {key: "ascending", f"-{key}": "descending"}.get(current, "")
        target = f"-{key}" if current == key else key
        column["href"] = f"?{prefix}orden={target}"
        column["action"] = names[target]
    return columns


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
        "chart_phone": _organisation_chart(process, series, width=360, height=260),
        "series": series,
        "scores": scores,
        "field_labels": labels,
        "viewed_by": audit_views_of(process),
    }
    return render(request, "accompaniment/dashboard/organisation.html", context)


def _organisation_chart(process, series, **size):
    description = gettext(
        "Line chart of the 1 to 5 assessments of each field of %(alias)s, by date."
    ) % {"alias": process.subject.alias}
    return score_line_chart(
        series=series,
        title=gettext("Scores of the four fields over time"),
        description=description,
        chart_id="field-scores" if not size else "field-scores-narrow",
        **size,
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
