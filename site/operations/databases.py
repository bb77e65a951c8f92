"""Database snapshots, per vendor.

PostgreSQL: ``pg_dump --format=custom`` runs in one repeatable-read transaction,
so the dump is one snapshot however busy the site is; ``pg_restore`` loads it in
one transaction, so a failed restore leaves the target as it was.
SQLite: the online backup API copies the database in one step under a read
transaction (never a file copy, which a running writer could tear), and copies it
back into the target through SQLite as well, which keeps its journal consistent.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import DatabaseError
from django.db.backends.postgresql.client import DatabaseClient

from operations.errors import BackupError

SNAPSHOT_NAMES = {"sqlite": "snapshot.sqlite3", "postgresql": "snapshot.pgdump"}


def database_tables(connection) -> list[str]:
    try:
        with connection.cursor() as cursor:
            return sorted(connection.introspection.table_names(cursor))
    except DatabaseError as error:
        raise BackupError(
            f"Cannot reach the database {database_label(connection)}: {error}"
        ) from error


def database_label(connection) -> str:
    return str(connection.settings_dict.get("NAME") or connection.alias)


# -- PostgreSQL ------------------------------------------------------------------


def _major(version_text: str) -> int | None:
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", version_text) or re.search(
        r"(\d+)(?:\.\d+)?", version_text
    )
    return int(found.group(1)) if found else None


def pg_tool(name: str, *, at_least: int) -> tuple[str, str]:
    """The path and version line of a PostgreSQL client program on PATH, or a
    clear refusal: missing, or older than ``at_least`` (the server's major
    version for pg_dump; the dump's for pg_restore)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools, "
            f"version {at_least} or newer (Debian: apt-get install "
            f"postgresql-client-{at_least}), or put them on PATH."
        )
    result = subprocess.run(  # noqa: S603 - a program found on PATH, no shell
        [path, "--version"], capture_output=True, text=True, timeout=60
    )
    version = result.stdout.strip()
    major = _major(version)
    if result.returncode != 0 or major is None:
        raise BackupError(f"Could not read the version of {path}: {version!r}.")
    if major < at_least:
        raise BackupError(
            f"{path} is version {major}, older than {at_least} "
            f"({'the PostgreSQL server' if name == 'pg_dump' else 'the dump'}). "
            f"Install postgresql-client-{at_least} or newer and put it first on PATH."
        )
    return path, version


def _pg_server_major(connection) -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _pg_command(tool: str, settings_dict: dict, *args: str) -> tuple[list, dict]:
    """Arguments and environment for a client program, from Django's database
    settings (the password travels in the environment, never on the command
    line)."""
    _, extra = DatabaseClient.settings_to_cmd_args_env(
        {"OPTIONS": {}, **settings_dict}, []
    )
    env = {**os.environ, **(extra or {})}
    command = [tool, "--no-password"]
    if settings_dict.get("USER"):
        command += ["--username", str(settings_dict["USER"])]
    if settings_dict.get("HOST"):
        command += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        command += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("NAME"):
        command += ["--dbname", str(settings_dict["NAME"])]
    return [*command, *args], env


def _run(command: list, env: dict, what: str) -> None:
    result = subprocess.run(  # noqa: S603 - our own argument list, no shell
        command, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise BackupError(f"{what} failed (exit {result.returncode}): {detail}")


def _pg_snapshot(connection, target: Path) -> dict:
    server = _pg_server_major(connection)
    tool, version = pg_tool("pg_dump", at_least=server)
    # Uncompressed: the archive is gzip-compressed as a whole.
    command, env = _pg_command(
        tool,
        connection.settings_dict,
        "--format=custom",
        "--compress=0",
        "--file",
        str(target),
    )
    _run(command, env, "pg_dump")
    return {
        "vendor": "postgresql",
        "server_version": connection.pg_version,
        "server_major": server,
        "tool": version,
        "tool_major": _major(version),
    }


def _pg_restore(connection, snapshot: Path, info: dict, *, force: bool) -> None:
    tool, _ = pg_tool("pg_restore", at_least=int(info.get("tool_major") or 0))
    options = ["--no-owner", "--no-privileges", "--single-transaction"]
    options += ["--exit-on-error"]
    if force:
        options += ["--clean", "--if-exists"]
    command, env = _pg_command(tool, connection.settings_dict, *options, str(snapshot))
    # Our own session must hold no lock that the restore's DROPs would wait for.
    connection.close()
    _run(command, env, "pg_restore")


# -- SQLite ----------------------------------------------------------------------


def _sqlite_snapshot(connection, target: Path) -> dict:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, so one read transaction sees
        # it all, while writers carry on (WAL).
        connection.connection.backup(copy, pages=-1)
        # A file that stands alone: no -wal file needed to read it.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
    return {
        "vendor": "sqlite",
        "server_version": sqlite3.sqlite_version,
        "tool": f"SQLite {sqlite3.sqlite_version} online backup",
    }


def _sqlite_restore(connection, snapshot: Path) -> None:
    source = sqlite3.connect(snapshot)
    try:
        connection.ensure_connection()
        source.backup(connection.connection, pages=-1)
    finally:
        source.close()
    connection.close()


# -- one interface ---------------------------------------------------------------


def snapshot_write(connection, folder: Path) -> tuple[Path, dict]:
    if connection.vendor not in SNAPSHOT_NAMES:
        raise BackupError(
            f"Backups of {connection.vendor} databases are not supported."
        )
    target = folder / SNAPSHOT_NAMES[connection.vendor]
    if connection.vendor == "postgresql":
        info = _pg_snapshot(connection, target)
    else:
        info = _sqlite_snapshot(connection, target)
    return target, info


def snapshot_check(connection, snapshot: Path, info: dict) -> None:
    """Refuse before anything changes if the snapshot could not be restored here:
    the client program is missing or too old, or the snapshot does not read."""
    if connection.vendor == "postgresql":
        tool, _ = pg_tool("pg_restore", at_least=int(info.get("tool_major") or 0))
        command, env = _pg_command(tool, {}, "--list", str(snapshot))
        _run(command, env, "Reading the dump (pg_restore --list)")
        return
    source = sqlite3.connect(snapshot)
    try:
        problem = source.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        problem = str(error)
    finally:
        source.close()
    if problem != "ok":
        raise BackupError(f"The database snapshot is damaged: {problem}")


def snapshot_restore(connection, snapshot: Path, info: dict, *, force: bool) -> None:
    if connection.vendor == "postgresql":
        _pg_restore(connection, snapshot, info, force=force)
    else:
        _sqlite_restore(connection, snapshot)
