from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        from aluna.core.home import HomePanel, register_home_panel
        from aluna.core.navigation import NavItem, register
        from aluna.core.roles import Role
        from aluna.core.seeding import register_seeder

        from . import home
        from .seeding import seed_training

        register(
            NavItem(
                label=_("Training"),
                url_name="training:index",
                group="training",
                roles=frozenset({Role.TRAINING, Role.COORDINATION}),
                icon="mortarboard",
                order=30,
            )
        )
        register_seeder("training", seed_training, order=40)
        register_home_panel(
            HomePanel(
                key="training.sessions_today",
                template="training/home/sessions_today.html",
                context=home.sessions_today_panel,
                roles=frozenset({Role.TRAINING}),
                order=10,
            )
        )
