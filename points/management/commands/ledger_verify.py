"""Recompute every village's ledger from its rows; fail loudly on any mismatch."""

from django.core.management.base import BaseCommand, CommandError

from points.verify import verify_all
from villages.models import Village


class Command(BaseCommand):
    help = (
        "Check the points ledger: hash chain, balanced transactions, balances, and "
        "the entries, published lists and shop receipts against the chain."
    )

    def add_arguments(self, parser):
        parser.add_argument("--village", help="slug of one village (default: all)")

    def handle(self, *args, **options):
        ids = None
        if options["village"]:
            village = Village.objects.filter(slug=options["village"]).first()
            if village is None:
                raise CommandError(f"no village {options['village']!r}")
            ids = [village.pk]

        def progress(village_id: int, count: int) -> None:
            self.stdout.write(f"village {village_id}: {count} transactions checked")
            self.stdout.flush()

        problems = verify_all(ids, progress=progress)
        if problems:
            for problem in problems:
                self.stderr.write(f"LEDGER MISMATCH {problem}")
            raise CommandError(
                f"ledger verification failed: {len(problems)} problem(s); "
                f"first bad entry: {problems[0]}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                "ledger verified: chain, balances, entries, lists and receipts match"
            )
        )
