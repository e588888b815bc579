"""Writes of training. One user action = one transaction with its audit row."""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accompaniment.models import AgeRange, FederalEntity, GenderIdentity
from aluna.audit.models import AuditAction
from aluna.audit.services import audit_record, audit_target_type
from aluna.core.concurrency import StaleEdit
from aluna.encryption.fields import allocate_pks
from aluna.notifications.services import notification_send
from aluna.outbox.services import outbox_enqueue

from . import imports
from .models import (
    ATTENDED,
    Answer,
    Attendance,
    Certificate,
    CertificateBatch,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    FollowUp,
    FollowUpReminder,
    Participant,
    Programme,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireKind,
    Response,
    TrainingSession,
)
from .schedule import follow_up_months, months_after


def _audit(*, action, actor, obj, request=None, metadata=None):
    audit_record(
        action=action,
        actor=actor,
        target_type=audit_target_type(obj),
        target_id=str(obj.pk),
        request=request,
        metadata=metadata,
    )


# --- Programmes and cohorts ---------------------------------------------------------


@transaction.atomic
def programme_create(*, actor, data: dict, request=None) -> Programme:
    programme = Programme.objects.create(**data)
    _audit(action=AuditAction.CREATE, actor=actor, obj=programme, request=request)
    return programme


@transaction.atomic
def cohort_create(*, actor, programme: Programme, data: dict, request=None) -> Cohort:
    data = dict(data)
    facilitators = data.pop("facilitators")
    cohort = Cohort.objects.create(programme=programme, **data)
    cohort.facilitators.set(facilitators)
    _audit(action=AuditAction.CREATE, actor=actor, obj=cohort, request=request)
    return cohort


# --- Participants and enrolment -----------------------------------------------------


class CohortFull(Exception):
    pass


def _check_capacity(cohort: Cohort, adding: int) -> None:
    taken = cohort.enrolments.exclude(status=EnrolmentStatus.DROPPED).count()
    if taken + adding > cohort.capacity:
        raise CohortFull(
            _("The cohort has room for %(capacity)s participants; %(taken)s places are taken.")
            % {"capacity": cohort.capacity, "taken": taken}
        )


@transaction.atomic
def participant_enrol(*, actor, cohort: Cohort, data: dict, request=None) -> Enrolment:
    """Create the participant (external, or linked to a subject) and enrol them."""
    Cohort.objects.select_for_update().get(pk=cohort.pk)
    _check_capacity(cohort, 1)
    participant = Participant.objects.create(**data)
    enrolment = Enrolment.objects.create(cohort=cohort, participant=participant)
    _audit(action=AuditAction.CREATE, actor=actor, obj=enrolment, request=request)
    return enrolment


@transaction.atomic
def enrolment_set_status(
    *, actor, enrolment: Enrolment, status: str, drop_reason: str = "", request=None
) -> Enrolment:
    enrolment.status = status
    enrolment.drop_reason = drop_reason if status == EnrolmentStatus.DROPPED else ""
    enrolment.save(update_fields=["status", "drop_reason"])
    _audit(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=enrolment,
        request=request,
        metadata={"status": status},
    )
    return enrolment


# --- CSV import -----------------------------------------------------------------------

CSV_MAX_ROWS = 500


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)  # (line number, ok, [messages])
    errors: list = field(default_factory=list)  # file-level messages
    valid: list = field(default_factory=list)  # cleaned dicts
    imported: int = 0  # participants enrolled (0: nothing was imported)

    @property
    def ok(self) -> bool:
        return not self.errors and all(ok for _, ok, _ in self.rows) and bool(self.valid)


