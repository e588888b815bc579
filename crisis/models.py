"""Crisis response: aggressions, crisis interventions, their alerts and
follow-ups, and the on-call roster.

The records belong to the hub's subjects and processes (a crisis intervention
lives in an emergency process); the hub knows nothing of them.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accompaniment.models import (
    AggressionType,
    FederalEntity,
    Perpetrator,
    PoliticalSubject,
    Process,
    RiskLevel,
)
from aluna.core.concurrency import VersionedModel
from aluna.encryption.fields import EncryptedCharField, EncryptedTextField

# Unacknowledged alerts of these levels escalate along the roster.
ESCALATING_RISKS = (RiskLevel.HIGH, RiskLevel.CRITICAL)


class ReportingBody(models.TextChoices):
    PROSECUTOR = "prosecutor", _("Prosecutor's office (Fiscalía)")
    PROTECTION_MECHANISM = "protection_mechanism", _("Protection Mechanism")
    HUMAN_RIGHTS_COMMISSION = "human_rights_commission", _("CNDH or state commission")
    IACHR = "iachr", _("IACHR")


class Aggression(VersionedModel):
    """An attack or threat against one or more political subjects."""

    occurred_at = models.DateTimeField(_("date and time"))
    is_approximate = models.BooleanField(_("date is approximate"), default=False)
    state = models.ForeignKey(
        FederalEntity,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("state"),
        null=True,
        blank=True,
    )
    municipality = EncryptedCharField(_("municipality"), max_length=120, blank=True)
    types = models.ManyToManyField(AggressionType, related_name="+", verbose_name=_("types"))
    perpetrators = models.ManyToManyField(
        Perpetrator, related_name="+", verbose_name=_("perpetrators"), blank=True
    )
    subjects = models.ManyToManyField(
        PoliticalSubject, related_name="aggressions", verbose_name=_("subjects affected")
    )
    narrative = EncryptedTextField(_("narrative"), blank=True)
    evidence_kept = models.BooleanField(_("evidence is kept"), default=False)
    evidence_keeper = EncryptedCharField(_("who keeps the evidence"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    # What the aggression form edits besides its many-to-many fields and reports.
    EDITABLE_FIELDS = (
        "occurred_at",
        "is_approximate",
        "state",
        "municipality",
        "narrative",
        "evidence_kept",
        "evidence_keeper",
    )

    class Meta:
        verbose_name = _("aggression")
        verbose_name_plural = _("aggressions")
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["-occurred_at"], name="crisis_aggression_when_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d}"


class AggressionReport(models.Model):
    """Where an aggression was reported, and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    aggression = models.ForeignKey(Aggression, on_delete=models.CASCADE, related_name="reports")
    body = models.CharField(_("reported to"), max_length=32, choices=ReportingBody.choices)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["aggression", "body"], name="unique_report_per_body")
        ]

    def __str__(self) -> str:
        return self.get_body_display()


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    MESSAGING = "messaging", _("Messaging")


class ImmediateNeed(models.TextChoices):
    FIRST_AID = "psychological_first_aid", _("Psychological first aid")
    MEDICAL = "medical", _("Medical")
    LEGAL = "legal", _("Legal")
    SHELTER = "shelter_relocation", _("Shelter or relocation")
    PROTECTION = "protection_measures", _("Protection measures")
    FAMILY = "family_support", _("Family support")


class CrisisStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("crisis status", "Open")
    CLOSED = "closed", pgettext_lazy("crisis status", "Closed")


class CrisisIntervention(VersionedModel):
    """Emergency support after an aggression, within an emergency process."""

    process = models.ForeignKey(
        Process, on_delete=models.PROTECT, related_name="crisis_interventions"
    )
    contacted_at = models.DateTimeField(_("contact happened at"))
    channel = models.CharField(_("how"), max_length=16, choices=ContactChannel.choices)
    risk_level = models.CharField(_("risk level"), max_length=16, choices=RiskLevel.choices)
    aggression = models.ForeignKey(
        Aggression,
        on_delete=models.PROTECT,
        related_name="interventions",
        null=True,
        blank=True,
        verbose_name=_("aggression"),
    )
    # A short list of ImmediateNeed codes; never queried, only shown and counted in Python.
    immediate_needs = models.JSONField(_("immediate needs"), default=list, blank=True)
    actions_taken = EncryptedTextField(_("actions taken"), blank=True)
    referrals = EncryptedTextField(_("referrals made"), blank=True)
    responders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="crises", verbose_name=_("who is on it")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=CrisisStatus.choices, default=CrisisStatus.OPEN
    )
    last_contact_at = models.DateTimeField(_("last contact"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Made on the phone when the entry was first saved: however many times the same
    # entry arrives (a retry, two tabs, a flaky network), it is one crisis.
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Sent from the phone's queue with an alias that matched none or several of the
    # author's cases: recorded and alerted at once under a provisional subject, which
    # its author confirms or replaces later ("sujeto por confirmar").
    subject_to_confirm = models.BooleanField(_("subject to be confirmed"), default=False)

    class Meta:
        verbose_name = _("crisis intervention")
        verbose_name_plural = _("crisis interventions")
        ordering = ["-contacted_at"]
        indexes = [
            models.Index(
                fields=["status", "risk_level", "last_contact_at"], name="crisis_board_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_risk_level_display()} · {self.contacted_at:%Y-%m-%d %H:%M}"


class CrisisAlert(models.Model):
    """One person told about a crisis; escalation adds the next one on the roster."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    intervention = models.ForeignKey(
        CrisisIntervention, on_delete=models.CASCADE, related_name="alerts"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="crisis_alerts"
    )
    escalation_step = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "recipient"], name="one_alert_per_person_and_crisis"
            )
        ]
        indexes = [
            models.Index(fields=["acknowledged_at", "sent_at"], name="crisis_alert_pending_idx")
        ]

    def __str__(self) -> str:
        return f"alert step {self.escalation_step}"


class OnCallShift(models.Model):
    """Who is on call in a week: position 0 first, then the fallbacks in order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    week_start = models.DateField(_("week starting (Monday)"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="on_call_shifts"
    )
    position = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("0 is on call; 1, 2, ... are the fallbacks.")
    )

    class Meta:
        verbose_name = _("on-call shift")
        verbose_name_plural = _("on-call shifts")
        ordering = ["week_start", "position"]
        constraints = [
            models.UniqueConstraint(fields=["week_start", "position"], name="one_person_per_slot"),
            models.UniqueConstraint(fields=["week_start", "user"], name="one_slot_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.week_start} #{self.position}"

    def clean(self):
        super().clean()
        if self.week_start and self.week_start.weekday() != 0:
            raise ValidationError({"week_start": _("A week on call starts on a Monday.")})


class CrisisFollowUp(models.Model):
    """A scheduled follow-up contact (+24 h, +72 h, +7 days by default)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    intervention = models.ForeignKey(
        CrisisIntervention, on_delete=models.CASCADE, related_name="follow_ups"
    )
    due_at = models.DateTimeField(_("due at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    note = EncryptedTextField(_("note"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["done_at", "due_at"], name="crisis_follow_up_due_idx")]

    def __str__(self) -> str:
        return f"{self.due_at:%Y-%m-%d %H:%M}"
