"""What every public record (a notice, a disclosure, a finance report) can do:
show its publication history, print on A4, make a poster with a QR code, and be
found by Chinese words."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.html import strip_tags

from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.search import index

from cms_home.qr import qr_svg
from villages.i18n import render_in_village_language


def changes_between(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """("removed" | "added", line) for every line that differs, in reading order."""
    import difflib

    changes = []
    for line in difflib.ndiff(old, new):
        if line.startswith("- "):
            changes.append(("removed", line[2:]))
        elif line.startswith("+ "):
            changes.append(("added", line[2:]))
    return changes


class PublicRecordMixin(RoutablePageMixin):
    """Mix into a Page. Subclasses set ``content_template``: the partial with the
    record's own content, shared by the page, its print view and earlier versions."""

    content_template = ""
    search_fields_extra = [index.SearchField("search_words")]

    @cached_property
    def village_page(self):
        from cms_home.models import VillagePage

        return (
            VillagePage.objects.ancestor_of(self)
            .select_related("village", "village__area")
            .first()
        )

    @property
    def village(self):
        return self.village_page.village if self.village_page else None

    def summary_text(self) -> str:
        return ""

    def record_lines(self) -> list[str]:
        """The record as lines of plain text, to show what changed between versions."""
        lines = [self.title, *self.summary_text().splitlines()]
        return [line.strip() for line in lines if line.strip()]

    def content_context(self) -> dict:
        """Context that ``content_template`` needs, computed from this version."""
        return {}

    def search_text(self) -> str:
        return f"{self.title} {self.summary_text()}"

    def search_words(self) -> str:
        from cms_home.search import segment

        return segment(self.search_text())

    @staticmethod
    def _plain(value) -> str:
        return strip_tags(str(value)) if value else ""

    def public_url(self, request) -> str:
        # The address the visitor reached us at (checked against ALLOWED_HOSTS),
        # so the QR code opens the page the same way the printer saw it.
        return request.build_absolute_uri(self.get_url(request))

    def published_versions(self):
        from cms_home.models import PublishedVersion

        return list(
            PublishedVersion.objects.filter(page_id=self.pk).only(
                "pk", "published_at", "title", "revision_id", "page_id"
            )
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        versions = self.published_versions()
        context.update(
            village_page=self.village_page,
            village=self.village,
            versions=versions,
            earlier_versions=versions[1:],
            viewing_version=None,
            live_url=self.get_url(request),
        )
        context.update(self.content_context())
        return context

    @path("")
    def current(self, request):
        return self.render(request)

    @path("print/")
    def print_view(self, request):
        return self._for_the_board(request, "cms_home/print.html")

    @path("poster/")
    def poster(self, request):
        return self._for_the_board(request, "cms_home/poster.html")

    def _for_the_board(self, request, template: str):
        """Paper for the notice board: in the village's language, not the
        visitor's (villages.i18n)."""

        def make():
            context = self.get_context(request)
            context["page_url"] = self.public_url(request)
            context["qr"] = qr_svg(context["page_url"])
            return TemplateResponse(request, template, context)

        return render_in_village_language(self.village, make)

    @path("versions/<int:version_id>/")
    def earlier_version(self, request, version_id: int):
        context = self.get_context(request)
        versions = context["versions"]
        chosen = next((v for v in versions if v.pk == version_id), None)
        if chosen is None or chosen.revision_id is None:
            raise Http404
        from wagtail.models import Revision

        revision = get_object_or_404(Revision, pk=chosen.revision_id)
        old = revision.as_object()
        position = versions.index(chosen)
        context.update(old.content_context())
        context["changes"] = changes_between(old.record_lines(), self.record_lines())
        context.update(
            page=old,
            self=old,
            viewing_version=chosen,
            superseded_at=versions[position - 1].published_at if position else None,
        )
        return TemplateResponse(request, self.get_template(request), context)
