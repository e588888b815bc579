from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security and protection")

    def ready(self):
        from accompaniment.subject_sections import register_subject_section
        from accompaniment.timeline import (
            ProcessLink,
            register_process_link,
            register_timeline_source,
        )
        from aluna.core.home import HomePanel, register_home_panel
        from aluna.core.navigation import NavItem, register
        from aluna.core.pagination import track_counts
        from aluna.core.roles import Role
        from aluna.core.seeding import register_seeder

        from . import home
        from .models import ProtectionMeasure

        # The list of measures granted but not implemented keeps its total.
        track_counts(ProtectionMeasure)
        from .seeding import seed_security
        from .subject_section import security_subject_section
        from .timeline import protection_measure_entries, risk_assessment_entries

        register(
            NavItem(
                label=_("Security and protection"),
                url_name="security:index",
                group="security",
                roles=frozenset({Role.ACCOMPANIMENT, Role.COORDINATION}),
                icon="shield-check",
                order=20,
            )
        )
        register_timeline_source("security.risk_assessments", risk_assessment_entries)
        register_timeline_source("security.protection_measures", protection_measure_entries)
        register_process_link(
            ProcessLink(
                label=_("Security and protection"), url_name="security:process", icon="shield-check"
            )
        )
        register_subject_section("security", security_subject_section, order=20)
        register_seeder("security", seed_security, order=20)
        register_home_panel(
            HomePanel(
                key="security.measures_pending",
                template="security/home/measures_pending.html",
                context=home.measures_pending_panel,
                roles=frozenset({Role.COORDINATION}),
                order=50,
            )
        )
