from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccompanimentConfig(AppConfig):
    name = "accompaniment"
    verbose_name = _("Accompaniment")

    def ready(self):
        from aluna.accounts.roles import Role
        from aluna.core.navigation import NavItem, register
        from aluna.core.seeding import register_seeder

        from .seeding import seed_demo_data
        from .seeding_crisis import seed_crisis

        register_seeder("accompaniment", seed_demo_data, order=10)
        register_seeder("accompaniment.crisis", seed_crisis, order=15)

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
                label=_("Crisis board"),
                url_name="accompaniment:crisis-board",
                roles=frozenset({Role.COORDINATION, Role.ACCOMPANIMENT}),
                icon="exclamation-octagon",
                order=9,
            )
        )
        register(
            NavItem(
                label=_("Aggressions"),
                url_name="accompaniment:aggression-list",
                roles=frozenset({Role.COORDINATION, Role.ACCOMPANIMENT}),
                icon="shield-exclamation",
                order=13,
            )
        )
        register(
            NavItem(
                label=_("On-call roster"),
                url_name="accompaniment:roster",
                roles=frozenset({Role.COORDINATION}),
                icon="telephone",
                order=14,
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
