"""gunicorn as deployed (config/deploy/gunicorn.conf.py, production settings, a
PostgreSQL and a Redis of the test's own): a worker killed with SIGKILL takes only
its own request, the others keep answering and the master starts a new worker;
Redis and PostgreSQL stop and start under it and it serves on, with no restart."""

import os
import signal
import subprocess
import sys
import types
from pathlib import Path

import pytest
import requests

from tests.config.test_settings import GOOD_ENV
from tests.operations.servers import (
    OwnPostgres,
    OwnRedis,
    free_port,
    make_tables,
    production_database,
    serving_from,
    wait_until,
)

ROOT = Path(__file__).resolve().parent.parent.parent
HEADERS = {"Host": "xiangyue.example.cn", "X-Forwarded-Proto": "https"}


def workers(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return {int(pid) for pid in children.read_text().split()}


@pytest.fixture
def site(tmp_path, settings, django_db_blocker):
    postgres, redis = OwnPostgres(), OwnRedis(tmp_path)
    postgres.start()
    redis.start()
    with django_db_blocker.unblock(), serving_from(production_database(postgres)):
        make_tables(settings)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in GOOD_ENV}
    env.update(
        GOOD_ENV,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{postgres.port}/postgres",
        REDIS_URL=redis.url,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_ROOT=str(tmp_path / "private"),
        REQUEST_LOG="0",
    )
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"

    def answers():
        try:
            return requests.get(url, headers=HEADERS, timeout=5).status_code == 200
        except requests.ConnectionError:
            return False

    try:
        wait_until(lambda: answers() and len(workers(gunicorn.pid)) == 2, 60)
        yield types.SimpleNamespace(
            url=url, master=gunicorn.pid, postgres=postgres, redis=redis
        )
    finally:
        gunicorn.terminate()
        gunicorn.wait(30)
        redis.stop()
        postgres.remove()


def test_a_killed_worker_is_replaced_and_the_others_keep_answering(site):
    url, master = site.url, site.master
    before = workers(master)
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    for _ in range(10):
        response = requests.get(url, headers=HEADERS, timeout=5)
        assert response.status_code == 200
    wait_until(lambda: len(workers(master)) == 2 and victim not in workers(master))
    assert workers(master) - before  # a new one


def test_production_serves_through_a_redis_and_a_postgresql_outage(site):
    def get():
        return requests.get(site.url, headers=HEADERS, timeout=10)

    site.redis.stop()
    for _ in range(4):  # both workers, each finding Redis down
        assert get().status_code == 200
    health = requests.get(site.url + "healthz/", headers=HEADERS, timeout=10)
    assert health.json()["checks"]["cache"] == "fallback"
    site.redis.start()

    site.postgres.stop()
    for _ in range(4):
        down = get()
        assert down.status_code == 503
        assert "网站暂时连不上数据库" in down.text
    site.postgres.start()
    wait_until(lambda: all(get().status_code == 200 for _ in range(4)))
