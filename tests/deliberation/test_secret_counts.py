"""A secret vote's counts are never shown when so few voted that they would
reveal a choice: not on the page, the print view, the poster or the chart.

The rule depends on the number of ballots alone (the turnout, public anyway),
never on how they were cast: a rule that hid unanimous results would, by hiding,
announce that everyone chose the same (see deliberation.models.votes).
"""

import datetime as dt
from unittest import mock

from django.db import IntegrityError
from django.urls import reverse

import pytest

from deliberation.models import DeliberationSettings
from deliberation.selectors import vote_outcome
from deliberation.services.votes import ballot_cast, vote_finalize
from deliberation.templatetags.deliberation_tags import vote_chart
from tests.deliberation.factories import make_vote, residents

pytestmark = pytest.mark.django_db

TOO_FEW = "投票的人太少，公布票数会让人看出谁投了什么"


def no_of(vote):
    return vote.options.get(code="no").pk


def pages(client, vote):
    kw = {"village": vote.village.slug, "pk": vote.pk}
    return {
        name: client.get(reverse(f"deliberation:{name}", kwargs=kw)).content.decode()
        for name in ("vote", "vote_print", "vote_poster")
    } | {
        "topic": client.get(vote.topic.get_absolute_url()).content.decode(),
    }


def after_close(vote):
    return mock.patch(
        "django.utils.timezone.now",
        return_value=vote.closes_at + dt.timedelta(minutes=1),
    )


@pytest.mark.parametrize("finalised", [False, True])
def test_one_secret_ballot_shows_no_count_anywhere(
    client, village, topic, committee, resident, finalised
):
    vote = make_vote(topic, committee, results_live=False)
    ballot_cast(vote=vote, voter=resident, option_ids=[no_of(vote)])
    client.force_login(committee)
    with after_close(vote):
        if finalised:
            assert vote_finalize(vote=vote)
        outcome = vote_outcome(vote)
        shown = pages(client, vote)
    assert outcome.visible and outcome.withheld and outcome.counted == 1
    assert outcome.options == [] and outcome.passed is None and outcome.winner is None
    for name, page in shown.items():
        assert "(100%)" not in page, name
        assert "1 (" not in page, name
        assert TOO_FEW in page, name
        assert "满 10 张票才公布票数" in page, name
    chart = vote_chart(outcome, vote.question)
    assert chart["rows"] == []
    assert TOO_FEW in "".join(line["text"] for line in chart["notice"])


def test_a_live_secret_tally_is_withheld_too(client, village, topic, committee):
    people = residents(village, 3)
    vote = make_vote(topic, committee, results_live=True)
    for person in people:
        ballot_cast(vote=vote, voter=person, option_ids=[no_of(vote)])
    client.force_login(committee)
    page = pages(client, vote)["vote"]
    assert TOO_FEW in page and "(100%)" not in page
    assert "选票都密封保存" in page


@pytest.mark.parametrize(("voters", "shown"), [(4, False), (5, True)])
def test_the_village_sets_the_threshold(village, topic, committee, voters, shown):
    DeliberationSettings.objects.create(village=village, secret_min_ballots=5)
    people = residents(village, voters)
    vote = make_vote(topic, committee)
    for person in people:
        ballot_cast(vote=vote, voter=person, option_ids=[no_of(vote)])
    with after_close(vote):
        outcome = vote_outcome(vote)
    assert outcome.withheld is not shown
    if shown:  # unanimous, and shown: only the number of ballots decides
        assert {r.option.code: r.count for r in outcome.options}["no"] == voters


def test_the_threshold_cannot_go_below_five(village):
    with pytest.raises(IntegrityError):
        DeliberationSettings.objects.create(village=village, secret_min_ballots=4)


def test_the_default_is_ten_ballots(village, topic, committee):
    people = residents(village, 10)
    vote = make_vote(topic, committee)
    for i, person in enumerate(people):
        ballot_cast(vote=vote, voter=person, option_ids=[no_of(vote)])
        with after_close(vote):
            assert vote_outcome(vote).withheld is (i + 1 < 10)


def test_an_open_ballot_shows_even_one_vote(
    client, village, topic, committee, resident
):
    vote = make_vote(topic, committee, is_secret=False)
    ballot_cast(vote=vote, voter=resident, option_ids=[no_of(vote)])
    outcome = vote_outcome(vote)
    assert not outcome.withheld and outcome.counted == 1
    client.force_login(committee)
    assert "1 (100%)" in pages(client, vote)["vote"]


def test_a_live_tally_counts_the_box_and_says_how_many_wait(
    client, village, topic, committee
):
    people = residents(village, 13)
    vote = make_vote(topic, committee, results_live=True)
    for person in people:
        ballot_cast(vote=vote, voter=person, option_ids=[no_of(vote)])
    outcome = vote_outcome(vote)
    assert (outcome.participants, outcome.counted, outcome.waiting) == (13, 10, 3)
    assert {r.option.code: r.count for r in outcome.options}["no"] == 10
    client.force_login(committee)
    page = pages(client, vote)["vote"]
    assert "10 (100%)" in page
    assert "只算了已经放进票箱的 10 张票；另有 3 张票还密封着" in page
    with after_close(vote):  # closed: the waiting ones count too, exactly
        outcome = vote_outcome(vote)
    assert outcome.counted == 13 and outcome.options[1].count == 13
