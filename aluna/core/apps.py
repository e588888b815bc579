from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "aluna.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .offline import new_epoch_at_login

        user_logged_in.connect(new_epoch_at_login, dispatch_uid="core.offline_epoch")
