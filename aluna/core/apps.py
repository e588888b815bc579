from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "aluna.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.apps import apps
        from django.contrib.auth.signals import user_logged_in
        from django.forms import models as form_models

        from .choices import CatalogueChoiceIterator, track_choices
        from .offline import new_epoch_at_login

        user_logged_in.connect(new_epoch_at_login, dispatch_uid="core.offline_epoch")

        # Every ModelChoiceField (and its multiple twin) offers a catalogue's entries
        # from the cache (aluna/core/choices.py); other models are read as before.
        form_models.ModelChoiceField.iterator = CatalogueChoiceIterator
        track_choices(*(m for m in apps.get_models() if getattr(m, "cache_choices", False)))
