from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccompanimentConfig(AppConfig):
    name = "accompaniment"
    verbose_name = _("Accompaniment")

    def ready(self):
        from aluna.core.home import HomePanel, register_home_panel
        from aluna.core.navigation import NavItem, register
        from aluna.core.pagination import track_counts
        from aluna.core.roles import Role
        from aluna.core.seeding import register_seeder

        from . import home
        from .models import PoliticalSubject, Process
        from .seeding import seed_demo_data

        register_seeder("accompaniment", seed_demo_data, order=10)

        # The subject list and the dashboard keep their totals (aluna/core/pagination.py).
        track_counts(
            PoliticalSubject, PoliticalSubject.areas.through, Process, Process.team.through
        )

        register(
            NavItem(
                label=_("Political subjects"),
                url_name="accompaniment:index",
                group="cases",
                roles=frozenset({Role.ACCOMPANIMENT, Role.COORDINATION}),
                icon="people",
                order=10,
            )
        )
        register(
            NavItem(
                label=_("Strengthening review"),
                url_name="accompaniment:dashboard",
                group="cases",
                roles=frozenset({Role.COORDINATION}),
                icon="graph-up",
                order=11,
            )
        )
        register(
            NavItem(
                label=_("Attention lists"),
                url_name="accompaniment:attention",
                group="cases",
                roles=frozenset({Role.COORDINATION, Role.ACCOMPANIMENT}),
                icon="exclamation-triangle",
                order=12,
            )
        )
        register(
            NavItem(
                label=_("Catalogues"),
                url_name="accompaniment:catalogue-list",
                group="admin",
                roles=frozenset({Role.ADMINISTRATION}),
                icon="list-ul",
                order=90,
            )
        )
        register_home_panel(
            HomePanel(
                key="accompaniment.sessions_due",
                template="accompaniment/home/sessions_due.html",
                context=home.sessions_due_panel,
                roles=frozenset({Role.ACCOMPANIMENT}),
                order=30,
            )
        )
        register_home_panel(
            HomePanel(
                key="accompaniment.attention",
                template="accompaniment/home/attention.html",
                context=home.attention_panel,
                roles=frozenset({Role.ACCOMPANIMENT, Role.COORDINATION}),
                order=40,
            )
        )
