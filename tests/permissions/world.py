"""One of everything, made through the services as people would make it: the world
that the permission crawler fills every URL from.

Two villages of one township: 柳溪村 (where everything happens) and 桃园村 (whose
committee must see none of it). Each role of the crawler is one person.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.services import audit_log
from tests.factories import (
    GridFactory,
    HouseholdFactory,
    MembershipFactory,
    SupervisorFactory,
    VillageFactory,
)

# Strings that only the people allowed to read them may see; a refused answer
# carries none of them.
SECRETS = ("柳溪村的秘密审计", "柳溪村的秘密申诉理由", "柳溪村的秘密报告")

ROLES = (
    "anonymous",
    "unverified",
    "resident",
    "household_rep",
    "grid_worker",
    "committee",
    "shopkeeper",
    "monitor",
    "supervisor",
    "other_committee",
)


def _image(name: str = "photo.jpg") -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (60, 140, 90)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _publish(parent, page, *, user=None):
    parent.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    return page


def _people(w, village, prefix: str) -> None:
    """The village's households and one person per role (and a few more)."""
    w.village = village
    w.grid = GridFactory(village=village, name="第一网格")
    w.household = HouseholdFactory(village=village, grid=w.grid, number=f"{prefix}-001")
    w.neighbour = HouseholdFactory(village=village, grid=w.grid, number=f"{prefix}-002")
    w.far = HouseholdFactory(village=village, number=f"{prefix}-003")

    def member(**fields):
        return MembershipFactory(village=village, **fields).user

    users = {"anonymous": None}
    # A person the village has on its books but the committee has not verified.
    users["unverified"] = member(verified_at=None)
    users["resident"] = member(household=w.household, grid=w.grid, relation="child")
    users["household_rep"] = member(
        household=w.household, grid=w.grid, relation="head", is_household_rep=True
    )
    users["grid_worker"] = member(grid=w.grid, is_grid_worker=True)
    users["committee"] = member(is_committee=True)
    users["shopkeeper"] = member(is_resident=False, is_shopkeeper=True)
    users["monitor"] = member(is_monitor=True)
    w.users = users
    # A second committee member, the head who approves pages and reviews entries.
    w.head = member(is_committee=True)
    w.neighbour_rep = member(
        household=w.neighbour, grid=w.grid, relation="head", is_household_rep=True
    )
    w.neighbour_membership = w.neighbour_rep.memberships.get()


def _cms(w) -> None:
    from django.core.files.base import ContentFile

    from wagtail.documents.models import Document
    from wagtail.models import Page

    from cms_home.models import VillagePage
    from cms_home.provisioning import village_site_setup
    from disclosure.models import DisclosurePage, FinanceReportPage, FinanceRow
    from notices.models import NoticePage
    from villages.models import Membership
    from villages.services import (
        membership_set_cms_approver,
        membership_sync_cms_access,
    )

    village_site_setup(village=w.village)
    village_site_setup(village=w.other_village)
    for user in (w.users["committee"], w.head, w.foreign.users["committee"]):
        membership_sync_cms_access(Membership.objects.get(user=user))
    membership_set_cms_approver(
        membership=Membership.objects.get(user=w.head), approver=True
    )
    w.village_page = VillagePage.objects.get(village=w.village)
    w.other_village_page = VillagePage.objects.get(village=w.other_village)

    def child(parent, slug):
        return Page.objects.child_of(parent).get(slug=slug).specific

    w.notice_index = child(w.village_page, "notices")
    w.finances = child(w.village_page, "finances")
    w.notice = _publish(
        w.notice_index,
        NoticePage(
            title="村民投票通知",
            slug="vote-notice",
            summary="周六上午村委会投票",
            body=json.dumps([{"type": "paragraph", "value": "<p>周六投票</p>"}]),
        ),
        user=w.head,
    )
    # Published twice, so that it has an earlier version to compare.
    w.notice.title = "村民投票通知（更正）"
    w.notice.save_revision(user=w.head).publish(user=w.head)
    w.notice.refresh_from_db()
    w.notice_version = w.notice.published_versions()[-1]  # the first publication
    sections = [
        p.specific
        for p in Page.objects.child_of(w.village_page).exclude(slug="notices")
    ]
    w.disclosure_index = next(s for s in sections if s.slug != "finances")
    w.disclosure = _publish(
        w.disclosure_index,
        DisclosurePage(title="村务公开：低保名单", slug="dibao"),
        user=w.head,
    )
    start = dt.date(2026, 10, 1)
    report = FinanceReportPage(
        title="2026年10月财务收支公开",
        slug="finance-10",
        period_start=start,
        period_end=start.replace(day=28),
        fund="村集体经济组织",
        opening_balance=Decimal("1000.00"),
    )
    report.rows = [
        FinanceRow(
            direction="income",
            date=start,
            category="补助收入",
            counterparty="镇财政所",
            amount=Decimal("50000.00"),
            voucher_no="记-001",
        )
    ]
    w.finance = _publish(w.finances, report, user=w.head)
    w.other_notice_index = child(w.other_village_page, "notices")
    w.document = Document.objects.create(
        title="预算表",
        file=ContentFile(b"%PDF-1.4 budget", name="budget.pdf"),
        collection=w.village.cms.collection,
    )


