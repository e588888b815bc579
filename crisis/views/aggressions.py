import datetime as dt
import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accompaniment.charts_bars import bar_chart
from accompaniment.selectors.access import subjects_for_user
from aluna.audit.selectors import audit_views_of
from aluna.audit.services import audit_view
from aluna.core.access import role_required
from aluna.core.concurrency import stale_values_of, submit_versioned
from aluna.core.roles import Role

from ..forms.aggressions import (
    AggressionEditForm,
    AggressionFilterForm,
    AggressionForm,
    StatisticsPeriodForm,
)
from ..models import Aggression
from ..selectors.aggressions import (
    aggression_get_for_detail_page,
    aggression_get_for_edit,
    aggression_statistics,
    aggression_subjects_for_detail_page,
    aggressions_for_list_page,
)
from ..services.aggressions import aggression_create, aggression_update

AGGRESSION_PAGE_SIZE = 25
STATS_DEFAULT_MONTHS = 12


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
def aggression_list(request):
    """The registry: when, where (state only), what and by whom. No narrative."""
    filter_form = AggressionFilterForm(request.GET)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    aggressions = aggressions_for_list_page(user=request.user, **filters)
    page = Paginator(aggressions, AGGRESSION_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter_form": filter_form,
        "page_obj": page,
        "query": query.urlencode(),
        "filtered": any(filters.values()),
        "is_coordinator": request.user.has_role(Role.COORDINATION),
    }
    return render(request, "crisis/aggressions/list.html", context)


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def aggression_create_view(request):
    initial = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
    subject_id = _uuid_or_none(request.GET.get("subject", ""))
    if subject_id and subjects_for_user(user=request.user).filter(pk=subject_id).exists():
        initial["subjects"] = [subject_id]
    form = AggressionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        aggression = aggression_create(actor=request.user, data=form.cleaned_data, request=request)
        messages.success(request, _("The aggression was recorded."))
        return redirect("crisis:aggression-detail", aggression_id=aggression.pk)
    context = {"form": form, "aggression": None}
    status = 400 if request.method == "POST" else 200
    return render(request, "crisis/aggressions/form.html", context, status=status)


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
def aggression_detail(request, aggression_id):
    """The full record, narrative included; every view of it is audited."""
    aggression = aggression_get_for_detail_page(user=request.user, aggression_id=aggression_id)
    audit_view(request, aggression)
    is_coordinator = request.user.has_role(Role.COORDINATION)
    context = {
        "aggression": aggression,
        "is_coordinator": is_coordinator,
        "viewed_by": audit_views_of(aggression) if is_coordinator else None,
        **aggression_subjects_for_detail_page(user=request.user, aggression=aggression),
    }
    return render(request, "crisis/aggressions/detail.html", context)


def _stale_values(aggression: Aggression) -> list[tuple[str, str]]:
    """The record as saved now, for the stale-edit box: its fields and its reports."""
    names = [*Aggression.EDITABLE_FIELDS, "types", "perpetrators"]
    reports = ", ".join(str(r.get_body_display()) for r in aggression.reports.all())
    return [*stale_values_of(aggression, names), (_("Reported to"), reports or "—")]


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def aggression_edit_view(request, aggression_id):
    aggression = aggression_get_for_edit(user=request.user, aggression_id=aggression_id)
    form = AggressionEditForm(request.POST or None, user=request.user, aggression=aggression)
    submission = submit_versioned(
        request,
        form,
        save=lambda data: aggression_update(
            aggression=aggression,
            actor=request.user,
            data=data,
            expected_version=data["version"],
            hidden_subject_ids=form.hidden_subject_ids(),
            request=request,
        ),
        describe=_stale_values,
    )
    if submission.saved:
        messages.success(request, _("The aggression was saved."))
        return redirect("crisis:aggression-detail", aggression_id=aggression.pk)
    context = {**submission.context, "aggression": aggression}
    return render(request, "crisis/aggressions/form.html", context, status=submission.status)


def _default_period() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start = today.replace(day=1)
    for _i in range(STATS_DEFAULT_MONTHS - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    return start, today


@role_required(Role.COORDINATION)
def aggression_stats(request):
    """Counts by type, perpetrator, state and month, as charts and as tables."""
    start, end = _default_period()
    if request.GET:
        form = StatisticsPeriodForm(request.GET)
        if form.is_valid():
            start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    else:
        form = StatisticsPeriodForm(initial={"date_from": start, "date_to": end})
    stats = aggression_statistics(date_from=start, date_to=end)
    context = {
        "form": form,
        "sections": _stats_sections(stats, start=start, end=end),
        "total": stats["total"],
        "date_from": start,
        "date_to": end,
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "crisis/aggressions/stats.html", context, status=status)


def _stats_sections(stats: dict, *, start: dt.date, end: dt.date) -> list[dict]:
    """One section per dimension: its rows and the same rows as a bar chart."""
    not_recorded = _("Not recorded")
    description = _("Number of aggressions from %(start)s to %(end)s.") % {
        "start": date_format(start, "DATE_FORMAT"),
        "end": date_format(end, "DATE_FORMAT"),
    }
    dimensions = [
        ("type", _("By type of aggression"), stats["by_type"]),
        ("perpetrator", _("By perpetrator"), stats["by_perpetrator"]),
        ("state", _("By state"), stats["by_state"]),
        ("month", _("By month"), stats["by_month"]),
    ]
    sections = []
    for key, title, items in dimensions:
        rows = [(item.label or not_recorded, item.count) for item in items]
        chart = bar_chart(bars=rows, title=title, description=description, chart_id=f"chart-{key}")
        sections.append({"key": key, "title": title, "rows": rows, "chart": chart})
    return sections
