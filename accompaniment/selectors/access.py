"""Who sees which case records. Records come only through these helpers.

- coordinación sees all of accompaniment;
- acompañamiento sees the subjects and processes whose team it is on (the
  lead is always on the team) and the subjects it created;
- administración, formación and incidencia see no case: the views admit only
  coordinación and acompañamiento (`role_required`) and answer 403 otherwise;
- a record outside the user's scope answers 404 (its existence is not
  revealed), never 403.

Scoping lives in querysets rather than per-object predicates so that lists,
counts and detail pages apply the same rule in SQL.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from aluna.core.roles import Role

from ..models import PoliticalSubject, Process


def processes_for_user(*, user) -> QuerySet[Process]:
    if user.has_role(Role.COORDINATION):
        return Process.objects.all()
    if user.has_role(Role.ACCOMPANIMENT):
        return Process.objects.filter(team=user)
    return Process.objects.none()


def in_process_scope(queryset: QuerySet, *, user) -> QuerySet:
    """The rows of `queryset` (records of a process) whose process the user may see.

    Coordinación sees every process, so its rows need no `process_id IN (SELECT id
    FROM every process)`: PostgreSQL semi-joined 20,000 processes for nothing.
    """
    if user.has_role(Role.COORDINATION):
        return queryset
    return queryset.filter(process__in=processes_for_user(user=user))


def subjects_for_user(*, user) -> QuerySet[PoliticalSubject]:
    if user.has_role(Role.COORDINATION):
        return PoliticalSubject.objects.all()
    if user.has_role(Role.ACCOMPANIMENT):
        # An IN over the user's team rows: PostgreSQL hashes it once, where an
        # OR'ed EXISTS was re-evaluated per subject (380 ms -> 30 ms at 10k subjects).
        on_team = Process.team.through.objects.filter(user_id=user.pk).values("process__subject_id")
        return PoliticalSubject.objects.filter(Q(pk__in=on_team) | Q(created_by=user))
    return PoliticalSubject.objects.none()


def subject_get_for_user(*, user, subject_id, queryset=None) -> PoliticalSubject:
    """The subject, if `user` may see it; 404 for "missing" and "not yours" alike."""
    queryset = queryset if queryset is not None else subjects_for_user(user=user)
    try:
        return queryset.get(pk=subject_id)
    except (PoliticalSubject.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def process_get_for_user(*, user, process_id, queryset=None) -> Process:
    """The process, if `user` may see it; 404 for "missing" and "not yours" alike."""
    queryset = queryset if queryset is not None else processes_for_user(user=user)
    try:
        return queryset.get(pk=process_id)
    except (Process.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
