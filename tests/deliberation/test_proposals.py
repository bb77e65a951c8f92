"""A proposal's rules are the law's rules (issue 14.4).

Only a verified adult resident of the village proposes or co-signs (村民委员会组织法
第十三条: 年满十八周岁的村民); the count shown is of signatures that still count; an
overdue answer is shown as 逾期 N 天, told to the committee and the supervision
committee once, and listed for the township. The clock is always given.
"""

import datetime as dt
from io import StringIO
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

import pytest

from deliberation.models import CoSignature, DeliberationSettings, Topic
from deliberation.selectors import (
    answer_countdown,
    answer_overdue_days,
    overdue_proposals_for_areas,
    valid_cosign_count,
)
from deliberation.services.topics import (
    proposals_notify_overdue,
    topic_answer,
    topic_cosign,
    topic_propose,
)
from notifications.models import Notification
from tests.deliberation.factories import residents
from tests.factories import (
    AreaFactory,
    MembershipFactory,
    SupervisorFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

CN = dt.timezone(dt.timedelta(hours=8))  # China time, as the villagers read it
NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=CN)
# Turning 18 in 2026 (born 2008) counts as adult in 2026, as for a residents' vote.
ADULT_BORN = 2008
MINOR_BORN = 2009


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def url(name, village, **kw):
    return reverse(f"deliberation:{name}", kwargs={"village": village.slug, **kw})


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def proposal(village, household_rep):
    with at(NOW):
        return topic_propose(
            village=village, by=household_rep, title="装路灯", description="太黑"
        )


def member(village, **fields):
    return MembershipFactory(village=village, **fields).user


# -- who may co-sign and propose ------------------------------------------------


def test_an_adult_verified_resident_co_signs(proposal, village):
    with at(NOW):
        assert topic_cosign(topic=proposal, by=member(village)) == 1
        # Turning 18 this year is enough, as for the electorate of a vote.
        assert topic_cosign(topic=proposal, by=member(village, birth_year=2008)) == 2


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("minor", "minor"),
        ("no_birth_year", "no_birth_year"),
        ("unverified", "not_verified"),
        ("not_resident", "not_resident"),  # a shopkeeper from outside, say
        ("left", "not_resident"),
        ("other_village", "not_resident"),
        ("supervisor", "not_resident"),  # the township reads, it does not sign
    ],
)
def test_who_may_not_co_sign(proposal, village, other_village, who, code):
    people = {
        "minor": lambda: member(village, birth_year=MINOR_BORN),
        "no_birth_year": lambda: member(village, birth_year=None),
        "unverified": lambda: member(village, verified_at=None),
        "not_resident": lambda: member(village, is_resident=False, is_shopkeeper=True),
        "left": lambda: member(village, left_at=NOW - dt.timedelta(days=1)),
        "other_village": lambda: member(other_village),
        "supervisor": lambda: SupervisorFactory(area=village.area).user,
    }
    person = people[who]()
    with at(NOW), pytest.raises(ValidationError) as refused:
        topic_cosign(topic=proposal, by=person)
    assert refused.value.code == code
    assert not CoSignature.objects.exists()
    assert not person.has_perm("deliberation.cosign", proposal)


def test_a_minor_is_refused_until_the_year_they_turn_18(proposal, village):
    young = member(village, birth_year=MINOR_BORN)
    with at(dt.datetime(2026, 12, 31, 23, 59, tzinfo=CN)):
        with pytest.raises(ValidationError) as refused:
            topic_cosign(topic=proposal, by=young)
        assert "2027" in refused.value.messages[0]
    # The year is China's: 2027 begins at midnight in Beijing, 16:00 UTC.
    with at(dt.datetime(2027, 1, 1, 0, 1, tzinfo=CN)):
        assert topic_cosign(topic=proposal, by=young) == 1


def test_the_proposer_follows_the_same_rule(village):
    with at(NOW):
        for person in (
            member(village, birth_year=MINOR_BORN),
            member(village, birth_year=None),
            member(village, verified_at=None),
        ):
            with pytest.raises(ValidationError):
                topic_propose(village=village, by=person, title="x", description="y")
            assert not person.has_perm("deliberation.propose_topic", village)
    assert not Topic.objects.exists()


def test_a_minor_is_told_why_in_chinese(proposal, village):
    young = member(village, birth_year=MINOR_BORN)
    client = logged_in(young)
    with at(NOW):
        page = client.get(url("topic", village, pk=proposal.pk)).content.decode()
        refused = client.post(url("cosign", village, pk=proposal.pk))
        propose = client.get(url("propose", village))
    assert "年满18周岁" in page and "联名</button>" not in page
    assert refused.status_code == 403
    assert "年满18周岁" in refused.content.decode()
    assert "2027" in refused.content.decode()
    assert propose.status_code == 403 and "年满18周岁" in propose.content.decode()
    assert not CoSignature.objects.exists()


