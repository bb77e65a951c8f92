"""A mixed load of villagers against the real server, at rising concurrency.

    .venv/bin/python bench/bench_mixed.py [--steps 8,16,32,64] [--seconds 60]
                                          [--workers N] [--shopkeepers-per 8]

The production stack on this machine: gunicorn with config/deploy/gunicorn.conf.py
(``--preload``, 2 workers per core unless --workers), the production settings
(DEBUG off, JSON logs), PostgreSQL and Redis as the cache, and the background
worker (``manage.py db_worker``). The demo township is seeded (two villages of 150
households, with notices, disclosures, topics and comments, a points catalogue,
a shop), every household gets points, each village's shop gets a product with a
large stock, and each village an open secret vote of its residents.

Each step runs for --seconds with N clients: N - N/8 logged-in villagers (each a
different adult resident, with their own session) and N/8 shopkeeper clients. A
villager reads (village home, a notice, the topic page with its comments, the
household's points page, the shop), votes and changes the ballot, and takes
vouchers; shopkeepers scan and confirm the vouchers taken. No think time: every
client sends its next request as soon as the last one is answered. Per step:
requests/s, p50/p99 per kind and overall, errors, and the CPU of client, server
and machine. Afterwards the vouchers still open are confirmed, then the checks:
``ledger_verify``, points issued = household balances + spent, stock + redeemed =
initial, counted ballots = the villagers who voted, option counts = each voter's
last choice.

Needs PostgreSQL and Redis. BENCH_MIXED_PG_URL (default
postgres://postgres@127.0.0.1:5432/bench_mixed) must name a database with "bench"
in its name: it is DROPPED, made again, and dropped at the end.
BENCH_MIXED_REDIS_URL (default redis://127.0.0.1:6379/11): that Redis database is
emptied.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import hashlib
import os
import queue
import random
import re
import signal
import socket
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

ARGS = argparse.ArgumentParser()
ARGS.add_argument("--steps", default="8,16,32,64")
ARGS.add_argument("--seconds", type=float, default=60)
ARGS.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
ARGS.add_argument("--shopkeepers-per", type=int, default=8)
ARGS.add_argument(
    "--reuse",
    action="store_true",
    help="keep the scratch database of an earlier run (to try the clients quickly)",
)
OPTIONS = ARGS.parse_args()
STEPS = [int(n) for n in OPTIONS.steps.split(",") if n.strip()]

PG_URL = os.environ.get(
    "BENCH_MIXED_PG_URL", "postgres://postgres@127.0.0.1:5432/bench_mixed"
)
REDIS_URL = os.environ.get("BENCH_MIXED_REDIS_URL", "redis://127.0.0.1:6379/11")
POINTS_PER_HOUSEHOLD = 100_000
STOCK = 1_000_000
_tmp = tempfile.TemporaryDirectory(prefix="bench-mixed-")

# What a real deployment sets (config/settings/production.py refuses to start
# without it); the SMS gateway is a closed port: no text leaves this machine.
ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    # Fixed, so that --reuse finds the sessions' hashes valid: a scratch database.
    "SECRET_KEY": "bench-mixed-" + hashlib.sha256(b"bench-mixed").hexdigest(),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SITE_URL": "https://127.0.0.1",
    "DATABASE_URL": PG_URL,
    # Production keeps connections 60 s; here for the whole run, so that the CPU
    # of each PostgreSQL backend can be read (a reconnect a minute costs nothing).
    "CONN_MAX_AGE": "900",
    "REDIS_URL": REDIS_URL,
    "SMS_BACKEND": "accounts.sms.HttpSmsBackend",
    "SMS_HTTP_URL": "http://127.0.0.1:9/",
    "SMS_HTTP_KEY_ID": "bench",
    "SMS_HTTP_SECRET": "bench",
    "MEDIA_ROOT": f"{_tmp.name}/media",
    "PRIVATE_ROOT": f"{_tmp.name}/private",
    "LOG_LEVEL": "WARNING",
}


def _pg_admin(sql: str) -> None:
    import psycopg

    admin = PG_URL.rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin + "/postgres", autocommit=True, connect_timeout=5) as c:
        c.execute(sql)


def _exists(name: str) -> bool:
    import psycopg

    admin = PG_URL.rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin + "/postgres", connect_timeout=5) as c:
        row = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return row.fetchone() is not None


def _prepare() -> bool:
    name = PG_URL.rsplit("/", 1)[1]
    if "bench" not in name:
        print(
            "BENCH_MIXED_PG_URL must name a scratch database with 'bench' in its name"
        )
        return False
    try:
        if not OPTIONS.reuse:
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_admin(
            "SELECT 1"
            if OPTIONS.reuse and _exists(name)
            else f'CREATE DATABASE "{name}"'
        )
    except Exception as e:
        print(f"PostgreSQL not usable at {PG_URL}: {e}")
        return False
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).flushdb()
    except Exception as e:
        print(f"Redis not usable at {REDIS_URL}: {e}")
        return False
    return True


if not _prepare():
    sys.exit(0)
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.utils import timezone  # noqa: E402

import requests  # noqa: E402
from _report import note, record  # noqa: E402

# --- the village ---------------------------------------------------------------


class Village:
    """What the clients of one village need: addresses, people, the vote."""

    def __init__(self, **kw):
        self.__dict__.update(kw)
        self.vouchers: queue.Queue[str] = queue.Queue()


def session_key(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def seed() -> list[Village]:
    from wagtail.models import Page

    from cms_home.models import VillagePage
    from deliberation.models import Topic
    from deliberation.services.votes import vote_create
    from notices.models import NoticePage
    from points.services.ledger import ledger_record_deed
    from points.shop.models import Product, Shop
    from villages.demo import seed_demo
    from villages.models import Household, Membership
    from villages.models import Village as VillageModel

    seed_demo()
    now = timezone.now()
    adult = timezone.localdate().year - 18
    villages = []
    for model in VillageModel.objects.filter(area__slug="qingshan").order_by("pk"):
        for household in Household.objects.filter(village=model).order_by("pk"):
            ledger_record_deed(
                household=household,
                points=POINTS_PER_HOUSEHOLD,
                effective_on=timezone.localdate(),
                key=f"bench-mixed-{household.pk}",
            )
        shop = Shop.objects.filter(village=model).order_by("pk").first()
        product = Product.objects.create(
            shop=shop, name="基准商品", points=1, stock=STOCK, limit_quantity=None
        )
        topic = Topic.objects.filter(village=model).order_by("pk").first()
        committee = Membership.objects.filter(village=model, is_committee=True).first()
        vote = vote_create(
            topic=topic,
            by=committee.user,
            question="村民活动中心选址？",
            kind="single",
            options=["村委会旁", "小学旁", "河边广场"],
            electorate="residents",
            rule="consultation",
            opens_at=now - dt.timedelta(minutes=5),
            closes_at=now + dt.timedelta(days=2),
            results_live=True,
            is_secret=True,
        )
        residents = list(
            Membership.objects.active()
            .filter(
                village=model,
                is_resident=True,
                household__isnull=False,
                verified_at__isnull=False,
                birth_year__lte=adult,
            )
            .select_related("user", "household")
            .order_by("pk")
        )
        keepers = [
            m.user
            for m in Membership.objects.active().filter(
                village=model, is_shopkeeper=True
            )
        ]
        home = VillagePage.objects.get(village=model)
        notices = [p.url for p in NoticePage.objects.live().descendant_of(home)]
        others = [
            p.url
            for p in Page.objects.live().descendant_of(home).specific()[:40]
            if p.url and p.depth > home.depth
        ]
        villages.append(
            Village(
                slug=model.slug,
                pk=model.pk,
                home=home.url,
                notices=notices or others,
                topic=topic.get_absolute_url(),
                shop=f"/v/{model.slug}/shop/{shop.slug}/",
                shop_slug=shop.slug,
                product=product.pk,
                vote=vote.get_absolute_url(),
                vote_pk=vote.pk,
                options=[o.pk for o in vote.options.all()],
                people=[(m.user, m.household.number) for m in residents],
                keepers=keepers,
            )
        )
    return villages


# --- the clients ---------------------------------------------------------------


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
CONFIRM = re.compile(r'data-link="https://[^/"]+(/v/[^"]+/c/[^"]+/)"')


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = collections.defaultdict(list)
        self.errors: collections.Counter[str] = collections.Counter()
        self.first_errors: list[str] = []

    def add(self, kind: str, took: float, problem: str = "") -> None:
        with self.lock:
            self.times[kind].append(took)
            if problem:
                self.errors[kind] += 1
                if len(self.first_errors) < 5:
                    self.first_errors.append(f"{kind}: {problem}")


class Client:
    """One logged-in person with their own session and cookies."""

    def __init__(self, base: str, user, stats: Stats):
        self.base = base
        self.stats = stats
        self.http = requests.Session()
        self.http.headers["X-Forwarded-Proto"] = "https"
        self.http.cookies.set(settings.SESSION_COOKIE_NAME, session_key(user))

    def call(self, kind: str, method: str, path: str, expect: int, **kw):
        url = self.base + path
        if method == "POST":
            # The CSRF check compares the Referer with the host, port included.
            secure = self.base.replace("http://", "https://", 1)
            kw.setdefault("headers", {})["Referer"] = secure + path
        started = time.perf_counter()
        problem, response = "", None
        try:
            response = self.http.request(
                method, url, allow_redirects=False, timeout=60, **kw
            )
            # nginx ends TLS in production; here the clients speak plain HTTP to
            # gunicorn with X-Forwarded-Proto: https, so they must send back the
            # Secure cookies (requests copies the jar per request: no policy).
            for cookie in self.http.cookies:
                cookie.secure = False
            if response.status_code != expect:
                said = " ".join(re.sub(r"<[^>]+>", " ", response.text).split())
                problem = f"{method} {path} → {response.status_code} {said[-160:]}"
        except requests.RequestException as e:
            problem = f"{method} {path} → {e!r}"
        self.stats.add(kind, time.perf_counter() - started, problem)
        return None if problem else response


class Villager(Client):
    READS = [("home", 20), ("notice", 15), ("topic", 15), ("household", 15)]
    ACTS = [("shop", 10), ("vote", 15), ("take", 10)]

    def __init__(self, base, user, number, village: Village, stats, ballots):
        super().__init__(base, user, stats)
        self.user, self.number, self.village = user, number, village
        self.ballots = ballots  # user pk → last option counted
        self.rng = random.Random(user.pk)
        kinds = self.READS + self.ACTS
        self.kinds = [k for k, _ in kinds]
        self.weights = [w for _, w in kinds]

    def step(self) -> None:
        kind = self.rng.choices(self.kinds, self.weights)[0]
        v = self.village
        if kind == "home":
            self.call("home", "GET", v.home, 200)
        elif kind == "notice":
            self.call("notice", "GET", self.rng.choice(v.notices), 200)
        elif kind == "topic":
            self.call("topic", "GET", v.topic, 200)
        elif kind == "household":
            path = f"/v/{v.slug}/points/households/{self.number}/"
            self.call("household", "GET", path, 200)
        elif kind == "shop":
            self.call("shop", "GET", v.shop, 200)
        elif kind == "vote":
            self.vote()
        else:
            self.take()

    def vote(self) -> None:
        v = self.village
        page = self.call("vote page", "GET", v.vote, 200)
        if page is None:
            return
        match = CSRF.search(page.text)
        option = self.rng.choice(v.options)
        data = {
            "choice": option,
            # changes later come from this phone: it keeps the receipt
            "keep_receipt": "on",
            "csrfmiddlewaretoken": match.group(1) if match else "",
        }
        changing = self.user.pk in self.ballots
        done = self.call(
            "ballot change" if changing else "ballot", "POST", v.vote, 200, data=data
        )
        if done is not None:
            self.ballots[self.user.pk] = option

    def take(self) -> None:
        v = self.village
        page = self.call("shop", "GET", v.shop, 200)
        if page is None:
            return
        match = CSRF.search(page.text)
        data = {
            f"qty-{v.product}": "1",
            "csrfmiddlewaretoken": match.group(1) if match else "",
        }
        taken = self.call("take voucher", "POST", v.shop + "take/", 302, data=data)
        if taken is None:
            return
        shown = self.call("voucher page", "GET", taken.headers["Location"], 200)
        link = CONFIRM.search(shown.text) if shown is not None else None
        if link is None:
            if shown is not None:
                self.stats.add("voucher page", 0, "no QR link on the voucher page")
            return
        v.vouchers.put(link.group(1))


class Shopkeeper(Client):
    def __init__(self, base, user, village: Village, stats, confirmed):
        super().__init__(base, user, stats)
        self.village = village
        self.confirmed = confirmed

    def step(self) -> None:
        try:
            link = self.village.vouchers.get(timeout=0.2)
        except queue.Empty:
            return
        self.confirm(link)

    def confirm(self, link: str) -> None:
        page = self.call("scan", "GET", link, 200)
        if page is None:
            return
        data = dict(HIDDEN.findall(page.text))
        done = self.call("confirm", "POST", link, 302, data=data)
        if done is not None:
            with self.stats.lock:
                self.confirmed[self.village.slug] += 1


# --- CPU ------------------------------------------------------------------------


def _ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _reaped(pid: int) -> int:
    """CPU of the children that ``pid`` has waited for (workers that were replaced)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[13]) + int(fields[14])  # cutime + cstime
    except (OSError, IndexError, ValueError):
        return 0


