"""A person's data export with a long history, and the cost of removing a person.

    .venv/bin/python bench/bench_privacy.py [HISTORY] [SESSIONS]

Gives one person HISTORY (default 2,000) of each: ledger transactions of their
household, points entries, comments, notifications, vote participations. Prints
the time of ``person_export`` (median of 5), its size and query count, then the
time of ``person_remove`` with SESSIONS (default 20,000) live sessions of other
people in the session table (removal looks through them to log the person out).

Uses a throwaway SQLite file unless DATABASE_URL is set (then that database: use a
scratch one, the script adds a village to it).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "site"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
_tmp = tempfile.TemporaryDirectory(prefix="bench-privacy-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ.setdefault("PRIVATE_ROOT", f"{_tmp.name}/private")

_settings = types.ModuleType("bench_privacy_settings")
exec("from config.settings.test import *", _settings.__dict__)  # noqa: S102
sys.modules[_settings.__name__] = _settings
os.environ["DJANGO_SETTINGS_MODULE"] = _settings.__name__

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from _report import note, record  # noqa: E402

HISTORY = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
SESSIONS = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000


def _build():
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from deliberation.models import Comment, Participation, Topic, Vote
    from notifications.models import Notification
    from points.models import Entry
    from points.services.ledger import ledger_record_deed
    from tests.factories import (
        HouseholdFactory,
        MembershipFactory,
        UserFactory,
        VillageFactory,
    )
    from tests.points.factories import RuleItemFactory

    stamp = int(time.time())
    village = VillageFactory(slug=f"bench-privacy-{stamp}")
    household = HouseholdFactory(village=village, number="BP-001")
    person = MembershipFactory(
        village=village, household=household, is_household_rep=True
    ).user
    committee = MembershipFactory(village=village, is_committee=True).user
    item = RuleItemFactory(category__rulebook__village=village)
    today = timezone.localdate()
    now = timezone.now()
    for i in range(HISTORY):
        ledger_record_deed(
            household=household, points=1, effective_on=today, key=f"bp-{stamp}-{i}"
        )
    Entry.objects.bulk_create(
        Entry(
            village=village,
            household=household,
            item=item,
            points=1,
            occurred_on=today,
            status=Entry.Status.PROPOSED,
            recorded_by=committee,
            idempotency_key=f"bp-e-{i}",
        )
        for i in range(HISTORY)
    )
    topic = Topic.objects.create(
        village=village,
        title="修路",
        description="-",
        origin="committee",
        phase="collecting",
        created_by=committee,
    )
    Comment.objects.bulk_create(
        Comment(topic=topic, author=person, body=f"意见 {i}") for i in range(HISTORY)
    )
    Notification.objects.bulk_create(
        Notification(recipient=person, village=village, kind="points", title=f"{i}")
        for i in range(HISTORY)
    )
    votes = Vote.objects.bulk_create(
        Vote(
            village=village,
            topic=topic,
            question=f"第{i}次",
            kind="yes_no",
            electorate="residents",
            rule="consultation",
            opens_at=now - dt.timedelta(days=2),
            closes_at=now - dt.timedelta(days=1),
            created_by=committee,
        )
        for i in range(HISTORY)
    )
    Participation.objects.bulk_create(
        Participation(vote=v, voter=person) for v in votes
    )
    others = UserFactory.create_batch(10)
    expire = now + dt.timedelta(days=14)
    store = SessionStore()
    Session.objects.bulk_create(
        Session(
            session_key=f"bench{stamp}{i:010d}",
            session_data=store.encode({"_auth_user_id": str(others[i % 10].pk)}),
            expire_date=expire,
        )
        for i in range(SESSIONS)
    )
    return person, committee


def main() -> None:
    from django.core.cache import cache

    from privacy.services import person_export, person_remove

    call_command("migrate", verbosity=0)
    note("database", settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1])
    started = time.perf_counter()
    person, committee = _build()
    print(f"built in {time.perf_counter() - started:.1f} s")

    times, size, queries = [], 0, 0
    for _ in range(5):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            content = person_export(user=person)
            times.append(time.perf_counter() - t0)
        size, queries = len(content), len(captured.captured_queries)
    export_s = statistics.median(times)
    label = f"privacy: export, {HISTORY:,} of each kind"
    record(label, export_s, "s")
    record(f"{label}: zip size", size / 1024, "KB")
    record(f"{label}: queries", queries, "")
    print(f"export: {export_s:.2f} s, {size / 1024:.0f} KB, {queries} queries")

    t0 = time.perf_counter()
    person_remove(membership=person.memberships.get(), by=committee)
    remove_s = time.perf_counter() - t0
    record(f"privacy: removal, {SESSIONS:,} live sessions in the table", remove_s, "s")
    print(f"removal with {SESSIONS:,} sessions: {remove_s:.2f} s")
    call_command("ledger_verify", verbosity=0)


if __name__ == "__main__":
    main()
