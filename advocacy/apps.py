from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from aluna.core.navigation import NavItem, register
from aluna.core.roles import Role
from aluna.core.seeding import register_seeder


class AdvocacyConfig(AppConfig):
    name = "advocacy"
    verbose_name = _("Advocacy")

    def ready(self):
        from aluna.core.home import HomePanel, register_home_panel

        from . import home

        # Both import models, which exist only once the app registry is ready.
        from .aggregates import register_default_sections
        from .seeding import seed_advocacy

        register_default_sections()
        register_seeder("advocacy", seed_advocacy, order=50)
        register(
            NavItem(
                label=_("Advocacy"),
                url_name="advocacy:index",
                group="advocacy",
                roles=frozenset({Role.ADVOCACY, Role.COORDINATION}),
                icon="megaphone",
                order=40,
            )
        )
        register_home_panel(
            HomePanel(
                key="advocacy.reports_due",
                template="advocacy/home/reports_due.html",
                context=home.reports_due_panel,
                roles=frozenset({Role.ADVOCACY}),
                order=10,
            )
        )
