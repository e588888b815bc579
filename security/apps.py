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
        from aluna.core.navigation import NavItem, register
        from aluna.core.roles import Role
        from aluna.core.seeding import register_seeder

        from .seeding import seed_security
        from .subject_section import security_subject_section
        from .timeline import protection_measure_entries, risk_assessment_entries

        register(
            NavItem(
                label=_("Security and protection"),
                url_name="security:index",
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
