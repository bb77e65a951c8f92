from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

import pytest

from accounts import sms
from notifications import delivery
from notifications.models import Channel, Delivery, Kind, Notification
from tests.factories import UserFactory
from tests.notifications.factories import NotificationFactory, PreferenceFactory


def _notifications(person, *kinds, village=None):
    return [
        NotificationFactory(
            recipient=person, kind=kind, title=f"Title {i}", village=village
        )
        for i, kind in enumerate(kinds)
    ]


@pytest.mark.django_db
def test_one_sms_per_person_summarising_all_and_a_second_run_sends_nothing(village):
    li = UserFactory()
    wang = UserFactory()
    _notifications(li, Kind.POINTS, Kind.POINTS, Kind.NOTICE, village=village)
    _notifications(wang, Kind.SHOP)

    first = delivery.send_digests()

    assert (first.people, first.messages, first.failures) == (2, 2, 0)
    by_phone = {m.phone: m.text for m in sms.outbox}
    assert set(by_phone) == {li.phone, wang.phone}
    assert by_phone[li.phone].startswith("You have 3 new messages, newest: Title 2.")
    assert "https://xiangyue.example/me/notifications/" in by_phone[li.phone]
    assert by_phone[wang.phone].startswith("You have 1 new message,")
    assert not Notification.objects.filter(delivered_at__isnull=True).exists()

    second = delivery.send_digests()

    assert (second.people, second.messages) == (0, 0)
    assert len(sms.outbox) == 2


@pytest.mark.django_db
def test_digest_sms_is_short():
    person = UserFactory()
    NotificationFactory(recipient=person, title="村民代表会议" * 30)

    delivery.send_digests()

    text = sms.outbox[0].text
    assert "村民代表会议" * 3 not in text  # the title is cut short
    # Without the link: the English source stays within 50 characters (the
    # Chinese text, "你有 1 条新消息……", within 30).
    assert len(text.replace("https://xiangyue.example/me/notifications/", "")) <= 50


@pytest.mark.django_db
def test_digest_by_email_counts_per_kind_and_names_the_newest(mailoutbox, village):
    person = UserFactory(email="li@example.com")
    for kind in (Kind.POINTS, Kind.NOTICE):
        PreferenceFactory(
            user=person, kind=kind, delivery=Delivery.DIGEST, channel=Channel.EMAIL
        )
    _notifications(person, Kind.POINTS, Kind.POINTS, Kind.NOTICE, village=village)

    delivery.send_digests()

    assert sms.outbox == []
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["li@example.com"]
    assert mail.subject == "You have 3 new messages"
    assert "- Integrity points: 2" in mail.body
    assert "- Notices and disclosures: 1" in mail.body
    assert "柳溪村: Title 2" in mail.body
    assert "https://xiangyue.example/me/notifications/" in mail.body


@pytest.mark.django_db
def test_one_message_per_channel_when_kinds_choose_different_channels(mailoutbox):
    person = UserFactory(email="li@example.com")
    PreferenceFactory(
        user=person, kind=Kind.SHOP, delivery=Delivery.DIGEST, channel=Channel.EMAIL
    )
    _notifications(person, Kind.SHOP, Kind.SHOP, Kind.NOTICE, Kind.POINTS)

    result = delivery.send_digests()

    assert (result.people, result.messages) == (1, 2)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "You have 2 new messages"
    assert len(sms.outbox) == 1
    assert sms.outbox[0].text.startswith("You have 2 new messages")


@pytest.mark.django_db
def test_impossible_channel_falls_back_to_the_other(mailoutbox):
    no_address = UserFactory(email="")
    PreferenceFactory(
        user=no_address,
        kind=Kind.NOTICE,
        delivery=Delivery.DIGEST,
        channel=Channel.EMAIL,
    )
    no_phone = UserFactory(phone=None, email="zhao@example.com")
    nothing = UserFactory(phone=None, email="")
    for person in (no_address, no_phone, nothing):
        NotificationFactory(recipient=person)

    delivery.send_digests()

    assert [m.phone for m in sms.outbox] == [no_address.phone]
    assert [m.to for m in mailoutbox] == [["zhao@example.com"]]
    # Unreachable: it stays in the inbox, undelivered.
    assert Notification.objects.get(recipient=nothing).delivered_at is None


