from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security and protection")

    def ready(self):
        from aluna.accounts.roles import Role
        from aluna.core.navigation import NavItem, register

        register(
            NavItem(
                label=_("Security and protection"),
                url_name="security:index",
                roles=frozenset({Role.ACCOMPANIMENT, Role.COORDINATION}),
                icon="shield-check",
                order=20,
            )
        )
