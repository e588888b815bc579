"""Reads for the political-subject pages, always scoped to the user."""

import re

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.lookups import IContains
from django.http import Http404

from aluna.encryption.blind_index import blind_index_filter

from ..models import (
    INDIVIDUAL_KIND_CODE,
    FieldAssessment,
    Membership,
    Objective,
    PoliticalSubject,
    Process,
    ProcessStatus,
    Session,
)
from .access import processes_for_user, subject_get_for_user, subjects_for_user

OPEN_STATUSES = (ProcessStatus.OPEN, ProcessStatus.ACTIVE, ProcessStatus.PAUSED)
NAME_SEARCH_LIMIT = 500
PICKER_LIMIT = 10
PICKER_QUERY_MAX_LENGTH = 80
_NOT_LETTERS = re.compile(r"[\W\d_]+")

SORTS = {
    "alias": ("alias", "id"),
    "recent": ("-created_at", "id"),
}


def subjects_for_list_page(
    *,
    user,
    alias: str = "",
    kind=None,
    area=None,
    state=None,
    archived: str = "",
    sort: str = "alias",
    ids: list | None = None,
) -> QuerySet[PoliticalSubject]:
    """The discreet subject list: alias, initials, kind and state (never the name)."""
    queryset = subjects_for_user(user=user).select_related("kind", "state")
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    if alias:
        queryset = queryset.filter(alias__icontains=alias)
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    if area is not None:
        queryset = queryset.filter(areas=area)
    if state is not None:
        queryset = queryset.filter(state=state)
    if archived == "yes":
        queryset = queryset.filter(is_archived=True)
    elif archived != "all":
        queryset = queryset.filter(is_archived=False)
    # The name is never selected for a list: it stays encrypted in the row.
    queryset = queryset.defer(
        "name",
        "municipality",
        "contact",
        "indigenous_people",
        "indigenous_language",
        "other_factors",
    )
    return queryset.order_by(*SORTS.get(sort, SORTS["alias"]))


def open_process_counts(*, user, subject_ids: list) -> dict:
    """{subject id: number of processes not closed} for one page of the list."""
    rows = (
        processes_for_user(user=user)
        .filter(subject_id__in=subject_ids, status__in=OPEN_STATUSES, is_archived=False)
        .values("subject_id")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    return {row["subject_id"]: row["n"] for row in rows}


def subject_list_rows(*, user, page) -> list[tuple[PoliticalSubject, int]]:
    """(subject, open processes the user may see) for one page of the list."""
    counts = open_process_counts(user=user, subject_ids=[subject.pk for subject in page])
    return [(subject, counts.get(subject.pk, 0)) for subject in page]


def subject_ids_matching_name(*, user, query: str, limit: int = NAME_SEARCH_LIMIT) -> list:
    """Ids of the subjects in the user's scope whose name has every word of `query`."""
    queryset = blind_index_filter(subjects_for_user(user=user), field="name", query=query)
    return list(queryset.order_by("alias").values_list("pk", flat=True)[:limit])


def subject_get_for_detail_page(*, user, subject_id) -> PoliticalSubject:
    queryset = (
        subjects_for_user(user=user)
        .select_related("kind", "state", "created_by")
        .prefetch_related("areas")
    )
    return subject_get_for_user(user=user, subject_id=subject_id, queryset=queryset)


def subject_get_for_edit(*, user, subject_id) -> PoliticalSubject:
    queryset = (
        subjects_for_user(user=user).select_related("kind", "state").prefetch_related("areas")
    )
    return subject_get_for_user(user=user, subject_id=subject_id, queryset=queryset)


def subject_memberships_for_detail_page(*, user, subject: PoliticalSubject) -> dict:
    """The collectives the subject belongs to, and its members, within the user's scope."""
    scope = subjects_for_user(user=user).values("pk")
    as_member = (
        Membership.objects.filter(defender=subject, collective__in=scope)
        .select_related("collective", "collective__kind")
        .order_by("end_date", "-start_date")
    )
    as_collective = (
        Membership.objects.filter(collective=subject, defender__in=scope)
        .select_related("defender", "defender__kind")
        .order_by("end_date", "-start_date")
    )
    return {"as_member": list(as_member), "as_collective": list(as_collective)}


def subject_processes_for_detail_page(*, user, subject: PoliticalSubject) -> list[Process]:
    """The subject's processes the user may open, newest first, with their lead."""
    return list(
        processes_for_user(user=user)
        .filter(subject=subject)
        .select_related("lead")
        .order_by("-opened_on")
    )


def subject_collective_choices(*, user, defender: PoliticalSubject) -> QuerySet[PoliticalSubject]:
    """Collectives in the user's scope a defender may join."""
    return (
        subjects_for_user(user=user)
        .exclude(kind__code=INDIVIDUAL_KIND_CODE)
        .exclude(pk=defender.pk)
        .filter(is_archived=False)
        .select_related("kind")
        .order_by("alias")
    )


def membership_get_for_user(*, user, membership_id) -> Membership:
    scope = subjects_for_user(user=user).values("pk")
    try:
        return (
            Membership.objects.filter(Q(defender__in=scope) | Q(collective__in=scope))
            .select_related("defender", "collective")
            .get(pk=membership_id)
        )
    except (Membership.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def subject_file_for_pdf(*, subject: PoliticalSubject) -> list[Process]:
    """Every process of the subject with its objectives, assessments and sessions.

    The complete file, for the subject's own request: not paginated on purpose.
    """
    processes = list(
        Process.objects.filter(subject=subject)
        .select_related("lead")
        .prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.order_by("field", "created_at")),
            Prefetch(
                "assessments",
                queryset=FieldAssessment.objects.order_by("field", "-assessed_on"),
            ),
            Prefetch("sessions", queryset=Session.objects.order_by("started_at")),
        )
        .order_by("opened_on")
    )
    for process in processes:
        latest = {}
        for assessment in process.assessments.all():
            latest.setdefault(assessment.field, assessment)
        process.latest_assessments = list(latest.values())
    return processes