def _points(w) -> None:
    from points.images import photo_prepare
    from points.models import Entry, PointsSettings
    from points.services.entries import (
        appeal_file,
        entry_approve,
        entry_finalize,
        entry_record,
    )
    from points.services.ledger import ledger_record_deed
    from tests.points.factories import (
        RuleBookFactory,
        RuleCategoryFactory,
        RuleItemFactory,
    )

    PointsSettings.objects.get_or_create(village=w.village)
    book = RuleBookFactory(village=w.village)
    category = RuleCategoryFactory(rulebook=book, name="社会公德")
    w.item = RuleItemFactory(category=category, code="A01", name="志愿服务", points=10)
    w.bad_item = RuleItemFactory(
        category=category, code="B01", name="乱倒垃圾", points=-5
    )
    w.rulebook = book
    grid_worker, committee = w.users["grid_worker"], w.users["committee"]
    today = timezone.localdate()

    def record(key, photos=()):
        return entry_record(
            village=w.village,
            household=w.household,
            item=w.item,
            points=None,
            occurred_on=today,
            note="帮五保户修屋顶",
            by=grid_worker,
            key=key,
            photos=[photo_prepare(p) for p in photos],
        )

    w.entry_pending = record("pending", photos=[_image()])
    w.photo = w.entry_pending.photos.get()
    w.entry_notice = entry_approve(entry=record("notice"), by=committee)
    w.entry_final = entry_approve(entry=record("final"), by=committee)
    entry_finalize(entry=w.entry_final, now=w.entry_final.notice_ends_at)
    w.entry_final = Entry.objects.get(pk=w.entry_final.pk)
    appealed = entry_approve(entry=record("appealed"), by=committee)
    w.appeal = appeal_file(
        entry=appealed, by=w.users["household_rep"], reason="柳溪村的秘密申诉理由"
    )

    # Last year's scores, for two monthly red/black lists: in May LX-001 tops the
    # list and LX-003 is at the bottom; in June it is the other way round.
    last_year = today.year - 1
    for month, scores in ((5, (80, 20, -40)), (6, (-50, 10, 60))):
        for household, points in zip(
            (w.household, w.neighbour, w.far), scores, strict=True
        ):
            ledger_record_deed(
                household=household,
                points=points,
                effective_on=dt.date(last_year, month, 10),
                key=f"score-{month}-{household.number}",
            )
    # Points to spend this year.
    ledger_record_deed(
        household=w.household, points=200, effective_on=today, key="spendable"
    )


def _lists(w) -> None:
    from points.models import ListLine
    from points.services.lists import (
        line_review,
        list_draft,
        list_notify,
        list_publish,
        period_bounds,
        repair_task_add,
    )

    last_year = timezone.localdate().year - 1
    committee = w.users["committee"]

    def drafted(month):
        starts_on, ends_on = period_bounds("month", last_year, month)
        ranking = list_draft(
            village=w.village,
            period="month",
            starts_on=starts_on,
            ends_on=ends_on,
            by=committee,
        )
        return list_notify(ranking=ranking, by=committee)

    # May: published; LX-001 on the red list, LX-003 black with a repair task.
    may = drafted(5)
    for line in may.lines.filter(color=ListLine.Color.BLACK):
        line_review(line=line, by=committee, keep=True, note="核实无误")
    w.published_list = list_publish(
        ranking=may, by=committee, now=may.objection_ends_at + dt.timedelta(seconds=1)
    )
    w.red_line = w.published_list.lines.get(household=w.household)
    far_line = w.published_list.lines.get(household=w.far)
    w.task = repair_task_add(
        line=far_line, by=committee, description="打扫村道两小时", hours=2
    )
    w.far_black_line = far_line
    # June: told and open for objections; LX-001 is on the black list.
    w.ranking = drafted(6)
    w.black_line = w.ranking.lines.get(household=w.household)
    assert w.red_line.color == ListLine.Color.RED
    assert w.black_line.color == ListLine.Color.BLACK


