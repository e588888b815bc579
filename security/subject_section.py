"""Security's section of a political subject's page (registered from SecurityConfig.ready)."""

from accompaniment.subject_sections import SubjectSection
from aluna.core.roles import Role

from .selectors import subject_security_overview

SECURITY_ROLES = (Role.COORDINATION, Role.ACCOMPANIMENT)


def security_subject_section(*, subject, user) -> SubjectSection | None:
    """Latest risk per process, measures in force, open check-ins: for the process team and
    coordinación only (the security views' rule); nothing at all for anyone else."""
    if not any(user.has_role(role) for role in SECURITY_ROLES):
        return None
    overview = subject_security_overview(subject=subject, user=user)
    if overview is None:
        return None
    return SubjectSection(
        template_name="security/_subject_section.html", context={"overview": overview}
    )
