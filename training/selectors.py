"""Reads, scoped to the user: coordinación sees every cohort; a trainer sees the
cohorts they facilitate. "Not yours" and "missing" are the same 404."""

import datetime as dt

from django.db.models import Avg, Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from aluna.accounts.roles import Role

from .models import (
    ATTENDED,
    Answer,
    Attendance,
    AttendanceStatus,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    FollowUp,
    Practice,
    Programme,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireKind,
    TrainingSession,
)
from .schedule import follow_up_months, months_after


def cohorts_for_user(*, user) -> QuerySet[Cohort]:
    qs = Cohort.objects.all()
    if user.has_role(Role.COORDINATION):
        return qs
    if user.has_role(Role.TRAINING):
        return qs.filter(facilitators=user)
    return qs.none()


def cohort_get_for_user(*, user, cohort_id) -> Cohort:
    return get_object_or_404(cohorts_for_user(user=user).select_related("programme"), pk=cohort_id)


def cohort_list_for_home(*, user) -> QuerySet[Cohort]:
    """Per-cohort figures as correlated subqueries: joining enrolments and sessions
    at once would multiply rows (30 people x 10 sessions per cohort)."""
    today = timezone.localdate()
    enrolled = (
        Enrolment.objects.filter(cohort=OuterRef("pk"))
        .exclude(status=EnrolmentStatus.DROPPED)
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    next_session = (
        TrainingSession.objects.filter(cohort=OuterRef("pk"), date__gte=today)
        .order_by("date")
        .values("date")[:1]
    )
    return (
        cohorts_for_user(user=user)
        .select_related("programme", "state")
        .annotate(
            enrolled=Coalesce(Subquery(enrolled), 0),
            next_session=Subquery(next_session),
        )
        .order_by("-starts_on", "name")
    )


def programmes_for_user(*, user) -> QuerySet[Programme]:
    return Programme.objects.annotate(cohort_count=Count("cohorts")).order_by("name")


def programme_get(*, programme_id) -> Programme:
    return get_object_or_404(Programme, pk=programme_id)


def session_get_for_user(*, user, session_id) -> TrainingSession:
    return get_object_or_404(
        TrainingSession.objects.select_related("cohort__programme", "facilitator").filter(
            cohort__in=cohorts_for_user(user=user)
        ),
        pk=session_id,
    )


def enrolment_get_for_user(*, user, enrolment_id) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.select_related(
            "cohort__programme", "participant__subject", "participant__state"
        ).filter(cohort__in=cohorts_for_user(user=user)),
        pk=enrolment_id,
    )


