"""Reads for crisis response, scoped to the user through the processes they may see."""

from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from accompaniment.models import RISK_ORDER, PoliticalSubject
from accompaniment.selectors.access import (
    in_process_scope,
    subjects_for_user,
)
from aluna.core.roles import Role

from ..models import (
    Aggression,
    CrisisAlert,
    CrisisFollowUp,
    CrisisIntervention,
    CrisisStatus,
)

User = get_user_model()

SUBJECT_MATCH_LIMIT = 10


def crises_for_user(*, user) -> QuerySet[CrisisIntervention]:
    if user.has_role(Role.COORDINATION):
        return CrisisIntervention.objects.all()
    return in_process_scope(CrisisIntervention.objects.all(), user=user)


def crisis_get_for_user(*, user, crisis_id, queryset=None) -> CrisisIntervention:
    """The intervention, if `user` may see its process; 404 for missing and not yours."""
    queryset = queryset if queryset is not None else crises_for_user(user=user)
    try:
        return queryset.get(pk=crisis_id)
    except (CrisisIntervention.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def crisis_get_for_detail_page(*, user, crisis_id) -> CrisisIntervention:
    queryset = (
        crises_for_user(user=user)
        .select_related("process__subject", "process__lead", "recorded_by", "aggression")
        .prefetch_related(
            "responders",
            "aggression__types",
            Prefetch(
                "alerts",
                queryset=CrisisAlert.objects.select_related(
                    "recipient", "acknowledged_by"
                ).order_by("escalation_step", "sent_at"),
            ),
            Prefetch("follow_ups", queryset=CrisisFollowUp.objects.select_related("done_by")),
        )
    )
    return crisis_get_for_user(user=user, crisis_id=crisis_id, queryset=queryset)


def crisis_get_for_edit_page(*, user, crisis_id) -> CrisisIntervention:
    queryset = crises_for_user(user=user).select_related("process__subject")
    return crisis_get_for_user(user=user, crisis_id=crisis_id, queryset=queryset)


def follow_up_get_for_user(*, user, follow_up_id) -> CrisisFollowUp:
    queryset = CrisisFollowUp.objects.filter(
        intervention__in=crises_for_user(user=user)
    ).select_related("intervention")
    try:
        return queryset.get(pk=follow_up_id)
    except (CrisisFollowUp.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def follow_ups_due_for_user(*, user, until) -> QuerySet[CrisisFollowUp]:
    """Pending follow-ups of the user's open crises due by the end of `until`'s day
    (local time), the most overdue first, with the crisis and its subject's alias."""
    end_of_day = timezone.localtime(until).replace(hour=23, minute=59, second=59)
    return (
        CrisisFollowUp.objects.filter(
            intervention__in=crises_for_user(user=user).filter(status=CrisisStatus.OPEN),
            done_at__isnull=True,
            due_at__lte=end_of_day,
        )
        .select_related("intervention__process__subject")
        .only(
            "id",
            "due_at",
            "intervention__id",
            "intervention__risk_level",
            "intervention__process__id",
            "intervention__process__subject__id",
            "intervention__process__subject__alias",
        )
        .order_by("due_at", "pk")
    )


def crisis_board_for_user(*, user) -> QuerySet[CrisisIntervention]:
    """Open crises, most at risk first, then the longest without contact first,
    with who is on each (aliases only)."""
    risk_rank = Case(
        *(When(risk_level=level, then=Value(rank)) for level, rank in RISK_ORDER.items()),
        default=Value(len(RISK_ORDER)),
        output_field=IntegerField(),
    )
    return (
        crises_for_user(user=user)
        .filter(status=CrisisStatus.OPEN)
        .annotate(risk_rank=risk_rank)
        .select_related("process__subject")
        .prefetch_related(
            Prefetch("responders", queryset=User.objects.only("id", "full_name", "email"))
        )
        .only(
            "id",
            "risk_level",
            "channel",
            "contacted_at",
            "last_contact_at",
            "status",
            "process__id",
            "process__subject__id",
            "process__subject__alias",
        )
        .order_by("risk_rank", "last_contact_at", "pk")
    )


def subject_matches_for_crisis(*, user, query: str) -> list[PoliticalSubject]:
    """Subjects in the user's scope whose alias contains `query` (an exact alias first):
    at most SUBJECT_MATCH_LIMIT + 1, so the caller can tell there are more."""
    query = (query or "").strip()
    if not query:
        return []
    scope = subjects_for_user(user=user).filter(is_archived=False)
    exact = list(scope.filter(alias__iexact=query)[:2])
    if len(exact) == 1:
        return exact
    matches = scope.filter(alias__icontains=query).order_by("alias", "pk")
    return list(matches[: SUBJECT_MATCH_LIMIT + 1])


def crises_to_confirm_for_author(*, user) -> list[CrisisIntervention]:
    """The user's own crises sent with an alias nobody could resolve on arrival."""
    return list(
        CrisisIntervention.objects.filter(recorded_by=user, subject_to_confirm=True)
        .select_related("process__subject")
        .only("id", "contacted_at", "risk_level", "process__id", "process__subject__alias")
        .order_by("-contacted_at")
    )


def crisis_to_confirm_get_for_author(*, user, crisis_id) -> CrisisIntervention:
    """A crisis whose subject its author still has to confirm; 404 for anyone else."""
    queryset = crises_for_user(user=user).filter(recorded_by=user, subject_to_confirm=True)
    return crisis_get_for_user(
        user=user, crisis_id=crisis_id, queryset=queryset.select_related("process__subject")
    )


def crisis_subject_candidates(*, user, crisis) -> list[PoliticalSubject]:
    """The user's cases the text typed for `crisis` may mean (not its provisional subject):
    those whose alias contains it or any of its words of three letters or more."""
    provisional = crisis.process.subject
    typed = provisional.name  # what was typed on the phone, kept encrypted
    words = {typed, *(w for w in typed.split() if len(w) >= 3)}
    matches = Q()
    for word in words:
        matches |= Q(alias__icontains=word)
    scope = subjects_for_user(user=user).filter(is_archived=False).exclude(pk=provisional.pk)
    return list(scope.filter(matches).order_by("alias")[:SUBJECT_MATCH_LIMIT])


def aggressions_of_subject(*, subject) -> QuerySet[Aggression]:
    return Aggression.objects.filter(subjects=subject).order_by("-occurred_at")
