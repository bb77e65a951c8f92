"""Reads: a person's inbox, their unread count and their delivery preferences."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from notifications.models import Channel, Delivery, Kind, Notification, Preference

# What a person gets for a kind they never chose anything for.
DEFAULT_DELIVERY = Delivery.DIGEST
DEFAULT_CHANNEL = Channel.SMS

INBOX_ORDER_NEWEST = "newest"
INBOX_ORDER_UNREAD = "unread"


def inbox_for(
    *, user, kind: str = "", order: str = INBOX_ORDER_NEWEST
) -> QuerySet[Notification]:
    """A person's own notifications, and nobody else's, with their villages."""
    notifications = Notification.objects.filter(recipient=user).select_related(
        "village"
    )
    if kind:
        notifications = notifications.filter(kind=kind)
    if order == INBOX_ORDER_UNREAD:
        notifications = notifications.annotate(
            is_unread=ExpressionWrapper(
                Q(read_at__isnull=True), output_field=BooleanField()
            )
        ).order_by("-is_unread", "-created_at", "-pk")
    return notifications


def unread_count_for(*, user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences_for(*, user) -> dict[str, tuple[str, str]]:
    """``{kind: (delivery, channel)}`` for every kind, defaults filled in."""
    chosen = {
        kind: (delivery, channel)
        for kind, delivery, channel in Preference.objects.filter(user=user).values_list(
            "kind", "delivery", "channel"
        )
    }
    return {
        kind: chosen.get(kind, (DEFAULT_DELIVERY.value, DEFAULT_CHANNEL.value))
        for kind in Kind.values
    }


def immediate_recipient_ids(*, user_ids: list[int], kind: str) -> set[int]:
    """Of these people, those who want this kind at once."""
    return set(
        Preference.objects.filter(
            user_id__in=user_ids, kind=kind, delivery=Delivery.IMMEDIATE
        ).values_list("user_id", flat=True)
    )


def with_delivery_preferences(
    notifications: QuerySet[Notification],
) -> QuerySet[Notification]:
    """Annotate each notification with its recipient's ``pref_delivery`` and
    ``pref_channel`` for its kind (the defaults when no Preference row exists)."""
    preference = Preference.objects.filter(
        user=OuterRef("recipient"), kind=OuterRef("kind")
    )
    return notifications.annotate(
        pref_delivery=Coalesce(
            Subquery(preference.values("delivery")[:1]), Value(DEFAULT_DELIVERY.value)
        ),
        pref_channel=Coalesce(
            Subquery(preference.values("channel")[:1]), Value(DEFAULT_CHANNEL.value)
        ),
    )
