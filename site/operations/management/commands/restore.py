"""Bring a backup archive back: check it, then put the files and the database in
place. Refuses, changing nothing, a damaged or foreign archive, or a database that
is not empty (unless --force)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.errors import BackupError
from operations.services import backup_restore

MB = 1024 * 1024


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and the media folders."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the archive to restore")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace what a non-empty database holds",
        )

    def handle(self, *args, **options):
        try:
            result = backup_restore(archive=options["archive"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"restored the backup of {result.created_at}: database "
                f"{result.database_bytes / MB:.1f} MB, {result.files} files "
                f"{result.file_bytes / MB:.1f} MB; {result.seconds:.1f} s"
            )
        )
        if not result.secret_key_matches:
            self.stderr.write(
                "this installation's SECRET_KEY is not the one the backup was made "
                "with: receipts of secret ballots, changing an open ballot and "
                "signed links will not work until the old SECRET_KEY is set"
            )
        if not result.cache_cleared:
            self.stderr.write(
                "the cache could not be emptied: empty it before the site serves "
                "again (it holds pages of the database that was replaced)"
            )
        if result.pending_migrations:
            self.stdout.write(
                f"{len(result.pending_migrations)} migration(s) of this release are "
                "not applied yet: run manage.py migrate"
            )
        self.stdout.write("then check the ledger: manage.py ledger_verify")
