from django import template

from aluna.core.roles import Role

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """The translated name of a role code; unknown codes are shown as they are."""
    try:
        return Role(code).label
    except ValueError:
        return code
