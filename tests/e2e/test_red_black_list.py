"""Journey: the committee publishes last year's red/black list through its pages
(draft → households told → every black line reviewed → published); an anonymous
phone sees the red list on the village's home page, masked as the village chose,
and a villager sees the whole list with no full name, phone number or reason."""

import datetime as dt
import re

from django.utils import timezone

from cms_home.models import VillagePage
from cms_home.provisioning import village_site_setup
from notifications.models import Notification
from points.models import RankingList
from points.services.entries import settings_for
from points.services.ledger import ledger_record_deed
from tests.factories import HouseholdFactory, MembershipFactory, UserFactory

YEAR = timezone.localdate().year - 1
HEADS = ["王建国", "李秀英", "刘德明", "陈桂兰", "杨志强", "黄玉梅", "周国华", "吴春燕"]
ROGUE, SPARED = "张三丰", "赵四海"  # low scores: proposed for the black list
OBJECTION = "垃圾是邻居倒的，我家已经清理干净"
PHONE = re.compile(r"1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}")


def go(page, selector: str, **has) -> None:
    """Tap a link or button and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(selector, **has).click()


def household(village, number: str, head: str, points: int):
    h = HouseholdFactory(village=village, number=number)
    ledger_record_deed(
        household=h, points=points, effective_on=dt.date(YEAR, 5, 1), key=number
    )
    return MembershipFactory(
        village=village,
        household=h,
        relation="head",
        is_household_rep=True,
        user=UserFactory(name=head),
    ).user


def assert_nothing_private(text: str, private: list[str]) -> None:
    leaked = [p for p in private if p in text]
    assert not leaked, leaked
    assert not PHONE.search(text), PHONE.search(text)


def test_committee_publishes_and_the_public_sees_it_masked(journey, village, committee):
    village_site_setup(village=village)
    home = VillagePage.objects.get(village=village).url
    heads = [
        household(village, f"LX-{i:03d}", name, 10 * i)
        for i, name in enumerate(HEADS, start=1)
    ]
    rogue = household(village, "LX-099", ROGUE, -40)
    household(village, "LX-098", SPARED, -10)
    s = settings_for(village)
    s.red_percent, s.black_percent = 30, 20  # 3 red of 10; the bottom 2 are black
    s.save()
    red_names = [n[0] + "**" for n in reversed(HEADS[-3:])]

    # Before: the public home page has no list yet (and caches that page).
    anonymous = journey.phone()
    anonymous.goto(home)
    assert "还没有发布榜单" in anonymous.inner_text("main")

    # The committee names black-listed households by household number only.
    desk = journey.phone(user=committee)
    desk.goto(f"/v/{village.slug}/points/")
    go(desk, "main a[href$='/points/settings/']")
    desk.select_option("select[name=black_privacy]", "number")
    journey.shot(desk, "settings")
    go(desk, "main form button[type=submit]")
    assert settings_for(village).black_privacy == "number"

    # Draft last year's list.
    desk.goto(f"/v/{village.slug}/points/")
    go(desk, "main a[href$='/points/lists/']")
    assert desk.input_value("select[name=period]") == "year"
    assert desk.input_value("input[name=year]") == str(YEAR)
    go(desk, "form[action$='/lists/new/'] button[type=submit]")
    ranking = RankingList.objects.get(village=village)
    lines = {x.household.number: x for x in ranking.lines.select_related("household")}
    assert {n for n, x in lines.items() if x.color == "red"} == {
        "LX-008",
        "LX-007",
        "LX-006",
    }
    assert {n for n, x in lines.items() if x.color == "black"} == {"LX-099", "LX-098"}
    journey.shot(desk, "draft")

    # Tell the black-listed households: each is told why and may object.
    review = "tbody tr:has(td:text-is('{}')) + tr.line-review".format
    go(desk, "form[action$='/notify/'] button[type=submit]")
    told = Notification.objects.filter(recipient__name__in=[ROGUE, SPARED])
    assert told.count() == 2

    # The household reads why on its phone and objects.
    own = journey.phone(user=rogue)
    own.goto(f"/v/{village.slug}/points/lists/{ranking.pk}/")
    assert lines["LX-099"].reasons in own.inner_text("main .trace")
    own.fill("form[action$='/object/'] textarea", OBJECTION)
    go(own, "form[action$='/object/'] button[type=submit]")
    assert OBJECTION in own.inner_text("main .trace")
    journey.shot(own, "household-objects")
    desk.reload()
    assert OBJECTION in desk.inner_text(review("LX-099"))

    # A person reviews every black line: one stays, one comes off.
    desk.fill(review("LX-099") + " textarea", "多次乱倒垃圾，经核实无误")
    go(desk, review("LX-099") + " button[value=keep]")
    desk.fill(review("LX-098") + " textarea", "已主动整改，暂不列入")
    go(desk, review("LX-098") + " button[value=remove]")
    reviews = dict(ranking.lines.values_list("household__number", "review"))
    assert (reviews["LX-099"], reviews["LX-098"]) == ("confirmed", "removed")
    journey.shot(desk, "reviewed")

    # Publishing waits for the objection period; then it goes out.
    go(desk, "form[action$='/publish/'] button[type=submit]")
    assert "异议" in desk.inner_text(".messages")
    RankingList.objects.filter(pk=ranking.pk).update(
        objection_ends_at=timezone.now() - dt.timedelta(seconds=1)
    )
    go(desk, "form[action$='/publish/'] button[type=submit]")
    ranking.refresh_from_db()
    assert ranking.status == "published"
    journey.shot(desk, "published")

    private = [
        *HEADS,
        ROGUE,
        SPARED,
        "LX-098",  # taken off in review
        "LX-008",  # red lines show masked names, not household numbers
        "LX-007",
        "LX-006",
        "张**",
        "赵**",
        *ranking.lines.filter(color="black").values_list("reasons", flat=True),
        OBJECTION,
        "多次乱倒垃圾",
        "已主动整改",
    ]

    # The anonymous phone sees the red list on the home page, masked.
    anonymous.reload()
    card = anonymous.locator("main section.card:has(h2:text-is('红榜')) li")
    assert [line.split()[1] for line in card.all_inner_texts()] == red_names
    assert_nothing_private(anonymous.inner_text("body"), private)
    journey.shot(anonymous, "home-anonymous")
    go(anonymous, f"main a[href$='/points/lists/{ranking.pk}/']")
    assert "/accounts/login/" in anonymous.url  # the whole list is for members
    assert_nothing_private(anonymous.inner_text("body"), private)

    # A villager sees the whole list: red masked, black by household number only.
    villager = journey.phone(user=heads[0])
    villager.goto(f"/v/{village.slug}/points/lists/{ranking.pk}/")
    red = villager.locator("main h2:text-is('红榜') + ol > li").all_inner_texts()
    black = villager.locator("main h2:text-is('黑榜') + ol > li").all_inner_texts()
    assert [line.split()[1] for line in red] == red_names, red
    assert black == ["LX-099"]
    assert_nothing_private(villager.inner_text("body"), private)
    journey.shot(villager, "list-villager")