def server_ticks(pids: list[int]) -> int:
    return sum(
        _ticks(p) + _reaped(p) + sum(_ticks(c) for c in _children(p)) for p in pids
    )


def database_ticks() -> int:
    """CPU of the PostgreSQL backends serving the scratch database (the server
    keeps its connections for the whole run: CONN_MAX_AGE below)."""
    name = PG_URL.rsplit("/", 1)[1].encode()
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if cmdline.startswith(b"postgres: ") and b" " + name + b" " in cmdline:
            total += _ticks(int(proc.name))
    return total


def machine_busy() -> tuple[int, int]:
    parts = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = parts[3] + parts[4]
    return sum(parts) - idle, sum(parts)


HZ = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


# --- the run ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(len(ordered) * p) - 1))]


def run_step(n: int, base, villages, stats_all, ballots, confirmed, people, server):
    keepers_n = max(1, n // OPTIONS.shopkeepers_per)
    villagers_n = n - keepers_n
    stats = Stats()
    clients: list[Client] = []
    for i in range(villagers_n):
        v = villages[i % len(villages)]
        user, number = v.people[i // len(villages)]
        client = people.get(user.pk)
        if client is None:
            client = people[user.pk] = Villager(base, user, number, v, stats, ballots)
        client.stats = stats
        clients.append(client)
    for i in range(keepers_n):
        v = villages[i % len(villages)]
        user = v.keepers[(i // len(villages)) % len(v.keepers)]
        clients.append(Shopkeeper(base, user, v, stats, confirmed))
    stop = threading.Event()

    def loop(client):
        while not stop.is_set():
            client.step()

    threads = [threading.Thread(target=loop, args=(c,), daemon=True) for c in clients]
    load_before = os.getloadavg()[0]
    busy0, total0 = machine_busy()
    cpu0, srv0, db0 = time.process_time(), server_ticks(server), database_ticks()
    started = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(OPTIONS.seconds)
    stop.set()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    client_cpu = (time.process_time() - cpu0) / wall
    server_cpu = (server_ticks(server) - srv0) / HZ / wall
    database_cpu = (database_ticks() - db0) / HZ / wall
    busy1, total1 = machine_busy()
    machine = (busy1 - busy0) / max(1, total1 - total0) * (os.cpu_count() or 1)
    load_after = os.getloadavg()[0]

    every = [t for times in stats.times.values() for t in times]
    errors = sum(stats.errors.values())
    rate = len(every) / wall
    p50, p99 = percentile(every, 0.5) * 1000, percentile(every, 0.99) * 1000
    print(
        f"\n-- {n} clients ({villagers_n} villagers, {keepers_n} shopkeepers), "
        f"{wall:.0f} s: {len(every):,} requests = {rate:.1f}/s; "
        f"p50 {p50:.0f} ms, p99 {p99:.0f} ms; errors {errors}"
    )
    print(
        f"   CPU (cores): client {client_cpu:.2f}, gunicorn {server_cpu:.2f}, "
        f"PostgreSQL {database_cpu:.2f}, "
        f"whole machine {machine:.2f} of {os.cpu_count()}; "
        f"load {load_before:.1f} → {load_after:.1f}"
    )
    print(f"   {'kind':14} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for kind in sorted(stats.times, key=lambda k: -len(stats.times[k])):
        times = stats.times[kind]
        print(
            f"   {kind:14} {len(times):6} {percentile(times, 0.5) * 1000:8.0f} "
            f"{percentile(times, 0.99) * 1000:8.0f} {stats.errors[kind]:6}"
        )
    for line in stats.first_errors:
        print(f"   first errors: {line}")
    record(f"mixed, {n} clients: throughput", rate, "req/s")
    record(f"mixed, {n} clients: p50, all requests", p50, "ms")
    record(
        f"mixed, {n} clients: p99, all requests", p99, "ms", target=1000, compare="<"
    )
    for kind in (
        "home",
        "topic",
        "household",
        "ballot change",
        "take voucher",
        "confirm",
    ):
        if stats.times.get(kind):
            record(
                f"mixed, {n} clients: p99, {kind}",
                percentile(stats.times[kind], 0.99) * 1000,
                "ms",
            )
    if every:
        # CPU time per request does not depend on how busy the machine is, as
        # latency does: it is what sizes the servers (config/deploy/DEPLOY.md).
        record(
            f"mixed, {n} clients: app CPU per request",
            server_cpu * wall / len(every) * 1000,
            "ms",
        )
        record(
            f"mixed, {n} clients: PostgreSQL CPU per request",
            database_cpu * wall / len(every) * 1000,
            "ms",
        )
    record(f"mixed, {n} clients: errors", errors, target=0, compare="==")
    record(
        f"mixed, {n} clients: CPU of the whole machine",
        machine,
        "cores",
        note=(
            f"client {client_cpu:.2f}, gunicorn {server_cpu:.2f}, "
            f"PostgreSQL {database_cpu:.2f}, load {load_after:.1f}"
        ),
    )
    for kind, times in stats.times.items():
        stats_all.times[kind].extend(times)
    stats_all.errors.update(stats.errors)
    return rate, p99, errors


def checks(villages, ballots, confirmed, taken_before, balances_before) -> int:
    from deliberation.ballot_box import all_ballots
    from deliberation.models import Participation, Vote
    from points.models import Account
    from points.shop.models import Product, Voucher, VoucherLine
    from points.verify import verify_village

    failures = 0
    started = time.perf_counter()
    try:
        call_command("ledger_verify", stdout=open(os.devnull, "w"))  # noqa: SIM115
        verified = "passes"
    except Exception as e:
        verified = f"FAILS: {e}"
        failures += 1
    print(f"\nledger_verify {verified} ({time.perf_counter() - started:.1f} s)")
    for v in villages:
        problems = verify_village(v.pk)
        failures += len(problems)
        accounts = dict(
            Account.objects.filter(village_id=v.pk)
            .values("kind")
            .annotate(total=Sum("balance"))
            .values_list("kind", "total")
        )
        issued = -(accounts.get("issuance") or 0)
        households = accounts.get("household") or 0
        spent = (accounts.get("shop") or 0) + (accounts.get("expiry") or 0)
        product = Product.objects.get(pk=v.product)
        redeemed = (
            VoucherLine.objects.filter(
                product=product, voucher__status="spent"
            ).aggregate(n=Sum("quantity"))["n"]
            or 0
        )
        held = (
            VoucherLine.objects.filter(
                product=product, voucher__status="active"
            ).aggregate(n=Sum("quantity"))["n"]
            or 0
        )
        spent_now = Voucher.objects.filter(village_id=v.pk, status="spent").count()
        shop_delta = (accounts.get("shop") or 0) - balances_before[v.slug]
        participations = Participation.objects.filter(vote_id=v.vote_pk).count()
        # every ballot, in the box or still waiting sealed (fewer than a batch)
        every = all_ballots(Vote.objects.get(pk=v.vote_pk))
        counted = len(every)
        voters = {user.pk for user, _number in v.people if user.pk in ballots}
        expected = collections.Counter(ballots[pk] for pk in voters)
        choices = collections.Counter(o for chosen in every.values() for o in chosen)
        lines = [
            ("ledger problems", len(problems), 0),
            ("points issued - (balances + spent)", issued - households - spent, 0),
            ("stock + redeemed - initial", product.stock + redeemed - STOCK, 0),
            ("held by open vouchers", product.held - held, 0),
            (
                "vouchers spent - confirmed",
                spent_now - taken_before[v.slug] - confirmed[v.slug],
                0,
            ),
            ("shop points - redeemed", shop_delta - redeemed, 0),
            ("ballots - voters", counted - len(voters), 0),
            ("participations - voters", participations - len(voters), 0),
            (
                "option counts - last choices",
                sum((choices - expected).values()) + sum((expected - choices).values()),
                0,
            ),
        ]
        print(
            f"{v.slug}: issued {issued:,} = households {households:,} + spent {spent:,}; "
            f"stock {product.stock:,} + redeemed {redeemed:,} (held {held}); "
            f"{counted} ballots from {len(voters)} voters"
        )
        for label, value, want in lines:
            if value != want:
                failures += 1
                print(f"   MISMATCH {label}: {value}")
        record(f"mixed, {v.slug}: vouchers redeemed over the run", redeemed)
        record(f"mixed, {v.slug}: villagers who voted", len(voters))
    record(
        "mixed: ledger_verify and ledger/stock/vote mismatches",
        failures,
        target=0,
        compare="==",
    )
    return failures


def main() -> None:
    from points.models import Account
    from points.shop.models import Voucher

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    villages = seed()
    print(
        f"seeded {len(villages)} villages ({', '.join(v.slug for v in villages)}) in "
        f"{time.perf_counter() - started:.0f} s; adult residents: "
        f"{', '.join(str(len(v.people)) for v in villages)}"
    )
    need = max(STEPS) if STEPS else 0
    if need > sum(len(v.people) for v in villages):
        sys.exit("not enough villagers for the largest step")
    taken_before = {
        v.slug: Voucher.objects.filter(village_id=v.pk, status="spent").count()
        for v in villages
    }
    balances_before = {
        v.slug: Account.objects.filter(village_id=v.pk, kind="shop").aggregate(
            s=Sum("balance")
        )["s"]
        or 0
        for v in villages
    }
    connection.close()

    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}:{ROOT / 'site'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(OPTIONS.workers),
        "GUNICORN_LOGLEVEL": "warning",
    }
    log = open(Path(_tmp.name) / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            str(ROOT / "config" / "deploy" / "gunicorn.conf.py"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    stats_all = Stats()
    ballots: dict[int, int] = {}
    confirmed = collections.Counter()
    people: dict[int, Villager] = {}
    note(
        "server", f"gunicorn {OPTIONS.workers} workers (--preload), production settings"
    )
    note("stack", "PostgreSQL, Redis cache, db_worker running")
    note("steps", f"{OPTIONS.seconds:.0f} s each")
    try:
        for _ in range(100):
            try:
                requests.get(
                    base + "/healthz/",
                    timeout=5,
                    allow_redirects=False,
                    headers={"X-Forwarded-Proto": "https"},
                )
                break
            except requests.RequestException:
                time.sleep(0.2)
        print(
            f"gunicorn: {OPTIONS.workers} workers on {os.cpu_count()} cores; "
            f"load before: {os.getloadavg()[0]:.1f}"
        )
        for n in STEPS:
            run_step(
                n, base, villages, stats_all, ballots, confirmed, people, [server.pid]
            )
        # Confirm what is still open, so that every voucher taken is accounted for.
        drain = Stats()
        for v in villages:
            keeper = Shopkeeper(base, v.keepers[0], v, drain, confirmed)
            while not v.vouchers.empty():
                keeper.confirm(v.vouchers.get())
        if drain.errors:
            print(f"confirming the rest: {sum(drain.errors.values())} errors")
    finally:
        for process in (server, worker):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (server, worker):
            process.wait(timeout=30)
        log.close()
    failures = checks(villages, ballots, confirmed, taken_before, balances_before)
    server_errors = [
        line
        for line in (Path(_tmp.name) / "server.log").read_text().splitlines()
        if '"level": "ERROR"' in line or "Traceback" in line
    ]
    print(f"server log: {len(server_errors)} error lines")
    for line in server_errors[:3]:
        print("   " + line[:300])
    print("checks: " + ("all hold" if not failures else f"{failures} FAILED"))


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        try:
            if not OPTIONS.reuse:
                _pg_admin(
                    f'DROP DATABASE IF EXISTS "{PG_URL.rsplit("/", 1)[1]}" WITH (FORCE)'
                )
        except Exception as e:
            print(f"could not drop the scratch database: {e}")
        _tmp.cleanup()
