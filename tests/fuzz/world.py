"""One village with something in every state a form acts on, and a second village
whose objects are the forged ids. Built through the services, as people would."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

from django.utils import timezone

from deliberation.models import Phase
from deliberation.services import comments as comment_services
from deliberation.services import topics as topic_services
from notifications.models import Kind
from notifications.services import notify
from points.models import RankingList
from points.services import entries as entry_services
from points.services import lists as list_services
from points.services.ledger import ledger_record_deed
from points.shop.services import cards as card_services
from points.shop.services import vouchers as voucher_services
from reports import services as report_services
from reports.models import Kind as ReportKind
from roster.models import RosterImport
from tests.deliberation.factories import CommentFactory, TopicFactory, make_vote
from tests.factories import (
    GridFactory,
    HouseholdFactory,
    MembershipFactory,
    SupervisorFactory,
    VillageFactory,
)
from tests.points.factories import RuleBookFactory, RuleCategoryFactory, RuleItemFactory
from tests.shop.factories import ProductFactory, ShopFactory

PASSWORD = "correct horse battery"  # tests.factories.UserFactory
CARD_PIN = "482915"


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), (30, 120, 30)).save(out, "PNG")
    return out.getvalue()


def _village_objects(village, suffix: str) -> SimpleNamespace:
    """What both villages have: people, households, points, topics, a shop."""
    today = timezone.localdate()
    w = SimpleNamespace(village=village)
    w.grid = GridFactory(village=village, name="第一网格")
    w.household = HouseholdFactory(village=village, grid=w.grid, number=f"{suffix}-001")
    w.household2 = HouseholdFactory(
        village=village, grid=w.grid, number=f"{suffix}-002"
    )
    member = MembershipFactory
    w.committee = member(village=village, is_committee=True).user
    w.committee2 = member(village=village, is_committee=True).user
    w.grid_worker = member(village=village, grid=w.grid, is_grid_worker=True).user
    w.household_rep = member(
        village=village,
        household=w.household,
        grid=w.grid,
        relation="head",
        is_household_rep=True,
    ).user
    w.resident = member(
        village=village, household=w.household, grid=w.grid, relation="child"
    ).user
    w.neighbour = member(
        village=village,
        household=w.household2,
        grid=w.grid,
        relation="head",
        is_household_rep=True,
    ).user
    w.shopkeeper = member(village=village, is_resident=False, is_shopkeeper=True).user
    w.monitor = member(village=village, is_monitor=True).user
    w.leaver = member(village=village)  # a membership the committee may remove

    # Points: this year's catalogue; entries in every state.
    book = RuleBookFactory(village=village, year=today.year)
    category = RuleCategoryFactory(rulebook=book, name="社会公德")
    w.item = RuleItemFactory(category=category, code="A01", points=10)
    w.bad_item = RuleItemFactory(category=category, code="B01", points=-5)

    def record(household, key, by=None):
        return entry_services.entry_record(
            village=village,
            household=household,
            item=w.item,
            points=None,
            occurred_on=today,
            note="扫雪",
            by=by or w.grid_worker,
            key=f"{suffix}-{key}",
        )

    w.entry_proposed = record(w.household2, "proposed")
    w.entry_in_notice = entry_services.entry_approve(
        entry=record(w.household, "notice"), by=w.committee
    )
    appealed = entry_services.entry_approve(
        entry=record(w.household, "appealed"), by=w.committee
    )
    w.appeal = entry_services.appeal_file(
        entry=appealed, by=w.household_rep, reason="那天不在家"
    )
    final = entry_services.entry_approve(
        entry=record(w.household2, "final"), by=w.committee
    )
    entry_services.entry_finalize(
        entry=final, now=timezone.now() + dt.timedelta(days=366)
    )
    final.refresh_from_db()
    w.entry_final = final

    # Last year's scores, and a draft list of them with a red and a black line.
    last_year = today.year - 1
    for household, points in ((w.household, 30), (w.household2, -20)):
        ledger_record_deed(
            household=household,
            points=points,
            effective_on=dt.date(last_year, 6, 1),
            key=f"{suffix}-seed-{household.pk}",
        )
    w.ranking = list_services.list_draft(
        village=village,
        period=RankingList.Period.YEAR,
        starts_on=dt.date(last_year, 1, 1),
        ends_on=dt.date(last_year, 12, 31),
        by=w.committee,
    )
    w.red_line = w.ranking.lines.get(household=w.household)
    w.black_line = w.ranking.lines.get(household=w.household2)
    w.task = list_services.repair_task_add(
        line=w.black_line, by=w.committee, description="打扫村道", hours=4
    )
    # The second quarter of last year: told, objections open.
    w.notified_ranking = list_services.list_notify(
        ranking=list_services.list_draft(
            village=village,
            period=RankingList.Period.QUARTER,
            starts_on=dt.date(last_year, 4, 1),
            ends_on=dt.date(last_year, 6, 30),
            by=w.committee,
        ),
        by=w.committee,
    )
    w.notified_black_line = w.notified_ranking.lines.get(household=w.household2)

    # Deliberation: a topic collecting opinions with a comment and an open vote,
    # a resident's proposal collecting co-signatures, a finished topic.
    w.topic = TopicFactory(village=village, created_by=w.committee)
    w.comment = CommentFactory(topic=w.topic, author=w.household_rep)
    w.vote = make_vote(w.topic, w.committee)
    w.multi_vote = make_vote(
        w.topic,
        w.committee,
        question="先修哪几段？",
        kind="multiple",
        options=["东段", "西段", "南段"],
        max_choices=2,
    )
    w.yes_option = w.vote.options.get(code="yes")
    w.multi_options = list(w.multi_vote.options.all())
    w.multi_option = w.multi_options[0]
    w.proposal = topic_services.topic_propose(
        village=village, by=w.resident, title="装路灯", description="村口太黑"
    )
    w.done_topic = TopicFactory(
        village=village, created_by=w.committee, phase=Phase.DONE
    )
    comment_services.comment_add(
        topic=w.topic, by=w.neighbour, body="同意", parent=None
    )

    # Reports: new, assigned to the grid worker, closed, and a public suggestion.
    w.report_new = report_services.report_file(
        village=village, by=w.resident, kind=ReportKind.HAZARD, text="桥下塌了"
    )
    w.report_assigned = report_services.report_assign(
        report=report_services.report_file(
            village=village, by=w.resident, kind=ReportKind.HAZARD, text="路灯坏了"
        ),
        by=w.committee,
        assignee=w.grid_worker,
        due_on=today + dt.timedelta(days=3),
    )
    w.report_closed = report_services.report_close(
        report=report_services.report_assign(
            report=report_services.report_file(
                village=village, by=w.resident, kind=ReportKind.DISPUTE, text="吵架"
            ),
            by=w.committee,
            assignee=w.grid_worker,
            due_on=today + dt.timedelta(days=3),
        ),
        by=w.grid_worker,
        answer="已调解",
    )
    w.report_public = report_services.report_file(
        village=village,
        by=w.resident,
        kind=ReportKind.SUGGESTION,
        text="建个广场",
        is_public=True,
    )
    w.department = report_services.department_add(
        village=village, by=w.committee, name="镇水利站"
    )

    # Shop: a shop with its keeper and a product, points to spend, an active
    # voucher (with its QR token), a household card.
    w.shop = ShopFactory(village=village, name="村口超市", slug="cunkou")
    w.shop.shopkeepers.add(w.shopkeeper)
    w.product = ProductFactory(shop=w.shop, name="食用油", points=5, stock=50)
    for household in (w.household, w.household2):
        ledger_record_deed(
            household=household,
            points=100,
            effective_on=today,
            key=f"{suffix}-spend-{household.pk}",
        )
    w.voucher, w.voucher_token = voucher_services.voucher_create(
        household=w.household,
        shop=w.shop,
        items={str(w.product.pk): "1"},
        by=w.household_rep,
    )
    w.card, w.card_token = card_services.card_issue(
        household=w.household2, pin=CARD_PIN, by=w.committee
    )

    # The inbox and the roster.
    w.notification = notify(
        recipients=[w.household_rep], kind=Kind.NOTICE, title="开会通知"
    )[0]
    w.roster_import = RosterImport.objects.create(
        village=village, uploaded_by=w.committee, file="roster/none.xlsx"
    )
    return w


def build_world() -> SimpleNamespace:
    village = VillageFactory(name="柳溪村", slug="liuxi")
    other = VillageFactory(area=village.area, name="桃园村", slug="taoyuan")
    from villages.services import village_site_ensure

    village_site_ensure(village=village)  # its pages: the search form
    w = _village_objects(village, "LX")
    w.other = _village_objects(other, "TY")
    w.supervisor = SupervisorFactory(area=village.area).user
    return w
