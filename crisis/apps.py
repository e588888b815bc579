from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from aluna.core.roles import Role

CASE_ROLES = frozenset({Role.ACCOMPANIMENT, Role.COORDINATION})
# The record types these models had in the audit trail while they lived in the
# accompaniment app: "who consulted this record" keeps showing those events.
MOVED_FROM_ACCOMPANIMENT = (
    "aggression",
    "aggressionreport",
    "crisisintervention",
    "crisisalert",
    "crisisfollowup",
    "oncallshift",
)


class CrisisConfig(AppConfig):
    """Crisis response: aggressions, crisis interventions, alerts, follow-ups and the
    on-call roster. Built on the accompaniment hub, which knows nothing of it."""

    name = "crisis"
    verbose_name = _("Crisis response")

    def ready(self):
        from accompaniment.signals import session_recorded
        from accompaniment.timeline import register_timeline_source
        from aluna.audit.selectors import register_target_alias
        from aluna.core.home import HomePanel, register_home_panel
        from aluna.core.navigation import NavItem, register, register_quick_action
        from aluna.core.seeding import register_seeder

        from . import home, receivers
        from .seeding import seed_crisis
        from .timeline import intervention_entries

        register_seeder("crisis", seed_crisis, order=15)
        register_timeline_source("crisis.interventions", intervention_entries)
        session_recorded.connect(
            receivers.complete_follow_up_on_session, dispatch_uid="crisis.follow_up_on_session"
        )
        for model in MOVED_FROM_ACCOMPANIMENT:
            register_target_alias(f"crisis.{model}", f"accompaniment.{model}")
        log_crisis = NavItem(
            label=_("Log a crisis"),
            url_name="crisis:crisis-create",
            group="crisis",
            roles=CASE_ROLES,
            icon="plus-circle",
            order=8,
        )
        register(log_crisis)
        register_quick_action(log_crisis)
        register(
            NavItem(
                label=_("Crisis board"),
                url_name="crisis:crisis-board",
                group="crisis",
                roles=CASE_ROLES,
                icon="exclamation-octagon",
                order=9,
            )
        )
        register(
            NavItem(
                label=_("Aggressions"),
                url_name="crisis:aggression-list",
                group="crisis",
                roles=CASE_ROLES,
                icon="shield-exclamation",
                order=13,
            )
        )
        register(
            NavItem(
                label=_("On-call roster"),
                url_name="crisis:roster",
                group="crisis",
                roles=frozenset({Role.COORDINATION}),
                icon="telephone",
                order=14,
            )
        )
        register_home_panel(
            HomePanel(
                key="crisis.log",
                template="crisis/home/log_crisis.html",
                context=home.log_crisis_panel,
                roles=CASE_ROLES,
                order=0,
                wide=True,
            )
        )
        register_home_panel(
            HomePanel(
                key="crisis.open",
                template="crisis/home/open_crises.html",
                context=home.open_crises_panel,
                roles=CASE_ROLES,
                order=10,
            )
        )
        register_home_panel(
            HomePanel(
                key="crisis.response_times",
                template="crisis/home/response_times.html",
                context=home.response_times_panel,
                roles=frozenset({Role.COORDINATION}),
                order=30,
            )
        )
        register_home_panel(
            HomePanel(
                key="crisis.follow_ups",
                template="crisis/home/follow_ups.html",
                context=home.follow_ups_due_panel,
                roles=CASE_ROLES,
                order=20,
            )
        )
