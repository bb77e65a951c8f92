"""A person with a history in every part of the product, made through the services
as people would make it, and a neighbour whose data must never leak."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import pytest

from tests.factories import HouseholdFactory, MembershipFactory

NEIGHBOUR_NAME = "邻居王秀英"
NEIGHBOUR_PHONE = "+8613911112222"
NEIGHBOUR_NUMBER = "LX-099"


def png(name="pothole.png"):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def item(village):
    from tests.points.factories import RuleItemFactory

    return RuleItemFactory(
        category__rulebook__village=village, name="参加志愿服务", points=10
    )


@pytest.fixture
def bad_item(item):
    from tests.points.factories import RuleItemFactory

    return RuleItemFactory(category=item.category, name="乱倒垃圾", points=-2)


@pytest.fixture
def second_committee(village):
    return MembershipFactory(village=village, is_committee=True).user


@pytest.fixture
def neighbour(village, grid):
    household = HouseholdFactory(village=village, grid=grid, number=NEIGHBOUR_NUMBER)
    return MembershipFactory(
        village=village,
        household=household,
        grid=grid,
        is_household_rep=True,
        user__name=NEIGHBOUR_NAME,
        user__phone=NEIGHBOUR_PHONE,
    ).user


@pytest.fixture
def shop(village, shopkeeper):
    from tests.shop.factories import ProductFactory, ShopFactory

    shop = ShopFactory(village=village, name="村口超市", slug="cunkou")
    shop.shopkeepers.add(shopkeeper)
    shop.soap = ProductFactory(shop=shop, name="洗衣皂", points=5, stock=1000)
    return shop


@pytest.fixture
def make_history(
    village,
    household,
    household_rep,
    resident,
    neighbour,
    grid_worker,
    committee,
    second_committee,
    shopkeeper,
    item,
    bad_item,
    shop,
):
    """``make_history(n)`` gives ``household_rep`` n of everything; the neighbour
    gets the same, so a leak would show."""
    from deliberation.models import Phase
    from deliberation.services.comments import comment_add, comment_edit, comment_report
    from deliberation.services.followup import rating_add
    from deliberation.services.topics import topic_cosign, topic_propose
    from deliberation.services.votes import ballot_cast, paper_ballot_record
    from notifications.services import notify
    from points.images import photo_prepare
    from points.services.entries import (
        appeal_decide,
        appeal_file,
        entries_finalize_due,
        entry_approve,
        entry_record,
    )
    from points.shop.services.vouchers import voucher_create, voucher_redeem
    from reports.services import report_file, report_me_too
    from tests.deliberation.factories import TopicFactory, make_vote

    person = household_rep
    counter = {"n": 0}

    def make(n: int):
        today = timezone.localdate()
        later = timezone.now() + dt.timedelta(days=60)
        for _ in range(n):
            counter["n"] += 1
            i = counter["n"]
            for who, where in [(person, household), (neighbour, neighbour.h)]:
                entry = entry_record(
                    village=village,
                    household=where,
                    item=item,
                    points=None,
                    occurred_on=today,
                    note=f"{who.name} 打扫村道 {i}",
                    by=grid_worker,
                    key=f"g-{who.pk}-{i}",
                )
                entry_approve(entry=entry, by=committee)
                claim = entry_record(
                    village=village,
                    household=where,
                    item=bad_item,
                    points=None,
                    occurred_on=today,
                    note=f"申报 {i}",
                    by=who,
                    key=f"c-{who.pk}-{i}",
                )
                claim = entry_approve(entry=claim, by=committee)
                appeal = appeal_file(entry=claim, by=who, reason=f"不服 {i}")
                appeal_decide(
                    appeal=appeal, by=committee, reverse_entry=False, reason="属实"
                )
            entries_finalize_due(village=village, now=later)
            for who, where in [(person, household), (neighbour, neighbour.h)]:
                voucher, _token = voucher_create(
                    household=where, shop=shop, items={shop.soap.pk: 1}, by=who
                )
                voucher_redeem(voucher=voucher, shop=shop, by=shopkeeper)

            topic = TopicFactory(village=village, created_by=committee)
            mine = comment_add(topic=topic, by=person, body=f"我同意 {i}")
            comment_edit(comment=mine, by=person, body=f"我同意，先修主路 {i}")
            theirs = comment_add(topic=topic, by=neighbour, body=f"邻居的意见 {i}")
            comment_report(comment=theirs, by=person)
            topic_propose(
                village=village, by=person, title=f"装路灯 {i}", description="村口太黑"
            )
            proposal = topic_propose(
                village=village, by=neighbour, title=f"修水渠 {i}", description="漏水"
            )
            topic_cosign(topic=proposal, by=person)

            vote = make_vote(topic, committee, question=f"是否同意 {i}？")
            option = vote.options.get(code="yes")
            ballot_cast(vote=vote, voter=person, option_ids=[option.pk])
            ballot_cast(vote=vote, voter=neighbour, option_ids=[option.pk])
            paper_vote = make_vote(topic, committee, question=f"纸质投票 {i}？")
            paper_ballot_record(
                vote=paper_vote,
                voter=person,
                by=grid_worker,
                option_ids=[paper_vote.options.get(code="no").pk],
                consent_note="本人口头同意",
            )

            done = TopicFactory(village=village, created_by=committee, phase=Phase.DONE)
            rating_add(topic=done, by=person, stars=4, comment=f"修得好 {i}")
            report_file(
                village=village,
                by=person,
                kind="hazard",
                text=f"桥下塌了 {i}",
                place="东头桥",
                photos=[photo_prepare(png())],
            )
            public = report_file(
                village=village,
                by=neighbour,
                kind="suggestion",
                text=f"邻居的建议 {i}",
                is_public=True,
            )
            report_me_too(report=public, by=person)
            notify(recipients=[person], kind="account", title=f"给你的消息 {i}")
            notify(recipients=[neighbour], kind="account", title=f"给邻居的消息 {i}")
        return person

    neighbour.h = neighbour.memberships.get().household
    return make


@pytest.fixture
def card(household, committee):
    from points.shop.services.cards import card_issue

    card, _token = card_issue(household=household, pin="2580", by=committee)
    return card
