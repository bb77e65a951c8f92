"""One village never sees another's unpublished work in the CMS (issue 14, point 6).

The other village (桃园村) gets drafts, a page in moderation, a locked page, a
scheduled page, a comment, images, documents, pending uploads, an editing session
and a redirect, each named with MARK. This village's clerk and its head
then ask every URL of Wagtail's admin — taken from the URLconf, so that a view
Wagtail adds later is asked too — bare, with queries that search for MARK or name
the other village's things, and with the other village's objects as its arguments.
No answer may hold MARK, the other village's name or slug, or a link to the admin
page of one of its objects; none may be a server error.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.contrib.settings.registry import registry as settings_registry

import pytest

from tests.cms_home.fixtures import body, child, publish
from tests.factories import UserFactory
from tests.permissions.crawler import Route, ask, routes

MARK = "zqxj"
OWN = "lxown"  # this village's own work, which its committee must still see
TAG = "qvtag"  # the other village's tags: see the last test
OTHER_NAME, OTHER_SLUG = "桃园村", "taoyuan"
# What the other village's work is named with: MARK followed by more of a name (a
# search for MARK alone is echoed back in its search box, which shows nothing).
PLANTED = re.compile(MARK + r"[\u4e00-\u9fff._-]")
ADMIN_ROUTES = [r for r in routes() if r.route.startswith("cms/")]

# Views not asked, and why asking them cannot show a village's work.
NOT_ASKED = {
    "wagtailadmin_login": "the door in: a form, nothing of a village",
    "wagtailadmin_logout": "ends the session (asked by the permission crawler)",
    "wagtailadmin_password_reset": "a form for an e-mail address",
    "wagtailadmin_password_reset_done": "a fixed message",
    "wagtailadmin_password_reset_confirm": "needs a token mailed to its owner",
    "wagtailadmin_password_reset_complete": "a fixed message",
    "wagtailadmin_sprite": "the icon sprite",
    "wagtailadmin_javascript_catalog": "the admin's translated JavaScript strings",
}


class World:
    """This village with its clerk and head, and the other village's planted work."""


