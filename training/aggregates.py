"""Numbers for the advocacy team's donor reports: counts by category, never a person.

Advocacy imports these (never the reverse). Each function aggregates in the
database (one query each, whatever the number of participants) and returns
`{category: count}`; no name, organisation or answer text leaves this module.
The `*_labels()` functions give the `{code: label}` to show next to those counts.
"""

import datetime as dt

from django.db.models import Avg, Count, F, Q

from aluna.core.aggregates import count_by

from .models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    Enrolment,
    Modality,
    Participant,
    QuestionKind,
    QuestionnaireKind,
)


def cohorts_in_period(*, start: dt.date, end: dt.date):
    """Cohorts running at some point of the period."""
    return Cohort.objects.filter(starts_on__lte=end, ends_on__gte=start)


def cohorts_by_modality(*, start: dt.date, end: dt.date) -> dict:
    return count_by(cohorts_in_period(start=start, end=end), "programme__modality")


def participants_by_gender(*, start: dt.date, end: dt.date) -> dict:
    """Distinct participants enrolled in the period's cohorts, by gender identity."""
    cohorts = cohorts_in_period(start=start, end=end)
    enrolments = Enrolment.objects.filter(cohort__in=cohorts)
    return count_by(enrolments, "participant__gender", distinct_on="participant")


def attendance_by_status(*, start: dt.date, end: dt.date) -> dict:
    """Attendance marks taken at sessions held in the period, by status."""
    return count_by(Attendance.objects.filter(session__date__range=(start, end)), "status")


def entry_to_exit_change(*, start: dt.date, end: dt.date) -> dict:
    """Participants whose mean Likert score rose, held or fell from entry to exit.

    Only enrolments of the period's cohorts that answered both questionnaires
    count. The means per enrolment are computed in a subquery and classified by
    one outer aggregate: `{"rose": n, "held": n, "fell": n}`.
    """
    likert = Q(responses__answers__question__kind=QuestionKind.LIKERT)
    per_enrolment = (
        Enrolment.objects.filter(cohort__in=cohorts_in_period(start=start, end=end))
        .annotate(
            entry=Avg(
                "responses__answers__score",
                filter=likert & Q(responses__questionnaire__kind=QuestionnaireKind.ENTRY),
            ),
            exit=Avg(
                "responses__answers__score",
                filter=likert & Q(responses__questionnaire__kind=QuestionnaireKind.EXIT),
            ),
        )
        .filter(entry__isnull=False, exit__isnull=False)
    )
    return per_enrolment.aggregate(
        rose=Count("pk", filter=Q(exit__gt=F("entry"))),
        held=Count("pk", filter=Q(exit=F("entry"))),
        fell=Count("pk", filter=Q(exit__lt=F("entry"))),
    )


def modality_labels() -> dict:
    return dict(Modality.choices)


def participant_gender_labels() -> dict:
    """The gender identities a participant may record (the hub's list)."""
    return dict(Participant._meta.get_field("gender").flatchoices)


def attendance_status_labels() -> dict:
    return dict(AttendanceStatus.choices)
