"""The backup archive: one gzip-compressed tar file.

    database/snapshot.sqlite3 or database/snapshot.pgdump   the database snapshot
    files/<root>/<path>                                      every media/private file
    manifest.json                                            written last

The manifest names the format and its version, the versions of Django, Wagtail
and Python, the database vendor and the tool that made the snapshot, the applied
migrations, and every member with its size and SHA-256. It is written last because
the checksums are computed while the members are streamed into the archive (each
file is read once). A restore reads the whole archive into a staging folder and
checks it against the manifest before it changes anything, so the manifest's
place at the end costs nothing, and an archive cut short has no manifest at all.

The checksums catch a damaged, truncated or altered archive; they are not a
signature: whoever may rewrite the archive may rewrite its manifest too. Keep
backups where only operators can write.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import models
from django.utils import timezone

from operations.errors import BackupError

FORMAT = "xiangyue-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
FILES_DIR = "files"
CHUNK = 1024 * 1024

_ROOT_NAME = re.compile(r"^[A-Za-z0-9_.:-]+$")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class HashingReader:
    """Hands a file's bytes to tarfile and hashes them on the way, so each file
    is read once and the checksum is of exactly the bytes archived."""

    def __init__(self, handle) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


# -- where files live ------------------------------------------------------------


def _inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


def file_roots() -> dict[str, Path]:
    """Every folder on this machine whose files belong in a backup, by a name that
    is the same on every machine: MEDIA_ROOT, PRIVATE_ROOT, then each file-system
    storage of settings.STORAGES and of the models' file fields that lies outside
    those (e.g. the roster uploads when configured elsewhere). Static files are
    not data: they come with the code."""
    roots: dict[str, Path] = {}

    def add(name: str, location) -> None:
        path = Path(location).resolve()
        if not any(_inside(path, root) for root in roots.values()):
            roots[name] = path

    add("media", settings.MEDIA_ROOT)
    add("private", settings.PRIVATE_ROOT)
    for alias in settings.STORAGES:
        if alias == "staticfiles":
            continue
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            add(f"storage:{alias}", storage.location)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and isinstance(
                field.storage, FileSystemStorage
            ):
                add(f"field:{model._meta.label}.{field.name}", field.storage.location)
    return roots


def remote_storages() -> list[str]:
    """Storages whose files are not on this machine's disk (object storage): a
    backup cannot hold them; their provider's own versioning must."""
    names = []
    for alias in settings.STORAGES:
        if alias != "staticfiles" and not isinstance(
            storages[alias], FileSystemStorage
        ):
            names.append(alias)
    return names


def walk_files(roots: dict[str, Path]):
    """(root name, relative POSIX path, absolute path) of every regular file, in a
    stable order. A root nested in another is walked only under its own name;
    symbolic links are not followed."""
    for name, root in roots.items():
        others = [p for n, p in roots.items() if n != name and _inside(p, root)]
        if not root.is_dir():
            continue
        for folder, dirs, files in os.walk(root):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if here / d not in others)
            for filename in sorted(files):
                path = here / filename
                if path.is_symlink() or not path.is_file():
                    continue
                yield name, path.relative_to(root).as_posix(), path


# -- member names ----------------------------------------------------------------


def file_member(root: str, relative: str) -> str:
    return f"{FILES_DIR}/{root}/{relative}"


def check_member_name(name: str) -> None:
    """Refuse a member that could land outside the staging folder."""
    path = PurePosixPath(name)
    if (
        not name
        or path.is_absolute()
        or ".." in path.parts
        or "\\" in name
        or "\x00" in name
        or path.parts[0] not in (MANIFEST, DATABASE_DIR, FILES_DIR)
    ):
        raise BackupError(f"The archive holds an unexpected member {name!r}.")
    if path.parts[0] == FILES_DIR and (
        len(path.parts) < 3 or not _ROOT_NAME.match(path.parts[1])
    ):
        raise BackupError(f"The archive holds an unexpected member {name!r}.")


# -- the manifest ----------------------------------------------------------------


@dataclass
class Member:
    name: str
    size: int
    sha256: str


def secret_key_check() -> str:
    """A fingerprint of SECRET_KEY (an HMAC of a fixed text, not the key): secret
    ballots' tokens and signed links depend on the key, so a restore says when
    this installation's key is not the one the backup was made with."""
    from django.utils.crypto import salted_hmac

    return salted_hmac(
        "operations.backup", "secret-key-check", algorithm="sha256"
    ).hexdigest()


def manifest_build(
    *,
    database: dict,
    database_member: Member,
    files: list[tuple[str, str, Member]],
    migrations: dict[str, list[str]],
    roots: dict[str, Path],
) -> dict:
    import django

    import wagtail

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "versions": {
            "django": django.get_version(),
            "wagtail": wagtail.__version__,
            "python": platform.python_version(),
        },
        "database": {
            **database,
            "member": database_member.name,
            "size": database_member.size,
            "sha256": database_member.sha256,
        },
        "migrations": migrations,
        "secret_key_check": secret_key_check(),
        "roots": sorted(roots),
        "files": [
            {
                "root": root,
                "path": relative,
                "member": member.name,
                "size": member.size,
                "sha256": member.sha256,
            }
            for root, relative, member in files
        ],
    }


def manifest_parse(data: bytes) -> dict:
    """The manifest, or BackupError if it is not one this code can restore."""
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BackupError("The archive's manifest is not valid JSON.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This file is not a Xiangyue backup (no Xiangyue manifest).")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"The archive is in backup format version {version!r}; this code "
            f"restores version {FORMAT_VERSION} only. Restore it with the release "
            "that made it."
        )
    try:
        database = manifest["database"]
        for key in ("vendor", "member", "size", "sha256"):
            database[key]
        for entry in manifest["files"]:
            for key in ("root", "path", "member", "size", "sha256"):
                entry[key]
        manifest["migrations"].items()
    except (KeyError, TypeError, AttributeError) as error:
        raise BackupError("The archive's manifest is incomplete.") from error
    return manifest
