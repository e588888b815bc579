"""Reads for the coordinators' review and the attention lists.

Built for the large scale (20,000 processes, 60,000 assessments): the page's
processes are fetched first (paginated), then one query brings the latest two
assessments per (process, field) of those processes only, and one aggregate
the objective counts. Nothing here loads a process's sessions: the session
service keeps `Process.last_session_on` up to date.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, F, Func, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import RowNumber

from aluna.core.pagination import kept

from ..models import (
    INDIVIDUAL_KIND_CODE,
    FieldAssessment,
    Objective,
    ObjectiveStatus,
    Process,
    ProcessKind,
    ProcessStatus,
    PsychosocialField,
)
from .access import process_get_for_user, processes_for_user

OPEN_OBJECTIVE_STATUSES = (ObjectiveStatus.AGREED, ObjectiveStatus.IN_PROGRESS)
SUBJECT_ENCRYPTED_FIELDS = (
    "name",
    "municipality",
    "contact",
    "indigenous_people",
    "indigenous_language",
    "other_factors",
)

# --- Dashboard -----------------------------------------------------------------------


# The review's sort keys, as they appear in `?orden=` (a leading "-" reverses):
# a whitelist, so nothing else of the query string reaches `order_by`.
SORT_ORGANISATION = "organizacion"
SORT_OPENED = "apertura"
SORT_LAST_SESSION = "ultima-sesion"
SORT_BY_FIELD = {
    "psicoemocional": PsychosocialField.PSYCHOEMOTIONAL,
    "dinamicas-internas": PsychosocialField.INTERNAL_DYNAMICS,
    "seguridad": PsychosocialField.SECURITY,
    "proyecto-politico": PsychosocialField.POLITICAL_PROJECT,
}
FIELD_SORT_KEYS = {field: key for key, field in SORT_BY_FIELD.items()}
SORT_KEYS = (SORT_ORGANISATION, SORT_OPENED, *SORT_BY_FIELD, SORT_LAST_SESSION)


def _ordering(sort: str) -> tuple[dict, list]:
    """(annotations, order_by) for a whitelisted sort key; unknown keys sort by organisation.

    Empty values (never assessed, no session yet) come last in both directions; ties
    fall back to the organisation, then the newest process.
    """
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    annotations: dict = {}
    if key in SORT_BY_FIELD:
        latest = FieldAssessment.objects.filter(
            process=OuterRef("pk"), field=SORT_BY_FIELD[key]
        ).order_by("-assessed_on", "-created_at")
        annotations["sort_score"] = Subquery(latest.values("score")[:1])
        column = F("sort_score")
    elif key == SORT_OPENED:
        column = F("opened_on")
    elif key == SORT_LAST_SESSION:
        column = F("last_session_on")
    else:
        column = F("subject__alias")
    first = column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
    return annotations, [first, "subject__alias", "-opened_on", "pk"]


def dashboard_processes(*, state=None, area=None, lead=None, sort="") -> QuerySet[Process]:
    """Running strengthening processes of organisations (not individual defenders).

    One row per process, with what the dashboard row shows joined in, sorted by a
    key of SORT_KEYS (organisation by default).
    """
    annotations, order_by = _ordering(sort or SORT_ORGANISATION)
    processes = (
        Process.objects.filter(kind=ProcessKind.STRENGTHENING, is_archived=False)
        .exclude(status=ProcessStatus.CLOSED)
        .exclude(subject__kind__code=INDIVIDUAL_KIND_CODE)
        .filter(subject__is_archived=False)
        .select_related("subject", "subject__kind", "subject__state", "lead")
        .annotate(**annotations)
        .order_by(*order_by)
    )
    if state is not None:
        processes = processes.filter(subject__state=state)
    if area is not None:
        processes = processes.filter(subject__areas=area)
    if lead is not None:
        processes = processes.filter(lead=lead)
    return processes


# How many assessments of each field the review's small trend line shows.
TREND_LENGTH = 6


@dataclass
class FieldStatus:
    """The latest assessment of one field, how it moved since the previous one, and
    the scores of its last TREND_LENGTH assessments (oldest first) for the trend line."""

    field: str
    label: str
    score: int | None = None
    assessed_on: dt.date | None = None
    previous_score: int | None = None
    history: list[int] = field(default_factory=list)

    @property
    def trend(self) -> str:
        """ "up", "down", "same", or "" when there is nothing to compare."""
        if self.score is None or self.previous_score is None:
            return ""
        if self.score > self.previous_score:
            return "up"
        if self.score < self.previous_score:
            return "down"
        return "same"


@dataclass
class DashboardRow:
    process: Process
    fields: list[FieldStatus]
    objectives_met: int = 0
    objectives_open: int = 0
    extra: dict = field(default_factory=dict)


def latest_assessments(*, process_ids, per_field: int = TREND_LENGTH) -> list[dict]:
    """The latest `per_field` assessments of each (process, field), for these processes only.

    One query: ROW_NUMBER() over (process, field) newest first, kept where <= per_field.
    """
    ranked = (
        FieldAssessment.objects.filter(process_id__in=process_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("process_id"), F("field")],
                order_by=[F("assessed_on").desc(), F("created_at").desc()],
            )
        )
        .filter(rank__lte=per_field)
        .values("process_id", "field", "score", "assessed_on", "rank")
    )
    return list(ranked)


def objective_counts(*, process_ids) -> dict:
    """{process_id: (met, open)} in one aggregate query."""
    rows = (
        Objective.objects.filter(process_id__in=process_ids)
        .order_by()
        .values("process_id")
        .annotate(
            met=Count("pk", filter=Q(status=ObjectiveStatus.MET)),
            open=Count("pk", filter=Q(status__in=OPEN_OBJECTIVE_STATUSES)),
        )
    )
    return {row["process_id"]: (row["met"], row["open"]) for row in rows}


def _field_status(code: str, label: str, ranks: dict[int, dict]) -> FieldStatus:
    latest, previous = ranks.get(1), ranks.get(2)
    return FieldStatus(
        field=code,
        label=label,
        score=latest["score"] if latest else None,
        assessed_on=latest["assessed_on"] if latest else None,
        previous_score=previous["score"] if previous else None,
        history=[ranks[rank]["score"] for rank in sorted(ranks, reverse=True)],
    )


def dashboard_rows(*, processes) -> list[DashboardRow]:
    """The dashboard rows of a page of processes: two queries, whatever the page size."""
    processes = list(processes)
    ids = [p.pk for p in processes]
    if not ids:
        return []
    assessments: dict[tuple, dict[int, dict]] = {}
    for row in latest_assessments(process_ids=ids):
        assessments.setdefault((row["process_id"], row["field"]), {})[row["rank"]] = row
    counts = objective_counts(process_ids=ids)

    rows = []
    for process in processes:
        statuses = [
            _field_status(code, label, assessments.get((process.pk, code), {}))
            for code, label in PsychosocialField.choices
        ]
        met, open_ = counts.get(process.pk, (0, 0))
        rows.append(
            DashboardRow(
                process=process, fields=statuses, objectives_met=met, objectives_open=open_
            )
        )
    return rows


def organisation_chart_scores(*, process: Process, per_field: int = 24) -> list[tuple]:
    """(field, assessed_on, score) of the latest `per_field` assessments of each field,
    oldest first: enough for a readable chart, bounded whatever the history."""
    ranked = (
        FieldAssessment.objects.filter(process=process)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("field")],
                order_by=[F("assessed_on").desc(), F("created_at").desc()],
            )
        )
        .filter(rank__lte=per_field)
        .values_list("field", "assessed_on", "score")
    )
    return sorted(ranked, key=lambda row: (row[1], row[0]))


def organisation_process_for_chart(*, user, process_id) -> Process:
    return process_get_for_user(
        user=user,
        process_id=process_id,
        queryset=processes_for_user(user=user).select_related(
            "subject", "subject__kind", "subject__state", "lead"
        ),
    )


# --- Attention lists ----------------------------------------------------------------


class DaysBefore(Func):
    """`day - n days` where n is a column (portable: PostgreSQL and SQLite)."""

    arity = 2
    output_field = models.DateField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '-' || ",
            **extra_context,
        )


ATTENTION_NO_SESSION = "no-session"
ATTENTION_OVERDUE = "overdue"
ATTENTION_UNASSESSED = "unassessed"
ATTENTION_LISTS = (ATTENTION_NO_SESSION, ATTENTION_OVERDUE, ATTENTION_UNASSESSED)


def one_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _attention_conditions(*, today: dt.date) -> dict[str, Q]:
    frequency_ago = DaysBefore(Value(today, output_field=models.DateField()), F("frequency_days"))
    return {
        # Longer without a session than the agreed frequency (or never, once that long open).
        ATTENTION_NO_SESSION: Q(last_session_on__lt=frequency_ago)
        | Q(last_session_on__isnull=True, opened_on__lt=frequency_ago),
        ATTENTION_OVERDUE: Q(next_follow_up__lt=today),
        # `last_assessed_on` is kept by the assessment service: no scan of the assessments.
        ATTENTION_UNASSESSED: Q(
            opened_on__lt=one_year_before(today), last_assessed_on__isnull=True
        ),
    }


_ATTENTION_ORDER = {
    ATTENTION_NO_SESSION: ("last_session_on", "opened_on", "pk"),
    ATTENTION_OVERDUE: ("next_follow_up", "pk"),
    ATTENTION_UNASSESSED: ("opened_on", "pk"),
}


def _running_processes_for(*, user) -> QuerySet[Process]:
    return (
        processes_for_user(user=user).filter(is_archived=False).exclude(status=ProcessStatus.CLOSED)
    )


def attention_counts(*, user, today: dt.date) -> dict[str, int]:
    """How many of the user's running processes are on each attention list.

    One query, kept (aluna/core/pagination.py) per user, roles and day until a process
    or a team changes: the tabs' numbers, not the rows, which are always read fresh.
    """
    roles = ",".join(sorted(user.role_codes))
    key = f"attention:{user.pk}:{roles}:{today.isoformat()}"
    return kept(key, lambda: _attention_counts(user=user, today=today))


def _attention_counts(*, user, today: dt.date) -> dict[str, int]:
    conditions = _attention_conditions(today=today)
    totals = _running_processes_for(user=user).aggregate(
        **{
            key.replace("-", "_"): Count("pk", filter=condition)
            for key, condition in conditions.items()
        }
    )
    return {key: totals[key.replace("-", "_")] or 0 for key in conditions}


def attention_list(*, user, today: dt.date, which: str) -> QuerySet[Process]:
    """The user's running processes on one attention list, most urgent first."""
    condition = _attention_conditions(today=today)[which]
    return _running_processes_for(user=user).filter(condition).order_by(*_ATTENTION_ORDER[which])


