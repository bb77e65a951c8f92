"""A clerk drafts, the committee head approves, and scheduled publishing fires."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from cms_home.models import PublishedVersion
from notices.models import NoticePage
from tests.cms_home.fixtures import child


def _draft(village_page, user, **kwargs):
    index = child(village_page, "notices")
    page = NoticePage(title="村民投票通知", slug="vote", summary="投票", **kwargs)
    index.add_child(instance=page)
    page.save_revision(user=user)
    return page


def test_workflow_path_clerk_submits_head_approves(village_page, clerk, head, resident):
    page = _draft(village_page, clerk)
    workflow = page.get_workflow()
    assert workflow is not None and village_page.village.name in workflow.name
    state = workflow.start(page, clerk)
    from notifications.models import Notification

    waiting = Notification.objects.get(recipient=head)
    assert page.title in waiting.title and f"/cms/pages/{page.pk}/edit/" == waiting.url
    assert not Notification.objects.filter(recipient=clerk).exists()
    task_state = state.current_task_state
    task = task_state.task.specific
    assert not any(a[0] == "approve" for a in task.get_actions(page, clerk))
    assert any(a[0] == "approve" for a in task.get_actions(page, head))
    task.on_action(task_state, head, "approve")
    page.refresh_from_db()
    assert page.live
    version = PublishedVersion.objects.get(page=page)
    assert version.published_by == head
    entry = AuditEntry.objects.get(action="page.publish")
    assert entry.actor == head and entry.village == village_page.village
    # residents are told about the new notice
    from notifications.models import Notification

    assert Notification.objects.filter(recipient=resident, kind="notice").exists()


def test_clerk_submits_through_the_admin(client, village_page, clerk):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    index = child(village_page, "notices")
    client.force_login(clerk)
    data = nested_form_data(
        {
            "title": "关于村道路硬化的公示",
            "slug": "road",
            "summary": "道路",
            "body": streamfield([]),
            "action-submit": "Submit",
        }
    )
    response = client.post(f"/cms/pages/add/notices/noticepage/{index.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = NoticePage.objects.get(slug="road")
    assert not page.live
    assert page.current_workflow_state is not None


def test_scheduled_page_goes_live_with_publish_scheduled(village_page, head):
    page = _draft(village_page, head)
    page.go_live_at = timezone.now() + dt.timedelta(hours=1)
    revision = page.save_revision(user=head)
    revision.publish(user=head)
    page.refresh_from_db()
    assert not page.live
    # an hour later
    future = timezone.now() + dt.timedelta(hours=2)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=future):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert PublishedVersion.objects.filter(page=page).count() == 1
    assert AuditEntry.objects.filter(action="page.publish", note="scheduled").exists()


def test_expired_page_leaves_a_trace(client, make_notice, head):
    from cms_home.models import Withdrawal

    notice = make_notice(title="公示期结束的通知", slug="ends", user=head)
    notice.expire_at = timezone.now() - dt.timedelta(minutes=1)
    notice.save(update_fields=["expire_at"])
    call_command("publish_scheduled")
    notice.refresh_from_db()
    assert not notice.live
    assert Withdrawal.objects.filter(page=notice).exists()
    response = client.get(notice.url or f"/liuxi/notices/{notice.slug}/")
    assert response.status_code == 410


def test_admin_names_people_by_their_name(client, village_page, clerk, head):
    """The approver's dashboard says who submitted by name, not by login name."""
    page = _draft(village_page, clerk)
    page.get_workflow().start(page, clerk)
    client.force_login(head)
    html = client.get("/cms/").content.decode()
    assert page.title in html
    assert clerk.name and clerk.name in html
    assert f">{clerk.username}<" not in html.replace(" ", "").replace("\n", "")
