import datetime as dt

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accompaniment.charts_bars import bar_chart
from aluna.audit.services import audit_view
from aluna.core.access import role_required
from aluna.core.roles import Role

from .. import aggregates
from ..forms.aggressions import StatisticsPeriodForm
from ..selectors.response_times import (
    BREAKDOWN_TITLES,
    crises_over_target,
    response_time_rows,
)

REVIEW_PAGE_SIZE = 20


def default_period(months: int = 12) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start = today.replace(day=1)
    for _i in range(months - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    return start, today


def median_chart(rows: list[dict], *, chart_id: str):
    """Bars of the median hours to the first crisis contact, one per month."""
    bars = [(row["label"], row["contact"]["median"]) for row in rows if row["contact"]]
    return bar_chart(
        bars=bars,
        title=_("Median hours to the first crisis contact, by month"),
        description=_(
            "Hours from the aggression to the first crisis contact; half the cases took less."
        ),
        chart_id=chart_id,
    )


@role_required(Role.COORDINATION)
@require_GET
def response_times_view(request):
    """How fast the team responds; the crises over the target listed (and audited) for review."""
    start, end = default_period()
    form = StatisticsPeriodForm(request.GET or None, initial={"date_from": start, "date_to": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    sections = [
        {"key": by, "title": title, "rows": response_time_rows(start=start, end=end, by=by)}
        for by, title in BREAKDOWN_TITLES.items()
    ]
    over = crises_over_target(user=request.user, start=start, end=end)
    page = Paginator(over, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    for crisis in page:
        audit_view(request, crisis, metadata={"page": "response-times"})
    context = {
        "form": form,
        "start": start,
        "end": end,
        "overall": response_time_rows(start=start, end=end, by=None),
        "sections": sections,
        "chart": median_chart(sections[0]["rows"], chart_id="response-month"),
        "target": aggregates.response_target_hours(),
        "page_obj": page,
        "querystring": urlencode({"date_from": start.isoformat(), "date_to": end.isoformat()}),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "crisis/response_times/page.html", context, status=status)
