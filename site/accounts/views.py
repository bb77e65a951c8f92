from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from notifications.selectors import inbox_for
from villages.selectors import memberships_for_user


@login_required
def me(request):
    """A person's own page: their villages and roles, and their inbox."""
    context = {
        "memberships": memberships_for_user(user=request.user),
        "supervised_villages": None,
        "notifications": inbox_for(user=request.user)[:10],
    }
    return render(request, "accounts/me.html", context)
