"""A Redis server and a PostgreSQL cluster of a test's own, which the test may stop
and start (never the shared ones on 6379 and 5432). Without the binaries the test
is skipped; under CI=true a missing binary is a failure."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import connections
from django.db.utils import load_backend

import dj_database_url
import pytest


def missing(what: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is not installed: CI needs it")
    pytest.skip(f"{what} is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(ready, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError("the service did not come up")
        time.sleep(0.05)


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


class OwnRedis:
    def __init__(self, folder: Path):
        self.binary = shutil.which("redis-server") or missing("redis-server")
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(lambda: answers(self.port))

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


class OwnPostgres:
    """A throwaway cluster on a free port; as root, run as the postgres user."""

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            missing("PostgreSQL (initdb)")
        self.bin = Path(found[-1]).parent
        # Not under pytest's tmp_path: the postgres user cannot enter root's.
        folder = Path(tempfile.mkdtemp(prefix="xiangyue-pg-"))
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.as_user = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser") or missing("runuser")
            self.as_user = [runuser, "-u", "postgres", "--"]
            shutil.chown(folder, "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust",
                  "-U", "postgres", "--no-sync", "-E", "UTF8")  # fmt: skip

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self.as_user, *args], check=True, capture_output=True, timeout=60
        )

    @property
    def settings(self) -> dict:
        return {"HOST": "127.0.0.1", "PORT": str(self.port), "USER": "postgres"}

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -F"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.folder / "log"), "-w", "start")  # fmt: skip

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                  "-w", "stop")  # fmt: skip

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()  # unless the test left it stopped
        shutil.rmtree(self.folder, ignore_errors=True)


def production_database(server) -> dict:
    """What config/settings/base.py makes of a DATABASE_URL, for this server."""
    url = f"postgres://postgres@127.0.0.1:{server.port}/postgres"
    database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    database["OPTIONS"] = {"connect_timeout": 3}
    return connections.configure_settings({"default": database})["default"]


@contextmanager
def serving_from(database):
    """The default connection, for the ORM and every request, is this one."""
    original = connections["default"]
    wrapper = load_backend(database["ENGINE"]).DatabaseWrapper(database, "default")
    connections["default"] = wrapper
    try:
        yield
    finally:
        wrapper.close()
        connections["default"] = original


def make_tables(settings) -> None:
    """Every table, without the ~185 migrations (seconds instead of twenty); and
    the database cache's, which a migration makes (operations 0002)."""
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0)
    call_command("createcachetable", "xiangyue_cache", verbosity=0)
