"""Reads, scoped to the user: coordinación sees every cohort; a trainer sees the
cohorts they facilitate. "Not yours" and "missing" are the same 404."""

import datetime as dt

from django.db.models import Avg, Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from aluna.core.roles import Role

from .models import (
    ATTENDED,
    Answer,
    Attendance,
    AttendanceStatus,
    Certificate,
    CertificateBatch,
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


def _is_training_staff(user) -> bool:
    return user.has_role(Role.COORDINATION) or user.has_role(Role.TRAINING)


# --- Cohorts ----------------------------------------------------------------------------------


def cohorts_for_user(*, user) -> QuerySet[Cohort]:
    qs = Cohort.objects.all()
    if user.has_role(Role.COORDINATION):
        return qs
    if user.has_role(Role.TRAINING):
        return qs.filter(facilitators=user)
    return qs.none()


def cohort_get_for_user(*, user, cohort_id) -> Cohort:
    return get_object_or_404(cohorts_for_user(user=user).select_related("programme"), pk=cohort_id)


def cohort_is_visible_to(*, user, cohort) -> bool:
    """Whether `user` may open `cohort`: a trainer may create a cohort others facilitate."""
    return cohorts_for_user(user=user).filter(pk=cohort.pk).exists()


def cohort_detail_for_user(*, user, cohort_id) -> dict:
    """The cohort page: the cohort with its facilitators, and its enrolments and
    sessions with their attendance rates."""
    cohort = get_object_or_404(
        cohorts_for_user(user=user)
        .select_related("programme", "state")
        .prefetch_related("facilitators"),
        pk=cohort_id,
    )
    enrolments, held = enrolments_with_rates(cohort=cohort)
    return {
        "cohort": cohort,
        "enrolments": enrolments,
        "held": held,
        "sessions": sessions_with_rates(cohort=cohort),
        "facilitators": list(cohort.facilitators.all()),
    }


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


# --- Programmes -------------------------------------------------------------------------------


def _programmes_visible_to(user) -> QuerySet[Programme]:
    """The whole training team (and coordinación) shares the programmes."""
    return Programme.objects.all() if _is_training_staff(user) else Programme.objects.none()


def programmes_for_user(*, user) -> QuerySet[Programme]:
    return _programmes_visible_to(user).annotate(cohort_count=Count("cohorts")).order_by("name")


def programme_get_for_user(*, user, programme_id) -> Programme:
    return get_object_or_404(_programmes_visible_to(user), pk=programme_id)


def programme_detail_for_user(*, user, programme_id) -> dict:
    """The programme page: the programme, the user's cohorts of it (the 50 latest) and
    its questionnaires with their questions."""
    programme = programme_get_for_user(user=user, programme_id=programme_id)
    return {
        "programme": programme,
        "cohorts": list(cohorts_for_user(user=user).filter(programme=programme)[:50]),
        "questionnaires": list(
            programme.questionnaires.prefetch_related("questions").order_by("kind")
        ),
    }


# --- Sessions, enrolments and attendance -----------------------------------------------------


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


def attendance_enrolment_get(*, session, enrolment_id) -> Enrolment:
    """One participant of the session's cohort, to mark; 404 for anyone else."""
    return get_object_or_404(
        session.cohort.enrolments.select_related("participant__subject"), pk=enrolment_id
    )


# Each state its own icon (and colour: .attendance-<state> in static/css/aluna.css).
ATTENDANCE_ICONS = {
    "present": "check-circle-fill",
    "absent": "x-circle-fill",
    "excused": "file-earmark-check",
    "late": "clock-fill",
}


def attendance_counts(rows: list[dict]) -> list[dict]:
    """How many people are in each state (as saved), and how many are not marked yet."""
    saved = [row["mark"].status for row in rows if row["mark"] is not None]
    return [
        {
            "value": value,
            "label": label,
            "icon": ATTENDANCE_ICONS[value],
            "count": saved.count(value),
        }
        for value, label in AttendanceStatus.choices
    ] + [{"value": "", "label": _("Not marked"), "icon": "circle", "count": len(rows) - len(saved)}]


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
                "icon": ATTENDANCE_ICONS[value],
            }
            for value, label in AttendanceStatus.choices
        ],
    }


# --- Evaluations ------------------------------------------------------------------------------


def questionnaire_for(*, programme, kind) -> Questionnaire | None:
    return (
        Questionnaire.objects.filter(programme=programme, kind=kind)
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("position")))
        .first()
    )


def questionnaire_for_cohort(*, cohort, kind: str) -> Questionnaire | None:
    """The questionnaire the answers page of `cohort` records (None: not defined yet);
    404 for a kind that does not exist."""
    if kind not in QuestionnaireKind.values:
        raise Http404
    return questionnaire_for(programme=cohort.programme, kind=kind)


def respondents_of(*, cohort) -> QuerySet[Enrolment]:
    """Who may answer a questionnaire: the cohort's participants who did not drop out."""
    return (
        cohort.enrolments.select_related("participant__subject")
        .exclude(status=EnrolmentStatus.DROPPED)
        .order_by("created_at")
    )


def sessions_to_rate(*, cohort, kind: str) -> QuerySet[TrainingSession] | None:
    """The sessions a satisfaction questionnaire asks about; None for entry and exit."""
    return cohort.sessions.all() if kind == QuestionnaireKind.SATISFACTION else None


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


# --- Certificates -----------------------------------------------------------------------------


def certificate_get_for_user(*, user, enrolment_id) -> Certificate:
    """The certificate of an enrolment in one of the user's cohorts, with what its PDF
    shows; 404 when the enrolment is not theirs or has no certificate."""
    return get_object_or_404(
        Certificate.objects.select_related(
            "enrolment__cohort__programme", "enrolment__participant__subject"
        ).filter(enrolment__cohort__in=cohorts_for_user(user=user)),
        enrolment_id=enrolment_id,
    )


def certificate_batch_get_for_user(*, user, batch_id) -> CertificateBatch:
    return get_object_or_404(
        CertificateBatch.objects.select_related("cohort").filter(
            cohort__in=cohorts_for_user(user=user)
        ),
        pk=batch_id,
    )


def certificate_for_verification(*, code: str) -> Certificate | None:
    """Public: the certificate a verification code names, with its programme."""
    if not code:
        return None
    return (
        Certificate.objects.select_related("enrolment__cohort__programme").filter(code=code).first()
    )


# --- Follow-up ---------------------------------------------------------------------------------


def graduates_for_follow_up(*, cohort, limit: int = 200) -> list[Enrolment]:
    """The follow-up page's list: the cohort's graduates with the contacts recorded."""
    return list(
        cohort.enrolments.filter(status=EnrolmentStatus.GRADUATED)
        .select_related("participant__subject")
        .prefetch_related("follow_ups")
        .order_by("created_at")[:limit]
    )


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


def sessions_on_day_for_user(*, user, day: dt.date) -> QuerySet[TrainingSession]:
    """The training sessions of the user's cohorts held on `day`, for the home page."""
    return (
        TrainingSession.objects.filter(cohort__in=cohorts_for_user(user=user), date=day)
        .select_related("cohort")
        .only("id", "date", "topic", "cohort__id", "cohort__name")
        .order_by("cohort__name", "pk")
    )
