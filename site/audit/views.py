from django.core.paginator import Paginator
from django.shortcuts import render
from django.views import View

from audit.selectors import audit_entries_for_village
from villages.views import VillageMixin


class AuditLogView(VillageMixin, View):
    permission_required = "audit.view_log"

    def get(self, request, village):
        entries = audit_entries_for_village(village=self.village)
        page = Paginator(entries, 50).get_page(request.GET.get("page"))
        return render(request, "audit/log.html", self.get_context_data(page=page))
