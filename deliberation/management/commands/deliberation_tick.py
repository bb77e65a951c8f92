"""Run every few minutes from cron: finalise closed votes, warn of closing ones."""

from django.core.management.base import BaseCommand

from deliberation.services.votes import votes_finalize_due, votes_notify_closing


class Command(BaseCommand):
    help = (
        "Finalise votes that have closed and tell voters of votes closing within a day."
    )

    def handle(self, *args, **options):
        finalized = votes_finalize_due()
        warned = votes_notify_closing()
        self.stdout.write(f"finalized {finalized} vote(s), warned of {warned} closing")
