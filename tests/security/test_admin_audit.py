"""Every privileged action in the Wagtail admin and the Django admin reaches our
audit log, with who did it and, where there is one, the village."""

from __future__ import annotations

from django.contrib.auth.models import Group

import pytest

from audit.actions import action_label
from audit.models import AuditEntry
from tests.cms_home.fixtures import *  # noqa: F403
from tests.cms_home.fixtures import child
from tests.factories import UserFactory


def mark() -> int:
    """The newest entry so far: what the fixtures' set-up recorded comes before."""
    last = AuditEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


def entries(action: str, since: int):
    return list(AuditEntry.objects.filter(action=action, pk__gt=since))


def only(action: str, since: int) -> AuditEntry:
    found = entries(action, since)
    assert len(found) == 1, (action, [e.action for e in entries_since(since)])
    return found[0]


def entries_since(since: int):
    return AuditEntry.objects.filter(pk__gt=since).order_by("pk")


def test_publishing_a_public_record_is_recorded_once(make_notice, head):
    since = mark()
    notice = make_notice(user=head)
    entry = only("page.publish", since)  # by cms_home.services, with the version
    assert entry.actor == head and entry.target_id == str(notice.pk)
    assert entries("cms.page.publish", since) == []


def test_publishing_and_unpublishing_another_page_is_recorded(village_page, head):
    since = mark()
    index = child(village_page, "notices")
    index.title = "通知公告（新）"
    index.save_revision(user=head).publish(user=head)
    entry = only("cms.page.publish", since)
    assert entry.actor == head and entry.village == village_page.village
    assert entry.target_type == "wagtailcore.Page" and entry.target_id == str(index.pk)
    index.unpublish(user=head)
    assert only("cms.page.unpublish", since).actor == head


def test_deleting_a_draft_in_the_admin_is_recorded(client, admin_user, village_page):
    since = mark()
    from notices.models import NoticePage

    index = child(village_page, "notices")
    draft = index.add_child(instance=NoticePage(title="草稿", slug="draft", live=False))
    client.force_login(admin_user)
    response = client.post(f"/cms/pages/{draft.pk}/delete/")
    assert response.status_code == 302
    assert not NoticePage.objects.filter(pk=draft.pk).exists()
    entry = only("cms.page.delete", since)
    assert entry.actor == admin_user and entry.target_repr == "草稿"
    assert entry.village == village_page.village  # read before the page went


def test_moving_a_page_in_the_admin_is_recorded(
    client, admin_user, village_page, other_village_page
):
    since = mark()
    from notices.models import NoticePage

    notices = child(village_page, "notices")
    draft = notices.add_child(
        instance=NoticePage(title="移动", slug="moved", live=False)
    )
    target = child(other_village_page, "notices")
    client.force_login(admin_user)
    response = client.post(f"/cms/pages/{draft.pk}/move/{target.pk}/confirm/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.get_parent().pk == target.pk
    assert only("cms.page.move", since).actor == admin_user


def test_workflow_approval_and_rejection_are_recorded(village_page, clerk, head):
    since = mark()
    from notices.models import NoticePage

    index = child(village_page, "notices")
    for slug, step in [("a", "approve"), ("r", "reject")]:
        page = index.add_child(instance=NoticePage(title=slug, slug=slug, live=False))
        page.save_revision(user=clerk)
        state = page.get_workflow().start(page, clerk)
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, head, step)
    approved = only("cms.page.workflow.approve", since)
    rejected = only("cms.page.workflow.reject", since)
    for entry in (approved, rejected):
        assert entry.actor == head and entry.village == village_page.village
    assert str(action_label("cms.page.workflow.reject")) != "cms.page.workflow.reject"


def test_user_and_group_changes_in_the_wagtail_admin_are_recorded(client, admin_user):
    since = mark()
    person = UserFactory(name="李四")
    group = Group.objects.create(name="临时组")
    client.force_login(admin_user)
    assert client.post(f"/cms/users/delete/{person.pk}/").status_code == 302
    assert client.post(f"/cms/groups/delete/{group.pk}/").status_code == 302
    deletions = AuditEntry.objects.filter(action="cms.object.delete", pk__gt=since)
    by_type = {e.target_type: e for e in deletions}
    assert set(by_type) == {"accounts.User", "auth.Group"} and len(deletions) == 2
    assert by_type["accounts.User"].target_id == str(person.pk)
    assert by_type["auth.Group"].target_repr == "临时组"
    assert all(e.actor == admin_user for e in deletions)


def test_document_changes_in_the_wagtail_admin_are_recorded_for_the_village(
    client, admin_user, site_village
):
    since = mark()
    from django.core.files.base import ContentFile

    from wagtail.documents import get_document_model

    from cms_home.models import VillageCms

    collection = VillageCms.objects.get(village=site_village).collection
    document = get_document_model().objects.create(
        title="预算表",
        file=ContentFile(b"%PDF-1.4", name="b.pdf"),
        collection=collection,
    )
    client.force_login(admin_user)
    response = client.post(f"/cms/documents/delete/{document.pk}/")
    assert response.status_code == 302
    entry = only("cms.object.delete", since)
    assert entry.actor == admin_user and entry.village == site_village
    assert entry.target_repr == "预算表"


def test_django_admin_add_change_delete_are_recorded(
    client, admin_user, village, english
):
    since = mark()
    from deliberation.models import DeliberationSettings

    client.force_login(admin_user)
    base = "/django-admin/deliberation/deliberationsettings/"
    fields = {
        "village": village.pk,
        "cosign_threshold": 12,
        "answer_days": 15,
        "report_threshold": 3,
        "secret_min_ballots": 10,
    }
    response = client.post(f"{base}add/", fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    settings_row = DeliberationSettings.objects.get(village=village)
    response = client.post(
        f"{base}{settings_row.pk}/change/", {**fields, "cosign_threshold": 8}
    )
    assert response.status_code == 302
    response = client.post(f"{base}{settings_row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    added, changed, deleted = (
        only("admin.add", since),
        only("admin.change", since),
        only("admin.delete", since),
    )
    for entry in (added, changed, deleted):
        assert entry.actor == admin_user
        assert entry.target_type == "deliberation.DeliberationSettings"
        assert entry.target_id == str(settings_row.pk)
    assert "co-signers needed" in changed.note.lower()
    assert added.note.startswith("Added")


@pytest.mark.parametrize(
    "code", ["cms.page.delete", "cms.object.edit", "admin.change", "cms.page.move"]
)
def test_bridged_actions_have_names_people_read(code):
    assert str(action_label(code)) != code