@pytest.fixture
def world(village_page, other_village_page, clerk, head, other_committee):
    from django.contrib.auth.models import Group

    from wagtail.admin.models import EditingSession
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.log_actions import log
    from wagtail.models import Comment, UploadedFile

    from notices.models import NoticePage
    from tests.factories import MembershipFactory
    from villages.models import Membership
    from villages.services import (
        membership_set_cms_approver,
        membership_sync_cms_access,
    )

    w = World()
    w.clerk, w.head = clerk, head
    other = other_village_page.village
    membership_sync_cms_access(Membership.objects.get(user=other_committee))
    membership = MembershipFactory(village=other, is_committee=True)
    membership_sync_cms_access(membership)
    membership_set_cms_approver(membership=membership, approver=True)
    their_clerk, their_head = other_committee, membership.user
    w.their_head = their_head

    # This village's own work, so that every listing has rows to show.
    mine = publish(
        child(village_page, "notices"),
        NoticePage(title=f"{OWN}通知", slug="mine", body=body()),
        user=head,
    )
    w.mine = mine
    w.my_image = Image.objects.create(
        title=f"{OWN}照片",
        file=get_test_image_file(filename=f"{OWN}.png"),
        collection=village_page.village.cms.collection,
        uploaded_by_user=clerk,
    )
    w.my_document = Document.objects.create(
        title=f"{OWN}预算表",
        file=ContentFile(b"%PDF-1.4 budget", name=f"{OWN}.pdf"),
        collection=village_page.village.cms.collection,
        uploaded_by_user=clerk,
    )

    notices = child(other_village_page, "notices")

    def draft(title, slug, **kwargs):
        page = notices.add_child(
            instance=NoticePage(
                title=title,
                slug=slug,
                live=False,
                body=body(("paragraph", f"<p>{title}</p>")),
                **kwargs,
            )
        )
        log(instance=page, action="wagtail.create", user=their_clerk)
        page.save_revision(user=their_clerk, log_action=True)
        return page

    w.draft = draft(f"{MARK}未发布草稿", f"{MARK}-draft")
    moderated = publish(
        notices,
        NoticePage(title=f"{MARK}已公开通知", slug=f"{MARK}-live", body=body()),
        user=their_head,
    )
    moderated.title = f"{MARK}待审修改稿"
    w.revision = moderated.save_revision(user=their_clerk, log_action=True)
    moderated.get_workflow().start(moderated, their_clerk)
    moderated.refresh_from_db()
    w.moderated = moderated
    w.task_state = moderated.current_workflow_task_state
    w.workflow_state = moderated.current_workflow_state
    Comment.objects.create(
        page=moderated,
        user=their_clerk,
        text=f"{MARK}批注",
        contentpath="title",
        revision_created=w.revision,
    )
    locked = draft(f"{MARK}锁定页", f"{MARK}-locked")
    locked.locked, locked.locked_by = True, their_clerk
    locked.locked_at = timezone.now()
    locked.save(update_fields=["locked", "locked_by", "locked_at"])
    log(instance=locked, action="wagtail.lock", user=their_clerk)
    w.locked = locked
    scheduled = draft(
        f"{MARK}定时发布",
        f"{MARK}-scheduled",
        go_live_at=timezone.now() + dt.timedelta(days=3),
    )
    scheduled.get_latest_revision().publish(user=their_head)
    w.scheduled = scheduled
    w.their_home = other_village_page
    w.pages = [w.draft, w.moderated, w.locked, w.scheduled, other_village_page]

    cms = other.cms
    w.collection, w.workflow = cms.collection, cms.workflow
    w.task = cms.workflow.tasks.first()
    w.group = Group.objects.get(pk=cms.editors_id)
    w.their_clerk = their_clerk
    w.image = Image.objects.create(
        title=f"{MARK}照片",
        file=get_test_image_file(filename=f"{MARK}.png"),
        collection=cms.collection,
        uploaded_by_user=their_clerk,
    )
    w.image.tags.add(f"{TAG}标签")
    w.document = Document.objects.create(
        title=f"{MARK}预算表",
        file=ContentFile(b"%PDF-1.4 budget", name=f"{MARK}.pdf"),
        collection=cms.collection,
        uploaded_by_user=their_clerk,
    )
    w.document.tags.add(f"{TAG}文件标签")
    for media in (w.image, w.document):  # as the admin logs an upload
        log(instance=media, action="wagtail.create", user=their_clerk)
    w.uploads = [
        UploadedFile.objects.create(
            file=ContentFile(b"x", name=f"{MARK}-upload.{ext}"),
            for_content_type=ContentType.objects.get_for_model(model),
            uploaded_by_user=their_clerk,
        )
        for model, ext in ((Image, "png"), (Document, "pdf"))
    ]
    w.session = EditingSession.objects.create(
        user=their_clerk,
        content_type=ContentType.objects.get_for_model(moderated, False),
        object_id=str(moderated.pk),
        last_seen_at=timezone.now(),
        is_editing=True,
    )
    w.redirect = Redirect.objects.create(old_path=f"/{MARK}-old", redirect_page=w.draft)
    return w


# -- what to ask ----------------------------------------------------------------------
def _page_args(w, *names):
    # Theirs, and this village's notices (whose listings must not show theirs).
    return [dict.fromkeys(names, p.pk) for p in [*w.pages, w.mine.get_parent()]]


def _by_model(w, app_label, model_name):
    """The other village's objects of one model, for bulk actions."""
    objects = {
        ("wagtailcore", "page"): w.pages,
        ("wagtailimages", "image"): [w.image],
        ("wagtaildocs", "document"): [w.document],
        ("accounts", "user"): [w.their_clerk],
    }
    return objects.get((app_label, model_name), [])


