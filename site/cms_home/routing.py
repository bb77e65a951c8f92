"""Index pages keep answering at a withdrawn page's address, with the reason."""

from __future__ import annotations

from django.http import Http404
from django.template.response import TemplateResponse

from wagtail.url_routing import RouteResult


class WithdrawalTraceMixin:
    """Mix into an index Page whose children may be unpublished."""

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components:
                raise
            from cms_home.models import Withdrawal

            withdrawal = (
                Withdrawal.objects.filter(parent_id=self.pk, slug=path_components[0])
                .select_related("village")
                .first()
            )
            if withdrawal is None:
                raise
            return RouteResult(self, kwargs={"withdrawal": withdrawal})

    def serve(self, request, *args, withdrawal=None, **kwargs):
        if withdrawal is None:
            return super().serve(request, *args, **kwargs)
        context = self.get_context(request)
        context["withdrawal"] = withdrawal
        return TemplateResponse(request, "cms_home/withdrawn.html", context, status=410)

    def withdrawals(self):
        from cms_home.models import Withdrawal

        return list(
            Withdrawal.objects.filter(parent_id=self.pk)
            .exclude(page__live=True)
            .only("pk", "title", "reason", "withdrawn_at", "slug", "parent_id")[:20]
        )
