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