def test_the_unverified_are_told_why_in_chinese(proposal, village):
    response = logged_in(member(village, verified_at=None)).post(
        url("cosign", village, pk=proposal.pk)
    )
    assert response.status_code == 403
    assert "还没有核实" in response.content.decode()


def test_the_proposer_is_told_others_co_sign(proposal, village, household_rep):
    response = logged_in(household_rep).post(url("cosign", village, pk=proposal.pk))
    assert response.status_code == 403
    assert "其他村民" in response.content.decode()


def test_a_topic_of_another_village_cannot_be_co_signed_through_this_one(
    village, other_village, other_committee
):
    with at(NOW):
        elsewhere = topic_propose(
            village=other_village,
            by=member(other_village),
            title="修桥",
            description="桥断了",
        )
    outsider = logged_in(member(village))
    # Through this village's address the topic is not found; through its own, this
    # village's resident is not a member and is refused.
    assert outsider.post(url("cosign", village, pk=elsewhere.pk)).status_code == 404
    assert (
        outsider.post(url("cosign", other_village, pk=elsewhere.pk)).status_code == 403
    )
    assert not CoSignature.objects.exists()


# -- the count is of valid signatures --------------------------------------------


def test_signatures_that_lapse_no_longer_count(proposal, village):
    DeliberationSettings.objects.create(village=village, cosign_threshold=3)
    leaver, withdrawn, stayer = (member(village) for _ in range(3))
    with at(NOW):
        for person in (leaver, withdrawn):
            topic_cosign(topic=proposal, by=person)
    leaver.memberships.update(left_at=NOW)
    withdrawn.memberships.update(verified_at=None)
    assert valid_cosign_count(proposal) == 0
    with at(NOW):
        # Three signed, but one counts: the committee's clock does not start.
        assert topic_cosign(topic=proposal, by=stayer) == 1
    proposal.refresh_from_db()
    assert proposal.answer_due is None
    with at(NOW):
        page = logged_in(stayer).get(url("topic", village, pk=proposal.pk))
        listing = logged_in(stayer).get(url("topics", village))
    body = page.content.decode()
    assert "已有 1 人联名，需要 3 人" in body
    assert "另有 2 人的联名已不算数" in body
    assert "1 人联名" in listing.content.decode()


def test_a_signature_whose_signer_was_a_minor_when_signing_does_not_count(
    proposal, village
):
    # The roster corrects a year of birth after the signature: it never counted.
    person = member(village)
    with at(NOW):
        topic_cosign(topic=proposal, by=person)
    person.memberships.update(birth_year=MINOR_BORN)
    assert valid_cosign_count(proposal) == 0


def test_once_the_clock_runs_lapsed_signatures_do_not_stop_it(
    proposal, village, committee
):
    # The committee verifies residents: if un-verifying a signer stopped the clock,
    # the committee could silence any proposal it does not want to answer.
    DeliberationSettings.objects.create(village=village, cosign_threshold=2)
    signers = residents(village, 2)
    with at(NOW):
        for person in signers:
            topic_cosign(topic=proposal, by=person)
    signers[0].memberships.update(verified_at=None)
    proposal.refresh_from_db()
    assert proposal.answer_due == NOW + dt.timedelta(days=15)
    assert answer_countdown(proposal, now=NOW) == 15


# -- the answer clock: 逾期 N 天 ----------------------------------------------------

DUE = dt.datetime(2026, 6, 16, 15, 0, tzinfo=CN)


@pytest.fixture
def co_signed(proposal):
    Topic.objects.filter(pk=proposal.pk).update(answer_due=DUE)
    proposal.refresh_from_db()
    return proposal


@pytest.mark.parametrize(
    ("now", "left", "overdue"),
    [
        (DUE - dt.timedelta(days=2, hours=1), 3, None),
        (DUE - dt.timedelta(minutes=1), 1, None),  # never "within 0 days"
        (DUE, None, 0),  # due means "by then": at the hour it is late
        (DUE.replace(hour=23, minute=59), None, 0),  # day 0: the due day itself
        (DUE.replace(day=17, hour=0, minute=1), None, 1),  # day 1
        (DUE.replace(day=17, hour=16), None, 1),
        (DUE.replace(day=23, hour=9), None, 7),  # day N
    ],
)
def test_the_answer_clock(co_signed, now, left, overdue):
    assert answer_countdown(co_signed, now=now) == left
    assert answer_overdue_days(co_signed, now=now) == overdue


def test_an_answered_proposal_is_not_overdue(co_signed, committee):
    topic_answer(topic=co_signed, by=committee, accept=False, answer="没有预算")
    co_signed.refresh_from_db()
    later = DUE + dt.timedelta(days=3)
    assert answer_overdue_days(co_signed, now=later) is None
    assert answer_countdown(co_signed, now=later) is None


