"""Journey: on a slow mobile link, a villager logs in with a code sent by text
message, reads a notice on the village's disclosure site, comments on a topic,
votes (asking this phone to remember the receipt), changes the ballot, and sees
that a secret vote of one ballot shows no count that would reveal it."""

import re

from accounts import sms
from cms_home.models import VillagePage
from cms_home.provisioning import village_site_setup
from deliberation.models import Comment, Participation
from notices.models import NoticePage
from tests.cms_home.fixtures import body, child, publish
from tests.deliberation.factories import TopicFactory, ballots, make_vote
from tests.factories import HouseholdFactory, MembershipFactory, UserFactory

NOTICE = "本周六上午九点在村委会议室召开村民代表会议，讨论村东道路硬化方案。"
COMMENT = "支持先修主路，雨天孩子上学不再踩泥。"
MAIN_ROAD, BRIDGE = "先修村东主路", "先修小河木桥"


def tally(page) -> dict[str, str]:
    """The live result chart as the villager reads it: option → "count (percent)"."""
    texts = page.locator("main svg.vote-chart text").all_text_contents()
    return dict(zip(texts[::2], texts[1::2], strict=True))


def go(page, selector: str, **has) -> None:
    """Tap a link or button and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(selector, **has).click()


def choose(page, label: str, button: str) -> None:
    page.locator("main form label", has_text=label).click()
    go(page, "main form button[type=submit]", has_text=button)


def test_villager_logs_in_reads_comments_and_votes(journey, village, committee):
    village_site_setup(village=village)
    home = VillagePage.objects.get(village=village)
    notice = publish(
        child(home, "notices"),
        NoticePage(
            title="关于召开村民代表会议的通知",
            slug="meeting",
            summary="讨论村东道路硬化方案。",
            body=body(("paragraph", f"<p>{NOTICE}</p>")),
        ),
    )
    villager = UserFactory(phone="+8613800138000", name="李秀英")
    MembershipFactory(
        village=village,
        user=villager,
        household=HouseholdFactory(village=village, number="LX-001"),
        relation="head",
        is_household_rep=True,
    )
    MembershipFactory(  # a neighbour on the roll who has not voted
        village=village, household=HouseholdFactory(village=village, number="LX-002")
    )
    topic = TopicFactory(
        village=village, created_by=committee, title="村东道路硬化先修哪一段"
    )
    vote = make_vote(
        topic,
        committee,
        question="村东道路先修哪一段？",
        kind="single",
        options=[MAIN_ROAD, BRIDGE],
    )

    page = journey.phone(slow=True)

    # Log in with a code, typing the number as people type it.
    page.goto(home.url)
    go(page, "header a[href='/accounts/login/']")
    journey.shot(page, "login")
    go(page, "main a.button[href^='/accounts/login/code/']")
    page.locator("input[name=phone]").press_sequentially("138 0013 8000")
    journey.shot(page, "phone-number")
    go(page, "main form button[type=submit]")
    assert page.url.endswith("/accounts/login/code/confirm/")
    assert "138 0013 8000" in page.inner_text("main")
    assert [m.phone for m in sms.outbox] == ["+8613800138000"]
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    page.fill("input[name=code]", code)
    journey.shot(page, "code")
    go(page, "form:has(input[name=code]) button[type=submit]")
    assert page.url.endswith("/me/")
    assert "李秀英" in page.inner_text("main")
    journey.shot(page, "me")

    # Read the notice on the disclosure site.
    page.goto(home.url)
    journey.shot(page, "village-home")
    go(page, f"main a[href='{notice.url}']")
    assert page.url.endswith(notice.url)
    assert NOTICE in page.inner_text("main")
    journey.shot(page, "notice")

    # Comment on the topic.
    page.goto(home.url)
    go(page, "#slot-votes a.button")
    go(page, f"main a[href='{topic.get_absolute_url()}']")
    page.fill("textarea[name=body]", COMMENT)
    go(page, "form[action$='/comment/'] button[type=submit]")
    comment = page.locator("#comments li.comment", has_text=COMMENT)
    assert "李秀英" in comment.inner_text()
    assert Comment.objects.filter(topic=topic, author=villager).count() == 1
    journey.shot(page, "topic-with-comment")

    # Vote, then change the ballot.
    go(page, f"#vote{vote.pk} a.button[href='{vote.get_absolute_url()}']")
    journey.shot(page, "vote")
    page.locator("main form input[name=keep_receipt]").check()
    choose(page, BRIDGE, "投票")
    assert "您的选票已计入" in page.inner_text("main h1")
    journey.shot(page, "ballot-received")
    go(page, f"main a.button[href='{vote.get_absolute_url()}']")
    assert tally(page) == {}
    assert "投票的人太少" in page.inner_text("main .outcome")
    page.locator("main form input[name=keep_receipt]").check()
    choose(page, MAIN_ROAD, "修改")
    go(page, f"main a.button[href='{vote.get_absolute_url()}']")
    journey.shot(page, "tally-after-change")

    # One ballot of the three on the roll (the villager, the neighbour and the
    # committee member): its count would be its choice, so none is shown.
    assert tally(page) == {}
    assert "(100%)" not in page.inner_text("main")
    turnout = page.locator("main .outcome p").first.inner_text()
    assert re.search(r"1\s*/\s*3\b", turnout), turnout
    assert Participation.objects.filter(vote=vote).count() == 1
    main_road = vote.options.get(label=MAIN_ROAD).pk
    assert list(ballots(vote).values()) == [(main_road,)]
