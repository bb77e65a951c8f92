from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count_for


def unread_count(request) -> dict:
    """Unread inbox count for the header; lazy, so pages that don't show it pay nothing."""
    user = getattr(request, "user", None)
    return {
        "unread_notifications": SimpleLazyObject(lambda: unread_count_for(user=user))
    }
