"""Backup and restore of the demo township: time and archive size.

    .venv/bin/python bench/bench_backup.py

Seeds the demo township (``manage.py seed_demo``) into a throwaway SQLite file, or,
with DATABASE_URL naming a scratch PostgreSQL database with "bench" in its name,
into that database (dropped and made again; the restore goes to ``<name>_restore``,
dropped afterwards). Then runs ``manage.py backup``, restores the archive into a
fresh database and fresh media folders with ``manage.py restore``, and checks the
copy with ``manage.py ledger_verify``. Every step is a real command in its own
process, as an operator runs it: the figures are the commands' own times (printed
by them) and their wall times, beside Django's start-up (``manage.py check``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import note, record  # noqa: E402

_tmp = tempfile.TemporaryDirectory(prefix="bench-backup-")
WORK = Path(_tmp.name)
URL = os.environ.get("DATABASE_URL") or f"sqlite:///{WORK}/source.sqlite3"
POSTGRES = URL.startswith("postgres")
MB = 1024 * 1024


def admin_run(*statements: str) -> None:
    import psycopg

    admin = URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def manage(*args: str, url: str, folder: Path) -> tuple[float, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_ROOT": str(folder / "private"),
    }
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        print(result.stdout[-2000:], result.stderr[-2000:])
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return seconds, result.stdout


def own_seconds(output: str) -> float:
    """The time the command itself reports (without Django's start-up)."""
    return float(re.search(r"; ([\d.]+) s", output).group(1))


def main() -> None:
    if POSTGRES:
        name = URL.rsplit("/", 1)[1]
        if "bench" not in name:
            print("DATABASE_URL must name a scratch database with 'bench' in its name")
            return
        target = f"{URL}_restore"
        admin_run(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}"',
            f'DROP DATABASE IF EXISTS "{name}_restore" WITH (FORCE)',
            f'CREATE DATABASE "{name}_restore"',
        )
    else:
        target = f"sqlite:///{WORK}/restored.sqlite3"
    vendor = "PostgreSQL" if POSTGRES else "SQLite"
    note("database", vendor)
    source, fresh = WORK / "a", WORK / "b"
    try:
        manage("migrate", "-v0", url=URL, folder=source)
        manage("createcachetable", url=URL, folder=source)
        manage("seed_demo", url=URL, folder=source)
        startup, _ = manage("check", "-v0", url=URL, folder=source)
        archive = WORK / "backup.tar.gz"
        wall, out = manage("backup", "--output", str(archive), url=URL, folder=source)
        backup_own = own_seconds(out)
        files = int(re.search(r"(\d+) files", out).group(1))
        database = float(re.search(r"database ([\d.]+) MB", out).group(1))
        size = archive.stat().st_size / MB
        restore_wall, out = manage("restore", str(archive), url=target, folder=fresh)
        restore_own = own_seconds(out)
        manage("ledger_verify", url=target, folder=fresh)
    finally:
        if POSTGRES:
            admin_run(f'DROP DATABASE IF EXISTS "{name}_restore" WITH (FORCE)')

    print(f"demo township on {vendor}: database {database:.1f} MB, {files} files")
    print(f"  archive          {size:6.2f} MB")
    print(f"  backup           {backup_own:6.1f} s  (command {wall:.1f} s)")
    print(f"  restore          {restore_own:6.1f} s  (command {restore_wall:.1f} s)")
    print(f"  Django start-up  {startup:6.1f} s  (manage.py check)")
    record(f"backup of the demo township ({vendor})", backup_own, "s")
    record(f"restore of the demo township ({vendor})", restore_own, "s")
    record(f"backup archive of the demo township ({vendor})", size, "MB")
    record(
        f"backup/restore commands with start-up ({vendor})", wall + restore_wall, "s"
    )


if __name__ == "__main__":
    main()
