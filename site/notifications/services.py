"""Writes: the one way any part of the product notifies people, and inbox upkeep."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from notifications.models import Channel, Delivery, Kind, Notification, Preference
from notifications.selectors import immediate_recipient_ids
from notifications.tasks import deliver_notifications

TITLE_MAX = Notification._meta.get_field("title").max_length
URL_MAX = Notification._meta.get_field("url").max_length


def _check_url(url: str) -> None:
    # The inbox renders it as a link: a path on this site or an http(s) address,
    # never ``javascript:`` or a protocol-relative ``//elsewhere``.
    if not url:
        return
    if len(url) > URL_MAX:
        raise ValueError(f"url is longer than {URL_MAX} characters")
    if url.startswith("/") and not url.startswith("//"):
        return
    if url.startswith(("https://", "http://")):
        return
    raise ValueError(f"url must be a site path or an http(s) address: {url!r}")


@transaction.atomic
def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    village=None,
) -> list[Notification]:
    """Put one notification in each recipient's inbox and hand copies to the queue.

    One INSERT for all recipients (plus one read of "at once" preferences). Nothing
    is sent here: people who chose "at once" for this kind get their copy from
    ``tasks.deliver_notifications``, enqueued only when the caller's transaction
    commits; "daily digest" (the default) waits for ``send_notification_digests``;
    "only in my inbox" never leaves the site. Inactive accounts and duplicates are
    skipped.
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind: {kind!r}")
    _check_url(url)
    people = {r.pk: r for r in recipients if getattr(r, "is_active", True)}
    if not people:
        return []
    title = Truncator(title).chars(TITLE_MAX)
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=person,
                village=village,
                kind=kind,
                title=title,
                body=body,
                url=url,
            )
            for person in people.values()
        ]
    )
    at_once = immediate_recipient_ids(user_ids=list(people), kind=kind)
    ids = [n.pk for n in notifications if n.recipient_id in at_once]
    if ids:
        # robust: the inbox rows are committed; if the queue is down, log it and
        # let the digest pick these up after its grace period.
        transaction.on_commit(
            partial(deliver_notifications.enqueue, notification_ids=ids), robust=True
        )
    return notifications


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one notification read (the caller fetched it from the owner's inbox)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of this person read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_save(*, user, choices: Mapping[str, tuple[str, str]]) -> None:
    """Store ``{kind: (delivery, channel)}`` for this person in one statement."""
    for kind, (delivery, channel) in choices.items():
        if (
            kind not in Kind.values
            or delivery not in Delivery.values
            or channel not in Channel.values
        ):
            raise ValueError(f"invalid preference {kind}: {delivery}/{channel}")
    Preference.objects.bulk_create(
        [
            Preference(user=user, kind=kind, delivery=delivery, channel=channel)
            for kind, (delivery, channel) in choices.items()
        ],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["delivery", "channel"],
    )
