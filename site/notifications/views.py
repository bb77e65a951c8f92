from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.forms import InboxFilterForm, PreferencesForm
from notifications.selectors import inbox_for, preferences_for
from notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    preferences_save,
)

PAGE_SIZE = 30


def _back(request) -> HttpResponseRedirect:
    """Back to the page the form was on (a safe local address), else the inbox."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notifications:inbox")
    return HttpResponseRedirect(target)


@login_required
def inbox(request):
    filter_form = InboxFilterForm(request.GET)
    filters = filter_form.filters()
    notifications = inbox_for(user=request.user, **filters)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filter_form": filter_form,
        "filters": filters,
        "query": query.urlencode(),
    }
    return render(request, "notifications/inbox.html", context)


@require_POST
@login_required
def mark_read(request, pk: int):
    # Scoped to the owner's inbox: someone else's id is simply not found.
    notification = get_object_or_404(inbox_for(user=request.user), pk=pk)
    notification_mark_read(notification=notification)
    return _back(request)


@require_POST
@login_required
def mark_all_read(request):
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All messages are marked as read."))
    return _back(request)


@login_required
def preferences(request):
    current = preferences_for(user=request.user)
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, preferences=current)
    if request.method == "POST" and form.is_valid():
        preferences_save(user=request.user, choices=form.choices())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
