"""Reads for the process pages. Every record comes through the user's scope (404 otherwise)."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from aluna.core.roles import Role

from ..models import FieldAssessment, Objective, ObjectiveStatus, Process, PsychosocialField
from .access import in_process_scope, process_get_for_user, processes_for_user

User = get_user_model()


def process_is_read_only(process: Process) -> bool:
    """Closed and archived processes are kept as they are: no edit, objective,
    assessment or session changes."""
    return process.is_read_only


def staff_for_team_choices() -> QuerySet:
    """Who can lead or join a process team: active users with the accompaniment role."""
    return (
        User.objects.filter(is_active=True, groups__name=str(Role.ACCOMPANIMENT))
        .distinct()
        .order_by("full_name", "email")
    )


def process_get_for_detail_page(*, user, process_id) -> Process:
    """The process with its subject, lead and team, for the header of the detail page."""
    queryset = (
        processes_for_user(user=user)
        .select_related("subject", "lead")
        .prefetch_related(Prefetch("team", queryset=User.objects.order_by("full_name", "email")))
    )
    return process_get_for_user(user=user, process_id=process_id, queryset=queryset)


def process_get_for_edit(*, user, process_id) -> Process:
    queryset = processes_for_user(user=user).select_related("subject", "lead")
    return process_get_for_user(user=user, process_id=process_id, queryset=queryset)


def objective_get_for_user(*, user, objective_id) -> Objective:
    """The objective, if its process is in the user's scope; 404 otherwise."""
    queryset = in_process_scope(Objective.objects.select_related("process__subject"), user=user)
    try:
        return queryset.get(pk=objective_id)
    except (Objective.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def assessment_get_for_user(*, user, assessment_id) -> FieldAssessment:
    """The assessment, if its process is in the user's scope; 404 otherwise."""
    queryset = in_process_scope(
        FieldAssessment.objects.select_related("process__subject"), user=user
    )
    try:
        return queryset.get(pk=assessment_id)
    except (FieldAssessment.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@dataclass
class FieldOverview:
    """One of the four fields of a process, as the detail page shows it."""

    code: str
    label: str
    objectives: list = field(default_factory=list)
    latest: FieldAssessment | None = None
    previous: FieldAssessment | None = None

    @property
    def trend(self) -> int | None:
        """+1 better, -1 worse, 0 same, None when there is nothing to compare."""
        if self.latest is None or self.previous is None:
            return None
        return (self.latest.score > self.previous.score) - (self.latest.score < self.previous.score)

    @property
    def objectives_met(self) -> int:
        return sum(1 for objective in self.objectives if objective.status == ObjectiveStatus.MET)


def process_fields_overview(*, process: Process) -> list[FieldOverview]:
    """The four fields side by side: their objectives and latest two assessments.

    One query for the objectives and one indexed, two-row query per field for the
    assessments (process, field, -assessed_on): constant however long the history.
    """
    overview = {
        code: FieldOverview(code=code, label=label) for code, label in PsychosocialField.choices
    }
    for objective in Objective.objects.filter(process=process).order_by("field", "created_at"):
        overview[objective.field].objectives.append(objective)
    for code, item in overview.items():
        latest_two = list(
            FieldAssessment.objects.filter(process=process, field=code)
            .order_by("-assessed_on", "-created_at")
            .only("id", "process_id", "field", "assessed_on", "score", "version")[:2]
        )
        item.latest = latest_two[0] if latest_two else None
        item.previous = latest_two[1] if len(latest_two) > 1 else None
    return list(overview.values())
