"""Template helpers of the coordinators' review."""

from django import template
from django.utils.translation import ngettext

from ..charts import score_sparkline

register = template.Library()


@register.filter
def sparkline(status):
    """The small trend line of a dashboard FieldStatus, with its scores in words."""
    scores = status.history
    label = ngettext(
        "%(field)s, last %(count)s assessment, oldest first: %(scores)s",
        "%(field)s, last %(count)s assessments, oldest first: %(scores)s",
        len(scores),
    ) % {"field": status.label, "count": len(scores), "scores": ", ".join(map(str, scores))}
    return score_sparkline(scores=scores, label=label)