@pytest.mark.parametrize(
    ("now", "shown", "not_shown"),
    [
        (DUE - dt.timedelta(hours=3), "村委会须在 1 天内答复", "逾期"),
        (DUE + dt.timedelta(hours=2), "今天已过答复期限", "0 天"),
        (DUE + dt.timedelta(hours=10), "逾期 1 天", "须在"),
        (DUE + dt.timedelta(days=5), "逾期 5 天", "须在"),
    ],
)
def test_the_page_says_how_late_the_answer_is(
    co_signed, village, resident, now, shown, not_shown
):
    client = logged_in(resident)
    with at(now):
        body = client.get(url("topic", village, pk=co_signed.pk)).content.decode()
    assert shown in body
    assert not_shown not in body


# -- told once ---------------------------------------------------------------------


def overdue_notices():
    return Notification.objects.filter(title__startswith="联名提议已过答复期限")


def test_the_committee_and_the_supervision_committee_are_told_once(
    co_signed, village, committee, monitor, resident, other_committee
):
    Notification.objects.all().delete()
    with at(DUE - dt.timedelta(minutes=1)):
        assert proposals_notify_overdue() == 0
    with at(DUE + dt.timedelta(minutes=5)):
        call_command("deliberation_tick", stdout=StringIO())
    with at(DUE + dt.timedelta(days=3)):
        out = StringIO()
        call_command("deliberation_tick", stdout=out)
        assert proposals_notify_overdue() == 0
    assert "told of 0 overdue" in out.getvalue()
    told = sorted(overdue_notices().values_list("recipient_id", flat=True))
    assert told == sorted([committee.pk, monitor.pk])
    notice = overdue_notices().get(recipient=monitor)
    assert notice.url == co_signed.get_absolute_url()
    assert "2026-06-16 15:00" in notice.body
    co_signed.refresh_from_db()
    assert co_signed.overdue_notified_at == DUE + dt.timedelta(minutes=5)
    with at(DUE + dt.timedelta(days=3)):
        page = logged_in(resident).get(url("topic", village, pk=co_signed.pk))
    assert "已提醒村委会和村务监督委员会" in page.content.decode()


def test_an_answered_or_unsigned_proposal_is_never_told_of(
    proposal, co_signed, village, committee, household_rep
):
    with at(NOW):
        unsigned = topic_propose(
            village=village, by=household_rep, title="修桥", description="桥断了"
        )
    topic_answer(topic=co_signed, by=committee, accept=True)
    with at(DUE + dt.timedelta(days=30)):
        assert proposals_notify_overdue() == 0
    assert not overdue_notices().exists()
    unsigned.refresh_from_db()
    assert unsigned.overdue_notified_at is None


# -- the township sees it ----------------------------------------------------------


def test_the_township_sees_overdue_proposals_of_its_villages_only(
    co_signed, village, supervisor, committee
):
    far = VillageFactory(area=AreaFactory(name="远乡"), name="远山村", slug="yuanshan")
    with at(NOW):
        distant = topic_propose(
            village=far, by=member(far), title="远山村的提议", description="x"
        )
    Topic.objects.filter(pk=distant.pk).update(answer_due=DUE)
    client = logged_in(supervisor)
    with at(DUE + dt.timedelta(days=4)):
        response = client.get(
            reverse("reports:township", kwargs={"village": village.slug})
        )
        listed = overdue_proposals_for_areas(area_ids=[village.area_id])
    body = response.content.decode()
    assert response.status_code == 200
    assert "装路灯" in body and "逾期 4 天" in body
    assert "远山村的提议" not in body
    assert [t.pk for t in listed] == [co_signed.pk]
    assert listed[0].days_overdue == 4
    topic_answer(topic=co_signed, by=committee, accept=True)
    with at(DUE + dt.timedelta(days=4)):
        body = client.get(
            reverse("reports:township", kwargs={"village": village.slug})
        ).content.decode()
    assert "装路灯" not in body


def test_the_tick_that_tells_is_scheduled_as_the_guide_says():
    from pathlib import Path

    from django.core.management import get_commands

    deploy = Path(__file__).resolve().parents[2] / "config" / "deploy"
    scheduled = [
        line.split()
        for line in (deploy / "crontab").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "CRON_TZ", "MAILTO", "J="))
    ]
    assert ["*/5", "*", "*", "*", "*", "$J", "deliberation_tick"] in scheduled
    assert get_commands()["deliberation_tick"] == "deliberation"
    row = next(
        line
        for line in (deploy / "DEPLOY.md").read_text().splitlines()
        if "| `deliberation_tick` |" in line
    )
    assert "every 5 min" in row and "supervision committee" in row and "overdue" in row
