"""Advocacy: outputs, donors and grants, and anonymised donor reports.

A donor report holds only aggregate figures, already suppressed (advocacy.suppression):
no name, alias, municipality or free text of a case ever reaches it.
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from aluna.encryption.fields import EncryptedTextField


class OutputKind(models.TextChoices):
    REPORT = "report", _("Report or research")
    PUBLICATION = "publication", _("Publication")
    VIDEO = "video", _("Video")
    CAMPAIGN = "campaign", _("Social-media campaign")
    FORUM = "forum", _("Forum or exchange")
    MEETING_EMBASSY = "meeting_embassy", _("Meeting with an embassy")
    MEETING_DONOR = "meeting_donor", _("Meeting with a donor")
    MEETING_UN = "meeting_un", _("Meeting with a UN body")
    MEETING_IACHR = "meeting_iachr", _("Meeting with the IACHR")
    STATEMENT = "statement", _("Public statement")


class AdvocacyOutput(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=24, choices=OutputKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    audiences = models.CharField(
        _("audiences and stakeholders"),
        max_length=300,
        blank=True,
        help_text=_("Institutions, networks or publics reached. No names of defenders."),
    )
    # The hub's catalogues, named rather than imported: advocacy reads no hub module
    # but its aggregates.
    areas = models.ManyToManyField(
        "accompaniment.AreaOfDefence",
        blank=True,
        related_name="+",
        verbose_name=_("areas of defence"),
    )
    states = models.ManyToManyField(
        "accompaniment.FederalEntity",
        blank=True,
        related_name="+",
        verbose_name=_("states concerned"),
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    outcome = models.TextField(_("outcome"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("advocacy output")
        verbose_name_plural = _("advocacy outputs")
        ordering = ["-date", "title"]
        indexes = [models.Index(fields=["-date"]), models.Index(fields=["kind", "-date"])]

    def __str__(self) -> str:
        return self.title


class Donor(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Grant(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="grants", verbose_name=_("donor")
    )
    project = models.CharField(_("project"), max_length=200)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="MXN")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-start", "project"]

    def __str__(self) -> str:
        return f"{self.donor.name} · {self.project}"


class ReportDue(models.Model):
    """One date of a grant's reporting schedule; the team is reminded before it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="due_dates")
    due_on = models.DateField(_("report due on"))
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("report due date")
        verbose_name_plural = _("report due dates")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "due_on"], name="unique_grant_due_date")
        ]
        indexes = [models.Index(fields=["due_on", "reminded_on"])]

    def __str__(self) -> str:
        return f"{self.due_on:%Y-%m-%d}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class DonorReport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=200)
    grant = models.ForeignKey(
        Grant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("grant"),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    sections = models.JSONField(_("sections"), default=list)
    # Narrative sections written by the team: encrypted at rest.
    narrative_context = EncryptedTextField(_("context"), blank=True)
    narrative_results = EncryptedTextField(_("results and changes"), blank=True)
    narrative_challenges = EncryptedTextField(_("challenges and next steps"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    progress = models.PositiveSmallIntegerField(default=0)
    # What the advocate chose on the re-identification preview: {"drop": [breakdowns],
    # "coarsen_states": bool} (advocacy.aggregates.subjects_section).
    options = models.JSONField(default=dict, blank=True)
    # Suppressed aggregate tables (safe to show) for the page and the CSV.
    tables = models.JSONField(default=list, blank=True)
    # The PDF, AES-GCM encrypted with the field keys (aluna.encryption.keys), base64 text.
    pdf_encrypted = models.TextField(blank=True, default="")
    generated_at = models.DateTimeField(null=True, blank=True)
    generation_seconds = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("donor report")
        verbose_name_plural = _("donor reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ReportDelivery(models.Model):
    """A donor report as it was delivered: exactly the figures it showed, so that the
    next reports to the same donor can be checked against it (advocacy.series)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(
        DonorReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("donor")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    # The suppressed tables exactly as the delivered PDF showed them.
    tables = models.JSONField(default=list)
    delivered_at = models.DateTimeField(_("delivered at"))
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")
        ordering = ["-delivered_at"]
        indexes = [models.Index(fields=["donor", "-delivered_at"])]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"
