import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from aluna.core.concurrency import VersionedModel
from aluna.encryption.fields import EncryptedCharField, EncryptedTextField

# --- Catalogues -------------------------------------------------------------------
# The lists users pick from (DOMAIN.md, "Lists users pick from"). Seeded by a data
# migration, extended by administración. Other records point at entries, so an entry
# in use is deactivated, never deleted: old records keep their label, new forms stop
# offering it.


class CatalogueEntry(models.Model):
    # The options a form offers come from the cache (aluna/core/choices.py).
    cache_choices = True

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(
        _("code"),
        max_length=64,
        unique=True,
        help_text=_(
            "A short, stable identifier: lowercase letters, digits and hyphens. "
            "It cannot be changed later."
        ),
        error_messages={"unique": _("Another entry of this catalogue already uses this code.")},
    )
    label_es = models.CharField(_("Spanish label"), max_length=200)
    label_en = models.CharField(_("English label"), max_length=200)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive entries stay on existing records but are no longer offered."),
    )
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Lists are sorted by this number, then by label.")
    )

    class Meta:
        abstract = True
        ordering = ["position", "label_es"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The label in the language of the current request."""
        if (get_language() or "").startswith("en"):
            return self.label_en
        return self.label_es


class AreaOfDefence(CatalogueEntry):
    class Meta(CatalogueEntry.Meta):
        verbose_name = _("area of defence")
        verbose_name_plural = _("areas of defence")


class SubjectKind(CatalogueEntry):
    class Meta(CatalogueEntry.Meta):
        verbose_name = _("kind of political subject")
        verbose_name_plural = _("kinds of political subject")


class Dimension(models.TextChoices):
    """Where a psychosocial impact shows (DOMAIN.md, "Dimensions where impacts show")."""

    PERSONAL = "personal", _("Personal")
    FAMILY = "familiar", _("Family")
    ORGANISATIONAL = "organizativa", _("Organisational")
    COMMUNITY = "comunitaria", _("Community")
    SOCIAL = "social", _("Social")


class PsychosocialImpact(CatalogueEntry):
    dimension = models.CharField(
        _("dimension"), max_length=16, choices=Dimension.choices, default=Dimension.PERSONAL
    )

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("psychosocial impact")
        verbose_name_plural = _("psychosocial impacts")


class CopingMechanism(CatalogueEntry):
    class Meta(CatalogueEntry.Meta):
        verbose_name = _("coping mechanism")
        verbose_name_plural = _("coping mechanisms")


class FederalEntity(CatalogueEntry):
    """One of Mexico's 32 states; `code` is its two-digit INEGI key ("01".."32")."""

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("federal entity")
        verbose_name_plural = _("federal entities")


class AggressionType(CatalogueEntry):
    class Meta(CatalogueEntry.Meta):
        verbose_name = _("type of aggression")
        verbose_name_plural = _("types of aggression")


class Perpetrator(CatalogueEntry):
    class Meta(CatalogueEntry.Meta):
        verbose_name = _("perpetrator")
        verbose_name_plural = _("perpetrators")


# --- The four fields of psychosocial work --------------------------------------------


class PsychosocialField(models.TextChoices):
    """Los cuatro campos: every process is structured by them."""

    PSYCHOEMOTIONAL = "psychoemotional", _("Psycho-emotional")
    INTERNAL_DYNAMICS = "internal_dynamics", _("Internal dynamics and relationships")
    SECURITY = "security", _("Security")
    POLITICAL_PROJECT = "political_project", _("Political project")


INDIVIDUAL_KIND_CODE = "individual-defender"


# --- Political subjects -----------------------------------------------------------------


class ReferralSource(models.TextChoices):
    OWN_REQUEST = "own_request", _("Their own request")
    ALLIED_ORGANISATION = "allied_organisation", _("An allied organisation")
    NETWORK = "network", _("A network of defenders")
    PROTECTION_MECHANISM = "protection_mechanism", _("The Protection Mechanism")
    HUMAN_RIGHTS_BODY = "human_rights_body", _("A human rights commission or body")
    OTHER = "other", _("Other")


class GenderIdentity(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    TRANS_WOMAN = "trans_woman", _("Trans woman")
    TRANS_MAN = "trans_man", _("Trans man")
    OTHER = "other", _("Other identity")
    NOT_SAID = "not_said", _("Prefers not to say")


class AgeRange(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    FROM_18_TO_29 = "18_29", _("18 to 29")
    FROM_30_TO_44 = "30_44", _("30 to 44")
    FROM_45_TO_59 = "45_59", _("45 to 59")
    FROM_60 = "60_plus", _("60 or more")


class FamilyRole(models.TextChoices):
    MOTHER_OF_DISAPPEARED = "mother_disappeared", _("Mother of a disappeared person")
    RELATIVE_OF_DISAPPEARED = "relative_disappeared", _("Relative of a disappeared person")
    CARER = "carer", _("Carer")
    HEAD_OF_HOUSEHOLD = "head_household", _("Head of household")
    OTHER = "other", _("Other")


class PoliticalSubject(VersionedModel):
    """A defender, organisation, collective, community, ... that the organisation accompanies.

    The name and everything that locates or contacts the subject is encrypted at
    rest; lists show only the working alias and initials. Intersectional factors
    are stored only with a recorded consent.
    """

    name = EncryptedCharField(_("name"), max_length=200)
    alias = models.CharField(
        _("working alias"),
        max_length=80,
        help_text=_("The name used in lists and conversations; never the real name."),
    )
    initials = models.CharField(_("initials"), max_length=8, editable=False)
    kind = models.ForeignKey(
        SubjectKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind")
    )
    areas = models.ManyToManyField(
        AreaOfDefence, blank=True, related_name="+", verbose_name=_("areas of defence")
    )
    state = models.ForeignKey(
        FederalEntity,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("state"),
        null=True,
        blank=True,
    )
    municipality = EncryptedCharField(_("municipality"), max_length=120, blank=True)
    contact = EncryptedTextField(_("contact data"), blank=True)
    referral_source = models.CharField(
        _("how they reached us"), max_length=32, choices=ReferralSource.choices, blank=True
    )
    # Intersectional factors: only with consent (consent_date and consent_scope).
    consent_date = models.DateField(_("consent date"), null=True, blank=True)
    # Encrypted: the words may say who consented (migration 0007).
    consent_scope = EncryptedCharField(_("consent scope"), max_length=200, blank=True)
    gender_identity = models.CharField(
        _("gender identity"), max_length=16, choices=GenderIdentity.choices, blank=True
    )
    age_range = models.CharField(
        _("age range"), max_length=16, choices=AgeRange.choices, blank=True
    )
    indigenous_people = EncryptedCharField(_("indigenous people"), max_length=120, blank=True)
    indigenous_language = EncryptedCharField(_("indigenous language"), max_length=120, blank=True)
    family_role = models.CharField(
        _("family role"), max_length=32, choices=FamilyRole.choices, blank=True
    )
    other_factors = EncryptedTextField(_("other factors"), blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    blind_index_fields = ["name"]
    INTERSECTIONAL_FIELDS = (
        "gender_identity",
        "age_range",
        "indigenous_people",
        "indigenous_language",
        "family_role",
        "other_factors",
    )

    # What the subject form edits (areas of defence, many-to-many, apart).
    EDITABLE_FIELDS = (
        "name",
        "alias",
        "kind",
        "state",
        "municipality",
        "contact",
        "referral_source",
        "consent_date",
        "consent_scope",
        "gender_identity",
        "age_range",
        "indigenous_people",
        "indigenous_language",
        "family_role",
        "other_factors",
    )

    class Meta:
        verbose_name = _("political subject")
        verbose_name_plural = _("political subjects")
        ordering = ["alias"]
        indexes = [
            models.Index(fields=["alias"]),
            models.Index(fields=["is_archived", "alias"]),
            # Lets counts over processes join their live subjects' kind from the index alone.
            models.Index(
                fields=["id", "kind"], condition=Q(is_archived=False), name="subject_live_kind_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.alias

    def save(self, *args, **kwargs):
        self.initials = initials_of(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "initials"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        has_factors = any(getattr(self, name) for name in self.INTERSECTIONAL_FIELDS)
        if has_factors and not (self.consent_date and self.consent_scope):
            raise ValidationError(
                _(
                    "Intersectional factors can only be stored with a recorded consent: "
                    "give the consent date and its scope, or leave the factors empty."
                )
            )

    @property
    def is_individual(self) -> bool:
        return self.kind.code == INDIVIDUAL_KIND_CODE


def initials_of(name: str) -> str:
    """'María de la Luz López' -> 'M.L.L.' (particles skipped)."""
    particles = {"de", "del", "la", "las", "los", "y", "e"}
    letters = [w[0].upper() for w in (name or "").split() if w.lower() not in particles and w]
    return "".join(f"{c}." for c in letters[:3])


class Membership(models.Model):
    """A defender belongs to a collective, with a role, between two dates."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    defender = models.ForeignKey(
        PoliticalSubject, on_delete=models.CASCADE, related_name="memberships"
    )
    collective = models.ForeignKey(
        PoliticalSubject, on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField(_("role in the collective"), max_length=120, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["defender", "collective", "start_date"], name="unique_membership_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.defender.alias} → {self.collective.alias}"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        if self.defender_id and self.defender_id == self.collective_id:
            raise ValidationError(_("A subject cannot be a member of itself."))


# --- Processes ------------------------------------------------------------------------------


class ProcessKind(models.TextChoices):
    CRISIS = "crisis", _("Crisis and emergency")
    STRENGTHENING = "strengthening", _("Organisational strengthening")


class ProcessStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("process status", "Open")
    ACTIVE = "active", pgettext_lazy("process status", "Active")
    PAUSED = "paused", pgettext_lazy("process status", "Paused")
    CLOSED = "closed", pgettext_lazy("process status", "Closed")


# abierto -> activo -> en pausa -> cerrado; a pause can resume; nothing leaves "closed".
PROCESS_TRANSITIONS = {
    ProcessStatus.OPEN: {ProcessStatus.ACTIVE, ProcessStatus.PAUSED, ProcessStatus.CLOSED},
    ProcessStatus.ACTIVE: {ProcessStatus.PAUSED, ProcessStatus.CLOSED},
    ProcessStatus.PAUSED: {ProcessStatus.ACTIVE, ProcessStatus.CLOSED},
    ProcessStatus.CLOSED: set(),
}


class Process(VersionedModel):
    """One accompaniment of one political subject. Its team drives record-level access."""

    subject = models.ForeignKey(
        PoliticalSubject, on_delete=models.PROTECT, related_name="processes"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ProcessKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ProcessStatus.choices, default=ProcessStatus.OPEN
    )
    status_reason = EncryptedTextField(_("reason for the last status change"), blank=True)
    closing_summary = EncryptedTextField(_("closing summary"), blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_processes",
        verbose_name=_("lead"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="processes", verbose_name=_("team"), blank=True
    )
    frequency_days = models.PositiveSmallIntegerField(
        _("agreed frequency (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("How often the team agreed to meet, in days."),
    )
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)
    # Kept by the session service: the dashboard and attention lists read it
    # instead of aggregating 200,000 sessions on every page.
    last_session_on = models.DateField(_("last session"), null=True, blank=True)
    # Kept by the assessment service (and the seeders): the attention list of old
    # processes never assessed reads it instead of hashing 70,000 assessments.
    last_assessed_on = models.DateField(_("last assessment"), null=True, blank=True, editable=False)
    follow_up_reminded_on = models.DateField(null=True, blank=True, editable=False)
    is_archived = models.BooleanField(_("archived"), default=False)

    # What the process edit form changes (status has its own workflow).
    EDITABLE_FIELDS = ("lead", "team", "frequency_days", "next_follow_up")

    class Meta:
        verbose_name = _("accompaniment process")
        verbose_name_plural = _("accompaniment processes")
        ordering = ["-opened_on"]
        indexes = [
            models.Index(fields=["status", "next_follow_up"]),
            models.Index(fields=["subject", "-opened_on"]),
            models.Index(fields=["lead", "status"]),
            # The coordinators' dashboard counts running strengthening processes
            # joined to their subject: an index-only merge join instead of two seq scans.
            models.Index(
                fields=["subject"],
                condition=Q(kind="strengthening", is_archived=False) & ~Q(status="closed"),
                name="process_strengthening_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject.alias} · {self.get_kind_display()}"

    @property
    def is_closed(self) -> bool:
        return self.status == ProcessStatus.CLOSED

    @property
    def is_read_only(self) -> bool:
        """Closed and archived processes are kept as they are."""
        return self.is_closed or self.is_archived

    def can_move_to(self, status: str) -> bool:
        return status in PROCESS_TRANSITIONS[ProcessStatus(self.status)]


class ObjectiveStatus(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    MET = "met", _("Met")
    DROPPED = "dropped", _("Dropped")


class Objective(VersionedModel):
    """An objective agreed with the subject, in one of the four fields."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="objectives")
    field = models.CharField(_("field"), max_length=24, choices=PsychosocialField.choices)
    description = EncryptedTextField(_("objective"))
    status = models.CharField(
        _("status"), max_length=16, choices=ObjectiveStatus.choices, default=ObjectiveStatus.AGREED
    )

    EDITABLE_FIELDS = ("field", "description", "status")

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["field", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_field_display()} · {self.get_status_display()}"


class ObjectiveChange(models.Model):
    """A status change of an objective, for the process timeline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=16, choices=ObjectiveStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ObjectiveStatus.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["changed_at"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class FieldAssessment(VersionedModel):
    """A periodic 1-5 assessment of one field of a process."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="assessments")
    field = models.CharField(_("field"), max_length=24, choices=PsychosocialField.choices)
    assessed_on = models.DateField(_("assessed on"))
    score = models.PositiveSmallIntegerField(
        _("score (1-5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    indicator_notes = EncryptedTextField(_("indicator notes"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    EDITABLE_FIELDS = ("field", "assessed_on", "score", "indicator_notes")

    class Meta:
        verbose_name = _("field assessment")
        verbose_name_plural = _("field assessments")
        ordering = ["-assessed_on"]
        indexes = [models.Index(fields=["process", "field", "-assessed_on"])]

    def __str__(self) -> str:
        return f"{self.get_field_display()} {self.score}/5 ({self.assessed_on})"


# --- Sessions ---------------------------------------------------------------------------------


class SessionModality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    SECURE_MESSAGING = "secure_messaging", _("Secure messaging")


class Session(VersionedModel):
    """One meeting within a process. Notes and agreements are encrypted."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="sessions")
    started_at = models.DateTimeField(_("date and time"))
    modality = models.CharField(_("modality"), max_length=20, choices=SessionModality.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(720)],
    )
    # One boolean per field: aggregations ("sessions by field") stay plain SQL on
    # PostgreSQL and SQLite alike.
    works_psychoemotional = models.BooleanField(_("psycho-emotional"), default=False)
    works_internal_dynamics = models.BooleanField(_("internal dynamics"), default=False)
    works_security = models.BooleanField(_("security"), default=False)
    works_political_project = models.BooleanField(_("political project"), default=False)
    participants_count = models.PositiveSmallIntegerField(
        _("participants"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    impacts = models.ManyToManyField(
        PsychosocialImpact, blank=True, related_name="+", verbose_name=_("psychosocial impacts")
    )
    coping_mechanisms = models.ManyToManyField(
        CopingMechanism, blank=True, related_name="+", verbose_name=_("coping mechanisms")
    )
    agreements = EncryptedTextField(_("agreements"), blank=True)
    next_session_on = models.DateField(_("next session"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    # Plain attributes the session form edits; the four fields worked (FIELD_FLAGS)
    # and the two catalogue lists are handled apart.
    EDITABLE_FIELDS = (
        "started_at",
        "modality",
        "duration_minutes",
        "participants_count",
        "notes",
        "agreements",
        "next_session_on",
    )
    FIELD_FLAGS = {
        PsychosocialField.PSYCHOEMOTIONAL: "works_psychoemotional",
        PsychosocialField.INTERNAL_DYNAMICS: "works_internal_dynamics",
        PsychosocialField.SECURITY: "works_security",
        PsychosocialField.POLITICAL_PROJECT: "works_political_project",
    }

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["process", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.get_modality_display()} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def fields_worked(self) -> list[PsychosocialField]:
        return [field for field, flag in self.FIELD_FLAGS.items() if getattr(self, flag)]


# --- Risk ---------------------------------------------------------------------------------------


class RiskLevel(models.TextChoices):
    """How much danger a subject is in: crisis response and security both grade it."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


# Most at risk first (the crisis board, security's trend arrows).
RISK_ORDER = {RiskLevel.CRITICAL: 0, RiskLevel.HIGH: 1, RiskLevel.MEDIUM: 2, RiskLevel.LOW: 3}
