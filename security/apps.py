from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security and protection")

    def ready(self):
        from accompaniment.timeline import (
            ProcessLink,
            register_process_link,
            register_timeline_source,
        )
        from aluna.accounts.roles import Role
        from aluna.core.navigation import NavItem, register

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