def fillings(route: Route, w) -> list[dict]:
    """The arguments to ask a route with: the other village's objects."""
    key, args = route.key, set(route.arguments)
    if not args:
        return [{}]
    image, doc = w.image.pk, w.document.pk
    if key == "wagtailadmin_pages:revisions_compare":
        return [{"0": w.moderated.pk, "1": "earliest", "2": "latest"}]
    # Their object under their page, and under one of ours (the view must not
    # trust the page it was asked through).
    pages = (w.moderated.pk, w.mine.pk)
    if key in (
        "wagtailadmin_pages:revisions_view",
        "wagtailadmin_pages:revisions_revert",
    ):
        return [{"page_id": p, "revision_id": w.revision.pk} for p in pages]
    if key == "wagtailadmin_pages:revisions_unschedule":
        revision = w.scheduled.get_latest_revision()
        return [
            {"page_id": p, "revision_id": revision.pk}
            for p in (w.scheduled.pk, w.mine.pk)
        ]
    if "task_state_id" in args:
        return [
            {"page_id": p, "action_name": action, "task_state_id": w.task_state.pk}
            for p in pages
            for action in ("approve", "reject")
        ]
    if key == "wagtailadmin_pages:workflow_preview":
        return [{"page_id": p, "task_id": w.task.pk} for p in pages]
    if key == "wagtailadmin_pages:workflow_history_detail":
        return [{"page_id": p, "workflow_state_id": w.workflow_state.pk} for p in pages]
    if key == "wagtailadmin_pages:move_confirm":
        return [
            {"page_to_move_id": w.mine.pk, "destination_id": w.their_home.pk},
            {"page_to_move_id": w.draft.pk, "destination_id": w.mine.get_parent().pk},
        ]
    if args <= {"page_id", "parent_page_id", "page_to_move_id", "page_pk"}:
        return _page_args(w, *args)
    if "content_type_app_name" in args:
        extra = {"parent_page_id": w.their_home.pk} if "parent_page_id" in args else {}
        return [
            {"content_type_app_name": app, "content_type_model_name": model, **extra}
            for app, model in (("notices", "noticepage"), ("wagtailcore", "page"))
        ]
    if key == "wagtailadmin_pages:choose_parent":
        return [{"app_label": "notices", "model_name": "noticepage"}]
    if key == "wagtail_bulk_action":
        bulk_action_registry._scan_for_bulk_actions()
        return [
            {"app_label": app, "model_name": model, "action": action}
            for app, models in bulk_action_registry.actions.items()
            for model, actions in models.items()
            for action in actions
            if _by_model(w, app, model)
        ]
    if key == "wagtailadmin_tag_model_autocomplete":
        return [
            {"app_name": "wagtailimages", "model_name": "image"},
            {"app_name": "wagtaildocs", "model_name": "document"},
        ]
    if key == "wagtailadmin_editing_sessions:ping":
        return [
            {
                "app_label": "wagtailcore",
                "model_name": "page",
                "object_id": str(p),
                "session_id": w.session.pk,
            }
            for p in pages
        ]
    if key == "wagtailadmin_editing_sessions:release":
        return [{"session_id": w.session.pk}]
    if key == "wagtailadmin_workflows:remove":
        return [
            {"page_pk": p, "workflow_pk": w.workflow.pk}
            for p in (w.their_home.pk, w.mine.get_parent().get_parent().pk)
        ]
    if key == "wagtailadmin_workflows:add_task":
        return [{"app_label": "wagtailcore", "model_name": "groupapprovaltask"}]
    if key == "wagtailadmin_workflows:task_chosen":
        return [{"task_id": w.task.pk}]
    if key.startswith("wagtailsettings:"):
        return [
            {
                "app_name": model._meta.app_label,
                "model_name": model._meta.model_name,
                **({"pk": 1} if "pk" in args else {}),
            }
            for model in settings_registry
        ]
    if key == "wagtailimages:preview":
        return [{"image_id": image, "filter_spec": "original"}]
    if args <= {"image_id"}:
        return [{"image_id": image}]
    if args <= {"document_id"}:
        return [{"document_id": doc}]
    if args <= {"doc_id"}:
        return [{"doc_id": doc}]
    if args <= {"uploaded_file_id"}:
        return [{"uploaded_file_id": u.pk} for u in w.uploads]
    if args <= {"redirect_id"}:
        return [{"redirect_id": w.redirect.pk}]
    if args <= {"collection_id"}:
        return [{"collection_id": w.collection.pk}]
    if args <= {"pk"}:
        by_namespace = {
            "wagtailadmin_api:pages": [p.pk for p in w.pages],
            "wagtailadmin_api:images": [image],
            "wagtailadmin_api:documents": [doc],
            "wagtailimages_chooser": [image],
            "wagtaildocs_chooser": [doc],
            "wagtailadmin_collections": [w.collection.pk],
            "wagtailadmin_workflows": [w.task.pk if "task" in key else w.workflow.pk],
            "wagtailusers_users": [w.their_clerk.pk],
            "wagtailusers_groups": [w.group.pk],
            "wagtailsites": [w.their_home.get_site().pk],
        }
        prefix = key.rsplit(":", 1)[0]
        if prefix in by_namespace:
            return [{"pk": pk} for pk in by_namespace[prefix]]
    if key == "wagtailadmin_api:pages:action":
        return [
            {"pk": p.pk, "action_name": action}
            for p in w.pages
            for action in ("copy", "move", "publish", "unpublish")
        ]
    raise LookupError(f"no way to fill {key} ({route.route})")