class _ILikeContains(IContains):
    """`icontains` that PostgreSQL answers from the trigram index on the column:
    `alias ILIKE '%…%'`. Django's own writes UPPER(alias::text) LIKE UPPER(…), which
    that index cannot serve and which upper-cases every row (15-25 ms at 10,000
    subjects, against well under a millisecond). Other databases: plain icontains."""

    def as_sql(self, compiler, connection):
        return compiler.compile(IContains(self.lhs, self.rhs))

    def as_postgresql(self, compiler, connection):
        lhs_sql, lhs_params = compiler.compile(self.lhs)
        pattern = f"%{connection.ops.prep_for_like_query(self.rhs)}%"
        return f"{lhs_sql} ILIKE %s", (*lhs_params, pattern)


def picker_label(subject) -> str:
    """What a picker shows of a subject: "Radio Norte (M.L.)", the alias and, when
    known, the initials (never the name)."""
    return f"{subject.alias} ({subject.initials})" if subject.initials else subject.alias


def _initials_prefix(query: str) -> str:
    """ "M.L." or "ML" -> "M.L." (how initials are stored); "" when `query` does not
    look like initials: dots, or two or three capitals."""
    letters = _NOT_LETTERS.sub("", query)
    looks_like_initials = "." in query or (query.isupper() and query == letters)
    if not looks_like_initials or not 1 <= len(letters) <= 3:
        return ""
    return "".join(f"{letter.upper()}." for letter in letters)


def subject_picker_matches(
    *, user, query: str, limit: int = PICKER_LIMIT, collectives_only: bool = False
) -> tuple[list[PoliticalSubject], bool]:
    """The type-ahead of the subject pickers: live subjects in the user's scope whose
    working alias contains `query`, or whose initials start with it ("M.L.", "ML").
    An exact alias first, then by alias. At most `limit`, and whether more match;
    `collectives_only` leaves out individual defenders (memberships).
    Reads id, alias and initials only (the name stays encrypted in the row); the
    indexes of migration 0007 serve both conditions."""
    query = " ".join((query or "").split())[:PICKER_QUERY_MAX_LENGTH]
    if not query:
        return [], False
    condition = Q(_ILikeContains(F("alias"), query))
    initials = _initials_prefix(query)
    if initials:
        condition |= Q(initials__startswith=initials)
    scope = subjects_for_user(user=user)
    if collectives_only:
        scope = scope.exclude(kind__code=INDIVIDUAL_KIND_CODE)
    rows = list(
        scope.filter(condition, is_archived=False)
        .annotate(
            exact=Case(
                When(alias__iexact=query, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .only("id", "alias", "initials")
        .order_by("exact", "alias", "pk")[: limit + 1]
    )
    return rows[:limit], len(rows) > limit
