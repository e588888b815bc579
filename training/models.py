"""Training: programmes, cohorts, participants, monthly sessions, attendance,
evaluations, certificates and the follow-up after the course."""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accompaniment.models import AgeRange, FederalEntity, GenderIdentity, PoliticalSubject
from aluna.encryption.fields import EncryptedCharField, EncryptedTextField


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    MIXED = "mixed", _("Mixed")


class Programme(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    modality = models.CharField(_("modality"), max_length=16, choices=Modality.choices)
    length_months = models.PositiveSmallIntegerField(
        _("length in months"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    # Codes of accompaniment.models.PsychosocialField.
    fields_covered = models.JSONField(_("fields covered"), default=list, blank=True)
    attendance_threshold = models.PositiveSmallIntegerField(
        _("attendance needed for a certificate (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    """Una generación: one run of a programme."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    region = models.CharField(_("region"), max_length=120, blank=True)
    state = models.ForeignKey(
        FederalEntity,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("state"),
    )
    languages = models.JSONField(_("languages of delivery"), default=list, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_cohorts", verbose_name=_("facilitators")
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        indexes = [models.Index(fields=["-starts_on"], name="training_cohort_start_idx")]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """Either a political subject already in the system or an external professional."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject = models.ForeignKey(
        PoliticalSubject,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("political subject"),
    )
    name = EncryptedCharField(_("name"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    state = models.ForeignKey(
        FederalEntity,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("state"),
    )
    gender = models.CharField(
        _("gender"), max_length=16, choices=GenderIdentity.choices, blank=True
    )
    age_range = models.CharField(
        _("age range"), max_length=16, choices=AgeRange.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        # A subject is shown by its working alias, never its real name.
        return self.subject.alias if self.subject_id else self.name


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    ACTIVE = "active", _("Active")
    DROPPED = "dropped", _("Dropped out")
    GRADUATED = "graduated", _("Graduated")


class Enrolment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="enrolments"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, default="enrolled"
    )
    drop_reason = models.CharField(_("reason for dropping out"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "participant"], name="training_enrol_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.cohort_id}"


class TrainingSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("facilitator"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("link"), blank=True)

    class Meta:
        ordering = ["date"]
        indexes = [models.Index(fields=["cohort", "date"], name="training_session_date_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")
    LATE = "late", _("Late")


ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class Attendance(models.Model):
    id = models.BigAutoField(primary_key=True)
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(max_length=16, choices=AttendanceStatus.choices)
    # Bumped on every change: a mark taken on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="training_mark_once")
        ]
        indexes = [models.Index(fields=["enrolment", "status"], name="training_att_enrol_idx")]

    def __str__(self) -> str:
        return self.status


class QuestionnaireKind(models.TextChoices):
    ENTRY = "entry", _("Entry")
    EXIT = "exit", _("Exit")
    SATISFACTION = "satisfaction", _("Satisfaction after a session")


class Questionnaire(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="questionnaires"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionnaireKind.choices)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="training_one_q_per_kind")
        ]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Likert 1-5")
    OPEN = "open", _("Open question")


class Question(models.Model):
    id = models.BigAutoField(primary_key=True)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    # Entry and exit items are compared by this key (same wording on both).
    key = models.SlugField(max_length=80, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    id = models.BigAutoField(primary_key=True)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="responses")
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "enrolment", "session"], name="training_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}:{self.enrolment_id}"


class Answer(models.Model):
    id = models.BigAutoField(primary_key=True)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = EncryptedTextField(blank=True, null=True)

    def __str__(self) -> str:
        return str(self.pk)


def new_verification_code() -> str:
    # 12 characters from an alphabet without look-alikes: ~60 bits.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Certificate(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(max_length=16, unique=True, default=new_verification_code)
    issued_on = models.DateField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return self.code


class CertificateBatch(models.Model):
    """Bulk issue for a whole cohort, run by Celery; the page polls its progress."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="batches")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    finished = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.pk)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


class Practice(models.TextChoices):
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment")
    SECURITY_PLAN = "security_plan", _("Security plan")
    WHEREABOUTS = "whereabouts", _("Letting others know where they go")
    CONTINGENCY = "contingency", _("Contingency plans")
    PROTOCOLS = "protocols", _("Organisational protocols")
    CARE = "care", _("Self-care and collective care")


class Obstacle(models.TextChoices):
    MONEY = "money", _("Money")
    KNOWLEDGE = "knowledge", _("Knowledge")
    TECHNICAL = "technical", _("Technical support")
    TIME = "time", _("Time")


class FollowUp(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="follow_ups")
    months_after = models.PositiveSmallIntegerField(_("months after the course"))
    contacted_on = models.DateField(_("contacted on"))
    reached = models.BooleanField(_("reached"), default=True)
    practices = models.JSONField(_("practices adopted"), default=list, blank=True)
    obstacles = models.JSONField(_("what got in the way"), default=list, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "months_after"], name="training_follow_up_once"
            )
        ]

    def __str__(self) -> str:
        return f"+{self.months_after}"


class FollowUpReminder(models.Model):
    """One reminder per cohort and milestone: beat may run twice, facilitators hear once."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="reminders")
    months_after = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "months_after"], name="training_remind_once")
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id} +{self.months_after}"
