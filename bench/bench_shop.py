"""The points shop against a real server: confirm rate, latency and contention.

    .venv/bin/python bench/bench_shop.py [REDEMPTIONS] [CLIENTS]

Seeds a village with 10 shops and REDEMPTIONS (default 1,000) households, each with
a voucher; starts gunicorn on this code; then CLIENTS (default 20) concurrent
shopkeeper clients scan (GET the confirm page) and confirm (POST) every voucher,
spread over the 10 shops. Prints throughput and p50/p99 confirm latency; then a
contention round (two clients confirm each of 100 vouchers at the same instant:
exactly one may win); then checks the ledger (``points.verify``) and the stock,
and prints the number of anomalies (must be 0).

Needs ``points.shop`` installed. Uses a throwaway SQLite file unless DATABASE_URL is
set: then that database is DROPPED and made again, so it must be a scratch one
whose name contains "bench", e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_shop
(any other name: the script says so and does nothing).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "site"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
_tmp = tempfile.TemporaryDirectory(prefix="bench-shop-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ.setdefault("CONN_MAX_AGE", "60")

REDEMPTIONS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
CLIENTS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
SHOPS = 10
CONTENDED = 100


def recreate_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


if os.environ["DATABASE_URL"].startswith("postgres"):
    if "bench" not in os.environ["DATABASE_URL"].rsplit("/", 1)[1]:
        print("DATABASE_URL must name a scratch database with 'bench' in its name")
        sys.exit(0)
    recreate_postgres(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

import requests  # noqa: E402
from _report import note, record  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_cookie(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def seed():
    from points.services.ledger import ledger_record_deed
    from points.shop.models import Product, Shop
    from points.shop.services.vouchers import voucher_create
    from tests.factories import HouseholdFactory, MembershipFactory, VillageFactory

    village = VillageFactory(name="基准村", slug="bench")
    shops, keepers, products = [], [], []
    for i in range(SHOPS):
        keeper = MembershipFactory(
            village=village, is_resident=False, is_shopkeeper=True
        ).user
        shop = Shop.objects.create(village=village, name=f"超市{i}", slug=f"s{i}")
        shop.shopkeepers.add(keeper)
        shops.append(shop)
        keepers.append(keeper)
        products.append(
            Product.objects.create(
                shop=shop, name="大米", points=3, stock=REDEMPTIONS + CONTENDED
            )
        )
    jobs = []
    started = time.perf_counter()
    for n in range(REDEMPTIONS + CONTENDED):
        household = HouseholdFactory(village=village, number=f"B{n:05d}")
        ledger_record_deed(
            household=household, points=10, effective_on=dt.date.today(), key=f"b{n}"
        )
        k = n % SHOPS
        voucher, token = voucher_create(
            household=household, shop=shops[k], items={products[k].pk: 1}, by=None
        )
        jobs.append((k, voucher.pk, f"/v/{village.slug}/shop/s{k}/c/{token}/"))
    took = time.perf_counter() - started
    return village, shops, keepers, products, jobs, took


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def confirm(http: requests.Session, base: str, link: str) -> tuple[int, float]:
    page = http.get(base + link, allow_redirects=False)
    if os.environ.get("BENCH_DEBUG") and page.status_code >= 500:
        print(page.text[-3000:])
    match = CSRF.search(page.text)
    if page.status_code != 200 or not match:
        return page.status_code, 0.0
    started = time.perf_counter()
    done = http.post(
        base + link,
        data={"csrfmiddlewaretoken": match.group(1)},
        headers={"Referer": base + link},
        allow_redirects=False,
    )
    return done.status_code, time.perf_counter() - started


def main() -> None:
    if not apps.is_installed("points.shop"):
        print("points.shop is not in INSTALLED_APPS: nothing to measure")
        return
    call_command("migrate", verbosity=0)
    village, shops, keepers, products, jobs, seed_time = seed()
    print(f"database: {connection.vendor}; {len(jobs)} vouchers taken in-process")
    print(f"  voucher_create: {len(jobs) / seed_time:,.0f}/s (with household + award)")
    note("database", connection.vendor)
    note("server", f"gunicorn {os.cpu_count() * 2} workers, {CLIENTS} clients")
    record("shop: voucher_create in-process", len(jobs) / seed_time, "/s")
    cookies = [session_cookie(k) for k in keepers]

    port = free_port()
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'site'}"}
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--preload",
            "-w",
            str(os.cpu_count() * 2),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(base + "/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.1)
        run(base, jobs, cookies, village, shops, products)
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:  # a loaded machine: stop waiting
            server.kill()
            server.wait()


def run(base, jobs, cookies, village, shops, products) -> None:
    from points.shop.models import Voucher
    from points.verify import verify_village

    plain, contended = jobs[:REDEMPTIONS], jobs[REDEMPTIONS:]
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def client(i: int, work, barrier=None) -> None:
        sessions = {}
        for k, _pk, link in work:
            http = sessions.get(k)
            if http is None:
                http = sessions[k] = requests.Session()
                http.cookies.set(settings.SESSION_COOKIE_NAME, cookies[k])
            if barrier is not None:
                barrier.wait()
            status, took = confirm(http, base, link)
            with lock:
                statuses.append(status)
                if took:
                    latencies.append(took)

    threads = [
        threading.Thread(target=client, args=(i, plain[i::CLIENTS]))
        for i in range(CLIENTS)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    ok = statuses.count(302)
    if not latencies:
        print("no confirm succeeded; statuses:", sorted(set(statuses)))
        return
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(
        f"confirm over HTTP, {CLIENTS} clients, {SHOPS} shops: {ok}/{len(plain)} "
        f"redeemed in {wall:.1f} s = {ok / wall:,.0f}/s (scan + confirm); "
        f"confirm p50 {p50:.0f} ms, p99 {p99:.0f} ms"
    )
    record("shop: redemptions over HTTP (scan + confirm)", ok / wall, "/s")
    record("shop: confirm p50", p50, "ms")
    record("shop: confirm p99", p99, "ms")
    record("shop: vouchers not redeemed", len(plain) - ok, target=0, compare="==")

    # Contention: two clients confirm each voucher at the same instant.
    statuses.clear()
    barrier = threading.Barrier(2)
    for k, pk, link in contended:
        pair = [
            threading.Thread(target=client, args=(j, [(k, pk, link)], barrier))
            for j in range(2)
        ]
        for t in pair:
            t.start()
        for t in pair:
            t.join()
    won, lost = statuses.count(302), statuses.count(409)
    print(
        f"contention: {len(contended)} vouchers × 2 simultaneous confirms → "
        f"{won} redeemed, {lost} 'already redeemed', "
        f"{len(statuses) - won - lost} other"
    )

    anomalies = len(verify_village(village.pk))
    spent = Voucher.objects.filter(village=village, status="spent").count()
    if spent != ok + won:
        anomalies += 1
    if won != len(contended) or lost != len(contended):
        anomalies += 1
    for product in products:
        product.refresh_from_db()
        if product.held != 0 or product.stock < 0:
            anomalies += 1
    print(f"ledger_verify + stock check: {anomalies} anomalies ({spent} spent)")
    record(
        "shop: simultaneous confirms of one voucher, both won",
        len(contended) - min(won, lost),
        target=0,
        compare="==",
        note=f"{len(contended)} vouchers × 2",
    )
    record("shop: ledger and stock anomalies", anomalies, target=0, compare="==")


if __name__ == "__main__":
    main()