def attention_page(*, user, today: dt.date, which: str, number, per_page: int, total: int):
    """One page of an attention list.

    The page's ids are sorted on the process table alone, then only those rows
    are loaded with their subject and lead: joining first made PostgreSQL hash
    10,000 subjects to show 25. `total` comes from `attention_counts`, so no
    second COUNT runs.
    """
    paginator = Paginator(
        attention_list(user=user, today=today, which=which).values_list("pk", flat=True),
        per_page,
    )
    paginator.count = total
    page = paginator.get_page(number)
    ids = list(page.object_list)
    loaded = (
        Process.objects.select_related("subject", "subject__kind", "lead")
        # Never shown here, and each would be decrypted for every row.
        .defer(*(f"subject__{name}" for name in SUBJECT_ENCRYPTED_FIELDS))
        .defer("status_reason", "closing_summary")
        .in_bulk(ids)
    )
    page.object_list = [loaded[pk] for pk in ids]
    return page


def sessions_due_for_user(*, user, today: dt.date) -> QuerySet[Process]:
    """Running processes on the user's own teams whose follow-up is due by `today`:
    the sessions to record, the most overdue first, with the subject's alias."""
    return (
        _running_processes_for(user=user)
        .filter(team=user, next_follow_up__lte=today)
        .select_related("subject")
        .only("id", "kind", "next_follow_up", "subject__id", "subject__alias")
        .order_by("next_follow_up", "pk")
    )
