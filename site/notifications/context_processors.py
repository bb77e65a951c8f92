from django.utils.functional import SimpleLazyObject


def unread_count(request) -> dict:
    """Unread inbox count for the header; lazy, so pages that don't show it pay nothing."""
    user = getattr(request, "user", None)

    def count() -> int:
        if user is None or not user.is_authenticated:
            return 0
        return user.notifications.filter(read_at__isnull=True).count()

    return {"unread_notifications": SimpleLazyObject(count)}
