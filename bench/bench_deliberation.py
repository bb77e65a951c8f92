"""Deliberation: (1) the topic page with 500 comments, against an empty Django view
in the same run, and its page weight; (2) a vote storm: 2,000 distinct voters
posting ballots through gunicorn to PostgreSQL.

    .venv/bin/python bench/bench_deliberation.py [--voters 2000] [--concurrency 32]

(1) runs on a throwaway SQLite file unless DATABASE_URL is set. (2) needs
PostgreSQL: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/bench_deliberation)
names a scratch database that the script drops and creates; gunicorn must be
installed. Prints numbers, asserts only that exactly N ballots were counted.
"""

from __future__ import annotations

import argparse
import gzip
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "site"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

ARGS = argparse.ArgumentParser()
ARGS.add_argument("--voters", type=int, default=2000)
ARGS.add_argument("--concurrency", type=int, default=32)
ARGS.add_argument("--workers", type=int, default=4)
ARGS.add_argument("--skip-storm", action="store_true")
OPTIONS = ARGS.parse_args()

PG_URL = os.environ.get(
    "BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/bench_deliberation"
)
_tmp = tempfile.TemporaryDirectory(prefix="bench-delib-")


def _pg_reachable() -> bool:
    try:
        import psycopg

        admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(
            admin.replace("postgres://", "postgresql://", 1),
            connect_timeout=3,
            autocommit=True,
        ) as conn:
            name = PG_URL.rsplit("/", 1)[1]
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return True
    except Exception as e:
        print(f"PostgreSQL not usable at {PG_URL}: {e}")
        return False


STORM = not OPTIONS.skip_storm and _pg_reachable()
if STORM:
    os.environ["DATABASE_URL"] = PG_URL
elif not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from _report import note, record  # noqa: E402


def empty(request):
    return HttpResponse("")


def base_page(request):
    # The same frame as every page (session, user, header, inbox count), no content.
    return render(request, "base.html", {})


def _members_empty():
    # What every village page pays before its own work: login, the village, the
    # person's membership and the permission check (VillageMixin), then nothing.
    from django.views import View

    from villages.views import VillageMixin

    class MembersEmpty(VillageMixin, View):
        permission_required = "deliberation.view"

        def get(self, request, village):
            return HttpResponse("")

    return MembersEmpty.as_view()


urlpatterns = [
    path("bench-empty/", empty),
    path("bench-base/", base_page),
    path("bench-members/<slug:village>/", _members_empty()),
    path("", include("config.urls")),
]


def setup_village(voters: int):
    from accounts.models import User
    from villages.models import Area, Household, Membership, Village

    area = Area.objects.create(name="青山镇", slug="bench-area", kind="township")
    village = Village.objects.create(area=area, name="柳溪村", slug="liuxi-bench")
    households = Household.objects.bulk_create(
        [Household(village=village, number=f"LX-{i:05d}") for i in range(voters)]
    )
    users = User.objects.bulk_create(
        [
            User(username=f"v{i}", name=f"村民{i}", phone=f"+86139{i:08d}")
            for i in range(voters + 1)
        ]
    )
    now = timezone.now()
    Membership.objects.bulk_create(
        [
            Membership(
                user=u,
                village=village,
                household=households[i] if i < voters else None,
                is_household_rep=i < voters,
                is_committee=i == voters,
                birth_year=1970 + i % 30,
                verified_at=now,
            )
            for i, u in enumerate(users)
        ]
    )
    return village, users[:voters], users[voters]


def bench_topic_page(village, people, committee) -> None:
    import datetime as dt

    from deliberation.models import Comment
    from deliberation.services.topics import topic_create
    from deliberation.services.votes import ballot_cast, vote_create

    topic = topic_create(
        village=village,
        by=committee,
        title="村东道路硬化",
        description="村东主路约1.2公里，目前为土路，雨天泥泞。" * 5,
    )
    vote = vote_create(
        topic=topic,
        by=committee,
        question="是否同意硬化村东道路？",
        kind="yes_no",
        electorate="residents",
        rule="villagers",
        opens_at=timezone.now() - dt.timedelta(hours=1),
        closes_at=timezone.now() + dt.timedelta(days=7),
        results_live=True,
    )
    yes = vote.options.get(code="yes").pk
    for person in people[:50]:
        ballot_cast(vote=vote, voter=person, option_ids=[yes])
    texts = [
        "路早该修了，下雨天电动车都骑不过去。建议先修小学门口那段。",
        "同意修，但排水沟要一起做，不然几年就坏。资金来源请公开。",
        "施工期间农用车怎么走？请提前安排便道，别耽误秋收。",
    ]
    threads = Comment.objects.bulk_create(
        [
            Comment(topic=topic, author=people[i], body=texts[i % 3] + f"（{i}）")
            for i in range(250)
        ]
    )
    Comment.objects.bulk_create(
        [
            Comment(
                topic=topic,
                parent=threads[i % 250],
                author=people[i + 300],
                body="赞成，" + texts[(i + 1) % 3],
            )
            for i in range(250)
        ]
    )
    client = Client()
    client.force_login(people[0])
    url = topic.get_absolute_url()

    def timed(target: str, n: int) -> tuple[float, bytes]:
        times = []
        body = b""
        for _ in range(n):
            start = time.perf_counter()
            response = client.get(target)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
            body = response.content
        return statistics.median(times), body

    from deliberation.models import Topic
    from deliberation.page_cache import topic_changed

    timed(url, 3)
    timed("/bench-empty/", 3)
    timed("/bench-base/", 3)
    members_url = f"/bench-members/{village.slug}/"
    timed(members_url, 3)
    page, body = timed(url, 30)
    empty_time, _ = timed("/bench-empty/", 30)
    base_time, _ = timed("/bench-base/", 30)
    members_time, _ = timed(members_url, 30)
    cold = []
    for _ in range(10):
        Topic.objects.filter(pk=topic.pk).update(
            comments_version=F("comments_version") + 1
        )
        topic_changed(topic.pk)
        cold.append(timed(url, 1)[0])
    print(f"database: {connection.vendor}")
    note("database", connection.vendor)
    record("topic page, 500 comments (comment list cached)", page * 1000, "ms")
    record(
        "topic page, 500 comments, just changed",
        statistics.median(cold) * 1000,
        "ms",
    )
    record(
        f"topic page / empty view ({empty_time * 1000:.2f} ms)",
        page / empty_time,
        "×",
        target=3,
        compare="<=",
    )
    record(
        f"topic page / empty members-only view ({members_time * 1000:.2f} ms)",
        page / members_time,
        "×",
        target=3,
        compare="<=",
    )
    record(
        f"topic page / empty page in the site frame ({base_time * 1000:.2f} ms)",
        page / base_time,
        "×",
    )
    record(
        "topic page weight (gzip)",
        len(gzip.compress(body, 6)) / 1024,
        "KB",
        target=40,
        compare="<",
    )
    print(
        f"topic page, 500 comments + open vote: median {page * 1000:.1f} ms "
        f"(comment list cached), {statistics.median(cold) * 1000:.1f} ms (just changed)"
    )
    print(
        f"  empty view {empty_time * 1000:.2f} ms: ratio {page / empty_time:.1f}x "
        f"(target 3x); empty page in the site frame {base_time * 1000:.2f} ms: "
        f"ratio {page / base_time:.1f}x"
    )
    print(
        f"page weight: {len(body) / 1024:.0f} KB raw, "
        f"{len(gzip.compress(body, 6)) / 1024:.1f} KB gzip (target < 40 KB)"
    )


