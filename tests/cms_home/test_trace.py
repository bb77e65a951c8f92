"""Disclosure that can be quietly rewritten is not disclosure: a changed page says
so and keeps its earlier version; a withdrawn page leaves a trace with a reason."""

import pytest

from audit.models import AuditEntry
from cms_home.models import PublishedVersion, Withdrawal
from cms_home.services import page_withdraw


def test_changed_page_shows_update_and_earlier_version(client, make_notice, head):
    notice = make_notice(title="村民投票通知", summary="12月1日投票", user=head)
    notice.summary = "改为12月3日投票"
    notice.save_revision(user=head).publish(user=head)
    page = client.get(notice.url).content.decode()
    assert "改为12月3日投票" in page
    versions = list(PublishedVersion.objects.filter(page=notice))
    assert len(versions) == 2
    first = versions[-1]
    assert f"versions/{first.pk}/" in page
    old = client.get(f"{notice.url}versions/{first.pk}/")
    assert old.status_code == 200
    old_page = old.content.decode()
    assert "12月1日投票" in old_page
    # what changed is listed: the old line removed, the new one added
    assert "<del>− 12月1日投票</del>" in old_page
    assert "<ins>+ 改为12月3日投票</ins>" in old_page
    assert AuditEntry.objects.filter(action="page.republish").exists()


def test_drafts_are_never_shown_as_versions(client, make_notice, head):
    notice = make_notice(summary="已发布", user=head)
    notice.summary = "草稿内容"
    draft = notice.save_revision(user=head)
    assert client.get(notice.url).content.decode().count("草稿内容") == 0
    # no published version points at the draft, and made-up ids are 404
    assert not PublishedVersion.objects.filter(revision=draft).exists()
    assert client.get(f"{notice.url}versions/999999/").status_code == 404


def test_withdrawn_page_leaves_a_public_trace(client, village_page, make_notice, head):
    notice = make_notice(title="错误的通知", slug="wrong", user=head)
    url = notice.url
    page_withdraw(page=notice, reason="通知内容有误，将重新发布", by=head)
    response = client.get(url)
    assert response.status_code == 410
    assert "通知内容有误，将重新发布" in response.content.decode()
    index = client.get(notice.get_parent().url).content.decode()
    assert "错误的通知" in index and "通知内容有误" in index
    entry = AuditEntry.objects.get(action="page.unpublish")
    assert entry.actor == head and entry.note == "通知内容有误，将重新发布"


def test_withdrawal_needs_a_reason(make_notice, head):
    notice = make_notice(user=head)
    with pytest.raises(ValueError):
        page_withdraw(page=notice, reason="  ", by=head)
    notice.refresh_from_db()
    assert notice.live


def test_admin_unpublish_asks_for_the_reason(client, make_notice, head):
    notice = make_notice(title="停电通知", slug="power", user=head)
    client.force_login(head)
    url = f"/cms/pages/{notice.pk}/unpublish/"
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="withdrawal_reason"' in form.content.decode()
    refused = client.post(url, {"withdrawal_reason": ""})
    assert refused.status_code == 302
    notice.refresh_from_db()
    assert notice.live
    done = client.post(url, {"withdrawal_reason": "停电时间改期"})
    assert done.status_code == 302
    notice.refresh_from_db()
    assert not notice.live
    assert Withdrawal.objects.get(page=notice).reason == "停电时间改期"


def test_published_record_cannot_be_deleted(client, make_notice, head, admin_user):
    notice = make_notice(user=head)
    client.force_login(admin_user)
    response = client.post(f"/cms/pages/{notice.pk}/delete/")
    assert response.status_code == 302
    assert type(notice).objects.filter(pk=notice.pk).exists()
    # nor can the notice board or the village page holding it
    board = notice.get_parent()
    client.post(f"/cms/pages/{board.pk}/delete/")
    client.post(f"/cms/pages/{board.get_parent().pk}/delete/")
    assert type(notice).objects.filter(pk=notice.pk).exists()


def test_finance_report_version_lists_changed_rows(client, make_report, head):
    from decimal import Decimal

    from disclosure.models import FinanceReportPage

    report = FinanceReportPage.objects.get(pk=make_report(user=head).pk)
    rows = list(report.rows.all())
    rows[0].amount = Decimal("49999.00")
    report.rows = rows
    report.save_revision(user=head).publish(user=head)
    old = PublishedVersion.objects.filter(page=report).last()
    page = client.get(f"{report.url}versions/{old.pk}/").content.decode()
    assert "50,000.00 元" in page and "<ins>" in page and "49,999.00 元" in page
