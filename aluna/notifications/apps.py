from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "aluna.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from aluna.accounts.user_facts import register_user_fact

        from .selectors import UNREAD_FACT, unread_count_subquery

        register_user_fact(UNREAD_FACT, unread_count_subquery)
