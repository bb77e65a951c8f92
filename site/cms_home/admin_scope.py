"""One village never sees another's work in Wagtail's admin.

A village's committee reaches the admin through its village's groups, which hold
page permissions on the village's subtree and media permissions on its collection
(cms_home.provisioning). What a user may see in the admin is what those groups
cover: the subtrees (and the pages above them, the portal and the root, which are
the township's) and the collections. Superusers see everything.

Wagtail limits most of its admin to the user's permissions already. What it does
not limit is done here:
- ``admin_view_guard`` wraps every admin view (config/urls.py, as Wagtail wraps them
  with ``require_admin_access``): it refuses a village role the views in CLOSED,
  which show every village at once and cannot be narrowed, and any URL that names
  a page, image, document or collection outside the user's scope.
- the hooks in wagtail_hooks.py narrow the choosers, the explorer and the admin
  API to the scope, and take the closed views out of the menus.
"""

from __future__ import annotations

from functools import wraps

from django.db.models import Q, QuerySet
from django.urls import Resolver404, resolve

from wagtail.admin.auth import permission_denied
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

# Views that show every village at once and offer no way to narrow them to one.
CLOSED = {
    # The number of pages of each type in the whole tree and the newest of each:
    # another village's page counts and draft titles.
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
    # Their rows are the user's pages, but their filters list every village's
    # workflows and tasks by name.
    "wagtailadmin_reports:workflow",
    "wagtailadmin_reports:workflow_results",
    "wagtailadmin_reports:workflow_tasks",
    "wagtailadmin_reports:workflow_tasks_results",
    # Every village's approval tasks, for whoever builds workflows (the township).
    "wagtailadmin_workflows:task_chooser",
    "wagtailadmin_workflows:task_chooser_results",
    "wagtailadmin_workflows:task_chooser_create",
    "wagtailadmin_workflows:task_chosen",
    # Their form offers every village's groups; and a page made private is a
    # disclosure withdrawn without the public reason that unpublishing asks for.
    "wagtailadmin_pages:set_privacy",
    "wagtailadmin_collections:set_privacy",
    # Raises on purpose, to test error reporting: the operator's business.
    "wagtailadmin_error_test",
}

# Bulk actions closed to village roles: tags are the whole installation's
# (cms_home.image_forms).
CLOSED_BULK_ACTIONS = {"add_tags"}

PAGE, IMAGE, DOCUMENT, COLLECTION = "page", "image", "document", "collection"
# URL arguments that name an object, by name ("pk" by the view's namespace below).
BY_ARGUMENT = {
    "page_id": PAGE,
    "parent_page_id": PAGE,
    "page_to_move_id": PAGE,
    "destination_id": PAGE,
    "page_pk": PAGE,
    "image_id": IMAGE,
    "document_id": DOCUMENT,
    "doc_id": DOCUMENT,
    "collection_id": COLLECTION,
}
PK_BY_NAMESPACE = {
    "wagtailadmin_api:pages": PAGE,
    "wagtailadmin_api:images": IMAGE,
    "wagtailadmin_api:documents": DOCUMENT,
    "wagtailimages_chooser": IMAGE,
    "wagtaildocs_chooser": DOCUMENT,
    "wagtailadmin_collections": COLLECTION,
}
# Views that take the objects they show as ?id=…
IDS_IN_QUERY = {
    "wagtailadmin_choose_page_chosen_multiple": PAGE,
    "wagtailimages_chooser:chosen_multiple": IMAGE,
    "wagtaildocs_chooser:chosen_multiple": DOCUMENT,
}
BULK_MODELS = {
    ("wagtailcore", "page"): PAGE,
    ("wagtailimages", "image"): IMAGE,
    ("wagtaildocs", "document"): DOCUMENT,
}


def sees_every_village(user) -> bool:
    return user.is_superuser


def _cached(user, name: str, compute):
    # Asked many times in one request (a listing filters each row): kept on the
    # user object, which lives as long as the request, as Wagtail's policies do.
    attribute = f"_admin_scope_{name}"
    if not hasattr(user, attribute):
        setattr(user, attribute, compute())
    return getattr(user, attribute)


def page_roots(user) -> list[str]:
    """Tree paths of the pages the user's groups hold permissions on."""
    return _cached(
        user,
        "pages",
        lambda: sorted(
            set(
                GroupPagePermission.objects.filter(group__user=user).values_list(
                    "page__path", flat=True
                )
            )
        ),
    )


