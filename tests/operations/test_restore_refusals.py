"""A restore refuses a damaged, altered, truncated or foreign archive with a clear
message, and changes nothing: not even with --force, not the database, not a
file."""

import hashlib
import io
import json
import tarfile

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

import pytest

from operations.errors import BackupError
from operations.services import backup_create, backup_restore
from tests.factories import VillageFactory
from tests.operations.test_backup_restore import machine, row_counts, stored_files

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def archive(settings, monkeypatch, tmp_path):
    """A backup of one village and two files; then the village is gone and the
    files are changed, so that a restore that went ahead would show."""
    machine(settings, monkeypatch, tmp_path / "a")
    village = VillageFactory(slug="liuxi")
    storages["default"].save("docs/a.txt", ContentFile(b"hello"))
    storages["roster"].save("名册.xlsx", ContentFile(b"PK roster"))
    path = backup_create(output=tmp_path / "backup.tar.gz").path
    village.delete()
    VillageFactory(slug="later")
    storages["default"].delete("docs/a.txt")
    storages["default"].save("docs/a.txt", ContentFile(b"changed"))
    return path


@pytest.fixture
def untouched():
    """Asserts, after the test's refusal, that nothing changed."""
    before = (row_counts(), stored_files())
    yield
    assert (row_counts(), stored_files()) == before


def members(path):
    with tarfile.open(path, "r:gz") as tar:
        return [(info, tar.extractfile(info).read()) for info in tar]


def write(path, items):
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for info, data in items:
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def edit_manifest(items, change):
    out = []
    for info, data in items:
        if info.name == "manifest.json":
            manifest = json.loads(data)
            change(manifest)
            data = json.dumps(manifest).encode()
        out.append((info, data))
    return out


def refused(path, match):
    with pytest.raises(BackupError, match=match):
        backup_restore(archive=path, force=True)


def test_a_changed_file_is_refused(archive, tmp_path, untouched):
    items = [
        (info, b"HELLO" if info.name == "files/media/docs/a.txt" else data)
        for info, data in members(archive)
    ]
    refused(
        write(tmp_path / "t.tar.gz", items),
        r"files/media/docs/a.txt does not match its SHA-256",
    )


def test_a_changed_database_snapshot_is_refused(archive, tmp_path, untouched):
    items = []
    for info, data in members(archive):
        if info.name.startswith("database/"):
            data = data[:-1] + bytes([data[-1] ^ 1])
        items.append((info, data))
    refused(write(tmp_path / "t.tar.gz", items), r"database/.* does not match")


def test_a_truncated_archive_is_refused(archive, tmp_path, untouched):
    data = archive.read_bytes()
    for cut in (len(data) // 2, len(data) - 40):
        path = tmp_path / f"cut{cut}.tar.gz"
        path.write_bytes(data[:cut])
        refused(path, "truncated")


def test_an_archive_without_its_manifest_is_refused(archive, tmp_path, untouched):
    items = [(i, d) for i, d in members(archive) if i.name != "manifest.json"]
    refused(write(tmp_path / "t.tar.gz", items), "no manifest")


def test_another_format_version_is_refused(archive, tmp_path, untouched):
    items = edit_manifest(members(archive), lambda m: m.update(format_version=2))
    refused(write(tmp_path / "t.tar.gz", items), "format version 2")


def test_a_file_missing_from_the_archive_is_refused(archive, tmp_path, untouched):
    items = [(i, d) for i, d in members(archive) if "roster" not in i.name]
    refused(write(tmp_path / "t.tar.gz", items), "incomplete")


def test_a_member_the_manifest_does_not_name_is_refused(archive, tmp_path, untouched):
    extra = tarfile.TarInfo("files/media/docs/extra.txt")
    items = [*members(archive), (extra, b"slipped in")]
    refused(write(tmp_path / "t.tar.gz", items), "does not name")


def test_a_member_that_escapes_its_folder_is_refused(archive, tmp_path, untouched):
    evil = tarfile.TarInfo("files/media/../../../evil.txt")
    items = [(evil, b"x"), *members(archive)]
    refused(write(tmp_path / "t.tar.gz", items), "unexpected member")
    assert not (tmp_path / "evil.txt").exists()


def test_a_link_in_the_archive_is_refused(archive, tmp_path, untouched):
    link = tarfile.TarInfo("files/media/docs/link")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    refused(
        write(tmp_path / "t.tar.gz", [(link, b""), *members(archive)]), "plain file"
    )


def test_a_file_for_a_place_not_configured_here_is_refused(
    archive, tmp_path, untouched
):
    def move(manifest):
        for entry in manifest["files"]:
            if entry["root"] == "storage:roster":
                entry["root"] = "storage:elsewhere"
                entry["member"] = entry["member"].replace("roster", "elsewhere", 1)

    items = [
        (tarfile.TarInfo(i.name.replace("storage:roster", "storage:elsewhere")), d)
        for i, d in edit_manifest(members(archive), move)
    ]
    refused(write(tmp_path / "t.tar.gz", items), "storage:elsewhere.*do not configure")


def test_a_database_of_another_vendor_is_refused(archive, tmp_path, untouched):
    from django.db import connection

    other, name = (
        ("postgresql", "snapshot.pgdump")
        if connection.vendor == "sqlite"
        else ("sqlite", "snapshot.sqlite3")
    )

    def change(manifest):
        manifest["database"]["vendor"] = other
        manifest["database"]["member"] = f"database/{name}"

    items = [
        (
            tarfile.TarInfo(f"database/{name}")
            if i.name.startswith("database/")
            else i,
            d,
        )
        for i, d in edit_manifest(members(archive), change)
    ]
    refused(write(tmp_path / "t.tar.gz", items), f"holds a {other} database")


def test_a_newer_release_is_refused(archive, tmp_path, untouched):
    items = edit_manifest(
        members(archive),
        lambda m: m["migrations"]["points"].append("9999_from_the_future"),
    )
    refused(write(tmp_path / "t.tar.gz", items), "newer release.*points.9999")


def test_not_an_archive_at_all(tmp_path, untouched):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + hashlib.sha256(b"x").digest() * 100)
    refused(path, "not a backup archive")
    refused(tmp_path / "missing.tar.gz", "There is no archive")


def test_the_command_says_why(archive, tmp_path, untouched):
    path = tmp_path / "cut.tar.gz"
    path.write_bytes(archive.read_bytes()[:100])
    with pytest.raises(CommandError, match="truncated"):
        call_command("restore", str(path), "--force")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
