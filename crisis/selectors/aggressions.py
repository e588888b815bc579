"""Reads for the aggressions registry and its statistics.

Scope: coordinación sees every aggression; acompañamiento sees the aggressions
that affect at least one subject in its scope (`subjects_for_user`); other roles
see none. A record outside the scope answers 404, like every case record.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

from accompaniment.models import PoliticalSubject
from accompaniment.selectors.access import subjects_for_user
from aluna.core.roles import Role

from ..models import Aggression, AggressionReport

AggressionSubject = Aggression.subjects.through
AggressionTypeLink = Aggression.types.through
AggressionPerpetratorLink = Aggression.perpetrators.through


def aggressions_for_user(*, user) -> QuerySet[Aggression]:
    if user.has_role(Role.COORDINATION):
        return Aggression.objects.all()
    if user.has_role(Role.ACCOMPANIMENT):
        affecting = AggressionSubject.objects.filter(
            politicalsubject_id__in=subjects_for_user(user=user).values("pk")
        ).values("aggression_id")
        return Aggression.objects.filter(pk__in=affecting)
    return Aggression.objects.none()


def aggression_get_for_user(*, user, aggression_id, queryset=None) -> Aggression:
    """The aggression, if `user` may see it; 404 for "missing" and "not yours" alike."""
    queryset = queryset if queryset is not None else aggressions_for_user(user=user)
    try:
        return queryset.get(pk=aggression_id)
    except (Aggression.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def aggressions_for_list_page(
    *,
    user,
    type=None,  # noqa: A002 - the filter form's field name
    perpetrator=None,
    state=None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Aggression]:
    """The list: date, state, types, perpetrators and how many subjects. Never the
    narrative or the municipality (the columns are deferred, not even decrypted)."""
    queryset = aggressions_for_user(user=user)
    if type is not None:
        queryset = queryset.filter(
            pk__in=AggressionTypeLink.objects.filter(aggressiontype=type).values("aggression_id")
        )
    if perpetrator is not None:
        queryset = queryset.filter(
            pk__in=AggressionPerpetratorLink.objects.filter(perpetrator=perpetrator).values(
                "aggression_id"
            )
        )
    if state is not None:
        queryset = queryset.filter(state=state)
    if date_from is not None:
        queryset = queryset.filter(occurred_at__gte=_local_midnight(date_from))
    if date_to is not None:
        queryset = queryset.filter(occurred_at__lt=_local_midnight(date_to + dt.timedelta(days=1)))
    return (
        queryset.defer("narrative", "municipality", "evidence_keeper")
        .select_related("state")
        .prefetch_related("types", "perpetrators")
        .annotate(subject_count=Count("subjects", distinct=True))
        .order_by("-occurred_at", "pk")
    )


def aggression_get_for_detail_page(*, user, aggression_id) -> Aggression:
    """The aggression with everything the detail page shows; only the subjects in
    the user's scope are listed (the others are counted)."""
    aggression = aggression_get_for_user(
        user=user,
        aggression_id=aggression_id,
        queryset=aggressions_for_user(user=user)
        .select_related("state", "recorded_by")
        .prefetch_related(
            "types",
            "perpetrators",
            Prefetch("reports", queryset=AggressionReport.objects.order_by("reported_on")),
        ),
    )
    return aggression


def aggression_subjects_for_detail_page(*, user, aggression: Aggression) -> dict:
    visible = list(
        subjects_for_user(user=user)
        .filter(
            pk__in=AggressionSubject.objects.filter(aggression=aggression).values(
                "politicalsubject_id"
            )
        )
        .select_related("kind")
        .only("id", "alias", "initials", "kind__label_es", "kind__label_en")
        .order_by("alias")
    )
    total = AggressionSubject.objects.filter(aggression=aggression).count()
    return {"subjects": visible, "hidden_subject_count": total - len(visible)}


def aggression_get_for_edit(*, user, aggression_id) -> Aggression:
    return aggression_get_for_user(
        user=user,
        aggression_id=aggression_id,
        queryset=aggressions_for_user(user=user).prefetch_related(
            "types", "perpetrators", "subjects", "reports"
        ),
    )


def aggression_subject_choices(*, user) -> QuerySet[PoliticalSubject]:
    """The subjects the user may mark as affected: those in scope, not archived."""
    return (
        subjects_for_user(user=user)
        .filter(is_archived=False)
        .select_related("kind")
        .only("id", "alias", "initials", "kind__label_es", "kind__label_en")
        .order_by("alias")
    )


# --- Statistics ------------------------------------------------------------------


@dataclass(frozen=True)
class StatCount:
    key: str
    label: str
    count: int


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _label(row: dict, prefix: str) -> str:
    lang_en = (get_language() or "").startswith("en")
    return row[f"{prefix}__label_en" if lang_en else f"{prefix}__label_es"]


def aggression_statistics(*, date_from: dt.date, date_to: dt.date) -> dict:
    """Counts of aggressions by type, perpetrator, state and month over a period
    (local dates, both ends included). One aggregate query per dimension.

    An aggression with two types counts once under each type, so the type and
    perpetrator counts may add up to more than the total.
    """
    start, end = _local_midnight(date_from), _local_midnight(date_to + dt.timedelta(days=1))
    in_period = Aggression.objects.filter(occurred_at__gte=start, occurred_at__lt=end)

    by_type = [
        StatCount(
            key=row["aggressiontype__code"], label=_label(row, "aggressiontype"), count=row["n"]
        )
        for row in AggressionTypeLink.objects.filter(aggression__in=in_period)
        .values("aggressiontype__code", "aggressiontype__label_es", "aggressiontype__label_en")
        .annotate(n=Count("aggression_id", distinct=True))
        .order_by("-n", "aggressiontype__position", "aggressiontype__code")
    ]
    by_perpetrator = [
        StatCount(key=row["perpetrator__code"], label=_label(row, "perpetrator"), count=row["n"])
        for row in AggressionPerpetratorLink.objects.filter(aggression__in=in_period)
        .values("perpetrator__code", "perpetrator__label_es", "perpetrator__label_en")
        .annotate(n=Count("aggression_id", distinct=True))
        .order_by("-n", "perpetrator__position", "perpetrator__code")
    ]
    by_state = [
        StatCount(
            key=row["state__code"] or "",
            label=_label(row, "state") if row["state__code"] else "",
            count=row["n"],
        )
        for row in in_period.values("state__code", "state__label_es", "state__label_en")
        .annotate(n=Count("id"))
        .order_by("-n", "state__code")
    ]
    month_rows = {
        timezone.localtime(row["month"]).date()
        if isinstance(row["month"], dt.datetime)
        else row["month"]: row["n"]
        for row in in_period.annotate(
            month=TruncMonth("occurred_at", tzinfo=timezone.get_current_timezone())
        )
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    }
    by_month = []
    month = date_from.replace(day=1)
    while month <= date_to:
        by_month.append(
            StatCount(
                key=month.strftime("%Y-%m"),
                label=date_format(month, "YEAR_MONTH_FORMAT"),
                count=month_rows.get(month, 0),
            )
        )
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return {
        "by_type": by_type,
        "by_perpetrator": by_perpetrator,
        "by_state": by_state,
        "by_month": by_month,
        "total": sum(item.count for item in by_month),
    }
