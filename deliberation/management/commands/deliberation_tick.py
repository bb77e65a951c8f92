"""Run every few minutes from cron: finalise closed votes, warn of closing ones,
tell the committee and the supervision committee of overdue proposals."""

from django.core.management.base import BaseCommand

from deliberation.services.topics import proposals_notify_overdue
from deliberation.services.votes import votes_finalize_due, votes_notify_closing


class Command(BaseCommand):
    help = (
        "Finalise votes that have closed, tell voters of votes closing within a day, "
        "and tell the committee and the supervision committee (once) of residents' "
        "proposals whose answer is overdue."
    )

    def handle(self, *args, **options):
        finalized = votes_finalize_due()
        warned = votes_notify_closing()
        overdue = proposals_notify_overdue()
        self.stdout.write(
            f"finalized {finalized} vote(s), warned of {warned} closing, "
            f"told of {overdue} overdue proposal(s)"
        )
