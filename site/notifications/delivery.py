"""Copies of inbox notifications that leave the site: by text message or e-mail.

Runs in the background only (see ``notifications.tasks``), never in a request.

The channel rule
    A person chooses a channel per kind (text message by default). If that channel
    is impossible for them (text message chosen but no phone number, e-mail chosen
    but no address) the copy goes by the other channel when that one is possible;
    when neither is, it stays in the inbox only and is never marked delivered.

Never twice
    Before sending, the rows are *claimed*: ``UPDATE ... SET delivered_at = now
    WHERE pk IN (...) AND delivered_at IS NULL``, with the rows locked ``FOR UPDATE
    SKIP LOCKED`` on PostgreSQL (SQLite serialises writers), so two workers, a
    retried task or a second digest run can never claim the same row twice. Only
    what was claimed is sent. If sending fails (``SmsError``, an SMTP error) the
    claim is released, the failure is logged and the rows wait for the next run.
    A worker that dies between claim and send loses that copy (the inbox keeps the
    notification): we choose at most once over at least once.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby
from operator import attrgetter

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.sms import SmsError, send_sms
from notifications.models import Channel, Delivery, Kind, Notification
from notifications.selectors import with_delivery_preferences

logger = logging.getLogger(__name__)

# A digest covers unread notifications of the last week: older ones stay in the
# inbox (a message about last month's meeting helps nobody).
DIGEST_WINDOW = timedelta(days=7)
# An "at once" notification still undelivered after this long failed (or its task
# was lost): the digest picks it up. Younger ones are left to their own task.
IMMEDIATE_GRACE = timedelta(minutes=30)
DIGEST_EMAIL_TITLES = 5
SMS_TITLE_CHARS = 12
DIGEST_BATCH = 200


class DeliveryError(Exception):
    """A message could not be handed to the SMS provider or the mail server."""


@dataclass(frozen=True)
class Message:
    subject: str
    body: str  # e-mail body
    sms: str  # short text message


@dataclass
class DigestResult:
    people: int = 0
    messages: int = 0
    failures: int = 0


def channel_for(*, user, chosen: str) -> str | None:
    """The channel a copy actually takes; None when it can only stay in the inbox."""
    possible = {Channel.SMS: bool(user.phone), Channel.EMAIL: bool(user.email)}
    if possible.get(chosen):
        return chosen
    other = Channel.EMAIL if chosen == Channel.SMS else Channel.SMS
    return other.value if possible[other] else None


def absolute_url(url: str) -> str:
    if url.startswith("/"):
        return settings.SITE_URL + url
    return url


def _inbox_url() -> str:
    return absolute_url(reverse("notifications:inbox"))


def _preferences_url() -> str:
    return absolute_url(reverse("notifications:preferences"))


# Claiming -------------------------------------------------------------------


def claim(ids: Sequence[int]) -> tuple[list[int], datetime]:
    """Mark the still-undelivered rows among ``ids`` delivered; return those claimed."""
    stamp = timezone.now()
    with transaction.atomic():
        free = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, delivered_at__isnull=True)
            .order_by()
            .values_list("pk", flat=True)
        )
        if not free:
            return [], stamp
        updated = Notification.objects.filter(
            pk__in=free, delivered_at__isnull=True
        ).update(delivered_at=stamp)
        if updated != len(free):  # only without row locks; trust the stamp
            free = list(
                Notification.objects.filter(
                    pk__in=free, delivered_at=stamp
                ).values_list("pk", flat=True)
            )
    return free, stamp


def release(ids: Sequence[int], stamp: datetime) -> None:
    """Undo our own claim after a failed send, so the next run tries again."""
    Notification.objects.filter(pk__in=ids, delivered_at=stamp).update(
        delivered_at=None
    )


# Sending --------------------------------------------------------------------


def send(*, user, channel: str, message: Message) -> None:
    try:
        if channel == Channel.SMS:
            send_sms(phone=user.phone, text=message.sms)
        else:
            send_mail(
                message.subject,
                message.body,
                None,
                [user.email],
                fail_silently=False,
            )
    except (SmsError, smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(str(exc)) from exc


def _claim_and_send(*, user, channel: str, notifications: list[Notification], build):
    """Claim, build the message from what was claimed, send; release on failure.

    Returns True if a message left, False if nothing was left to claim, and raises
    DeliveryError after releasing the claim."""
    claimed, stamp = claim([n.pk for n in notifications])
    if not claimed:
        return False
    claimed_set = set(claimed)
    message = build([n for n in notifications if n.pk in claimed_set])
    try:
        send(user=user, channel=channel, message=message)
    except DeliveryError:
        release(claimed, stamp)
        raise
    return True


# At once ----------------------------------------------------------------------


def _title_with_village(notification: Notification, chars: int | None = None) -> str:
    title = notification.title
    if chars is not None:
        title = Truncator(title).chars(chars)
    if notification.village_id:
        return _("%(village)s: %(title)s") % {
            "village": notification.village.name,
            "title": title,
        }
    return title


def immediate_message(notification: Notification) -> Message:
    link = absolute_url(notification.url) if notification.url else _inbox_url()
    parts = [notification.body, _("Open it: %(url)s") % {"url": link}]
    parts.append(
        _("You get this at once because of your settings: %(url)s")
        % {"url": _preferences_url()}
    )
    return Message(
        subject=_title_with_village(notification),
        body="\n\n".join(p for p in parts if p),
        sms=_("%(title)s %(url)s")
        % {"title": _title_with_village(notification, 30), "url": link},
    )


def deliver_immediately(*, notification_ids: Iterable[int]) -> int:
    """Send each still-undelivered, unread "at once" notification by its channel.

    Returns how many messages left."""
    pending = (
        with_delivery_preferences(
            Notification.objects.filter(
                pk__in=list(notification_ids),
                delivered_at__isnull=True,
                read_at__isnull=True,
            )
        )
        .filter(pref_delivery=Delivery.IMMEDIATE)
        .select_related("recipient", "village")
    )
    sent = 0
    for notification in pending:
        user = notification.recipient
        channel = channel_for(user=user, chosen=notification.pref_channel)
        if channel is None:
            continue
        try:
            if _claim_and_send(
                user=user,
                channel=channel,
                notifications=[notification],
                build=lambda claimed: immediate_message(claimed[0]),
            ):
                sent += 1
        except DeliveryError as exc:
            logger.warning(
                "Notification %s to user %s by %s failed, left for the digest: %s",
                notification.pk,
                user.pk,
                channel,
                exc,
            )
    return sent


# Daily digest -----------------------------------------------------------------


def digest_message(notifications: list[Notification]) -> Message:
    """One message for many notifications, newest first."""
    count = len(notifications)
    per_kind: dict[str, int] = {}
    for notification in notifications:
        per_kind[notification.kind] = per_kind.get(notification.kind, 0) + 1
    inbox = _inbox_url()
    subject = ngettext(
        "You have %(count)d new message",
        "You have %(count)d new messages",
        count,
    ) % {"count": count}
    lines = [subject + ":", ""]
    lines += [
        f"- {Kind(kind).label}: {n}"
        for kind, n in sorted(per_kind.items(), key=lambda item: -item[1])
    ]
    lines += ["", _("Newest:")]
    lines += [
        f"- {_title_with_village(n)}" for n in notifications[:DIGEST_EMAIL_TITLES]
    ]
    if count > DIGEST_EMAIL_TITLES:
        lines.append(_("… and %(more)d more") % {"more": count - DIGEST_EMAIL_TITLES})
    lines += [
        "",
        _("Read them all in your inbox: %(url)s") % {"url": inbox},
        _("Choose how you get these messages: %(url)s") % {"url": _preferences_url()},
    ]
    # 70 characters is one text message in Chinese: count, newest title, link.
    sms = ngettext(
        "You have %(count)d new message, newest: %(title)s. %(url)s",
        "You have %(count)d new messages, newest: %(title)s. %(url)s",
        count,
    ) % {
        "count": count,
        "title": Truncator(notifications[0].title).chars(SMS_TITLE_CHARS),
        "url": inbox,
    }
    return Message(subject=subject, body="\n".join(lines), sms=sms)


def _digest_candidates(now: datetime):
    return with_delivery_preferences(
        Notification.objects.filter(
            delivered_at__isnull=True,
            read_at__isnull=True,
            created_at__gte=now - DIGEST_WINDOW,
            created_at__lte=now,
        )
    ).filter(
        Q(pref_delivery=Delivery.DIGEST)
        | Q(pref_delivery=Delivery.IMMEDIATE, created_at__lt=now - IMMEDIATE_GRACE)
    )


def _digest_for_person(notifications: list[Notification], result: DigestResult) -> None:
    user = notifications[0].recipient
    by_channel: dict[str, list[Notification]] = {}
    for notification in notifications:
        channel = channel_for(user=user, chosen=notification.pref_channel)
        if channel is not None:
            by_channel.setdefault(channel, []).append(notification)
    reached = False
    for channel, items in by_channel.items():
        try:
            if _claim_and_send(
                user=user, channel=channel, notifications=items, build=digest_message
            ):
                result.messages += 1
                reached = True
        except DeliveryError as exc:
            result.failures += 1
            logger.warning(
                "Digest to user %s by %s failed, left for the next run: %s",
                user.pk,
                channel,
                exc,
            )
    if reached:
        result.people += 1


def send_digests(*, now: datetime | None = None) -> DigestResult:
    """For every person with undelivered digest notifications, one message per
    channel summarising them. Safe to run again: claimed rows are never resent."""
    now = now or timezone.now()
    candidates = _digest_candidates(now)
    recipient_ids = sorted(
        set(candidates.order_by().values_list("recipient_id", flat=True))
    )
    result = DigestResult()
    for start in range(0, len(recipient_ids), DIGEST_BATCH):
        batch = recipient_ids[start : start + DIGEST_BATCH]
        rows = (
            candidates.filter(recipient_id__in=batch)
            .select_related("recipient", "village")
            .order_by("recipient_id", "-created_at", "-pk")
        )
        for _recipient, group in groupby(rows, key=attrgetter("recipient_id")):
            _digest_for_person(list(group), result)
    return result
