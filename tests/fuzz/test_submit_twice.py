"""A double tap never breaks anything (operations.submissions).

Every form of the site, sent twice with the same fields by the same person:
the second copy answers what the first answered and writes nothing. On
PostgreSQL, the forms that create a record are sent twice at the same instant
from two threads: one record, two answers that are the same redirect, no error."""

from __future__ import annotations

import threading
from collections import Counter

from django.apps import apps
from django.db import connection, connections, transaction
from django.test import Client, TestCase

import pytest

from tests.factories import wagtail_roots
from tests.fuzz.forms import FORMS, Form
from tests.fuzz.runner import _post, base_example, send_twice
from tests.fuzz.world import build_world

pytestmark = pytest.mark.django_db

# Bookkeeping that a repeated request may write: the session, and the guard's
# own row being deleted when it has expired (never a record of the village).
GUARD = {"operations_submission", "django_session", "xiangyue_cache"}


def _ids(form: Form) -> str:
    return form.key


POSTED = [f for f in FORMS if f.base_succeeds and f.method == "post" and f.role]


@pytest.mark.parametrize("form", POSTED, ids=_ids)
def test_the_same_form_sent_twice_is_saved_once(form, world):
    first, second = send_twice(form, world, base_example(form, world))
    assert first.status in (200, 302), first
    assert first.writes, (first, "the base payload wrote nothing")
    if first.status == 302:
        assert (second.status, second.location) == (302, first.location), second
    else:
        # A form answered in place (a ballot's receipt, a card's link, shown
        # once): the copy says it was done once, and never shows the secret.
        assert second.status == 200, second
    assert [t for t, _sql in second.writes if t not in GUARD] == [], second


# The kinds of record a villager, grid worker, committee or shopkeeper creates
# with one tap: entries, claims, appeals, objections, comments, topics, proposals,
# co-signatures, reports, vouchers, orders, ratings, paper ballots, and the rest.
CREATING = [
    "points:entry_new",
    "points:entry_new#claim",
    "points:appeal_new",
    "points:line_object",
    "points:task_new",
    "deliberation:comment",
    "deliberation:comment_report",
    "deliberation:topic_new",
    "deliberation:propose",
    "deliberation:cosign",
    "deliberation:rate",
    "deliberation:paper_ballot",
    "deliberation:meeting_new",
    "deliberation:progress_new",
    "reports:new",
    "reports:rate",
    "reports:me_too",
    "shop:take",
    "shop:confirm",
    "shop:card_issue",
    "deliberation:vote",
]
# Forms answered with a page that shows a secret once, instead of a redirect.
IN_PLACE = {"shop:card_issue", "deliberation:vote"}
BY_KEY = {form.key: form for form in FORMS}
OURS = {
    "accounts",
    "villages",
    "audit",
    "notifications",
    "roster",
    "points",
    "shop",
    "deliberation",
    "reports",
    "privacy",
    "cms_home",
    "notices",
    "disclosure",
}


def _row_counts() -> Counter:
    return Counter(
        {
            model._meta.db_table: model._base_manager.count()
            for model in apps.get_models()
            if model._meta.app_label in OURS and model._meta.managed
        }
    )


def _client(form: Form, w) -> Client:
    client = Client()
    client.force_login(getattr(w, form.role))
    if form.prepare:
        form.prepare(client, w)
    return client


def _together(clients, path, example):
    barrier = threading.Barrier(len(clients))
    answers, errors = [None] * len(clients), []

    def tap(i):
        try:
            barrier.wait()
            answers[i] = _post(clients[i], path, example)
        except Exception as error:  # anything else is a bug the test must show
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tap, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return answers


def test_every_creating_kind_is_a_form_of_the_table():
    assert set(CREATING) <= set(BY_KEY), set(CREATING) - set(BY_KEY)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("key", CREATING)
def test_a_double_tap_at_the_same_instant_saves_once(key):
    if connection.vendor != "postgresql":
        pytest.skip("two requests at the same instant need PostgreSQL's row locks")
    form = BY_KEY[key]
    wagtail_roots()
    w = build_world()
    example = base_example(form, w)
    path = form.build_path(w, example.kwargs)
    # The rows one tap adds (with what it leaves to run after its commit, such as
    # notifications), measured in a transaction that is then rolled back. (Some
    # kinds change a row rather than add one: an objection is a line's state.)
    with transaction.atomic():
        before = _row_counts()
        expected = 200 if key in IN_PLACE else 302
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert _post(_client(form, w), path, example).status_code == expected
        one_tap = _row_counts() - before
        transaction.set_rollback(True)

    before = _row_counts()
    answers = _together([_client(form, w), _client(form, w)], path, example)
    two_taps = _row_counts() - before

    assert [a.status_code for a in answers] == [expected, expected], answers
    if expected == 302:
        assert answers[0]["Location"] == answers[1]["Location"]
    else:
        pages = sorted(a.content.decode() for a in answers)
        assert "只做了一次" in pages[0] or "只做了一次" in pages[1]
    assert two_taps == one_tap
