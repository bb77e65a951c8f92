"""On PostgreSQL the backup needs pg_dump, and the restore pg_restore, on PATH, of
the server's major version or newer: without them both refuse, clearly, before
anything is written or changed."""

import shutil

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection

import pytest

from operations.databases import pg_tool
from operations.errors import BackupError
from operations.services import backup_create, backup_restore
from tests.operations.test_backup_restore import machine, row_counts, stored_files

needs_client_tools = pytest.mark.skipif(
    shutil.which("pg_dump") is None, reason="needs the PostgreSQL client tools"
)


@needs_client_tools
def test_a_tool_older_than_asked_is_refused():
    path, version = pg_tool("pg_dump", at_least=10)
    assert path.endswith("pg_dump")
    assert "PostgreSQL" in version
    with pytest.raises(BackupError, match=r"older than 99.*postgresql-client-99"):
        pg_tool("pg_dump", at_least=99)


def test_a_missing_tool_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_restore was not found on PATH"):
        pg_tool("pg_restore", at_least=15)


@pytest.fixture
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_postgres_only")
def test_without_pg_dump_no_archive_is_written(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_dump was not found on PATH"):
        backup_create(output=tmp_path / "b.tar.gz")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_postgres_only")
def test_without_pg_restore_nothing_changes(settings, monkeypatch, tmp_path):
    machine(settings, monkeypatch, tmp_path / "a")
    storages["default"].save("docs/a.txt", ContentFile(b"hello"))
    archive = backup_create(output=tmp_path / "b.tar.gz").path
    machine(settings, monkeypatch, tmp_path / "c")
    before = row_counts()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(BackupError, match="pg_restore was not found on PATH"):
        backup_restore(archive=archive, force=True)
    assert row_counts() == before
    assert stored_files() == {}
