import factory

from notifications.models import Channel, Delivery, Kind, Notification, Preference
from tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Kind.NOTICE
    title = factory.Sequence(lambda n: f"Notice {n}")


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preference

    user = factory.SubFactory(UserFactory)
    kind = Kind.NOTICE
    delivery = Delivery.IMMEDIATE
    channel = Channel.SMS