def url_for(route: Route, kwargs: dict) -> str:
    if not route.name:
        # Wagtail's catch-all for admin URLs that do not exist.
        return "/" + route.route.replace("^.*/$", "no-such-admin-page/")
    positional = [kwargs[str(i)] for i in range(len(kwargs)) if str(i) in kwargs]
    if positional:
        return reverse(route.name, args=positional)
    return reverse(route.name, kwargs=kwargs)


def queries(route: Route, w, kwargs: dict) -> list[dict]:
    """Query strings to ask with besides none: searches for MARK, and filters and
    selections naming the other village's things."""
    ids = [p.pk for p in w.pages] + [w.image.pk, w.document.pk]
    found = [
        {"q": MARK},
        {"term": MARK},
        {"search": MARK},
        {"collection_id": w.collection.pk},
        {"id": ids},
        {"child_of": w.their_home.pk},
        {"descendant_of": w.their_home.pk},
        {"parent_page_id": w.their_home.pk},
        {"page_type": "notices.noticepage", "q": MARK},
        {"workflow": w.workflow.pk},
        {"locked_by": w.their_clerk.pk},
        {"user": w.their_clerk.pk},
        {"export": "csv"},
    ]
    if route.key == "wagtail_bulk_action":
        objects = _by_model(w, kwargs["app_label"], kwargs["model_name"])
        found = [{"id": [o.pk for o in objects]}]
        if kwargs["app_label"] == "wagtailcore":
            found.append({"id": "all", "childOf": w.their_home.pk})
    return found


