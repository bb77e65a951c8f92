"""The page tree of the disclosure site and the public record of what it published.

PortalPage (the township or county, at the site root) → VillagePage (one per
village) → the notices and disclosure sections, which live in their own apps.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Collection, Page, Revision, Workflow

from villages.models import Area, Village


class PortalPage(Page):
    """The township's or county's front page: its villages and their latest notices."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Villages of this area (and the areas inside it) are listed."),
    )
    intro = models.TextField(_("introduction"), blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("area"), FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms_home.VillagePage"]
    template = "cms_home/portal_page.html"

    class Meta:
        verbose_name = _("portal page")

    def get_context(self, request, *args, **kwargs):
        from cms_home.selectors import portal_villages

        context = super().get_context(request, *args, **kwargs)
        context["entries"] = portal_villages(area=self.area, portal=self)
        return context


class VillagePage(RoutablePageMixin, Page):
    """A village's public home: notices, disclosure sections and the slots that the
    deliberation and points apps fill."""

    village = models.OneToOneField(
        Village,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="cms_page",
    )
    intro = models.TextField(_("introduction"), blank=True, max_length=500)

    # Set by the village service; a committee must not re-point its page elsewhere.
    content_panels = [
        *Page.content_panels,
        FieldPanel("village", read_only=True),
        FieldPanel("intro"),
    ]
    parent_page_types = ["cms_home.PortalPage"]
    subpage_types = ["notices.NoticeIndexPage", "disclosure.DisclosureIndexPage"]
    template = "cms_home/village_page.html"

    class Meta:
        verbose_name = _("village home page")

    def get_context(self, request, *args, **kwargs):
        from cms_home.selectors import village_home
        from cms_home.slots import home_slots

        context = super().get_context(request, *args, **kwargs)
        village = Village.objects.select_related("area").get(pk=self.village_id)
        context["village"] = village
        context["village_page"] = self
        context.update(village_home(village_page=self))
        context["slots"] = [
            (slot, slot.get_context(village=village, request=request))
            for slot in home_slots()
        ]
        return context

    @path("search/")
    def search(self, request):
        from cms_home.search import search_pages

        query = request.GET.get("q", "").strip()[:100]
        results = search_pages(query=query, within=self) if query else []
        return self.render(
            request,
            template="cms_home/search.html",
            context_overrides={"query": query, "results": results},
        )


class VillageCms(models.Model):
    """What the village creation service set up in Wagtail for one village: the
    groups its committee acts through, its media collection and approval workflow."""

    village = models.OneToOneField(
        Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="cms"
    )
    editors = models.OneToOneField(
        Group,
        verbose_name=_("editors (clerks)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approvers = models.OneToOneField(
        Group,
        verbose_name=_("approvers (committee head)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    collection = models.ForeignKey(
        Collection,
        verbose_name=_("media collection"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    workflow = models.ForeignKey(
        Workflow, verbose_name=_("workflow"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("village site set-up")
        verbose_name_plural = _("village site set-ups")

    def __str__(self) -> str:
        return str(self.village)


class PublishedVersion(models.Model):
    """One publication of a page. Written when Wagtail logs a publish, never edited:
    the public page lists them so a changed disclosure shows what it said before."""

    page = models.ForeignKey(
        Page,
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="published_versions",
    )
    revision = models.ForeignKey(
        Revision,
        verbose_name=_("revision"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=255)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["page", "-published_at"])]

    def __str__(self) -> str:
        return f"{self.title} @ {self.published_at:%Y-%m-%d %H:%M}"


class Withdrawal(models.Model):
    """A published page taken down. Its address keeps answering with this trace."""

    page = models.ForeignKey(
        Page,
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="withdrawals",
    )
    parent = models.ForeignKey(
        Page, verbose_name=_("listed under"), on_delete=models.CASCADE, related_name="+"
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    slug = models.SlugField(_("address"), max_length=255, allow_unicode=True)
    title = models.CharField(_("title"), max_length=255)
    reason = models.TextField(_("reason"), max_length=1000)
    withdrawn_at = models.DateTimeField(_("withdrawn"), default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["-withdrawn_at", "-pk"]
        indexes = [models.Index(fields=["parent", "slug"])]

    def __str__(self) -> str:
        return self.title
