from django.db.models import QuerySet

from notifications.models import Notification


def inbox_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("village")
