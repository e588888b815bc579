from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "aluna.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from aluna.core.navigation import NavItem, register
        from aluna.core.roles import Role

        from . import receivers  # noqa: F401  (connects the sign-in receivers)

        register(
            NavItem(
                label=_("Audit log"),
                url_name="audit:list",
                group="admin",
                roles=frozenset({Role.ADMINISTRATION}),
                icon="journal-text",
                order=90,
            )
        )
