from django import template

from ..selectors import notification_unread_count

register = template.Library()


@register.simple_tag
def unread_notification_count(user) -> int:
    return notification_unread_count(user=user)
