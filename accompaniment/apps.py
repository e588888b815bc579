from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccompanimentConfig(AppConfig):
    name = "accompaniment"
    verbose_name = _("Accompaniment")

    def ready(self):
        from aluna.core.navigation import NavItem, register
        from aluna.core.roles import Role
        from aluna.core.seeding import register_seeder

        from .seeding import seed_demo_data

        register_seeder("accompaniment", seed_demo_data, order=10)

        register(
            NavItem(
                label=_("Accompaniment"),
                url_name="accompaniment:index",
                roles=frozenset({Role.ACCOMPANIMENT, Role.COORDINATION}),
                icon="people",
                order=10,
            )
        )
        register(
            NavItem(
                label=_("Strengthening review"),
                url_name="accompaniment:dashboard",
                roles=frozenset({Role.COORDINATION}),
                icon="graph-up",
                order=11,
            )
        )
        register(
            NavItem(
                label=_("Attention lists"),
                url_name="accompaniment:attention",
                roles=frozenset({Role.COORDINATION, Role.ACCOMPANIMENT}),
                icon="exclamation-triangle",
                order=12,
            )
        )
        register(
            NavItem(
                label=_("Catalogues"),
                url_name="accompaniment:catalogue-list",
                roles=frozenset({Role.ADMINISTRATION}),
                icon="list-ul",
                order=90,
            )
        )
