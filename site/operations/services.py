"""Backup and restore of a whole installation: the database and every file.

``backup_create`` writes one archive (see ``operations.archive`` for its layout);
``backup_restore`` brings it back on a fresh machine, after checking every byte of
it against its manifest, and changes nothing when it refuses.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import shutil
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from operations.archive import (
    CHUNK,
    DATABASE_DIR,
    MANIFEST,
    HashingReader,
    Member,
    check_member_name,
    file_member,
    file_roots,
    manifest_build,
    manifest_parse,
    remote_storages,
    secret_key_check,
    sha256_file,
    walk_files,
)
from operations.databases import (
    SNAPSHOT_NAMES,
    database_label,
    database_tables,
    snapshot_check,
    snapshot_restore,
    snapshot_write,
)
from operations.errors import BackupError
from operations.schema import applied_migrations, pending_migrations, unknown_migrations

# Level 1 packs the demo township's SQLite snapshot 7% larger than level 6 in
# less than half the time; photos and PDFs do not shrink at any level.
COMPRESS_LEVEL = 1
MAX_MANIFEST_BYTES = 256 * 1024 * 1024

logger = logging.getLogger(__name__)


@dataclass
class BackupResult:
    path: Path
    size: int
    database_bytes: int
    files: int
    file_bytes: int
    seconds: float
    vanished: list[str] = field(default_factory=list)
    remote_storages: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    database_bytes: int
    files: int
    file_bytes: int
    seconds: float
    created_at: str
    cache_cleared: bool = True
    secret_key_matches: bool = True
    pending_migrations: list[str] = field(default_factory=list)


def default_archive_name() -> str:
    return f"xiangyue-backup-{timezone.now():%Y%m%dT%H%M%SZ}.tar.gz"


def _add(tar: tarfile.TarFile, name: str, path: Path) -> Member:
    with open(path, "rb") as handle:
        stat = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        info.size = stat.st_size
        info.mtime = int(stat.st_mtime)
        info.mode = 0o644
        reader = HashingReader(handle)
        tar.addfile(info, reader)
    return Member(name=name, size=reader.size, sha256=reader.digest.hexdigest())


def backup_create(
    *, output: Path | None = None, using: str = DEFAULT_DB_ALIAS
) -> BackupResult:
    """Write one archive with a consistent snapshot of the database and every
    media and private file, and return what went into it."""
    started = time.monotonic()
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError(
            "A backup must run outside a database transaction (it would see "
            "uncommitted work on SQLite and not on PostgreSQL)."
        )
    output = Path(output) if output else Path.cwd() / default_archive_name()
    if output.is_dir():
        output = output / default_archive_name()
    if not output.parent.is_dir():
        raise BackupError(f"The folder {output.parent} does not exist.")
    partial = output.with_name(output.name + ".partial")
    roots = file_roots()
    vanished: list[str] = []
    files: list[tuple[str, str, Member]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="xiangyue-backup-") as work:
            # The database first, in one consistent snapshot; the files after it.
            # Media is write-once (every upload gets a fresh name and nothing edits
            # a stored file), so every file the snapshot refers to already exists
            # when the snapshot is taken, with the bytes it will have when the
            # files are read. A file uploaded in between is carried along with
            # nothing yet referring to it, which is harmless. The other order
            # could miss a file uploaded after the files were read but named by
            # the snapshot. (Only a file deleted in between, say a removed image,
            # can be named and absent; it was on its way out.) Migrations are not applied while a backup runs (a
            # deploy migrates before the new code starts), so the migration state
            # read here is the snapshot's.
            snapshot, info = snapshot_write(connection, Path(work))
            migrations = applied_migrations(connection)
            # The archive holds every villager's phone number: readable by its
            # owner only, whatever the umask.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with (
                open(descriptor, "wb") as raw,
                tarfile.open(
                    fileobj=raw,
                    mode="w:gz",
                    compresslevel=COMPRESS_LEVEL,
                    format=tarfile.PAX_FORMAT,
                    encoding="utf-8",
                ) as tar,
            ):
                tar.copybufsize = CHUNK
                database = _add(tar, f"{DATABASE_DIR}/{snapshot.name}", snapshot)
                snapshot.unlink()
                for root, relative, path in walk_files(roots):
                    try:
                        member = _add(tar, file_member(root, relative), path)
                    except FileNotFoundError:
                        # Deleted since the walk listed it, so also gone from
                        # the database by now (e.g. a roster upload's cleanup).
                        vanished.append(f"{root}/{relative}")
                        continue
                    files.append((root, relative, member))
                manifest = manifest_build(
                    database=info,
                    database_member=database,
                    files=files,
                    migrations=migrations,
                    roots=roots,
                )
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info_member = tarfile.TarInfo(MANIFEST)
                info_member.size = len(data)
                info_member.mtime = int(time.time())
                info_member.mode = 0o644
                tar.addfile(info_member, io.BytesIO(data))
                tar.close()
                raw.flush()
                os.fsync(raw.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(
        path=output,
        size=output.stat().st_size,
        database_bytes=database.size,
        files=len(files),
        file_bytes=sum(member.size for _, _, member in files),
        seconds=time.monotonic() - started,
        vanished=vanished,
        remote_storages=remote_storages(),
    )


# -- restore ---------------------------------------------------------------------


def _unpack(
    archive: Path, folder: Path
) -> tuple[dict, dict[str, tuple[Path, int, str]]]:
    """Stream the archive into ``folder``, hashing every member on the way."""
    if not archive.is_file():
        raise BackupError(f"There is no archive at {archive}.")
    manifest_data = None
    staged: dict[str, tuple[Path, int, str]] = {}
    try:
        with tarfile.open(archive, "r:gz", encoding="utf-8") as tar:
            for info in tar:
                check_member_name(info.name)
                if not info.isfile():
                    raise BackupError(
                        f"The archive member {info.name!r} is not a plain file."
                    )
                if info.name in staged or (info.name == MANIFEST and manifest_data):
                    raise BackupError(f"The archive holds {info.name!r} twice.")
                source = tar.extractfile(info)
                if info.name == MANIFEST:
                    if info.size > MAX_MANIFEST_BYTES:
                        raise BackupError(
                            "The archive's manifest is implausibly large."
                        )
                    manifest_data = source.read()
                    continue
                target = folder.joinpath(*PurePosixPath(info.name).parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                reader = HashingReader(source)
                with open(target, "wb") as out:
                    while chunk := reader.read(CHUNK):
                        out.write(chunk)
                staged[info.name] = (target, reader.size, reader.digest.hexdigest())
            # Read to the end of the gzip stream, which checks its CRC-32 and
            # length: an archive cut short after its last member is refused too.
            while tar.fileobj.read(CHUNK):
                pass
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(
            f"The archive {archive} is truncated, damaged or not a backup "
            f"archive ({error})."
        ) from error
    if manifest_data is None:
        raise BackupError(
            f"The archive {archive} has no manifest: it is truncated or not a "
            "Xiangyue backup."
        )
    return manifest_parse(manifest_data), staged


def _check_members(manifest: dict, staged: dict[str, tuple[Path, int, str]]) -> None:
    database = manifest["database"]
    if database["member"] != f"{DATABASE_DIR}/{SNAPSHOT_NAMES.get(database['vendor'])}":
        raise BackupError("The archive's manifest names an unexpected database member.")
    expected = {database["member"]: (database["size"], database["sha256"])}
    for entry in manifest["files"]:
        if entry["member"] != file_member(entry["root"], entry["path"]):
            raise BackupError(
                f"The manifest entry {entry['member']!r} is inconsistent."
            )
        check_member_name(entry["member"])
        expected[entry["member"]] = (entry["size"], entry["sha256"])
    missing = sorted(expected.keys() - staged.keys())
    if missing:
        raise BackupError(
            f"The archive is incomplete: {len(missing)} member(s) named in its "
            f"manifest are missing, the first {missing[0]!r}."
        )
    extra = sorted(staged.keys() - expected.keys())
    if extra:
        raise BackupError(
            f"The archive holds {len(extra)} member(s) that its manifest does not "
            f"name, the first {extra[0]!r}: it was altered."
        )
    for name, (size, sha256) in expected.items():
        _, got_size, got_sha256 = staged[name]
        if (got_size, got_sha256) != (size, sha256):
            raise BackupError(
                f"{name} does not match its SHA-256 in the manifest: the archive "
                "is damaged or was altered."
            )


def _check_fits_here(manifest: dict, connection, roots: dict[str, Path]) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"The archive holds a {vendor} database; this installation's database "
            f"is {connection.vendor}. Restore it into a {vendor} database."
        )
    unknown_roots = sorted(
        {entry["root"] for entry in manifest["files"]} - roots.keys()
    )
    if unknown_roots:
        raise BackupError(
            f"The archive holds files for {', '.join(unknown_roots)}, which this "
            "installation's settings do not configure (MEDIA_ROOT, PRIVATE_ROOT, "
            "STORAGES)."
        )
    newer = unknown_migrations(manifest["migrations"])
    if newer:
        raise BackupError(
            f"The archive was made by a newer release: {len(newer)} applied "
            f"migration(s) are unknown to this code, the first {newer[0]}. Deploy "
            "that release, then restore."
        )


def _place_files(manifest: dict, staged, roots: dict[str, Path]) -> tuple[int, int]:
    count = size = 0
    for entry in manifest["files"]:
        root = roots[entry["root"]]
        target = root.joinpath(*PurePosixPath(entry["path"]).parts)
        source = staged[entry["member"]][0]
        count += 1
        size += entry["size"]
        if (
            target.is_file()
            and target.stat().st_size == entry["size"]
            and sha256_file(target) == entry["sha256"]
        ):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    return count, size


def _clear_cache() -> bool:
    """Whatever the cache holds (cached pages, their generations) was derived from
    the database just replaced, so it goes. False if the cache cannot be reached
    (then it must be emptied by hand before the site serves again)."""
    try:
        cache.clear()
    except Exception:
        logger.exception("restore: the cache could not be emptied")
        return False
    return True


def backup_restore(
    *, archive: Path, using: str = DEFAULT_DB_ALIAS, force: bool = False
) -> RestoreResult:
    """Bring an archive back: refuse (changing nothing) a damaged or foreign
    archive, or a database that is not empty unless ``force``; otherwise put the
    files in place, then the database."""
    started = time.monotonic()
    connection = connections[using]
    roots = file_roots()
    with tempfile.TemporaryDirectory(prefix="xiangyue-restore-") as work:
        manifest, staged = _unpack(Path(archive), Path(work))
        _check_members(manifest, staged)
        _check_fits_here(manifest, connection, roots)
        snapshot = staged[manifest["database"]["member"]][0]
        snapshot_check(connection, snapshot, manifest["database"])
        tables = database_tables(connection)
        if tables and not force:
            raise BackupError(
                f"The database {database_label(connection)} is not empty "
                f"({len(tables)} tables, e.g. {tables[0]}). Restore into a new, "
                "empty database, or pass --force to replace what it holds."
            )
        if connection.in_atomic_block:
            raise BackupError("A restore must run outside a database transaction.")
        # The files first, the database last: the database is what refers to
        # files, so once it is back every file it names is in place, and a
        # restore that fails halfway leaves at worst files nothing refers to.
        files, file_bytes = _place_files(manifest, staged, roots)
        snapshot_restore(connection, snapshot, manifest["database"], force=force)
    ContentType.objects.clear_cache()
    return RestoreResult(
        cache_cleared=_clear_cache(),
        secret_key_matches=manifest.get("secret_key_check") == secret_key_check(),
        database_bytes=manifest["database"]["size"],
        files=files,
        file_bytes=file_bytes,
        seconds=time.monotonic() - started,
        created_at=manifest["created_at"],
        pending_migrations=pending_migrations(connection),
    )
