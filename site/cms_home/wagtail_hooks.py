"""Admin behaviour: an unpublished record keeps a public trace with a reason, and
a published record cannot be deleted (it must be withdrawn, which is visible)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from wagtail import hooks

from cms_home.models import PublishedVersion
from cms_home.records import PublicRecordMixin

REASON_FIELD = "withdrawal_reason"
REASON_MAX = 1000


def _is_record(page) -> bool:
    return issubclass(page.specific_class, PublicRecordMixin)


@hooks.register("before_serve_page", order=100)  # after Wagtail's view restrictions
def cache_public_pages(page, request, serve_args, serve_kwargs):
    from cms_home.cache import mark_cacheable
    from cms_home.models import PortalPage, VillagePage

    if isinstance(page, (PublicRecordMixin, PortalPage, VillagePage)) or hasattr(
        page, "withdrawals"
    ):
        mark_cacheable(request)


@hooks.register("before_unpublish_page")
def ask_for_a_reason(request, page):
    if request.method != "POST" or not _is_record(page):
        return None
    reason = request.POST.get(REASON_FIELD, "").strip()
    if reason and len(reason) <= REASON_MAX:
        request._withdrawal_reason = reason
        return None
    messages.error(
        request,
        _("Say why this page is taken down: the reason is shown to the public.")
        if not reason
        else _("The reason is too long (at most %(max)s characters).")
        % {"max": REASON_MAX},
    )
    return redirect(request.get_full_path())


@hooks.register("after_unpublish_page")
def record_the_withdrawal(request, page):
    reason = getattr(request, "_withdrawal_reason", None)
    if reason and _is_record(page):
        from cms_home.services import withdrawal_record

        withdrawal_record(page=page, reason=reason, by=request.user)


@hooks.register("before_delete_page")
def keep_published_records(request, page):
    # The page itself or anything under it (an index page, a whole village).
    if PublishedVersion.objects.filter(page__path__startswith=page.path).exists():
        messages.error(
            request,
            _(
                "A page that has been published cannot be deleted: unpublish it "
                "with a reason instead, so the public can see what happened."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


# -- one village never sees another's work in the admin (cms_home.admin_scope) ------
@hooks.register("construct_page_chooser_queryset")
def choose_pages_in_scope(pages, request):
    from cms_home.admin_scope import pages_in_scope

    return pages_in_scope(pages, request.user)


@hooks.register("construct_explorer_page_queryset")
def explore_pages_in_scope(parent_page, pages, request):
    from cms_home.admin_scope import pages_in_scope

    return pages_in_scope(pages, request.user)


@hooks.register("construct_image_chooser_queryset")
@hooks.register("construct_document_chooser_queryset")
def choose_media_in_scope(media, request):
    from cms_home.admin_scope import media_in_scope

    return media_in_scope(media, request.user)


@hooks.register("construct_admin_api", order=100)  # after images' and documents'
def admin_api_in_scope(router):
    from cms_home.admin_api import ScopedDocumentsAPIViewSet, ScopedImagesAPIViewSet

    router.register_endpoint("images", ScopedImagesAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAPIViewSet)


@hooks.register("construct_main_menu")
@hooks.register("construct_reports_menu")
@hooks.register("construct_settings_menu")
def hide_closed_views(request, menu_items):
    from cms_home.admin_scope import is_closed_for

    menu_items[:] = [
        item
        for item in menu_items
        if not (getattr(item, "url", None) and is_closed_for(request, item.url))
    ]
