"""Demo content for the disclosure site: the township portal, both villages' pages,
a few realistic notices and disclosures, and finance reports. Idempotent."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.db import transaction

from wagtail.models import Page

from accounts.models import User
from cms_home.models import VillagePage
from cms_home.provisioning import approver_set, membership_cms_sync, village_site_setup
from villages.models import Membership, Village

# 村两委 heads who approve pages in the demo (see villages.demo.DEMO_PEOPLE).
APPROVERS = {"liuxi": "+8613900000001", "taoyuan": "+8613900000011"}
CLERKS = {"liuxi": "+8613900000002", "taoyuan": "+8613900000011"}


SECTION_TITLES = {
    "notices": "通知公告",
    "village-affairs": "村务公开",
    "party-affairs": "党务公开",
    "finances": "财务公开",
}


def _stream(*blocks) -> str:
    return json.dumps(
        [
            {"type": kind, "value": value.source if hasattr(value, "source") else value}
            for kind, value in blocks
        ]
    )


NOTICES = {
    "liuxi": [
        (
            "meeting-2026-11",
            "关于召开村民代表会议的通知",
            "定于11月28日（周六）上午9时在村委会二楼会议室召开村民代表会议，请各位代表准时参加。",
            [
                ("heading", "一、会议议题"),
                (
                    "paragraph",
                    "<ol><li>审议村道路硬化项目实施方案；</li><li>通报2026年1—10月村级财务收支情况；</li><li>讨论冬季森林防火工作安排。</li></ol>",
                ),
                ("heading", "二、参会人员"),
                ("paragraph", "<p>全体村民代表、村两委成员、村务监督委员会成员。</p>"),
            ],
        ),
        (
            "vote-road-2026",
            "村民投票通知",
            "村道路硬化项目方案将于12月1日至12月7日由村民投票表决，每户一票，请户代表按时参加。",
            [
                (
                    "paragraph",
                    "<p>投票可在手机上进行，也可到村委会由网格员代为登记纸质选票。投票结果将在本站公布。</p>",
                ),
            ],
        ),
        (
            "fire-prevention-2026",
            "2026年冬季森林防火通知",
            "进入森林防火期，严禁野外用火，严禁焚烧秸秆。发现火情请立即拨打12119。",
            [("paragraph", "<p>各网格员要加强巡查，做好宣传。</p>")],
        ),
    ],
    "taoyuan": [
        (
            "water-2026-11",
            "关于停水检修的通知",
            "11月25日8时至17时村自来水管网检修，期间停水，请提前储水。",
            [],
        ),
        (
            "medical-2026",
            "城乡居民医疗保险缴费通知",
            "2027年度城乡居民医保个人缴费开始，请于12月31日前缴纳。",
            [],
        ),
    ],
}

ROAD = (
    "road-hardening-2026",
    "关于村道路硬化的公示",
    "村东至村小学道路硬化工程经村民代表会议通过，现将工程概况予以公示，公示期7天。",
    [
        ("heading", "工程概况"),
        (
            "table",
            {
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "data": [
                    ["项目", "内容"],
                    ["路段", "村东路口至村小学"],
                    ["长度", "1.2 公里，宽 4.5 米"],
                    ["预算", "356,000.00 元"],
                    ["资金来源", "上级一事一议奖补 + 村集体自筹"],
                ],
            },
        ),
        (
            "paragraph",
            "<p>公示期间如有异议，请向村务监督委员会孙丽反映。</p>",
        ),
    ],
)

ASSETS = (
    "assets-2026-q3",
    "2026年第三季度集体资产资源公示",
    "截至2026年9月30日村集体资产、资源登记情况。",
    [
        (
            "asset_register",
            {
                "kind": "assets",
                "as_of": "2026-09-30",
                "rows": [
                    {
                        "name": "村委会办公楼",
                        "quantity": "1 栋",
                        "location": "村中心",
                        "book_value": "860000.00",
                        "status": "自用",
                    },
                    {
                        "name": "村集体仓库",
                        "quantity": "2 间",
                        "location": "村西",
                        "book_value": "85000.00",
                        "status": "出租给合作社，年租金6,000元",
                    },
                ],
            },
        ),
        (
            "asset_register",
            {
                "kind": "resources",
                "as_of": "2026-09-30",
                "rows": [
                    {
                        "name": "村集体鱼塘",
                        "quantity": "18 亩",
                        "location": "村东",
                        "book_value": "120000.00",
                        "status": "承包至2028年，年租金9,000元",
                    },
                ],
            },
        ),
    ],
)

PARTY = (
    "party-dues-2026-q3",
    "2026年第三季度党费收缴情况公示",
    "本季度应缴党员32名，实缴32名，合计党费1,536.00元，已全额上缴镇党委。",
    [],
)

FINANCE_ROWS = [
    ("income", 1, "经营收入", "合作社（仓库租金）", "6000.00", "记-001"),
    ("income", 3, "补助收入", "镇财政所", "50000.00", "记-002"),
    ("income", 12, "发包及上交收入", "王德胜（鱼塘承包）", "9000.00", "记-003"),
    ("income", 20, "其他收入", "银行利息", "123.45", "记-004"),
    ("expenditure", 5, "管理费用", "村干部误工补贴", "7200.00", "记-005"),
    ("expenditure", 8, "管理费用", "办公用品", "386.50", "记-006"),
    ("expenditure", 10, "公益支出", "路灯电费", "1250.80", "记-007"),
    ("expenditure", 15, "公益支出", "垃圾清运", "3000.00", "记-008"),
    ("expenditure", 22, "其他支出", "防火宣传材料", "560.00", "记-009"),
]


def _add(parent: Page, page: Page, *, user, publisher=None) -> Page:
    """The clerk drafts; the committee head publishes (as the workflow would)."""
    parent.add_child(instance=page)
    page.save_revision(user=user).publish(user=publisher or user)
    return page


def _record(model, parent, slug, title, summary, body, *, user, publisher):
    return _add(
        parent,
        model(title=title, slug=slug, summary=summary, body=_stream(*body)),
        user=user,
        publisher=publisher,
    )


def _finance_report(parent, *, month: int, opening: str, scale: Decimal, user):
    from disclosure.models import FinanceReportPage, FinanceRow

    start = dt.date(2026, month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    report = FinanceReportPage(
        title=f"2026年{month}月财务收支公开",
        slug=f"finance-2026-{month:02d}",
        period_start=start,
        period_end=end,
        fund="村集体经济组织",
        opening_balance=Decimal(opening),
        summary=f"{month}月村集体经济组织收支明细，经村务监督委员会审核。",
    )
    report.rows = [
        FinanceRow(
            direction=direction,
            date=start.replace(day=day),
            category=category,
            counterparty=counterparty,
            amount=(Decimal(amount) * scale).quantize(Decimal("0.01")),
            voucher_no=voucher,
        )
        for direction, day, category, counterparty, amount, voucher in FINANCE_ROWS
    ]
    return _add(parent, report, user=user)


@transaction.atomic
def seed_disclosure() -> None:
    from disclosure.models import DisclosureIndexPage, DisclosurePage, Section
    from notices.models import NoticeIndexPage, NoticePage

    for village in Village.objects.filter(slug__in=NOTICES).order_by("pk"):
        village_site_setup(village=village)
        for membership in Membership.objects.filter(
            village=village, is_committee=True
        ).select_related("user", "village"):
            membership_cms_sync(membership)
        head = Membership.objects.get(
            village=village, user__phone=APPROVERS[village.slug]
        )
        approver_set(membership=head, approver=True)
        page = VillagePage.objects.get(village=village)
        for child in page.get_children().specific():
            if (
                child.slug in SECTION_TITLES
                and child.title != SECTION_TITLES[child.slug]
            ):
                child.title = SECTION_TITLES[child.slug]
                child.save_revision().publish()
        if NoticePage.objects.descendant_of(page).exists():
            continue  # content already there
        clerk = User.objects.get(phone=CLERKS[village.slug])
        notices = NoticeIndexPage.objects.child_of(page).get()
        for slug, title, summary, body in NOTICES[village.slug]:
            _record(
                NoticePage,
                notices,
                slug,
                title,
                summary,
                body,
                user=clerk,
                publisher=head.user,
            )
        sections = {s.section: s for s in DisclosureIndexPage.objects.child_of(page)}
        if village.slug != "liuxi":
            continue
        road = _record(
            DisclosurePage,
            sections[Section.VILLAGE],
            *ROAD,
            user=clerk,
            publisher=head.user,
        )
        # A correction after publication: the page says so and keeps the first text.
        road.summary += "（更正：公示期延长至12月10日。）"
        road.save_revision(user=head.user).publish(user=head.user)
        _record(
            DisclosurePage,
            sections[Section.FINANCE],
            *ASSETS,
            user=clerk,
            publisher=head.user,
        )
        _record(
            DisclosurePage,
            sections[Section.PARTY],
            *PARTY,
            user=clerk,
            publisher=head.user,
        )
        _finance_report(
            sections[Section.FINANCE],
            month=9,
            opening="182340.00",
            scale=Decimal("0.9"),
            user=head.user,
        )
        _finance_report(
            sections[Section.FINANCE],
            month=10,
            opening="231904.90",
            scale=Decimal("1"),
            user=head.user,
        )
    # Index now rather than wait for the background worker, so search works at once.
    from wagtail.search.index import insert_or_update_object

    for page in Page.objects.type(VillagePage).specific():
        for descendant in page.get_descendants(inclusive=True).specific():
            insert_or_update_object(descendant)
    # Wagtail's placeholder home page is not part of the site once the portal is.
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
