"""Journey: the village clerk drafts a finance report (财务公开) in the Wagtail
admin on a phone, and cannot publish it alone; she submits it to the approval
workflow, the committee head approves it on his phone, and the public page shows
the report with the totals it computed from the rows.

The admin is used at the phone's size (360 px): Wagtail's editor collapses its
side panels and menus there and every field of the report stays reachable."""

import contextlib

from disclosure.models import FinanceReportPage
from tests.cms_home.fixtures import *  # noqa: F403
from tests.cms_home.fixtures import child
from tests.factories import MembershipFactory, UserFactory
from villages.services import membership_set_cms_approver, membership_sync_cms_access

# direction, date, category, paid by or to, amount, voucher number
ROWS = [
    ("income", "2026-11-03", "补助收入", "镇财政所", "50000.00", "记-011"),
    ("expenditure", "2026-11-05", "管理费用", "办公用品", "386.50", "记-012"),
    ("income", "2026-11-09", "经营收入", "村集体合作社", "1234.56", "记-013"),
    ("expenditure", "2026-11-18", "公益支出", "路灯电费", "1250.80", "记-014"),
    ("expenditure", "2026-11-26", "公益支出", "垃圾清运", "3000.00", "记-015"),
]


def committee_member(village, name):
    membership = MembershipFactory(
        village=village, user=UserFactory(name=name), is_committee=True
    )
    membership_sync_cms_access(membership)
    return membership


# Wagtail saves the editor's form by itself a moment after typing stops (autosave;
# the first save creates the draft page). A button pressed while a save is on its
# way would race it, which the in-memory SQLite of the tests refuses ("table is
# locked"); a person would see the indicator spin. So the journey waits, as they
# would, until a save has started after the last keystroke and has finished.
WATCH_AUTOSAVE = """
window.autosaveSeen = {input: 0, save: 0, done: 0};
const seen = (key) => () => { window.autosaveSeen[key] = performance.now(); };
document.addEventListener("input", seen("input"), true);
document.addEventListener("change", seen("input"), true);
document.addEventListener("w-autosave:save", seen("save"));
document.addEventListener("w-autosave:success", seen("done"));
document.addEventListener("w-autosave:error", seen("done"));
"""
AUTOSAVE_SETTLED = """() => {
    const s = window.autosaveSeen;
    return s.input === 0 || (s.save > s.input && s.done > s.save);
}"""


def watch_autosave(page):
    page.context.add_init_script(WATCH_AUTOSAVE)


def autosave_settled(page):
    page.wait_for_function(AUTOSAVE_SETTLED)


def type_date(page, name, value):
    """Type a date as on a keyboard; the admin's date picker opens on focus and
    would cover the next field, so leave the field with Tab, which closes it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    field = page.locator(f"input[name={name}]")
    field.fill(value)
    picker = page.locator(".xdsoft_datetimepicker:visible")
    # It opens 0.1 s after the field takes focus, unless the editor moved the
    # focus on first (it focuses the title while loading).
    with contextlib.suppress(PlaywrightTimeout):
        picker.wait_for(timeout=5_000)
    field.press("Tab")
    picker.wait_for(state="hidden")
    assert field.input_value() == value


def fill_report(page):
    page.fill("input[name=title]", "2026年11月财务收支公开")
    for name, value in [("period_start", "2026-11-01"), ("period_end", "2026-11-30")]:
        type_date(page, name, value)
    page.fill("input[name=fund]", "村集体经济组织")
    page.fill("input[name=opening_balance]", "1000.00")
    add_row = page.locator("#id_rows-ADD")
    for i, (direction, date, category, counterparty, amount, voucher) in enumerate(
        ROWS
    ):
        add_row.click()
        prefix = f"rows-{i}-"
        page.select_option(f"select[name={prefix}direction]", direction)
        type_date(page, f"{prefix}date", date)
        page.fill(f"input[name={prefix}category]", category)
        page.fill(f"input[name={prefix}counterparty]", counterparty)
        page.fill(f"input[name={prefix}amount]", amount)
        page.fill(f"input[name={prefix}voucher_no]", voucher)


def test_finance_report_drafted_submitted_approved_and_published(journey, village_page):
    village = village_page.village
    clerk = committee_member(village, "周文书").user
    head_membership = committee_member(village, "陈书记")
    membership_set_cms_approver(membership=head_membership, approver=True)
    head = head_membership.user
    section = child(village_page, "finances")

    # The clerk drafts the report on her phone.
    clerk_page = journey.phone(user=clerk)
    watch_autosave(clerk_page)
    clerk_page.goto(f"/cms/pages/add/disclosure/financereportpage/{section.pk}/")
    fill_report(clerk_page)
    autosave_settled(clerk_page)
    journey.shot(clerk_page, "clerk-rows")
    more = clerk_page.get_by_role("button", name="更多动作")
    more.click()
    submit = clerk_page.locator("button[name=action-submit]")
    submit.wait_for()
    # Her menu offers to submit to the workflow; nothing publishes.
    assert clerk_page.locator("button[name=action-publish]").count() == 0
    journey.shot(clerk_page, "clerk-actions")
    # Even a publish request made by hand only saves a draft for her.
    with clerk_page.expect_navigation():
        clerk_page.evaluate(
            """() => {
                const form = document.getElementById('page-edit-form');
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = 'action-publish'; input.value = '1';
                form.appendChild(input);
                form.submit();
            }"""
        )
    report = FinanceReportPage.objects.get()
    assert not report.live and report.rows.count() == len(ROWS)
    anonymous = journey.phone()
    assert anonymous.goto(report.url).status == 404

    clerk_page.get_by_role("button", name="更多动作").click()
    with clerk_page.expect_navigation():
        clerk_page.locator("button[name=action-submit]").click()
    report.refresh_from_db()
    assert not report.live
    assert report.current_workflow_state is not None
    journey.shot(clerk_page, "clerk-submitted")

    # The committee head sees it waiting for him and approves it.
    head_page = journey.phone(user=head)
    head_page.goto("/cms/")
    waiting = head_page.content()
    assert report.title in waiting and "周文书" in waiting  # who submitted, by name
    journey.shot(head_page, "head-dashboard")
    head_page.goto(f"/cms/pages/{report.pk}/edit/")
    head_page.get_by_role("button", name="更多动作").click()
    approve = head_page.locator(
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    journey.shot(head_page, "head-actions")
    with head_page.expect_navigation():
        approve.click()
    report.refresh_from_db()
    assert report.live
    assert report.get_latest_revision().user == clerk

    # The public page shows the report and the totals it computed.
    anonymous.goto(report.url)
    totals = anonymous.locator("table.totals").inner_text()
    journey.shot(anonymous, "public-report")
    assert "51,234.56 元" in totals  # income
    assert "4,637.30 元" in totals  # expenditure
    assert "46,597.26 元" in totals  # income less expenditure
    assert "47,597.26 元" in totals  # closing balance, from the opening 1,000.00
    subtotal = anonymous.locator("tr.subtotal", has_text="公益支出").inner_text()
    assert "4,250.80 元" in subtotal and "(2)" in subtotal