def _unescape(text: str) -> str:
    """JSON answers spell Chinese as \\uXXXX."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)


def leaks(w, answer) -> list[str]:
    text = _unescape(answer.body + " " + answer.location)
    found = sorted(set(PLANTED.findall(text)))
    found += [name for name in (OTHER_NAME, OTHER_SLUG) if name in text]
    # A link in the body (a redirect back to the URL asked for shows nothing).
    text = _unescape(answer.body)
    links = [f"/cms/pages/{p.pk}/" for p in w.pages] + [
        f"/cms/images/{w.image.pk}/",
        f"/cms/documents/edit/{w.document.pk}/",
    ]
    found += [link for link in links if re.search(re.escape(link) + r"(?!\d)", text)]
    return found


def crawl(client, w) -> tuple[list[str], int]:
    found, asked = [], 0

    def check(method, url, data=None):
        nonlocal asked
        asked += 1
        answer = ask(client, method, url, data)
        where = f"{method.upper()} {url} {data or ''}".strip()
        if answer.status >= 500:
            found.append(f"server error: {where}: {answer}")
        leaked = leaks(w, answer)
        if leaked:
            found.append(f"shows {leaked}: {where} ({answer.status})")
        return answer

    for route in ADMIN_ROUTES:
        if route.key in NOT_ASKED:
            continue
        for kwargs in fillings(route, w):
            url = url_for(route, kwargs)
            method = "post" if route.key in READ_BY_POST else "get"
            answer = check(method, url)
            if route.key == "wagtail_bulk_action" or 200 <= answer.status < 300:
                for data in queries(route, w, kwargs):
                    check(method, url, data)
    return found, asked


# Views that answer a POST with what they read.
READ_BY_POST = {"wagtailadmin_editing_sessions:ping"}


# -- the tests --------------------------------------------------------------------------
def test_every_admin_url_is_asked_or_said_why_not(world):
    keys = {r.key for r in ADMIN_ROUTES}
    assert set(NOT_ASKED) <= keys
    unfilled = []
    for route in ADMIN_ROUTES:
        if route.key in NOT_ASKED:
            continue
        try:
            fillings(route, world)
        except LookupError as error:
            unfilled.append(str(error))
    assert not unfilled, "\n".join(unfilled)


@pytest.mark.parametrize("role", ["clerk", "head"])
def test_a_village_sees_nothing_of_another_in_the_admin(client, world, role):
    client.force_login(getattr(world, role))
    found, asked = crawl(client, world)
    assert asked > 300
    assert not found, f"{len(found)} of {asked} answers:\n" + "\n".join(found)


def test_a_village_still_sees_its_own_work(client, world):
    notices = world.mine.get_parent()
    client.force_login(world.clerk)
    for url in (
        reverse("wagtailadmin_explore", args=[notices.pk]),
        reverse("wagtailadmin_choose_page_child", args=[notices.pk]),
        reverse("wagtailadmin_pages:edit", args=[world.mine.pk]),
        reverse("wagtailimages:index"),
        reverse("wagtailimages_chooser:choose"),
        reverse("wagtailimages:edit", args=[world.my_image.pk]),
        reverse("wagtaildocs:index"),
        reverse("wagtaildocs_chooser:choose"),
        reverse("wagtailadmin_api:images:listing"),
        reverse("wagtailadmin_api:documents:listing"),
        reverse("wagtailadmin_reports:site_history"),
    ):
        answer = ask(client, "get", url)
        assert answer.status == 200, f"{url}: {answer}"
        assert OWN in _unescape(answer.body), url


CLOSED_URLS = [
    reverse("wagtailadmin_reports:page_types_usage"),
    reverse("wagtailadmin_reports:workflow"),
    reverse("wagtailadmin_reports:workflow_tasks"),
]


@pytest.mark.parametrize("role", ["clerk", "head"])
def test_views_closed_to_villages_are_gone_from_their_menus(client, world, role):
    client.force_login(getattr(world, role))
    menu = ask(client, "get", reverse("wagtailadmin_home")).body
    assert reverse("wagtailadmin_reports:site_history") in menu  # the menu is there
    for url in CLOSED_URLS:
        assert url not in menu
        answer = ask(client, "get", url)
        assert answer.status in (302, 403) and "/cms/" in (answer.location or "/cms/")


def test_superusers_keep_the_closed_views(client, world):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    menu = ask(client, "get", reverse("wagtailadmin_home")).body
    for url in CLOSED_URLS:
        assert url in menu
        assert ask(client, "get", url).status == 200
    usage = ask(client, "get", reverse("wagtailadmin_reports:page_types_usage"))
    assert PLANTED.search(usage.body)  # the whole installation, as before
    chooser = _unescape(
        ask(client, "get", reverse("wagtailimages_chooser:choose")).body
    )
    assert f"{MARK}照片" in chooser and f"{OWN}照片" in chooser


def test_a_village_committee_puts_no_tags_on_media(client, world):
    """Tags are the installation's: a committee cannot make them, so none of a
    village's tags reaches another (see the next test)."""
    image, document = world.my_image, world.my_document
    forms = [
        reverse("wagtailimages:edit", args=[image.pk]),
        reverse("wagtaildocs:edit", args=[document.pk]),
        reverse("wagtailimages:add"),
        reverse("wagtaildocs:add"),
    ]
    client.force_login(world.clerk)
    for url in forms:
        answer = ask(client, "get", url)
        assert answer.status == 200 and 'name="tags"' not in answer.body, url
    response = client.post(
        forms[0],
        {"title": image.title, "collection": image.collection_id, "tags": "低保户"},
    )
    assert response.status_code == 302 and not image.tags.exists()
    for model in ("wagtailimages/image", "wagtaildocs/document"):
        app, name = model.split("/")
        url = reverse("wagtail_bulk_action", args=[app, name, "add_tags"])
        pk = (image if app == "wagtailimages" else document).pk
        for method in ("get", "post"):
            answer = ask(client, method, f"{url}?id={pk}", {"tags": "低保户"})
            assert answer.status in (302, 403) and not answer.writes, url
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert 'name="tags"' in ask(client, "get", forms[0]).body