def bench_storm(village, people, committee) -> None:
    import datetime as dt

    from deliberation.ballot_box import all_ballots
    from deliberation.models import Participation
    from deliberation.services.topics import topic_create
    from deliberation.services.votes import vote_create

    topic = topic_create(village=village, by=committee, title="风暴", description="x")
    vote = vote_create(
        topic=topic,
        by=committee,
        question="风暴投票",
        kind="single",
        options=["甲", "乙", "丙"],
        electorate="households",
        rule="villagers",
        opens_at=timezone.now() - dt.timedelta(minutes=1),
        closes_at=timezone.now() + dt.timedelta(hours=1),
    )
    option_ids = [o.pk for o in vote.options.all()]
    # Log each voter in by making their session directly.
    cookies = []
    for user in people:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(session.session_key)
    connection.close()

    port = 8765
    env = {**os.environ, "DATABASE_URL": PG_URL, "CONN_MAX_AGE": "60"}
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(OPTIONS.workers),
            "--preload",
            "--log-level",
            "warning",
            "--pythonpath",
            f"{ROOT},{ROOT / 'site'}",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    vote_url = base + vote.get_absolute_url()
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(vote_url, timeout=2)  # noqa: S310
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.2)
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()
        queue = list(enumerate(cookies))

        def worker():
            while True:
                with lock:
                    if not queue:
                        return
                    i, session_key = queue.pop()
                csrf = secrets.token_hex(16)
                data = urllib.parse.urlencode(
                    {"choice": option_ids[i % 3], "csrfmiddlewaretoken": csrf}
                ).encode()
                request = urllib.request.Request(  # noqa: S310
                    vote_url,
                    data=data,
                    headers={
                        "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
                        "Content-Type": "application/x-www-form-urlencoded",
                    },
                )
                start = time.perf_counter()
                problem = ""
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                        response.read()
                except Exception as e:
                    problem = repr(e)
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    if problem:
                        failures.append(problem)

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(OPTIONS.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    participations = Participation.objects.filter(vote=vote).count()
    # in the box or still waiting sealed (fewer than a batch)
    ballots = len(all_ballots(vote))
    print(
        f"vote storm: {len(people)} voters, {OPTIONS.concurrency} clients, "
        f"gunicorn {OPTIONS.workers} workers, PostgreSQL"
    )
    print(
        f"  {len(people) / wall:.0f} ballots/s; median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms; failures {len(failures)}"
    )
    print(f"  counted: {participations} participations, {ballots} ballots")
    note(
        "vote storm",
        f"gunicorn {OPTIONS.workers} workers, {OPTIONS.concurrency} clients",
    )
    record(f"vote storm, {len(people):,} voters: ballots", len(people) / wall, "/s")
    record("vote storm: median", statistics.median(latencies) * 1000, "ms")
    record("vote storm: p99", p99 * 1000, "ms")
    record("vote storm: failures", len(failures), target=0, compare="==")
    record(
        "vote storm: ballots lost or doubled",
        abs(ballots - len(people)) + abs(participations - len(people)),
        target=0,
        compare="==",
    )
    if failures:
        print(f"  first failure: {failures[0]}")
    assert participations == ballots == len(people), (participations, ballots)


def main() -> None:
    settings.MEDIA_ROOT = Path(_tmp.name) / "media"
    settings.ROOT_URLCONF = __name__
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - t:.0f} s")
    village, people, committee = setup_village(max(OPTIONS.voters, 600))
    bench_topic_page(village, people, committee)
    if STORM:
        # Fresh voters for the storm: the page bench already cast 50 ballots elsewhere.
        bench_storm(village, people[: OPTIONS.voters], committee)
    else:
        print("vote storm skipped (needs PostgreSQL and gunicorn)")


if __name__ == "__main__":
    main()
