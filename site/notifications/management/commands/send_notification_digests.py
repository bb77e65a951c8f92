from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from notifications import delivery
from notifications.tasks import send_notification_digests


class Command(BaseCommand):
    help = (
        "Send the daily notification digest: for each person with unread, "
        "undelivered notifications whose delivery is 'daily digest', ONE message per "
        "channel (text message or e-mail) that counts them per kind, names the "
        "newest and links to the inbox; never one message per notification. "
        "'At once' notifications whose own send failed (still undelivered after 30 "
        "minutes) are included; notifications older than 7 days are not. "
        "Idempotent: each notification is claimed (delivered_at set, only where it "
        "is still empty) before it is sent, so a second run, or two machines at "
        "once, never send anything twice; a later run sends only what arrived since. "
        "A failed send is logged and left for the next run. "
        "Schedule: once a day from cron at 19:00 China time (Asia/Shanghai has no "
        "daylight saving, so 11:00 UTC), from the project directory: "
        "'0 19 * * * .venv/bin/python manage.py send_notification_digests' with "
        "CRON_TZ=Asia/Shanghai, or '0 11 * * *' on a UTC clock. "
        "With --enqueue it only queues the work for 'manage.py db_worker'."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the digest for the background worker instead of sending now.",
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            result = send_notification_digests.enqueue()
            self.stdout.write(f"Digest queued as task {result.id}.")
            return
        with translation.override(settings.LANGUAGE_CODE):
            result = delivery.send_digests()
        self.stdout.write(
            f"Digest: {result.messages} messages to {result.people} people, "
            f"{result.failures} failed (left for the next run)."
        )
        if result.failures:
            self.stderr.write("Some digests failed; see the log.")