def participants_csv_validate(*, raw: bytes) -> ImportReport:
    """Check every line; the report says what is wrong where. Writes nothing."""
    report = ImportReport()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and retry."))
        return report
    if "\x00" in text:
        report.errors.append(_("The file contains NUL characters: it is not a CSV file."))
        return report
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except StopIteration:
        report.errors.append(_("The file is empty."))
        return report
    except csv.Error as error:
        report.errors.append(_("The file could not be read as CSV: %(error)s") % {"error": error})
        return report
    header = _csv_header(header, report)
    if report.errors:
        return report
    states = imports.state_lookup(FederalEntity.objects.all())
    seen = set()
    try:
        lines = list(reader)
    except csv.Error as error:
        report.errors.append(_("The file could not be read as CSV: %(error)s") % {"error": error})
        return report
    if len(lines) > CSV_MAX_ROWS:
        report.errors.append(
            _("The file has %(n)s lines; at most %(max)s can be imported at once.")
            % {"n": len(lines), "max": CSV_MAX_ROWS}
        )
        return report
    for number, values in enumerate(lines, start=2):
        if not any(v.strip() for v in values):
            continue
        problems = []
        if len(values) != len(header):
            problems.append(
                _("Expected %(expected)s values, found %(found)s.")
                % {"expected": len(header), "found": len(values)}
            )
            report.rows.append((number, False, problems))
            continue
        row = {h: v.strip() for h, v in zip(header, values, strict=True) if h}
        name = row.get("name", "")
        if not name:
            problems.append(_("The name is empty."))
        elif len(name) > 200:
            problems.append(_("The name is longer than 200 characters."))
        elif name.lower() in seen:
            problems.append(_("This name appears twice in the file."))
        seen.add(name.lower())
        if len(row.get("organisation", "")) > 200:
            problems.append(_("The organisation is longer than 200 characters."))
        state = None
        if row.get("state"):
            state = states.get(imports.plain(row["state"]))
            if state is None:
                problems.append(_("Unknown state “%(value)s”.") % {"value": row["state"][:60]})
        gender = imports.gender_code(row["gender"]) if row.get("gender") else ""
        if gender is None:
            problems.append(
                _("Unknown gender “%(value)s”; use one of %(allowed)s.")
                % {"value": row["gender"][:40], "allowed": imports.choice_labels(GenderIdentity)}
            )
        age_range = imports.age_range_code(row["age_range"]) if row.get("age_range") else ""
        if age_range is None:
            problems.append(
                _("Unknown age range “%(value)s”; use one of %(allowed)s.")
                % {"value": row["age_range"][:40], "allowed": imports.choice_labels(AgeRange)}
            )
        report.rows.append((number, not problems, problems))
        if not problems:
            report.valid.append(
                {
                    "name": name,
                    "organisation": row.get("organisation", ""),
                    "state": state,
                    "gender": gender,
                    "age_range": age_range,
                }
            )
    if not report.rows:
        report.errors.append(_("The file has no participants."))
    return report


def _csv_header(header: list[str], report: ImportReport) -> list[str | None]:
    """The column key of each header cell (None for an empty one); problems go to
    `report.errors`."""
    keys = [imports.column_key(cell) if cell.strip() else None for cell in header]
    unknown = [
        cell.strip() for cell, key in zip(header, keys, strict=True) if cell.strip() and not key
    ]
    repeated = sorted({key for key in keys if key and keys.count(key) > 1})
    for key in imports.REQUIRED:
        if key not in keys:
            report.errors.append(
                _("The first line must name the columns; “%(column)s” is missing.")
                % {"column": imports.column_label(key)}
            )
    if unknown:
        report.errors.append(
            _("Unknown columns: %(columns)s. Allowed: %(allowed)s.")
            % {
                "columns": ", ".join(unknown)[:200],
                "allowed": ", ".join(imports.column_label(key) for key in imports.COLUMNS),
            }
        )
    for key in repeated:
        report.errors.append(
            _("The column “%(column)s” appears twice.") % {"column": imports.column_label(key)}
        )
    return keys


@transaction.atomic
def participants_import(*, actor, cohort: Cohort, report: ImportReport, request=None) -> int:
    """All or nothing: called only with a fully valid report, in one transaction."""
    if not report.ok:
        raise ValueError("Only a fully valid file is imported.")
    Cohort.objects.select_for_update().get(pk=cohort.pk)
    _check_capacity(cohort, len(report.valid))
    for data in report.valid:
        participant = Participant.objects.create(**data)
        Enrolment.objects.create(cohort=cohort, participant=participant)
    _audit(
        action=AuditAction.TRAINING_IMPORT,
        actor=actor,
        obj=cohort,
        request=request,
        metadata={"rows": len(report.valid)},
    )
    return len(report.valid)


def participants_import_csv(*, actor, cohort: Cohort, raw: bytes, request=None) -> ImportReport:
    """Check the file line by line and, only if every line is valid and the cohort has
    room, enrol them all (one transaction, audited). The report says what happened:
    `imported` > 0, or the problems found (then nothing was written)."""
    report = participants_csv_validate(raw=raw)
    if report.ok:
        try:
            report.imported = participants_import(
                actor=actor, cohort=cohort, report=report, request=request
            )
        except CohortFull as full:
            report.errors.append(str(full))
    return report