@pytest.mark.xfail(
    strict=True,
    reason="Wagtail's page listings (explorer, search, page type usage, forms) "
    "offer every page owner and editor of the installation as filter choices, and "
    "the site history every user of the log entries it may show; no hook narrows "
    "them.",
)
def test_a_village_sees_no_names_of_another_committee(client, world):
    for user in (world.their_clerk, world.their_head):
        user.name, user.username = f"{MARK}委员{user.pk}", f"{MARK}-{user.pk}"
        user.save(update_fields=["name", "username"])
    client.force_login(world.clerk)
    found = []
    for url in (
        reverse("wagtailadmin_explore", args=[world.mine.get_parent().pk]),
        reverse("wagtailadmin_pages:search") + "?q=x",
        reverse("wagtailadmin_reports:site_history"),
    ):
        answer = ask(client, "get", url)
        assert answer.status == 200, url
        if PLANTED.search(answer.body):
            found.append(url)
    assert not found, found


@pytest.mark.xfail(
    strict=True,
    reason="Wagtail keeps one tag vocabulary for the installation and shows its ten "
    "most used tags in the image and document listings' filters and the image "
    "chooser, and offers all of it to the tag autocomplete; no hook narrows them. "
    "Only superusers can make tags (the test above); these were planted.",
)
def test_a_village_sees_no_tags_of_another(client, world):
    client.force_login(world.clerk)
    for url in (
        reverse("wagtailimages:index"),
        reverse("wagtaildocs:index"),
        reverse("wagtailimages_chooser:choose"),
        reverse("wagtailadmin_tag_autocomplete") + f"?term={TAG}",
    ):
        assert TAG not in _unescape(ask(client, "get", url).body), url


def test_an_id_beyond_64_bits_is_no_server_error(client, world):
    """Refused before Wagtail's views look it up (SQLite raised OverflowError)."""
    huge = 2**64
    client.force_login(world.clerk)
    for url in (
        f"/cms/images/chooser/chosen-multiple/?id={huge}",
        f"/cms/choose-page/chosen-multiple/?id={huge}",
        f"/cms/bulk/wagtailcore/page/delete/?id={huge}",
        f"/cms/pages/{huge}/edit/",
        f"/cms/images/{huge}/",
    ):
        assert ask(client, "get", url).status < 500, url
