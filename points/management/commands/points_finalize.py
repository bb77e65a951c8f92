"""Make final every entry whose public notice is over with no appeal standing.
Run it from cron, e.g. hourly."""

from django.core.management.base import BaseCommand

from points.services.entries import entries_finalize_due


class Command(BaseCommand):
    help = "Post to the ledger the entries whose public notice period is over."

    def handle(self, *args, **options):
        count = entries_finalize_due()
        self.stdout.write(f"{count} entries made final")