# --- Sessions and attendance ----------------------------------------------------------


@transaction.atomic
def session_create(*, actor, cohort: Cohort, data: dict, request=None) -> TrainingSession:
    session = TrainingSession.objects.create(cohort=cohort, **data)
    _audit(action=AuditAction.CREATE, actor=actor, obj=session, request=request)
    return session


@transaction.atomic
def attendance_mark(
    *,
    actor,
    session: TrainingSession,
    enrolment: Enrolment,
    status: str,
    expected_version: int,
    request=None,
) -> Attendance:
    """Set one participant's mark. `expected_version` is the version the page showed
    (0 = no mark yet); if someone else changed it since, StaleEdit carries the mark as
    it is now (None if it no longer exists)."""
    mark = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(session=session, enrolment=enrolment)
        .first()
    )
    if mark is None:
        if expected_version != 0:
            raise StaleEdit(None)
        # Two first marks at once: the unique constraint lets only one insert win.
        try:
            with transaction.atomic():
                mark = Attendance.objects.create(
                    session=session, enrolment=enrolment, status=status, updated_by=actor
                )
        except IntegrityError:
            current = Attendance.objects.select_related("updated_by").get(
                session=session, enrolment=enrolment
            )
            raise StaleEdit(current) from None
    elif mark.version != expected_version:
        raise StaleEdit(mark)
    elif mark.status != status:
        mark.status = status
        mark.version += 1
        mark.updated_by = actor
        mark.save(update_fields=["status", "version", "updated_by", "updated_at"])
    _audit(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=mark,
        request=request,
        metadata={"status": status, "session": str(session.pk)},
    )
    return mark


# --- Evaluations ---------------------------------------------------------------------------


class QuestionnaireAnswered(Exception):
    """A questionnaire that people answered keeps its questions: their answers refer to them."""

    def __init__(self):
        super().__init__(_("This questionnaire already has answers; it cannot change."))


def _slug(text: str, n: int) -> str:
    return (slugify(text)[:70] or "item") + ("" if n == 0 else f"-{n}")


@transaction.atomic
def questionnaire_save(
    *, actor, programme: Programme, kind: str, title: str, likert: list, open_: list, request=None
) -> Questionnaire:
    """Create or replace the programme's questionnaire of this kind.

    Only while nobody answered it: QuestionnaireAnswered otherwise (nothing changes).
    """
    # The lock waits for a response being recorded meanwhile (its foreign key locks the row).
    current = (
        Questionnaire.objects.select_for_update().filter(programme=programme, kind=kind).first()
    )
    if current is not None and current.responses.exists():
        raise QuestionnaireAnswered
    questionnaire, _created = Questionnaire.objects.update_or_create(
        programme=programme, kind=kind, defaults={"title": title}
    )
    questionnaire.questions.all().delete()
    keys = set()
    position = 0
    for kind_, texts in ((QuestionKind.LIKERT, likert), (QuestionKind.OPEN, open_)):
        for text in texts:
            n, key = 0, _slug(text, 0)
            while key in keys:
                n += 1
                key = _slug(text, n)
            keys.add(key)
            Question.objects.create(
                questionnaire=questionnaire, position=position, kind=kind_, text=text, key=key
            )
            position += 1
    _audit(action=AuditAction.UPDATE, actor=actor, obj=questionnaire, request=request)
    return questionnaire


@transaction.atomic
def response_record(
    *, actor, questionnaire, enrolment, session=None, answers: dict, request=None
) -> Response:
    """answers: {question: score or text}. A second response replaces the first."""
    Response.objects.filter(
        questionnaire=questionnaire, enrolment=enrolment, session=session
    ).delete()
    response = Response.objects.create(
        questionnaire=questionnaire, enrolment=enrolment, session=session
    )
    rows = [
        Answer(
            response=response,
            question=q,
            score=value if q.kind == QuestionKind.LIKERT else None,
            text=None if q.kind == QuestionKind.LIKERT else value,
        )
        for q, value in answers.items()
        if value not in (None, "")
    ]
    # An answer's text is encrypted bound to its row: its pk comes first.
    allocate_pks([row for row in rows if row.text is not None])
    Answer.objects.bulk_create(rows)
    _audit(action=AuditAction.CREATE, actor=actor, obj=response, request=request)
    return response


# --- Certificates ---------------------------------------------------------------------------