def _shop(w) -> None:
    from points.shop.services.cards import card_issue
    from points.shop.services.vouchers import voucher_create, voucher_redeem
    from tests.shop.factories import ProductFactory, ShopFactory

    w.shop = ShopFactory(village=w.village, name="村口超市", slug="cunkou")
    w.shop.shopkeepers.add(w.users["shopkeeper"])
    w.product = ProductFactory(shop=w.shop, name="食用油", points=30, stock=10)
    rep = w.users["household_rep"]
    w.voucher, w.voucher_token = voucher_create(
        household=w.household, shop=w.shop, items={w.product.pk: 1}, by=rep
    )
    spent, _token = voucher_create(
        household=w.household, shop=w.shop, items={w.product.pk: 1}, by=rep
    )
    w.receipt = voucher_redeem(voucher=spent, shop=w.shop, by=w.users["shopkeeper"])
    w.card, w.card_token = card_issue(
        household=w.household, pin="482915", by=w.users["committee"]
    )


def _deliberation(w) -> None:
    from deliberation.models import Phase, Topic
    from deliberation.services.comments import comment_add
    from deliberation.services.followup import meeting_record, progress_add
    from deliberation.services.topics import topic_create, topic_propose
    from tests.deliberation.factories import make_vote

    committee = w.users["committee"]
    w.topic = topic_create(
        village=w.village, by=committee, title="修村东道路", description="坑坑洼洼"
    )
    w.comment = comment_add(topic=w.topic, by=w.users["resident"], body="同意先修主路")
    w.vote = make_vote(w.topic, committee)
    w.meeting = meeting_record(
        topic=w.topic,
        by=committee,
        kind="representatives",
        held_on=timezone.localdate(),
        place="村委会",
        attendance=30,
        required=20,
        minutes="一致同意",
    )
    progress_add(topic=w.topic, by=committee, percent=10, text="开工")
    # A residents' proposal still collecting co-signatures (by someone else than
    # the crawler's resident and representative, so both may co-sign).
    w.proposal = topic_propose(
        village=w.village,
        by=w.neighbour_rep,
        title="建篮球场",
        description="孩子们想要",
    )
    w.done_topic = topic_create(
        village=w.village, by=committee, title="装路灯", description="已装好"
    )
    Topic.objects.filter(pk=w.done_topic.pk).update(phase=Phase.DONE)


def _reports(w) -> None:
    from reports.models import Department
    from tests.reports.factories import assigned_report, file_report

    w.report = assigned_report(
        w.village,
        w.users["resident"],
        w.users["committee"],
        w.users["grid_worker"],
        text="柳溪村的秘密报告：邻居家的狗咬人",
        photos=[_photo_for_report()],
    )
    w.report_photo = w.report.photos.get()
    w.public_report = file_report(
        w.village, w.neighbour_rep, is_public=True, text="村口路灯坏了"
    )
    w.department = Department.objects.create(village=w.village, name="镇供电所")


def _photo_for_report():
    from points.images import photo_prepare

    return photo_prepare(_image("report.jpg"))


def _the_rest(w) -> None:
    from notifications.models import Notification
    from roster.services import roster_import_create
    from tests.roster.workbooks import workbook_bytes, xlsx_upload

    w.roster_import = roster_import_create(
        village=w.village,
        by=w.users["committee"],
        upload=xlsx_upload(
            workbook_bytes(
                [["赵敏", "13800138000", "LX-001", "子女", 1990, "第一网格", ""]]
            )
        ),
    )
    w.notifications = {
        role: Notification.objects.create(
            recipient=user, kind="notice", title="新通知", village=w.village
        )
        for role, user in w.users.items()
        if user is not None
    }
    w.audit = audit_log(
        actor=w.users["committee"],
        village=w.village,
        action="test.secret",
        note=SECRETS[0],
    )


def build_world() -> SimpleNamespace:
    """柳溪村 with everything in it; 桃园村 with the same things, so that its objects
    can be asked for through 柳溪村's addresses (``w.foreign``)."""
    liuxi = VillageFactory(name="柳溪村", slug="liuxi")
    taoyuan = VillageFactory(area=liuxi.area, name="桃园村", slug="taoyuan")
    w, foreign = SimpleNamespace(), SimpleNamespace()
    _people(w, liuxi, "LX")
    _people(foreign, taoyuan, "TY")
    w.other_village = taoyuan
    w.foreign = foreign
    w.users["supervisor"] = SupervisorFactory(area=liuxi.area).user
    w.users["other_committee"] = foreign.users["committee"]
    _cms(w)
    for side in (w, foreign):
        for step in (_points, _lists, _shop, _deliberation, _reports, _the_rest):
            step(side)
    return w
