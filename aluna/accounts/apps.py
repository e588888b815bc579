from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from aluna.core.navigation import NavItem, register
from aluna.core.roles import Role
from aluna.core.seeding import register_seeder


class AccountsConfig(AppConfig):
    name = "aluna.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from aluna.core.home import HomePanel, register_home_panel

        # Both import the models, which exist only once the app registry is ready.
        from . import (
            home,
            signals,  # noqa: F401
        )
        from .seeding import SEEDER_ORDER, seed_users

        register_seeder("users", seed_users, order=SEEDER_ORDER)
        register(
            NavItem(
                label=_("Users"),
                url_name="accounts:user-list",
                group="admin",
                roles=frozenset({Role.ADMINISTRATION}),
                icon="people",
                order=80,
            )
        )
        register_home_panel(
            HomePanel(
                key="accounts.users",
                template="accounts/home/users.html",
                context=home.users_panel,
                roles=frozenset({Role.ADMINISTRATION}),
                order=10,
            )
        )