def certificate_eligible(*, enrolment) -> bool:
    if enrolment.status == EnrolmentStatus.DROPPED:
        return False
    today = timezone.localdate()
    held = enrolment.cohort.sessions.filter(date__lte=today).count()
    if not held:
        return False
    attended = enrolment.attendances.filter(status__in=ATTENDED, session__date__lte=today).count()
    if 100 * attended < enrolment.cohort.programme.attendance_threshold * held:
        return False
    return enrolment.responses.filter(questionnaire__kind=QuestionnaireKind.EXIT).exists()


@transaction.atomic
def certificate_issue(*, actor, enrolment, request=None) -> Certificate | None:
    """Issue (once) the certificate of an eligible participant; None if not eligible."""
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing:
        return existing
    if not certificate_eligible(enrolment=enrolment):
        return None
    certificate = Certificate.objects.create(
        enrolment=enrolment, issued_on=timezone.localdate(), issued_by=actor
    )
    if enrolment.status != EnrolmentStatus.GRADUATED:
        enrolment.status = EnrolmentStatus.GRADUATED
        enrolment.save(update_fields=["status"])
    _audit(action=AuditAction.CREATE, actor=actor, obj=certificate, request=request)
    return certificate


def certificate_batch_start(*, actor, cohort, request=None) -> CertificateBatch:
    """Queue the bulk issue of a cohort's certificates (Celery, through the outbox)."""
    with transaction.atomic():
        batch = CertificateBatch.objects.create(
            cohort=cohort,
            total=cohort.enrolments.exclude(status=EnrolmentStatus.DROPPED).count(),
            requested_by=actor,
        )
        _audit(action=AuditAction.CERTIFICATES_ISSUED, actor=actor, obj=cohort, request=request)
        outbox_enqueue("training.tasks.issue_cohort_certificates", str(batch.pk))
    return batch


def certificate_batch_run(*, batch_id) -> CertificateBatch:
    batch = CertificateBatch.objects.select_related("cohort", "requested_by").get(pk=batch_id)
    enrolments = (
        batch.cohort.enrolments.exclude(status=EnrolmentStatus.DROPPED)
        .select_related("cohort__programme")
        .order_by("created_at")
    )
    for enrolment in enrolments:
        certificate = certificate_issue(actor=batch.requested_by, enrolment=enrolment)
        batch.done += 1
        batch.issued += 1 if certificate else 0
        batch.save(update_fields=["done", "issued"])
    batch.done = batch.total
    batch.finished = True
    batch.save(update_fields=["done", "finished"])
    return batch


# --- Follow-up after the course ----------------------------------------------------------


@transaction.atomic
def follow_up_record(*, actor, enrolment, data: dict, request=None) -> FollowUp:
    follow_up, _created = FollowUp.objects.update_or_create(
        enrolment=enrolment,
        months_after=data["months_after"],
        defaults={**data, "recorded_by": actor},
    )
    _audit(action=AuditAction.CREATE, actor=actor, obj=follow_up, request=request)
    return follow_up


def follow_up_reminders_send(*, today: dt.date) -> int:
    """Remind each cohort's facilitators when a +N-month milestone has come.

    Sends one notification per cohort and milestone (FollowUpReminder makes it
    idempotent); no names in the message, only counts.
    """
    sent = 0
    months_list = follow_up_months()
    earliest = months_after(today, -max(months_list) - 1) if months_list else today
    cohorts = Cohort.objects.filter(ends_on__lt=today, ends_on__gte=earliest).prefetch_related(
        "facilitators"
    )
    for cohort in cohorts:
        due = [m for m in months_list if months_after(cohort.ends_on, m) <= today]
        if not due:
            continue
        # A late run (or a cohort entered late) reminds only of the latest milestone.
        with transaction.atomic():
            created = {
                months: FollowUpReminder.objects.get_or_create(
                    cohort=cohort, months_after=months, defaults={"sent_on": today}
                )[1]
                for months in due
            }
            months = max(due)
            if not created[months]:
                continue
            graduates = cohort.enrolments.filter(status=EnrolmentStatus.GRADUATED).count()
            recipients = [u for u in cohort.facilitators.all() if u.is_active]
            if recipients and graduates:
                notification_send(
                    recipients=recipients,
                    kind="training_follow_up",
                    message=gettext_noop(
                        "%(months)s months since a cohort ended: contact its %(graduates)s "
                        "graduates and record the follow-up."
                    ),
                    url=reverse("training:cohort-follow-up", kwargs={"cohort_id": cohort.pk}),
                    params={"months": months, "graduates": graduates},
                )
                sent += 1
    return sent
