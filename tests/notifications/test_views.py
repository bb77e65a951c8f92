from django.urls import reverse
from django.utils import timezone

import pytest

from notifications.models import Channel, Delivery, Kind, Notification, Preference
from tests.factories import UserFactory
from tests.notifications.factories import NotificationFactory, PreferenceFactory

INBOX = reverse("notifications:inbox")
PREFERENCES = reverse("notifications:preferences")


@pytest.fixture
def person(db):
    return UserFactory()


@pytest.fixture
def logged_in(client, person):
    client.force_login(person)
    return client


def _fill(person, count, village):
    for i in range(count):
        NotificationFactory(
            recipient=person, village=village if i % 2 else None, kind=Kind.POINTS
        )


# Inbox -------------------------------------------------------------------------


def test_inbox_needs_login(client, db):
    response = client.get(INBOX)

    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_inbox_shows_village_names_and_only_my_own(logged_in, person, village):
    NotificationFactory(recipient=person, village=village, title="Meeting on Friday")
    NotificationFactory(recipient=person, title="Welcome")
    NotificationFactory(title="Someone else's secret")

    response = logged_in.get(INBOX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Meeting on Friday" in html
    assert "柳溪村" in html
    assert "Welcome" in html
    assert "Someone else&#x27;s secret" not in html


@pytest.mark.parametrize("count", [1, 40])
def test_inbox_query_count_does_not_grow_with_notifications(
    logged_in, person, village, count, django_assert_max_num_queries
):
    _fill(person, count, village)

    # session, user, page count, page rows (with villages), unread count
    with django_assert_max_num_queries(5):
        response = logged_in.get(INBOX)

    assert response.status_code == 200


def test_inbox_filters_by_kind(logged_in, person):
    NotificationFactory(recipient=person, kind=Kind.SHOP, title="Voucher ready")
    NotificationFactory(recipient=person, kind=Kind.POINTS, title="Points approved")

    html = logged_in.get(INBOX, {"kind": Kind.SHOP}).content.decode()

    assert "Voucher ready" in html
    assert "Points approved" not in html


def test_inbox_junk_filters_are_ignored(logged_in, person):
    NotificationFactory(recipient=person, title="Still here")

    response = logged_in.get(INBOX, {"kind": "junk", "order": "sideways", "page": "x"})

    assert response.status_code == 200
    assert "Still here" in response.content.decode()


def test_inbox_unread_first_or_newest_first(logged_in, person):
    NotificationFactory(recipient=person, title="Old unread")
    NotificationFactory(recipient=person, title="New read", read_at=timezone.now())

    newest = logged_in.get(INBOX).content.decode()
    unread = logged_in.get(INBOX, {"order": "unread"}).content.decode()

    assert newest.index("New read") < newest.index("Old unread")
    assert unread.index("Old unread") < unread.index("New read")


# Marking read -------------------------------------------------------------------


def test_mark_one_read(logged_in, person):
    mine = NotificationFactory(recipient=person)
    other = NotificationFactory(recipient=person)

    response = logged_in.post(
        reverse("notifications:mark_read", args=[mine.pk]),
        {"next": INBOX + "?kind=shop"},
    )

    assert response.status_code == 302
    assert response.url == INBOX + "?kind=shop"
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None
    assert other.read_at is None


def test_mark_read_of_someone_elses_notification_is_404_and_changes_nothing(
    logged_in,
):
    theirs = NotificationFactory()

    response = logged_in.post(reverse("notifications:mark_read", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_needs_post_and_refuses_foreign_next(logged_in, person):
    mine = NotificationFactory(recipient=person)
    url = reverse("notifications:mark_read", args=[mine.pk])

    assert logged_in.get(url).status_code == 405
    response = logged_in.post(url, {"next": "https://evil.example/"})

    assert response.url == INBOX


def test_mark_read_needs_csrf(person):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    mine = NotificationFactory(recipient=person)

    response = client.post(reverse("notifications:mark_read", args=[mine.pk]))

    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.read_at is None


def test_mark_all_read_touches_only_my_own(logged_in, person):
    NotificationFactory.create_batch(3, recipient=person)
    theirs = NotificationFactory()

    response = logged_in.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=person, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_inbox_forms_work_without_javascript(logged_in, person):
    mine = NotificationFactory(recipient=person)

    html = logged_in.get(INBOX).content.decode()

    assert f'action="{reverse("notifications:mark_read", args=[mine.pk])}"' in html
    assert f'action="{reverse("notifications:mark_all_read")}"' in html
    assert "csrfmiddlewaretoken" in html


# Preferences --------------------------------------------------------------------


def _all(delivery, channel):
    data = {}
    for kind in Kind.values:
        data[f"{kind}-delivery"] = delivery
        data[f"{kind}-channel"] = channel
    return data


def test_preferences_show_the_daily_digest_by_default(logged_in):
    response = logged_in.get(PREFERENCES)

    form = response.context["form"]
    assert response.status_code == 200
    assert all(form[f"{kind}-delivery"].value() == "digest" for kind in Kind.values)
    assert all(form[f"{kind}-channel"].value() == "sms" for kind in Kind.values)
    assert '<option value="digest" selected>' in response.content.decode()


def test_preferences_save(logged_in, person):
    PreferenceFactory(user=person, kind=Kind.SHOP, delivery=Delivery.INBOX)
    data = _all("digest", "sms")
    data["shop-delivery"] = "immediate"
    data["shop-channel"] = "email"

    response = logged_in.post(PREFERENCES, data)

    assert response.status_code == 302
    saved = {
        p.kind: (p.delivery, p.channel) for p in Preference.objects.filter(user=person)
    }
    assert saved[Kind.SHOP] == (Delivery.IMMEDIATE, Channel.EMAIL)
    assert saved[Kind.POINTS] == (Delivery.DIGEST, Channel.SMS)
    assert len(saved) == len(Kind.values)
    assert logged_in.get(PREFERENCES).context["form"]["shop-delivery"].value() == (
        "immediate"
    )


@pytest.mark.parametrize(
    "junk",
    [
        {"shop-delivery": "hourly"},
        {"points-channel": "pigeon"},
        {"notice-delivery": ""},
    ],
)
def test_preferences_junk_is_a_form_error_and_saves_nothing(logged_in, person, junk):
    data = {**_all("immediate", "email"), **junk}

    response = logged_in.post(PREFERENCES, data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()
    assert not Preference.objects.filter(user=person).exists()


def test_preferences_empty_post_saves_nothing(logged_in, person):
    response = logged_in.post(PREFERENCES, {})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Preference.objects.filter(user=person).exists()


def test_preferences_are_my_own(logged_in, person):
    other = UserFactory()
    PreferenceFactory(user=other, kind=Kind.SHOP, delivery=Delivery.INBOX)

    logged_in.post(PREFERENCES, _all("immediate", "email"))

    assert Preference.objects.get(user=other, kind=Kind.SHOP).delivery == Delivery.INBOX


# Header count -------------------------------------------------------------------


def test_unread_count_selector_and_header(logged_in, person):
    from notifications.selectors import unread_count_for

    NotificationFactory.create_batch(2, recipient=person)
    NotificationFactory(recipient=person, read_at=timezone.now())
    NotificationFactory()

    assert unread_count_for(user=person) == 2
    html = logged_in.get(PREFERENCES).content.decode()
    assert '<span class="badge">2</span>' in html
