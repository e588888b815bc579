"""Who may do what in accompaniment. Role checks live here, and only here.

- coordinación sees all of accompaniment;
- acompañamiento sees the subjects and processes whose team it is on (the
  lead is always on the team) and the subjects it created;
- administración, formación and incidencia see no case: their views answer 403;
- a record outside the user's scope answers 404 (selectors), never 403.
"""

import rules

from aluna.accounts.roles import Role

CASE_ROLES = (Role.COORDINATION, Role.ACCOMPANIMENT)


@rules.predicate
def is_coordinator(user) -> bool:
    return user.is_authenticated and user.has_role(Role.COORDINATION)


@rules.predicate
def is_case_worker(user) -> bool:
    return user.is_authenticated and user.has_role(*CASE_ROLES)


@rules.predicate
def is_on_team(user, process) -> bool:
    if process is None:
        return False
    return process.team.filter(pk=user.pk).exists()


rules.add_perm("accompaniment.use", is_case_worker)
rules.add_perm("accompaniment.change_process", is_coordinator | is_on_team)
rules.add_perm("accompaniment.delete_subject", is_coordinator)
rules.add_perm("accompaniment.export_subject_file", is_coordinator)
rules.add_perm("accompaniment.view_dashboard", is_coordinator)
