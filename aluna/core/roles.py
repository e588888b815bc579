"""The five roles of the organisation. A user may hold several.

Roles are stored as Django groups whose name is the role code (aluna.accounts
creates the groups and gives users their roles). The enum lives here, below
every shared app, because all of them check roles: accounts, audit, core's
access decorator and navigation.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATION = "administracion", _("Administration")
    COORDINATION = "coordinacion", _("Coordination")
    ACCOMPANIMENT = "acompanamiento", _("Accompaniment")
    TRAINING = "formacion", _("Training")
    ADVOCACY = "incidencia", _("Advocacy")
