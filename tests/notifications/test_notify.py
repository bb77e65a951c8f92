from django.db import transaction

import pytest

from accounts import sms
from notifications.models import Channel, Delivery, Kind, Notification
from notifications.services import notify
from tests.factories import UserFactory
from tests.notifications.factories import PreferenceFactory


@pytest.mark.django_db
def test_notify_writes_inbox_rows_and_sends_nothing_in_the_request(
    village, enqueued, django_capture_on_commit_callbacks
):
    people = UserFactory.create_batch(3)

    with django_capture_on_commit_callbacks(execute=True):
        notifications = notify(
            recipients=people,
            kind=Kind.POINTS,
            title="Points approved",
            body="+5",
            url="/v/liuxi/",
            village=village,
        )

    assert len(notifications) == 3
    rows = Notification.objects.filter(kind=Kind.POINTS, village=village)
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(
        p.pk for p in people
    )
    assert all(n.delivered_at is None and n.read_at is None for n in rows)
    # Daily digest is the default: nothing leaves now, not even a queued task.
    assert sms.outbox == []
    assert enqueued == []


@pytest.mark.django_db(transaction=True)
def test_immediate_person_gets_exactly_one_sms_after_commit(enqueued):
    at_once = UserFactory()
    PreferenceFactory(user=at_once, kind=Kind.NOTICE, delivery=Delivery.IMMEDIATE)
    digest_person = UserFactory()

    with transaction.atomic():
        notify(
            recipients=[at_once, digest_person],
            kind=Kind.NOTICE,
            title="Well water tested",
        )
        assert sms.outbox == []  # not inside the caller's transaction
        assert enqueued == []

    assert enqueued == ["deliver_notifications"]
    assert [m.phone for m in sms.outbox] == [at_once.phone]
    assert "Well water tested" in sms.outbox[0].text
    delivered = Notification.objects.get(recipient=at_once)
    assert delivered.delivered_at is not None
    assert Notification.objects.get(recipient=digest_person).delivered_at is None


@pytest.mark.django_db(transaction=True)
def test_rollback_enqueues_nothing_and_sends_nothing(enqueued):
    at_once = UserFactory()
    PreferenceFactory(user=at_once, kind=Kind.NOTICE, delivery=Delivery.IMMEDIATE)

    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[at_once], kind=Kind.NOTICE, title="Never mind")
        raise RuntimeError("the caller failed")

    assert enqueued == []
    assert sms.outbox == []
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_immediate_by_email(mailoutbox, django_capture_on_commit_callbacks):
    person = UserFactory(email="li@example.com")
    PreferenceFactory(
        user=person, kind=Kind.SHOP, delivery=Delivery.IMMEDIATE, channel=Channel.EMAIL
    )

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[person], kind=Kind.SHOP, title="Voucher ready", url="/x/")

    assert sms.outbox == []
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["li@example.com"]
    assert mailoutbox[0].subject == "Voucher ready"
    assert "https://xiangyue.example/x/" in mailoutbox[0].body


@pytest.mark.django_db
def test_inbox_only_never_leaves_the_site(django_capture_on_commit_callbacks, enqueued):
    person = UserFactory(email="li@example.com")
    PreferenceFactory(user=person, kind=Kind.NOTICE, delivery=Delivery.INBOX)

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[person], kind=Kind.NOTICE, title="Quiet")

    assert enqueued == []
    assert sms.outbox == []


@pytest.mark.django_db
def test_one_insert_whatever_the_number_of_recipients(django_assert_num_queries):
    few = UserFactory.create_batch(2)
    many = UserFactory.create_batch(25)
    PreferenceFactory(user=many[0], kind=Kind.NOTICE, delivery=Delivery.IMMEDIATE)

    # savepoint, INSERT, preference read, release
    with django_assert_num_queries(4):
        notify(recipients=few, kind=Kind.NOTICE, title="A")
    with django_assert_num_queries(4):
        notify(recipients=many, kind=Kind.NOTICE, title="B")
    assert Notification.objects.count() == 27


@pytest.mark.django_db
def test_duplicates_and_inactive_people_are_skipped():
    person = UserFactory()
    gone = UserFactory(is_active=False)

    result = notify(recipients=[person, person, gone], kind=Kind.NOTICE, title="Hi")

    assert [n.recipient_id for n in result] == [person.pk]
    assert notify(recipients=[], kind=Kind.NOTICE, title="Nobody") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "gossip"},
        {"url": "javascript:alert(1)"},
        {"url": "//evil.example/"},
    ],
)
def test_notify_rejects_bad_input(kwargs):
    person = UserFactory()
    arguments = {"recipients": [person], "kind": Kind.NOTICE, "title": "T", **kwargs}

    with pytest.raises(ValueError):
        notify(**arguments)
    assert not Notification.objects.exists()
