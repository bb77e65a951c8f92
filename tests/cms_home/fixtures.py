"""Fixtures for the disclosure site: a village set up by the village service, with
pages made the way the admin makes them (drafted, then published)."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from cms_home.models import VillagePage
from cms_home.provisioning import village_site_setup
from villages.models import Membership
from villages.services import membership_set_cms_approver, membership_sync_cms_access


@pytest.fixture
def site_village(village):
    """The village with its Wagtail subtree, groups and workflow."""
    village_site_setup(village=village)
    return village


@pytest.fixture
def village_page(site_village):
    return VillagePage.objects.get(village=site_village)


@pytest.fixture
def other_village_page(other_village, site_village):
    village_site_setup(village=other_village)
    return VillagePage.objects.get(village=other_village)


@pytest.fixture
def clerk(site_village, committee):
    membership_sync_cms_access(Membership.objects.get(user=committee))
    return committee


@pytest.fixture
def head(site_village):
    from tests.factories import MembershipFactory

    membership = MembershipFactory(village=site_village, is_committee=True)
    membership_sync_cms_access(membership)
    membership_set_cms_approver(membership=membership, approver=True)
    return membership.user


def child(parent, slug_or_model):
    from wagtail.models import Page

    if isinstance(slug_or_model, str):
        return Page.objects.child_of(parent).get(slug=slug_or_model).specific
    return slug_or_model.objects.child_of(parent).get()


def body(*blocks):
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


def publish(parent, page, *, user=None):
    parent.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    return page


@pytest.fixture
def make_notice(village_page):
    from notices.models import NoticePage

    def make(title="村民投票通知", slug=None, summary="", user=None, **kwargs):
        index = child(village_page, "notices")
        slug = slug or f"n{NoticePage.objects.count() + 1}"
        return publish(
            index,
            NoticePage(
                title=title,
                slug=slug,
                summary=summary,
                body=body(("paragraph", f"<p>{summary}</p>")),
                **kwargs,
            ),
            user=user,
        )

    return make


ROWS = [
    ("income", 3, "补助收入", "镇财政所", "50000.00", "记-001"),
    ("income", 9, "经营收入", "合作社", "1234.50", "记-002"),
    ("expenditure", 5, "管理费用", "办公用品", "386.50", "记-003"),
    ("expenditure", 8, "公益支出", "路灯电费", "1250.80", "记-004"),
    ("expenditure", 12, "公益支出", "垃圾清运", "3000.00", "记-005"),
]


@pytest.fixture
def make_report(village_page):
    from disclosure.models import FinanceReportPage, FinanceRow

    def make(month=10, rows=ROWS, opening="1000.00", user=None, n_rows=None, slug=None):
        section = child(village_page, "finances")
        start = dt.date(2026, month, 1)
        report = FinanceReportPage(
            title=f"2026年{month}月财务收支公开",
            slug=slug or f"finance-{month}-{FinanceReportPage.objects.count()}",
            period_start=start,
            period_end=start.replace(day=28),
            fund="村集体经济组织",
            opening_balance=Decimal(opening) if opening else None,
        )
        if n_rows is not None:
            rows = [
                (
                    "income" if i % 3 == 0 else "expenditure",
                    1 + i % 28,
                    f"类别{i % 7}",
                    f"对方{i}",
                    f"{100 + i}.25",
                    f"记-{i:03d}",
                )
                for i in range(n_rows)
            ]
        report.rows = [
            FinanceRow(
                direction=d,
                date=start.replace(day=day),
                category=c,
                counterparty=cp,
                amount=Decimal(a),
                voucher_no=v,
            )
            for d, day, c, cp, a, v in rows
        ]
        return publish(section, report, user=user)

    return make
