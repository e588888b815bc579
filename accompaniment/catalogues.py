"""The registry of catalogues administración can edit: URL slug -> model and wording."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import (
    AggressionType,
    AreaOfDefence,
    CatalogueEntry,
    CopingMechanism,
    FederalEntity,
    Perpetrator,
    PsychosocialImpact,
    SubjectKind,
)


@dataclass(frozen=True)
class Catalogue:
    slug: str
    model: type[CatalogueEntry]
    title: str  # lazy translation
    description: str  # lazy translation
    # Model fields edited besides code, labels and position.
    extra_fields: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return ("code", "label_es", "label_en", *self.extra_fields, "position")


CATALOGUES: dict[str, Catalogue] = {
    c.slug: c
    for c in (
        Catalogue(
            "areas-of-defence",
            AreaOfDefence,
            _("Areas of defence"),
            _("The rights a political subject defends."),
        ),
        Catalogue(
            "subject-kinds",
            SubjectKind,
            _("Kinds of political subject"),
            _("Defender, organisation, collective, community, network, ..."),
        ),
        Catalogue(
            "psychosocial-impacts",
            PsychosocialImpact,
            _("Psychosocial impacts"),
            _("How violence shows, and in which dimension."),
            extra_fields=("dimension",),
        ),
        Catalogue(
            "coping-mechanisms",
            CopingMechanism,
            _("Coping mechanisms"),
            _("What people do to face violence."),
        ),
        Catalogue(
            "federal-entities",
            FederalEntity,
            _("Federal entities"),
            _("Mexico's 32 states; the code is the INEGI key."),
        ),
        Catalogue(
            "aggression-types",
            AggressionType,
            _("Types of aggression"),
            _("Attacks and threats against defenders."),
        ),
        Catalogue(
            "perpetrators",
            Perpetrator,
            _("Perpetrators"),
            _("Who is behind an aggression; several may collude."),
        ),
    )
}