def held_session_count(*, cohort, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return cohort.sessions.filter(date__lte=today).count()


def enrolments_with_rates(*, cohort, today: dt.date | None = None):
    """The cohort's enrolments with `attended` and `rate` (percent of sessions held)."""
    today = today or timezone.localdate()
    held = held_session_count(cohort=cohort, today=today)
    enrolments = list(
        cohort.enrolments.select_related("participant__subject", "participant__state")
        .select_related("certificate")
        .annotate(
            # A correlated count per row uses the (enrolment, status) index; a join
            # and GROUP BY over the cohort's marks does not.
            attended=Coalesce(
                Subquery(
                    Attendance.objects.filter(
                        enrolment=OuterRef("pk"), status__in=ATTENDED, session__date__lte=today
                    )
                    .order_by()
                    .values("enrolment")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("created_at")
    )
    exit_done = set(
        cohort.enrolments.filter(responses__questionnaire__kind=QuestionnaireKind.EXIT).values_list(
            "pk", flat=True
        )
    )
    for enrolment in enrolments:
        enrolment.rate = round(100 * enrolment.attended / held) if held else None
        enrolment.exit_done = enrolment.pk in exit_done
        enrolment.has_certificate = _has_certificate(enrolment)
    return enrolments, held


def _has_certificate(enrolment) -> bool:
    try:
        return enrolment.certificate is not None
    except Enrolment.certificate.RelatedObjectDoesNotExist:
        return False


def sessions_with_rates(*, cohort):
    active = cohort.enrolments.exclude(status=EnrolmentStatus.DROPPED).count()
    sessions = list(
        cohort.sessions.select_related("facilitator")
        .annotate(attended=Count("attendances", filter=Q(attendances__status__in=ATTENDED)))
        .order_by("date")
    )
    for session in sessions:
        session.rate = round(100 * session.attended / active) if active else None
    return sessions


def attendance_sheet(*, session):
    """Rows for the attendance page: every enrolment with its mark (or None), as
    plain dicts so the page renders fast (one row template per person)."""
    marks = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
    enrolments = session.cohort.enrolments.select_related("participant__subject").order_by(
        "created_at"
    )
    return [attendance_row(enrolment=e, mark=marks.get(e.pk)) for e in enrolments]


def attendance_row(*, enrolment, mark, conflict=False, saved=False) -> dict:
    pk = str(enrolment.pk)
    current = mark.status if mark else None
    return {
        "id": pk,
        "name": enrolment.participant.display_name,
        "version": mark.version if mark else 0,
        "mark": mark,
        "conflict": conflict,
        "saved": saved,
        "options": [
            {
                "value": value,
                "label": label,
                "checked": value == current,
                "input_id": f"m-{pk}-{value}",
            }
            for value, label in AttendanceStatus.choices
        ],
    }


def questionnaire_for(*, programme, kind) -> Questionnaire | None:
    return (
        Questionnaire.objects.filter(programme=programme, kind=kind)
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("position")))
        .first()
    )


def evaluation_report(*, cohort):
    """Mean score per Likert item at entry and exit (matched by key), and the mean
    satisfaction per session."""
    means = {}
    rows = (
        Answer.objects.filter(
            response__enrolment__cohort=cohort,
            question__kind=QuestionKind.LIKERT,
            response__questionnaire__kind__in=[QuestionnaireKind.ENTRY, QuestionnaireKind.EXIT],
        )
        .values("question__key", "question__text", "response__questionnaire__kind")
        .annotate(mean=Avg("score"))
    )
    for row in rows:
        item = means.setdefault(row["question__key"], {"text": row["question__text"]})
        item[row["response__questionnaire__kind"]] = row["mean"]
    items = []
    for key, item in means.items():
        entry, exit_ = item.get("entry"), item.get("exit")
        change = exit_ - entry if entry is not None and exit_ is not None else None
        items.append(
            {"key": key, "text": item["text"], "entry": entry, "exit": exit_, "change": change}
        )
    items.sort(key=lambda i: i["key"])
    trend = list(
        TrainingSession.objects.filter(cohort=cohort)
        .annotate(
            mean=Avg(
                "responses__answers__score",
                filter=Q(
                    responses__questionnaire__kind=QuestionnaireKind.SATISFACTION,
                    responses__answers__question__kind=QuestionKind.LIKERT,
                ),
            )
        )
        .filter(mean__isnull=False)
        .order_by("date")
        .values("date", "topic", "mean")
    )
    return items, trend


def follow_up_report(*, cohort):
    graduates = cohort.enrolments.filter(status=EnrolmentStatus.GRADUATED).count()
    follow_ups = list(FollowUp.objects.filter(enrolment__cohort=cohort))
    reached = {f.enrolment_id for f in follow_ups if f.reached}
    latest: dict = {}
    for f in sorted(follow_ups, key=lambda f: f.months_after):
        if f.reached:
            latest[f.enrolment_id] = f
    adoption = []
    for value, label in Practice.choices:
        count = sum(1 for f in latest.values() if value in f.practices)
        adoption.append(
            {
                "label": label,
                "count": count,
                "rate": round(100 * count / len(latest)) if latest else 0,
            }
        )
    return {
        "graduates": graduates,
        "reached": len(reached),
        "reached_rate": round(100 * len(reached) / graduates) if graduates else 0,
        "adoption": adoption,
    }


def pending_follow_ups(*, user, today: dt.date | None = None):
    """Graduates of the user's cohorts whose latest due +N-month contact is not recorded.

    One query: graduates and follow-ups per milestone are counted in the database.
    """
    today = today or timezone.localdate()
    months_list = follow_up_months()
    if not months_list:
        return []
    earliest = months_after(today, -max(months_list) - 12)

    def count_of(qs):
        return Coalesce(
            Subquery(qs.order_by().values("cohort").annotate(n=Count("pk")).values("n")), 0
        )

    graduates = Enrolment.objects.filter(cohort=OuterRef("pk"), status=EnrolmentStatus.GRADUATED)
    annotations = {"graduates": count_of(graduates)}
    for months in months_list:
        annotations[f"done_{months}"] = Coalesce(
            Subquery(
                FollowUp.objects.filter(enrolment__cohort=OuterRef("pk"), months_after=months)
                .order_by()
                .values("enrolment__cohort")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )
    cohorts = (
        cohorts_for_user(user=user)
        .filter(ends_on__lt=today, ends_on__gte=earliest)
        .annotate(**annotations)
        .order_by("-ends_on")[:50]
    )
    pending = []
    for cohort in cohorts:
        due = [m for m in months_list if months_after(cohort.ends_on, m) <= today]
        if not due:
            continue
        months = max(due)
        missing = cohort.graduates - getattr(cohort, f"done_{months}")
        if missing > 0:
            pending.append({"cohort": cohort, "months": months, "pending": missing})
    return pending
