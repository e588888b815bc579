"""The five roles of the organisation. A user may hold several.

Roles are stored as Django groups whose name is the role code, so the admin
can assign them and `rules` predicates can test them cheaply.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATION = "administracion", _("Administration")
    COORDINATION = "coordinacion", _("Coordination")
    ACCOMPANIMENT = "acompanamiento", _("Accompaniment")
    TRAINING = "formacion", _("Training")
    ADVOCACY = "incidencia", _("Advocacy")
