"""Background work: every SMS and e-mail copy of a notification leaves from here.

Texts and e-mails are written in the site's default language (settings.LANGUAGE_CODE):
a worker has no request to take a language from.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from django_tasks import task

from notifications import delivery


@task()
def deliver_notifications(*, notification_ids: list[int]) -> int:
    """Send the "at once" copies of these notifications; returns how many left."""
    with translation.override(settings.LANGUAGE_CODE):
        return delivery.deliver_immediately(notification_ids=notification_ids)


@task()
def send_notification_digests() -> dict[str, int]:
    """The daily digest (also run by ``manage.py send_notification_digests``)."""
    with translation.override(settings.LANGUAGE_CODE):
        result = delivery.send_digests()
    return {
        "people": result.people,
        "messages": result.messages,
        "failures": result.failures,
    }
