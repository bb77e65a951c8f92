from django.core.paginator import Paginator
from django.shortcuts import render
from django.views import View

from villages.selectors import village_members
from villages.views import VillageMixin


class RosterView(VillageMixin, View):
    permission_required = "villages.view_roster"

    def get(self, request, village):
        page = Paginator(village_members(village=self.village), 100).get_page(
            request.GET.get("page")
        )
        return render(request, "roster/list.html", self.get_context_data(page=page))
