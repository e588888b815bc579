"""Template filters every app's pages share."""

from django import template
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def since(value, now=None):
    """How long ago, in its largest unit only ("5 días", not "5 días, 22 horas"):
    enough to read at a glance, and free of the comma Django's Spanish leaves
    without a space."""
    if not value:
        return ""
    return timesince(value, now, depth=1)
