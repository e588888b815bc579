"""Security and protection: risk assessments, protection measures, check-ins, plans.

Every record hangs off an accompaniment Process (and so off its subject); access is
scoped through accompaniment.selectors.access. Free text is encrypted at rest.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accompaniment.models import (
    FederalEntity,
    Perpetrator,
    PoliticalSubject,
    Process,
    RiskLevel,
)
from aluna.core.concurrency import VersionedModel
from aluna.encryption.fields import EncryptedCharField, EncryptedTextField

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]

# --- Risk assessments (análisis de riesgo) ---------------------------------------------------


class RiskAssessment(VersionedModel):
    """A dated assessment of a process's risk. Its score and level are computed by
    security.risk.compute_risk from its threats, vulnerabilities and capacities and
    stored here, with the aggregates, so lists and "what changed" need no child rows."""

    # What a person edits (the form's and the update service's list); the threats and
    # factors are a snapshot: changing them is a new assessment.
    EDITABLE_FIELDS = ["assessed_on", "summary"]

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="risk_assessments")
    assessed_on = models.DateField(_("assessed on"))
    summary = EncryptedTextField(_("summary"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    threat_total = models.PositiveIntegerField(default=0, editable=False)
    threat_count = models.PositiveSmallIntegerField(default=0, editable=False)
    vulnerability_mean = models.DecimalField(
        max_digits=4, decimal_places=2, default=1, editable=False
    )
    capacity_mean = models.DecimalField(max_digits=4, decimal_places=2, default=1, editable=False)
    score = models.DecimalField(max_digits=7, decimal_places=1, default=0, editable=False)
    level = models.CharField(
        _("risk level"), max_length=16, choices=RiskLevel.choices, default=RiskLevel.LOW
    )

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-assessed_on", "-created_at"]
        indexes = [models.Index(fields=["process", "-assessed_on", "-created_at"])]


class Threat(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="threats")
    description = EncryptedTextField(_("description"))
    perpetrator = models.ForeignKey(
        Perpetrator, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("source")
    )
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(_("impact"), validators=ONE_TO_FIVE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.likelihood}×{self.impact}"


class RiskFactorKind(models.TextChoices):
    VULNERABILITY = "vulnerability", _("Vulnerability")
    CAPACITY = "capacity", _("Capacity")


class RiskFactor(models.Model):
    """A vulnerability or a capacity, described and weighted 1-5."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="factors")
    kind = models.CharField(max_length=16, choices=RiskFactorKind.choices)
    description = EncryptedTextField(_("description"))
    weight = models.PositiveSmallIntegerField(_("weight"), validators=ONE_TO_FIVE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.weight})"


# --- Protection measures ----------------------------------------------------------------------


class MeasureSource(models.TextChoices):
    FEDERAL = "federal", _("Federal Protection Mechanism")
    STATE = "state", _("State protection mechanism")
    CIDH = "cidh", _("IACHR precautionary measures")
    OWN = "own", _("The organisation's own")


class MeasureKind(models.TextChoices):
    PANIC_BUTTON = "panic_button", _("Panic button")
    PHONE = "phone", _("Phone")
    ESCORTS = "escorts", _("Escorts")
    CAMERAS_LOCKS = "cameras_locks", _("Cameras or locks")
    RELOCATION = "relocation", _("Relocation")
    PATROLS = "patrols", _("Patrols")
    TRIP_ACCOMPANIMENT = "trip_accompaniment", _("Accompaniment on trips")
    SHELTER = "shelter", _("Shelter")


class MeasureStatus(models.TextChoices):
    GRANTED = "granted", _("Granted")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Granted but not implemented")
    ENDED = "ended", _("Ended")


# In force (until their expiry date): every state but ended.
ACTIVE_MEASURE_STATUSES = (
    MeasureStatus.GRANTED,
    MeasureStatus.IMPLEMENTED,
    MeasureStatus.NOT_IMPLEMENTED,
)


CIDH_NUMBER_RE = r"^MC-\d{1,5}-\d{4}$"
cidh_number_validator = RegexValidator(
    CIDH_NUMBER_RE,
    _("Write the precautionary measure number as MC-<number>-<year>, for example MC-123-2024."),
)


class ProtectionMeasure(VersionedModel):
    # What a person records and edits: the form's and the services' list.
    EDITABLE_FIELDS = [
        "source",
        "cidh_number",
        "kind",
        "status",
        "granted_on",
        "implemented_on",
        "review_on",
        "expires_on",
        "notes",
    ]

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="protection_measures"
    )
    source = models.CharField(_("source"), max_length=16, choices=MeasureSource.choices)
    cidh_number = models.CharField(
        _("precautionary measure number"),
        max_length=16,
        blank=True,
        validators=[cidh_number_validator],
    )
    kind = models.CharField(_("kind"), max_length=24, choices=MeasureKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.GRANTED
    )
    granted_on = models.DateField(_("granted on"))
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    # The expiry date each reminder was last sent for: a changed expiry is reminded again.
    reminded_30_for = models.DateField(null=True, blank=True, editable=False)
    reminded_7_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("protection measure")
        verbose_name_plural = _("protection measures")
        ordering = ["-granted_on", "-created_at"]
        indexes = [
            models.Index(fields=["process", "-granted_on"]),
            models.Index(fields=["status", "expires_on"]),
            models.Index(fields=["expires_on"]),
        ]


# --- Check-ins (monitoreo de desplazamientos) -------------------------------------------------


class CheckIn(models.Model):
    """A registered trip: closed by checking in; overdue ones start the alert chain."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_checkins"
    )
    subject = models.ForeignKey(
        PoliticalSubject,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="security_checkins",
        verbose_name=_("defender"),
    )
    state = models.ForeignKey(FederalEntity, on_delete=models.PROTECT, verbose_name=_("state"))
    municipality = EncryptedCharField(_("municipality"), max_length=120)
    expected_at = models.DateTimeField(_("expected check-in"))
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # How many contacts of the chain have been alerted, and when the last one was.
    alerts_sent = models.PositiveSmallIntegerField(default=0)
    last_alert_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["expected_at"]
        indexes = [
            models.Index(fields=["closed_at", "expected_at"]),
            models.Index(fields=["created_by", "closed_at"]),
        ]

    def __str__(self) -> str:
        return f"CHK-{self.pk.hex[:8].upper()}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class CheckInContact(models.Model):
    """The people to alert, in the order of the chain."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "user"], name="security_checkin_contact_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.position + 1)


# --- Security plans and protocols -------------------------------------------------------------


class SecurityPlan(VersionedModel):
    # What a person edits: the form's and the update service's list.
    EDITABLE_FIELDS = ["title", "review_on"]

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="security_plans")
    title = EncryptedCharField(_("title"), max_length=200)
    review_on = models.DateField(_("review on"))
    reminded_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("security plan")
        verbose_name_plural = _("security plans")
        ordering = ["review_on"]
        indexes = [
            models.Index(fields=["process", "review_on"]),
            models.Index(fields=["review_on"]),
        ]


class PlanItemStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class PlanMeasure(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(SecurityPlan, on_delete=models.CASCADE, related_name="measures")
    what = EncryptedTextField(_("what"))
    who = EncryptedCharField(_("who"), max_length=200)
    due_on = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanItemStatus.choices, default=PlanItemStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.get_status_display()


class Protocol(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(SecurityPlan, on_delete=models.CASCADE, related_name="protocols")
    if_threat = EncryptedTextField(_("if this threat materialises"))
    steps = EncryptedTextField(_("what to do"))
    who_to_call = EncryptedTextField(_("who to call"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return str(self.pk)
