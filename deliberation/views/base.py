"""Shared view plumbing: the village, the object in it, refusing bad input."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.views import View

from deliberation.models import Comment, Topic, Vote
from villages.views import VillageMixin


def error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


class DeliberationView(VillageMixin, View):
    """Every page reads the village first (404/403 there), then its own object."""

    permission_required = "deliberation.view"
    object_permission: str | None = None

    def topic(self, pk) -> Topic:
        return get_object_or_404(
            Topic.objects.select_related("village"), village=self.village, pk=pk
        )

    def vote(self, pk) -> Vote:
        return get_object_or_404(
            Vote.objects.select_related(
                "village__deliberation_settings", "topic"
            ).prefetch_related("options"),
            village=self.village,
            pk=pk,
        )

    def comment(self, pk) -> Comment:
        return get_object_or_404(
            Comment.objects.select_related("topic__village", "author"),
            topic__village=self.village,
            pk=pk,
        )

    def require(self, perm: str, obj) -> None:
        if not self.request.user.has_perm(perm, obj):
            raise PermissionDenied

    def refuse(self, message: str, *, back: str = "", status: int = 400):
        return render(
            self.request,
            "deliberation/refused.html",
            self.get_context_data(message=message, back=back),
            status=status,
        )

    def form_page(self, template: str, status: int = 200, **context):
        return render(
            self.request, template, self.get_context_data(**context), status=status
        )
