from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "aluna.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from aluna.core.navigation import NavItem, register

        from . import signals  # noqa: F401
        from .roles import Role

        register(
            NavItem(
                label=_("Users"),
                url_name="accounts:user-list",
                roles=frozenset({Role.ADMINISTRATION}),
                icon="people",
                order=80,
            )
        )