def collection_roots(user) -> list[str]:
    """Tree paths of the collections the user's groups hold permissions on."""
    return _cached(
        user,
        "collections",
        lambda: sorted(
            set(
                GroupCollectionPermission.objects.filter(group__user=user).values_list(
                    "collection__path", flat=True
                )
            )
        ),
    )


def _under(field: str, roots: list[str]) -> Q:
    q = Q(pk__in=[])
    for root in roots:
        q |= Q(**{f"{field}__startswith": root})
    return q


def pages_in_scope(queryset: QuerySet, user) -> QuerySet:
    """The pages of the user's subtrees, and the pages above them (the root and the
    portal, which belong to no village) so that a chooser can be walked down."""
    if sees_every_village(user):
        return queryset
    roots = page_roots(user)
    above = {
        root[:end]
        for root in roots
        for end in range(Page.steplen, len(root), Page.steplen)
    }
    return queryset.filter(_under("path", roots) | Q(path__in=above))


def collections_in_scope(user) -> list[int]:
    return _cached(
        user,
        "collection_ids",
        lambda: list(
            Collection.objects.filter(
                _under("path", collection_roots(user))
            ).values_list("pk", flat=True)
        ),
    )


def media_in_scope(queryset: QuerySet, user) -> QuerySet:
    """Images or documents in the user's collections (by id: a chooser's search
    can filter on the collection, not on its path)."""
    if sees_every_village(user):
        return queryset
    return queryset.filter(collection_id__in=collections_in_scope(user))


def _in_scope(user, kind: str, pk) -> bool:
    """Whether an object named in a URL is the user's to see; an object that does
    not exist is left to the view (it answers 404), an id that cannot exist is
    refused."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return True
    if not 0 < pk < 2**63:
        # Names no row; refused before Wagtail's views look it up, which SQLite
        # cannot do (OverflowError: a server error).
        return False
    if kind == PAGE:
        queryset = pages_in_scope(Page.objects.filter(pk=pk), user)
        return queryset.exists() or not Page.objects.filter(pk=pk).exists()
    if kind == COLLECTION:
        return pk in collections_in_scope(user) or not (
            Collection.objects.filter(pk=pk).exists()
        )
    if kind == IMAGE:
        from wagtail.images import get_image_model

        model = get_image_model()
    else:
        from wagtail.documents import get_document_model

        model = get_document_model()
    found = model.objects.filter(pk=pk)
    return media_in_scope(found, user).exists() or not found.exists()


def _named_objects(request, match) -> list[tuple[str, object]]:
    name = match.view_name
    named = [
        (BY_ARGUMENT[arg], value)
        for arg, value in match.kwargs.items()
        if arg in BY_ARGUMENT
    ]
    namespace = name.rsplit(":", 1)[0]
    if "pk" in match.kwargs and namespace in PK_BY_NAMESPACE:
        named.append((PK_BY_NAMESPACE[namespace], match.kwargs["pk"]))
    if name == "wagtailadmin_pages:revisions_compare":
        named.append((PAGE, match.args[0]))
    query = request.GET if request.method == "GET" else request.POST
    if name in IDS_IN_QUERY:
        named += [(IDS_IN_QUERY[name], pk) for pk in query.getlist("id")]
    if name == "wagtail_bulk_action":
        kind = BULK_MODELS.get((match.kwargs["app_label"], match.kwargs["model_name"]))
        ids = request.GET.getlist("id") + request.POST.getlist("id")
        if kind is not None:
            named += [(kind, pk) for pk in ids]
        if kind == PAGE and "childOf" in request.GET:
            named.append((PAGE, request.GET["childOf"]))
    return named


def admin_view_guard(view):
    """Refuse a village role the closed views and any URL that names another
    village's page, image, document or collection."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not sees_every_village(user):
            match = request.resolver_match
            closed = match.view_name in CLOSED or (
                match.view_name == "wagtail_bulk_action"
                and match.kwargs.get("action") in CLOSED_BULK_ACTIONS
            )
            if closed or not all(
                _in_scope(user, kind, pk) for kind, pk in _named_objects(request, match)
            ):
                return permission_denied(request)
        return view(request, *args, **kwargs)

    return guarded


def is_closed_for(request, url: str) -> bool:
    """Whether a menu item's URL leads to a view closed to this user."""
    if sees_every_village(request.user):
        return False
    try:
        return resolve(url.split("?")[0]).view_name in CLOSED
    except Resolver404:
        return False
