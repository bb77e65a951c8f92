"""Write one archive: a consistent database snapshot, every media and private
file, and a manifest with their checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.errors import BackupError
from operations.services import backup_create

MB = 1024 * 1024


class Command(BaseCommand):
    help = "Back up the database and all media and private files into one archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="archive file or folder (default: xiangyue-backup-<time>.tar.gz here)",
        )

    def handle(self, *args, **options):
        try:
            result = backup_create(output=options["output"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name in result.vanished:
            self.stderr.write(f"deleted while the backup ran, not included: {name}")
        for alias in result.remote_storages:
            self.stderr.write(
                f"storage {alias!r} is not on this machine's disk: back it up "
                "with its provider (versioning, replication)"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"backup written: {result.path} ({result.size / MB:.1f} MB; "
                f"database {result.database_bytes / MB:.1f} MB, {result.files} "
                f"files {result.file_bytes / MB:.1f} MB; {result.seconds:.1f} s)"
            )
        )
