"""Notices (通知公告): what the committee tells the village."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms_home.blocks import ContentBlocks, stream_lines, stream_text
from cms_home.records import PublicRecordMixin
from cms_home.routing import WithdrawalTraceMixin

PAGE_SIZE = 20


class NoticeIndexPage(WithdrawalTraceMixin, Page):
    """A village's notice board: every notice, newest first."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms_home.VillagePage"]
    subpage_types = ["notices.NoticePage"]
    max_count_per_parent = 1
    template = "notices/notice_index_page.html"

    class Meta:
        verbose_name = _("notice board")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        notices = (
            NoticePage.objects.child_of(self)
            .live()
            .only("id", "title", "slug", "url_path", "summary", "first_published_at")
            .order_by("-first_published_at", "-id")
        )
        context["notices"] = Paginator(notices, PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context["withdrawals"] = self.withdrawals()
        return context


class NoticePage(PublicRecordMixin, Page):
    """One notice (通知/公告)."""

    summary = models.TextField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences, shown in lists and on the poster."),
    )
    body = StreamField(ContentBlocks(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("search_words")]
    parent_page_types = ["notices.NoticeIndexPage"]
    subpage_types: list[str] = []
    template = "notices/notice_page.html"
    content_template = "notices/_content.html"

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def summary_text(self) -> str:
        return self.summary

    def search_text(self) -> str:
        return f"{self.title} {self.summary} {stream_text(self.body)}"

    def record_lines(self) -> list[str]:
        return [*super().record_lines(), *stream_lines(self.body)]
