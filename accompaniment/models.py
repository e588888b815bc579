import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# --- Catalogues -------------------------------------------------------------------
# The lists users pick from (DOMAIN.md, "Lists users pick from"). Seeded by a data
# migration, extended by administración. Other records point at entries, so an entry
# in use is deactivated, never deleted: old records keep their label, new forms stop
# offering it.


class CatalogueEntry(models.Model):
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
