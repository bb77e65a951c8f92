"""Disclosure (村务公开, 党务公开, 财务公开): sections, pages and finance reports."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.documents import get_document_model_string
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms_home.blocks import stream_lines, stream_text
from cms_home.records import PublicRecordMixin
from cms_home.routing import WithdrawalTraceMixin
from disclosure.blocks import DisclosureBlocks
from disclosure.forms import FinanceReportForm

PAGE_SIZE = 20
MAX_AMOUNT = Decimal("100000000")  # 1亿元 in one row of a village's accounts: a typo


class Section(models.TextChoices):
    VILLAGE = "village", _("Village affairs")  # 村务公开
    PARTY = "party", _("Party affairs")  # 党务公开
    FINANCE = "finance", _("Finances")  # 财务公开


class DisclosureIndexPage(WithdrawalTraceMixin, Page):
    """One disclosure section of a village."""

    section = models.CharField(_("section"), max_length=10, choices=Section.choices)
    intro = models.TextField(_("introduction"), blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("section"), FieldPanel("intro")]
    parent_page_types = ["cms_home.VillagePage"]
    subpage_types = ["disclosure.DisclosurePage", "disclosure.FinanceReportPage"]
    template = "disclosure/disclosure_index_page.html"

    class Meta:
        verbose_name = _("disclosure section")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        parent = self.get_parent() if self.pk else None
        if parent is None:
            return
        clash = (
            DisclosureIndexPage.objects.child_of(parent)
            .filter(section=self.section)
            .exclude(pk=self.pk)
        )
        if clash.exists():
            raise ValidationError(
                {"section": _("This village already has a page for this section.")}
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        entries = (
            Page.objects.child_of(self)
            .live()
            .only("id", "title", "slug", "url_path", "first_published_at")
            .order_by("-first_published_at", "-id")
        )
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        context["entries"] = page
        context["withdrawals"] = self.withdrawals()
        if self.section == Section.FINANCE:
            # One line per report with its totals, to compare month with month.
            sums: dict[int, dict] = {}
            for report_id, direction, total in (
                FinanceRow.objects.filter(report_id__in=[p.pk for p in page])
                .values_list("report_id", "direction")
                .annotate(total=Sum("amount"))
                .values_list("report_id", "direction", "total")
            ):
                sums.setdefault(report_id, {})[direction] = total
            for entry in page:
                entry.totals = sums.get(entry.pk)
        return context


class DisclosurePage(PublicRecordMixin, Page):
    """A disclosure written as structured blocks (text, tables, 三资 registers, files)."""

    summary = models.TextField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences, shown in lists and on the poster."),
    )
    body = StreamField(DisclosureBlocks(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("search_words")]
    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types: list[str] = []
    template = "disclosure/disclosure_page.html"
    content_template = "disclosure/_content.html"

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")

    def summary_text(self) -> str:
        return self.summary

    def search_text(self) -> str:
        return f"{self.title} {self.summary} {stream_text(self.body)}"

    def record_lines(self) -> list[str]:
        return [*super().record_lines(), *stream_lines(self.body)]


class Direction(models.TextChoices):
    INCOME = "income", _("Income")
    EXPENDITURE = "expenditure", _("Expenditure")


class FinanceReportPage(PublicRecordMixin, Page):
    """A finance report (财务公开): rows typed once; every total is computed."""

    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    fund = models.CharField(
        _("fund"),
        max_length=60,
        help_text=_("Whose money, e.g. 村集体经济组织 or 上级专项补助资金."),
    )
    opening_balance = models.DecimalField(
        _("opening balance (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_AMOUNT * 10)],
    )
    summary = models.TextField(_("summary"), max_length=300, blank=True)
    attachment = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("signed report (scan)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    base_form_class = FinanceReportForm
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
                FieldPanel("fund"),
                FieldPanel("opening_balance"),
                FieldPanel("summary"),
                FieldPanel("attachment"),
            ],
            heading=_("Report"),
        ),
        InlinePanel(
            "rows",
            heading=_("Income and expenditure"),
            label=_("line of income or expenditure"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("search_words")]
    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types: list[str] = []
    template = "disclosure/finance_report_page.html"
    content_template = "disclosure/_finance.html"

    class Meta:
        verbose_name = _("finance report")
        verbose_name_plural = _("finance reports")

    def summary_text(self) -> str:
        return self.summary or f"{self.fund} {self.period_start} – {self.period_end}"

    def search_text(self) -> str:
        return f"{self.title} {self.fund} {self.summary}"

    def record_lines(self) -> list[str]:
        from cms_home.templatetags.cms_tags import yuan

        lines = [self.title, f"{self.fund} {self.period_start} – {self.period_end}"]
        totals = self.report()
        for row in [*totals.income_rows, *totals.expenditure_rows]:
            lines.append(
                f"{row.get_direction_display()} {row.date} {row.category} "
                f"{row.counterparty} {yuan(row.amount)} {row.voucher_no}".strip()
            )
        lines.append(f"{Direction.INCOME.label} {yuan(totals.income)}")
        lines.append(f"{Direction.EXPENDITURE.label} {yuan(totals.expenditure)}")
        return lines

    def report(self) -> FinanceTotals:
        return FinanceTotals.of(self)

    def content_context(self) -> dict:
        return {"report": self.report()}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.neighbours())
        return context

    def neighbours(self) -> dict:
        """The previous and next reports of the same fund, and the previous totals,
        so a villager can page through months and compare."""
        if not self.pk:
            return {}
        siblings = (
            FinanceReportPage.objects.sibling_of(self, inclusive=False)
            .live()
            .filter(fund=self.fund)
            .only("id", "title", "url_path", "period_start", "period_end", "fund")
        )
        earlier = siblings.filter(
            Q(period_start__lt=self.period_start)
            | Q(period_start=self.period_start, id__lt=self.id)
        ).order_by("-period_start", "-id")
        later = siblings.filter(
            Q(period_start__gt=self.period_start)
            | Q(period_start=self.period_start, id__gt=self.id)
        ).order_by("period_start", "id")
        previous, following = earlier.first(), later.first()
        compare = None
        if previous is not None:
            sums = dict(
                FinanceRow.objects.filter(report=previous)
                .values_list("direction")
                .annotate(total=Sum("amount"))
                .values_list("direction", "total")
            )
            compare = {
                "income": sums.get(Direction.INCOME, Decimal(0)),
                "expenditure": sums.get(Direction.EXPENDITURE, Decimal(0)),
            }
        return {"previous": previous, "following": following, "compare": compare}

    @path("export/csv/")
    def export_csv(self, request):
        from disclosure.exports import report_csv_response

        return report_csv_response(self)

    @path("export/xlsx/")
    def export_xlsx(self, request):
        from disclosure.exports import report_xlsx_response

        return report_xlsx_response(self)


class FinanceRow(Orderable):
    """One line of income or expenditure, as in the voucher book (凭证)."""

    report = ParentalKey(
        FinanceReportPage, on_delete=models.CASCADE, related_name="rows"
    )
    direction = models.CharField(
        _("income or expenditure"), max_length=12, choices=Direction.choices
    )
    date = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=40)
    counterparty = models.CharField(_("paid by or to"), max_length=80, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01"), _("An amount must be more than zero.")),
            MaxValueValidator(
                MAX_AMOUNT, _("This amount is too large: please check it.")
            ),
        ],
    )
    voucher_no = models.CharField(_("voucher number"), max_length=30, blank=True)
    attachment = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("attachment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("direction"), FieldPanel("date")]),
        FieldRowPanel([FieldPanel("category"), FieldPanel("amount")]),
        FieldRowPanel([FieldPanel("counterparty"), FieldPanel("voucher_no")]),
        FieldPanel("attachment"),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("finance row")
        verbose_name_plural = _("finance rows")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="disclosure_financerow_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.category} {self.amount}"


class FinanceTotals:
    """Subtotals by category and the totals of one report, computed from its rows."""

    def __init__(self, rows, opening_balance):
        self.income_rows = [r for r in rows if r.direction == Direction.INCOME]
        self.expenditure_rows = [
            r for r in rows if r.direction == Direction.EXPENDITURE
        ]
        self.income = sum((r.amount for r in self.income_rows), Decimal(0))
        self.expenditure = sum((r.amount for r in self.expenditure_rows), Decimal(0))
        self.income_by_category = self._by_category(self.income_rows)
        self.expenditure_by_category = self._by_category(self.expenditure_rows)
        self.opening_balance = opening_balance
        self.net = self.income - self.expenditure
        self.closing_balance = (
            opening_balance + self.net if opening_balance is not None else None
        )

    @property
    def sections(self) -> list[tuple]:
        """(heading, rows, subtotals by category, total) for income, then expenditure."""
        return [
            (
                Direction.INCOME.label,
                self.income_rows,
                self.income_by_category,
                self.income,
            ),
            (
                Direction.EXPENDITURE.label,
                self.expenditure_rows,
                self.expenditure_by_category,
                self.expenditure,
            ),
        ]

    @staticmethod
    def _by_category(rows) -> list[tuple[str, Decimal, int]]:
        sums: OrderedDict[str, list] = OrderedDict()
        for row in rows:
            entry = sums.setdefault(row.category, [Decimal(0), 0])
            entry[0] += row.amount
            entry[1] += 1
        return [(category, total, count) for category, (total, count) in sums.items()]

    @classmethod
    def of(cls, report: FinanceReportPage) -> FinanceTotals:
        rows = report.rows.all()
        if hasattr(rows, "select_related"):  # an earlier revision holds its rows
            rows = rows.select_related("attachment")  # in memory, without a query
        rows = sorted(rows, key=lambda r: (r.date, r.sort_order or 0, r.pk or 0))
        return cls(rows, report.opening_balance)
