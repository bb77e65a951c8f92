from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views import View

from villages.access import membership_for
from villages.models import Village
from villages.selectors import areas_with_villages, villages_for_user


class VillageMixin(LoginRequiredMixin):
    """Resolves ``self.village`` from the URL and checks ``permission_required``
    against it. Every view of village data goes through here."""

    permission_required: str = "villages.view_village"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.village = get_object_or_404(
            Village.objects.select_related("area"), slug=kwargs["village"]
        )
        if not request.user.has_perm(self.permission_required, self.village):
            raise PermissionDenied
        self.membership = membership_for(request.user, self.village)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = {"village": self.village, "membership": self.membership}
        context.update(kwargs)
        return context


def portal(request):
    """The township's front door: its villages, and the visitor's own."""
    context = {
        "areas": areas_with_villages(),
        "my_villages": list(villages_for_user(user=request.user)),
    }
    return render(request, "villages/portal.html", context)


class VillageHomeView(VillageMixin, View):
    def get(self, request, village):
        return render(request, "villages/home.html", self.get_context_data())