@pytest.mark.django_db
def test_digest_skips_inbox_only_read_and_fresh_immediate_notifications():
    person = UserFactory()
    PreferenceFactory(user=person, kind=Kind.SHOP, delivery=Delivery.INBOX)
    PreferenceFactory(user=person, kind=Kind.POINTS, delivery=Delivery.IMMEDIATE)
    NotificationFactory(recipient=person, kind=Kind.SHOP)
    NotificationFactory(recipient=person, kind=Kind.POINTS)  # its own task sends it
    NotificationFactory(recipient=person, read_at=timezone.now())

    result = delivery.send_digests()

    assert result.messages == 0
    assert sms.outbox == []


@pytest.mark.django_db
def test_sms_error_leaves_rows_for_the_next_run(settings, caplog):
    person = UserFactory()
    _notifications(person, Kind.NOTICE, Kind.POINTS)
    settings.SMS_BACKEND = "tests.notifications.backends.RefusingSmsBackend"

    failed = delivery.send_digests()

    assert (failed.messages, failed.failures) == (0, 1)
    assert Notification.objects.filter(delivered_at__isnull=True).count() == 2
    assert "provider down" in caplog.text

    settings.SMS_BACKEND = "accounts.sms.ConsoleSmsBackend"
    retried = delivery.send_digests()

    assert retried.messages == 1
    assert len(sms.outbox) == 1
    assert sms.outbox[0].text.startswith("You have 2 new messages")


@pytest.mark.django_db
def test_failed_immediate_send_is_caught_by_the_digest_after_the_grace(settings):
    person = UserFactory()
    PreferenceFactory(user=person, kind=Kind.NOTICE, delivery=Delivery.IMMEDIATE)
    notification = NotificationFactory(recipient=person)
    settings.SMS_BACKEND = "tests.notifications.backends.RefusingSmsBackend"
    assert delivery.deliver_immediately(notification_ids=[notification.pk]) == 0
    settings.SMS_BACKEND = "accounts.sms.ConsoleSmsBackend"

    assert delivery.send_digests().messages == 0  # still within the grace
    later = timezone.now() + delivery.IMMEDIATE_GRACE + timedelta(minutes=1)
    assert delivery.send_digests(now=later).messages == 1
    assert len(sms.outbox) == 1


@pytest.mark.django_db
def test_old_notifications_are_left_in_the_inbox():
    person = UserFactory()
    old = NotificationFactory(recipient=person)
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - delivery.DIGEST_WINDOW - timedelta(hours=1)
    )

    assert delivery.send_digests().messages == 0


@pytest.mark.django_db
def test_a_claimed_row_cannot_be_claimed_again():
    a, b = NotificationFactory.create_batch(2)

    first, _stamp = delivery.claim([a.pk])
    second, _stamp = delivery.claim([a.pk, b.pk])

    assert first == [a.pk]
    assert second == [b.pk]
    assert delivery.claim([a.pk, b.pk])[0] == []


@pytest.mark.django_db
def test_immediate_task_retried_sends_nothing_twice():
    person = UserFactory()
    PreferenceFactory(user=person, kind=Kind.NOTICE, delivery=Delivery.IMMEDIATE)
    notification = NotificationFactory(recipient=person)

    assert delivery.deliver_immediately(notification_ids=[notification.pk]) == 1
    assert delivery.deliver_immediately(notification_ids=[notification.pk]) == 0
    assert delivery.send_digests(now=timezone.now() + timedelta(hours=1)).messages == 0
    assert len(sms.outbox) == 1


@pytest.mark.django_db
def test_management_command_is_idempotent():
    person = UserFactory()
    _notifications(person, Kind.NOTICE, Kind.NOTICE)
    out = StringIO()

    call_command("send_notification_digests", stdout=out)
    call_command("send_notification_digests", stdout=out)

    assert len(sms.outbox) == 1
    assert "Digest: 1 messages to 1 people" in out.getvalue()
    assert "Digest: 0 messages to 0 people" in out.getvalue()


@pytest.mark.django_db
def test_digest_task_through_the_queue():
    from notifications.tasks import send_notification_digests

    NotificationFactory()

    result = send_notification_digests.enqueue()

    assert result.return_value == {"people": 1, "messages": 1, "failures": 0}
    assert len(sms.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_never_send_twice():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    if connection.vendor != "postgresql":
        # The in-memory SQLite test database locks whole tables across threads.
        pytest.skip("needs real row locks (PostgreSQL)")
    people = UserFactory.create_batch(20)
    for person in people:
        NotificationFactory.create_batch(2, recipient=person)

    def worker():
        try:
            return delivery.send_digests().messages
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        sent = [f.result() for f in [pool.submit(worker) for _ in range(2)]]

    assert sum(sent) == 20
    assert sorted(m.phone for m in sms.outbox) == sorted(p.phone for p in people)
