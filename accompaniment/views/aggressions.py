import datetime as dt
import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aluna.accounts.roles import Role
from aluna.audit.selectors import audit_views_of
from aluna.audit.services import audit_target_type
from aluna.core.access import role_required
from aluna.core.concurrency import STALE_EDIT_MESSAGE, StaleEdit

from ..charts_bars import bar_chart
from ..forms.aggressions import (
    AggressionEditForm,
    AggressionFilterForm,
    AggressionForm,
    StatisticsPeriodForm,
)
from ..models import Aggression
from ..selectors.access import subjects_for_user
from ..selectors.aggressions import (
    aggression_get_for_detail_page,
    aggression_get_for_edit,
    aggression_statistics,
    aggression_subjects_for_detail_page,
    aggressions_for_list_page,
)
from ..services.aggressions import aggression_create, aggression_record_view, aggression_update

AGGRESSION_PAGE_SIZE = 25
STATS_DEFAULT_MONTHS = 12


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
def aggression_list(request):
    """The registry: when, where (state only), what and by whom. No narrative."""
    filter_form = AggressionFilterForm(request.GET)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    aggressions = aggressions_for_list_page(
        user=request.user,
        aggression_type=filters.get("type"),
        perpetrator=filters.get("perpetrator"),
        state=filters.get("state"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(aggressions, AGGRESSION_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accompaniment/aggressions/list.html",
        {
            "filter_form": filter_form,
            "page_obj": page,
            "query": query.urlencode(),
            "filtered": any(filters.values()),
            "is_coordinator": request.user.has_role(Role.COORDINATION),
        },
    )


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def aggression_create_view(request):
    if request.method == "POST":
        form = AggressionForm(request.POST, user=request.user)
        if form.is_valid():
            aggression = aggression_create(
                actor=request.user, data=form.cleaned_data, request=request
            )
            messages.success(request, _("The aggression was recorded."))
            return redirect("accompaniment:aggression-detail", aggression_id=aggression.pk)
    else:
        initial = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
        subject_id = _uuid_or_none(request.GET.get("subject", ""))
        if subject_id and subjects_for_user(user=request.user).filter(pk=subject_id).exists():
            initial["subjects"] = [subject_id]
        form = AggressionForm(user=request.user, initial=initial)
    return render(
        request,
        "accompaniment/aggressions/form.html",
        {"form": form, "aggression": None},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
def aggression_detail(request, aggression_id):
    """The full record, narrative included; every view of it is audited."""
    aggression = aggression_get_for_detail_page(user=request.user, aggression_id=aggression_id)
    aggression_record_view(aggression=aggression, actor=request.user, request=request)
    is_coordinator = request.user.has_role(Role.COORDINATION)
    context = {
        "aggression": aggression,
        "is_coordinator": is_coordinator,
        **aggression_subjects_for_detail_page(user=request.user, aggression=aggression),
    }
    if is_coordinator:
        context["viewed_by"] = audit_views_of(
            target_type=audit_target_type(aggression), target_id=aggression.pk
        )
    return render(request, "accompaniment/aggressions/detail.html", context)


def _stale_values(aggression: Aggression) -> list[tuple[str, str]]:
    """The record as saved now, as (label, value) pairs for the stale-edit box."""
    meta = Aggression._meta

    def label(name):
        return str(meta.get_field(name).verbose_name).capitalize()

    occurred = timezone.localtime(aggression.occurred_at).strftime("%Y-%m-%d %H:%M")
    return [
        (label("occurred_at"), occurred),
        (label("is_approximate"), _("Yes") if aggression.is_approximate else _("No")),
        (label("state"), str(aggression.state or "")),
        (label("municipality"), aggression.municipality),
        (label("types"), ", ".join(str(t) for t in aggression.types.all())),
        (label("perpetrators"), ", ".join(str(p) for p in aggression.perpetrators.all())),
        (label("narrative"), aggression.narrative),
        (label("evidence_kept"), _("Yes") if aggression.evidence_kept else _("No")),
        (label("evidence_keeper"), aggression.evidence_keeper),
        (
            _("Reported to"),
            ", ".join(str(r.get_body_display()) for r in aggression.reports.all()),
        ),
    ]


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_http_methods(["GET", "POST"])
def aggression_edit_view(request, aggression_id):
    aggression = aggression_get_for_edit(user=request.user, aggression_id=aggression_id)
    stale_values = None
    status = 200
    if request.method == "POST":
        form = AggressionEditForm(request.POST, user=request.user, aggression=aggression)
        if form.is_valid():
            visible = set(form.fields["subjects"].queryset.values_list("pk", flat=True))
            hidden = [s.pk for s in aggression.subjects.all() if s.pk not in visible]
            try:
                aggression_update(
                    aggression=aggression,
                    actor=request.user,
                    data=form.cleaned_data,
                    expected_version=form.cleaned_data["version"],
                    hidden_subject_ids=hidden,
                    request=request,
                )
            except StaleEdit as stale:
                messages.error(request, STALE_EDIT_MESSAGE)
                stale_values = _stale_values(stale.current)
                status = 409
            else:
                messages.success(request, _("The aggression was saved."))
                return redirect("accompaniment:aggression-detail", aggression_id=aggression.pk)
        else:
            status = 400
    else:
        form = AggressionEditForm(user=request.user, aggression=aggression)
    return render(
        request,
        "accompaniment/aggressions/form.html",
        {"form": form, "aggression": aggression, "stale_values": stale_values},
        status=status,
    )


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
    not_recorded = _("Not recorded")
    dimensions = [
        ("type", _("By type of aggression"), stats["by_type"]),
        ("perpetrator", _("By perpetrator"), stats["by_perpetrator"]),
        ("state", _("By state"), stats["by_state"]),
        ("month", _("By month"), stats["by_month"]),
    ]
    sections = []
    for key, title, items in dimensions:
        rows = [(item.label or not_recorded, item.count) for item in items]
        description = _("Number of aggressions from %(start)s to %(end)s.") % {
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
        sections.append(
            {
                "key": key,
                "title": title,
                "rows": rows,
                "chart": bar_chart(
                    bars=rows, title=title, description=description, chart_id=f"chart-{key}"
                ),
            }
        )
    return render(
        request,
        "accompaniment/aggressions/stats.html",
        {
            "form": form,
            "sections": sections,
            "total": stats["total"],
            "date_from": start,
            "date_to": end,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
