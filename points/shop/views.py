"""The shop's pages. Thin: parse, check the permission (VillageMixin and
django-rules), call a service, render. Every refusal is a message and a 4xx."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from points.services.errors import PointsError
from points.shop import selectors
from points.shop.errors import ShopError
from points.shop.exports import statement_workbook
from points.shop.forms import (
    CardIssueForm,
    CodeForm,
    ProductForm,
    SettingsForm,
    SettleForm,
    ShopForm,
    StockForm,
)
from points.shop.models import Product, Shop, Voucher
from points.shop.qr import qr_svg
from points.shop.services import cards, catalogue, tokens
from points.shop.services import settlement as settle_service
from points.shop.services import vouchers as voucher_service
from spreadsheets.exports import XLSX_TYPE, download
from villages.models import Household
from villages.views import VillageMixin


def _errors(error: PointsError) -> list[str]:
    return [str(m) for m in error.messages]


def _no_store(response: HttpResponse) -> HttpResponse:
    # Pages that show a live QR token stay out of every cache.
    response["Cache-Control"] = "no-store, private"
    return response


def _items(post) -> dict[str, str]:
    return {
        key[4:]: value or "0"
        for key, value in post.items()
        if key.startswith("qty-") and key[4:].isdigit()
    }


def _month(request) -> dt.date:
    text = request.GET.get("month") or request.POST.get("month") or ""
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


class ShopMixin(VillageMixin):
    permission_required = "shop.view_shop"

    def get_shop(self, slug: str) -> Shop:
        return get_object_or_404(
            Shop.objects.select_related("village"), village=self.village, slug=slug
        )

    def require_keeper(self, shop: Shop) -> None:
        if not self.request.user.has_perm("shop.keep_shop", shop):
            raise PermissionDenied

    def household(self) -> Household | None:
        return self.membership.household if self.membership else None


# -- villagers --------------------------------------------------------------------


class ShopHomeView(ShopMixin, View):
    def get(self, request, village):
        household = self.household()
        context = self.get_context_data(
            shops=selectors.shops_of(self.village).filter(is_active=True),
            wallet=selectors.household_wallet(household) if household else None,
            kept=list(selectors.shops_kept_by(request.user, self.village)),
        )
        return render(request, "shop/home.html", context)


class ShopView(ShopMixin, View):
    def get(self, request, village, shop):
        return self.render_shop(self.get_shop(shop))

    def render_shop(self, shop, errors=(), status=200, chosen=None):
        household = self.household()
        today = timezone.localdate()
        products = list(shop.products.filter(is_active=True))
        used = (
            selectors.used_by_product(household=household, products=products, day=today)
            if household
            else {}
        )
        rows = [
            {
                "product": p,
                "left": (
                    max(p.limit_quantity - used.get(p.pk, 0), 0)
                    if p.limit_quantity is not None
                    else None
                ),
                "open_today": p.open_on(today),
                "chosen": (chosen or {}).get(str(p.pk), ""),
            }
            for p in products
        ]
        context = self.get_context_data(
            shop=shop,
            rows=rows,
            errors=errors,
            wallet=selectors.household_wallet(household) if household else None,
            can_take=bool(household) and shop.is_active,
        )
        return render(self.request, "shop/shop.html", context, status=status)


class VoucherTakeView(ShopView):
    permission_required = "shop.take_voucher"

    def get(self, request, village, shop):
        return redirect("shop:shop", village=village, shop=shop)

    def post(self, request, village, shop):
        shop_obj = self.get_shop(shop)
        items = _items(request.POST)
        try:
            voucher, _token = voucher_service.voucher_create(
                household=self.household(), shop=shop_obj, items=items, by=request.user
            )
        except ShopError as error:
            return self.render_shop(shop_obj, _errors(error), 400, items)
        messages.success(request, _("Your voucher is ready. Show it at the shop."))
        return redirect("shop:voucher", village=village, pk=voucher.pk)


class MyVouchersView(ShopMixin, View):
    permission_required = "shop.take_voucher"

    def get(self, request, village):
        household = self.household()
        context = self.get_context_data(
            vouchers=selectors.vouchers_of(household), household=household
        )
        return render(request, "shop/vouchers.html", context)


class VoucherView(ShopMixin, View):
    """The household's own voucher: a fresh QR token every time it is shown (only
    the hash is kept, so an old picture of the code stops working), the numeric
    code, and the receipt once spent."""

    permission_required = "shop.take_voucher"

    def get_voucher(self, pk) -> Voucher:
        household = self.household()
        voucher = (
            Voucher.objects.select_related("shop", "household", "village")
            .filter(pk=pk, village=self.village, household=household)
            .first()
        )
        if voucher is None:
            raise Http404
        return voucher

    def get(self, request, village, pk):
        voucher = voucher_service.voucher_expire_if_due(self.get_voucher(pk))
        qr = link = None
        if voucher.status == Voucher.Status.ACTIVE:
            token, digest = tokens.new_token()
            Voucher.objects.filter(pk=voucher.pk, status=Voucher.Status.ACTIVE).update(
                token_hash=digest
            )
            link = settings.SITE_URL + reverse(
                "shop:confirm",
                kwargs={
                    "village": self.village.slug,
                    "shop": voucher.shop.slug,
                    "token": token,
                },
            )
            qr = qr_svg(link, _("Voucher QR code"))
        context = self.get_context_data(
            voucher=voucher,
            lines=list(voucher.lines.select_related("product")),
            qr=qr,
            link=link,
        )
        return _no_store(render(request, "shop/voucher.html", context))


class VoucherCancelView(VoucherView):
    def get(self, request, village, pk):
        return redirect("shop:voucher", village=village, pk=pk)

    def post(self, request, village, pk):
        voucher = self.get_voucher(pk)
        try:
            voucher_service.voucher_cancel(voucher=voucher, by=request.user)
        except ShopError as error:
            for message in _errors(error):
                messages.error(request, message)
            return redirect("shop:voucher", village=village, pk=pk)
        messages.success(request, _("The voucher is cancelled; its points are free."))
        return redirect("shop:vouchers", village=village)


# -- the counter --------------------------------------------------------------------


class CounterView(ShopMixin, View):
    """The shopkeeper's page: the in-page scanner, the code box, today's redemptions."""

    permission_required = "shop.counter"

    def render_counter(self, shop, form=None, status=200, errors=()):
        today = timezone.localdate()
        done = (
            Voucher.objects.filter(
                shop=shop,
                status=Voucher.Status.SPENT,
                ended_at__gte=timezone.make_aware(
                    dt.datetime.combine(today, dt.time.min)
                ),
            )
            .select_related("household")
            .order_by("-ended_at")[:50]
        )
        context = self.get_context_data(
            shop=shop, form=form or CodeForm(), done=list(done), errors=errors
        )
        return render(self.request, "shop/counter.html", context, status=status)

    def get(self, request, village, shop):
        shop_obj = self.get_shop(shop)
        self.require_keeper(shop_obj)
        return self.render_counter(shop_obj)

    def post(self, request, village, shop):
        """A typed numeric code: show the voucher for confirming."""
        shop_obj = self.get_shop(shop)
        self.require_keeper(shop_obj)
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.render_counter(shop_obj, form, 400)
        try:
            voucher = voucher_service.voucher_by_code(
                shop=shop_obj, code=form.cleaned_data["code"], user=request.user
            )
        except ShopError as error:
            return self.render_counter(shop_obj, form, 400, _errors(error))
        voucher = voucher_service.voucher_expire_if_due(voucher)
        return _no_store(
            render_confirm(self, shop_obj, voucher, code=voucher.code, token="")
        )


TICKET_SALT = "shop.confirm"
TICKET_AGE = 15 * 60


def _ticket(user, shop, voucher) -> str:
    """Proof that this shopkeeper scanned this voucher at this shop a moment ago.
    The confirm button carries it, so the villager's page showing a fresh QR code
    meanwhile (which retires the scanned token) does not undo the scan."""
    return signing.dumps([voucher.pk, shop.pk, user.pk], salt=TICKET_SALT)


def _from_ticket(request, shop) -> Voucher | None:
    try:
        pk, shop_pk, user_pk = signing.loads(
            request.POST.get("ticket", ""), salt=TICKET_SALT, max_age=TICKET_AGE
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if shop_pk != shop.pk or user_pk != request.user.pk:
        return None
    return Voucher.objects.filter(pk=pk, shop=shop).first()


def render_confirm(view, shop, voucher, *, code="", token="", errors=(), status=200):
    context = view.get_context_data(
        shop=shop,
        voucher=voucher,
        lines=list(voucher.lines.select_related("product")),
        code=code,
        token=token,
        ticket=_ticket(view.request.user, shop, voucher) if token else "",
        errors=errors,
        already=(
            voucher_service.already_redeemed_message(voucher)
            if voucher.status == Voucher.Status.SPENT
            else ""
        ),
    )
    return render(view.request, "shop/confirm.html", context, status=status)


class ConfirmView(ShopMixin, View):
    """Where the voucher's QR code leads. A shopkeeper of the shop sees household,
    goods and state and confirms; anyone else learns only that this is a voucher."""

    def not_for_you(self, shop, status=403):
        context = self.get_context_data(shop=shop)
        return render(self.request, "shop/not_for_you.html", context, status=status)

    def find(self, shop, token) -> Voucher | None:
        voucher = voucher_service.voucher_by_token(token=token)
        if voucher is None or voucher.village_id != self.village.pk:
            return None
        return voucher

    def checked(self, request, shop, token):
        """The voucher, or the answer that refuses it without showing anything."""
        shop_obj = self.get_shop(shop)
        if not request.user.has_perm("shop.keep_shop", shop_obj):
            return shop_obj, None, self.not_for_you(shop_obj)
        voucher = self.find(shop_obj, token)
        if voucher is None:
            message = _("This voucher code is not valid.")
            return shop_obj, None, self.refused(shop_obj, message, 404)
        if voucher.shop_id != shop_obj.pk:
            message = _("This voucher is for another shop: %(shop)s.") % {
                "shop": voucher.shop.name
            }
            return shop_obj, None, self.refused(shop_obj, message, 400)
        return shop_obj, voucher, None

    def get(self, request, village, shop, token):
        shop_obj, voucher, refusal = self.checked(request, shop, token)
        if refusal:
            return refusal
        voucher = voucher_service.voucher_expire_if_due(voucher)
        return _no_store(render_confirm(self, shop_obj, voucher, token=token))

    def refused(self, shop, message, status):
        context = self.get_context_data(shop=shop, errors=[message])
        return render(self.request, "shop/refused.html", context, status=status)

    def post(self, request, village, shop, token):
        shop_obj = self.get_shop(shop)
        ticketed = (
            _from_ticket(request, shop_obj)
            if request.user.has_perm("shop.keep_shop", shop_obj)
            else None
        )
        if ticketed is not None:
            return redeem_and_answer(self, shop_obj, ticketed, token=token)
        shop_obj, voucher, refusal = self.checked(request, shop, token)
        if refusal:
            return refusal
        return redeem_and_answer(self, shop_obj, voucher, token=token)


def redeem_and_answer(view, shop, voucher, *, token="", code=""):
    request = view.request
    try:
        voucher_service.voucher_redeem(voucher=voucher, shop=shop, by=request.user)
    except ShopError as error:
        voucher.refresh_from_db()
        status = 409 if voucher.status == Voucher.Status.SPENT else 400
        return render_confirm(
            view,
            shop,
            voucher,
            token=token,
            code=code,
            errors=_errors(error),
            status=status,
        )
    messages.success(request, _("Redeemed. Hand over the goods."))
    return redirect(
        "shop:receipt", village=view.village.slug, shop=shop.slug, pk=voucher.pk
    )


class CodeRedeemView(ShopMixin, View):
    permission_required = "shop.counter"

    def get(self, request, village, shop):
        return redirect("shop:counter", village=village, shop=shop)

    def post(self, request, village, shop):
        shop_obj = self.get_shop(shop)
        self.require_keeper(shop_obj)
        code = request.POST.get("code", "")
        pk = str(request.POST.get("voucher", ""))
        try:
            # The confirm form names the voucher it showed, so a voucher spent by
            # another phone a moment ago is named as such, not "no such code".
            voucher = voucher_service.voucher_by_code(
                shop=shop_obj, code=code, user=request.user, pk=pk
            )
        except ShopError as error:
            return CounterView.render_counter(
                self, shop_obj, CodeForm(request.POST), 400, _errors(error)
            )
        return redeem_and_answer(self, shop_obj, voucher, code=voucher.code)


class ReceiptView(ShopMixin, View):
    permission_required = "shop.counter"

    def get(self, request, village, shop, pk):
        shop_obj = self.get_shop(shop)
        self.require_keeper(shop_obj)
        voucher = get_object_or_404(
            Voucher.objects.select_related(
                "household", "redeemed_by", "ledger_transaction"
            ),
            pk=pk,
            shop=shop_obj,
            status=Voucher.Status.SPENT,
        )
        context = self.get_context_data(
            shop=shop_obj,
            voucher=voucher,
            lines=list(voucher.lines.select_related("product")),
        )
        return render(request, "shop/receipt.html", context)


# -- household cards -----------------------------------------------------------------


class CardUseView(ShopMixin, View):
    """Where a household card's QR code leads: the shopkeeper picks the goods and
    the household member types the PIN."""

    def setup_card(self, request, token):
        kept = list(selectors.shops_kept_by(request.user, self.village))
        card = cards.card_by_token(token=token, village=self.village)
        return kept, card

    def render_card(self, kept, card, shop, errors=(), status=200, chosen=None):
        products = list(shop.products.filter(is_active=True)) if shop else []
        context = self.get_context_data(
            card=card,
            kept=kept,
            shop=shop,
            products=products,
            chosen=chosen or {},
            errors=errors,
            wallet=selectors.household_wallet(card.household),
        )
        return _no_store(
            render(self.request, "shop/card_use.html", context, status=status)
        )

    def pick_shop(self, request, kept):
        slug = request.POST.get("shop") or request.GET.get("shop")
        for shop in kept:
            if shop.slug == slug:
                return shop
        return kept[0] if len(kept) == 1 else None

    def get(self, request, village, token):
        kept, card = self.setup_card(request, token)
        if not kept:
            context = self.get_context_data(card_page=True)
            return render(request, "shop/not_for_you.html", context, status=403)
        if card is None:
            context = self.get_context_data(
                errors=[_("This household card is not valid (replaced or unknown).")]
            )
            return render(request, "shop/refused.html", context, status=404)
        return self.render_card(kept, card, self.pick_shop(request, kept))

    def post(self, request, village, token):
        kept, card = self.setup_card(request, token)
        if not kept:
            context = self.get_context_data(card_page=True)
            return render(request, "shop/not_for_you.html", context, status=403)
        if card is None:
            context = self.get_context_data(
                errors=[_("This household card is not valid (replaced or unknown).")]
            )
            return render(request, "shop/refused.html", context, status=404)
        shop = self.pick_shop(request, kept)
        if shop is None:
            return self.render_card(kept, card, None, [_("Choose your shop.")], 400)
        items = _items(request.POST)
        try:
            voucher = cards.card_redeem(
                card=card,
                shop=shop,
                pin=request.POST.get("pin", ""),
                items=items,
                by=request.user,
            )
        except ShopError as error:
            return self.render_card(kept, card, shop, _errors(error), 400, items)
        messages.success(request, _("Redeemed. Hand over the goods."))
        return redirect("shop:receipt", village=village, shop=shop.slug, pk=voucher.pk)


# -- statements ----------------------------------------------------------------------


class StatementMixin(ShopMixin):
    def get_statement_shop(self, slug):
        shop = self.get_shop(slug)
        user = self.request.user
        if not (
            user.has_perm("shop.view_statements", self.village)
            or user.has_perm("shop.keep_shop", shop)
        ):
            raise PermissionDenied
        return shop


class StatementsView(ShopMixin, View):
    permission_required = "shop.view_statements"

    def get(self, request, village):
        month = _month(request)
        context = self.get_context_data(
            month=month,
            rows=selectors.statements_for_month(village=self.village, month=month),
            previous=(month - dt.timedelta(days=1)).replace(day=1),
            following=(month + dt.timedelta(days=32)).replace(day=1),
        )
        return render(request, "shop/statements.html", context)


class StatementView(StatementMixin, View):
    template = "shop/statement.html"

    def get(self, request, village, shop):
        shop_obj = self.get_statement_shop(shop)
        return self.render_statement(shop_obj, _month(request))

    def render_statement(self, shop, month, form=None, errors=(), status=200):
        current = selectors.statement(shop=shop, month=month)
        context = self.get_context_data(
            shop=shop,
            statement=current,
            month=month,
            form=form or SettleForm(),
            errors=errors,
            can_settle=self.request.user.has_perm("shop.manage", self.village)
            and current.settlement is None,
            previous=(month - dt.timedelta(days=1)).replace(day=1),
            following=(month + dt.timedelta(days=32)).replace(day=1),
        )
        return render(self.request, self.template, context, status=status)


class StatementPrintView(StatementView):
    template = "shop/statement_print.html"


class StatementExcelView(StatementMixin, View):
    def get(self, request, village, shop):
        shop_obj = self.get_statement_shop(shop)
        current = selectors.statement(shop=shop_obj, month=_month(request))
        return download(
            statement_workbook(current),
            filename=f"statement-{shop_obj.slug}-{current.first:%Y-%m}.xlsx",
            content_type=XLSX_TYPE,
        )


class StatementSettleView(StatementView):
    permission_required = "shop.manage"

    def post(self, request, village, shop):
        shop_obj = self.get_shop(shop)
        month = _month(request)
        form = SettleForm(request.POST)
        if not form.is_valid():
            return self.render_statement(shop_obj, month, form, status=400)
        try:
            settle_service.statement_settle(
                shop=shop_obj,
                month=month,
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ShopError as error:
            return self.render_statement(shop_obj, month, form, _errors(error), 400)
        messages.success(request, _("The statement is marked as settled."))
        return redirect(
            reverse("shop:statement", kwargs={"village": village, "shop": shop})
            + f"?month={month:%Y-%m}"
        )


# -- the committee -------------------------------------------------------------------


class ManageView(ShopMixin, View):
    permission_required = "shop.manage"

    def get(self, request, village, form=None, status=200):
        config = voucher_service.shop_settings(self.village)
        context = self.get_context_data(
            form=form or SettingsForm(instance=config),
            shops=selectors.shops_of(self.village).prefetch_related("products"),
        )
        return render(request, "shop/manage.html", context, status=status)

    def post(self, request, village):
        config = voucher_service.shop_settings(self.village)
        form = SettingsForm(request.POST, instance=config)
        if not form.is_valid():
            return self.get(request, village, form, 400)
        catalogue.settings_save(
            village=self.village, data=form.cleaned_data, by=request.user
        )
        messages.success(request, _("Shop settings saved."))
        return redirect("shop:manage", village=village)


class ShopEditView(ShopMixin, View):
    permission_required = "shop.manage"

    def instance(self, shop):
        return self.get_shop(shop) if shop else None

    def render_form(self, form, shop, status=200):
        context = self.get_context_data(form=form, shop=shop)
        return render(self.request, "shop/shop_form.html", context, status=status)

    def get(self, request, village, shop=None):
        instance = self.instance(shop)
        return self.render_form(
            ShopForm(instance=instance, village=self.village), instance
        )

    def post(self, request, village, shop=None):
        instance = self.instance(shop)
        form = ShopForm(request.POST, instance=instance, village=self.village)
        if not form.is_valid():
            return self.render_form(form, instance, 400)
        data = {k: v for k, v in form.cleaned_data.items() if k != "shopkeepers"}
        saved = catalogue.shop_save(
            village=self.village,
            shop=instance,
            data=data,
            shopkeepers=list(form.cleaned_data["shopkeepers"]),
            by=request.user,
        )
        messages.success(request, _("Shop saved."))
        return redirect("shop:shop", village=village, shop=saved.slug)


class ProductEditView(ShopMixin, View):
    permission_required = "shop.manage"

    def objects(self, shop, pk):
        shop_obj = self.get_shop(shop)
        product = get_object_or_404(Product, pk=pk, shop=shop_obj) if pk else None
        return shop_obj, product

    def render_form(self, form, shop, product, errors=(), status=200):
        context = self.get_context_data(
            form=form,
            shop=shop,
            product=product,
            stock_form=StockForm(),
            errors=errors,
        )
        return render(self.request, "shop/product_form.html", context, status=status)

    def get(self, request, village, shop, pk=None):
        shop_obj, product = self.objects(shop, pk)
        return self.render_form(ProductForm(instance=product), shop_obj, product)

    def post(self, request, village, shop, pk=None):
        shop_obj, product = self.objects(shop, pk)
        form = ProductForm(request.POST, request.FILES, instance=product)
        if not form.is_valid():
            return self.render_form(form, shop_obj, product, status=400)
        data = {
            k: v
            for k, v in form.cleaned_data.items()
            if k not in ("photo_upload", "stock")
        }
        try:
            saved = catalogue.product_save(
                shop=shop_obj,
                product=product,
                data=data,
                photo=form.cleaned_data.get("photo_upload"),
                by=request.user,
            )
            if product is None and form.cleaned_data.get("stock"):
                catalogue.stock_change(
                    product=saved,
                    delta=form.cleaned_data["stock"],
                    reason=_("Opening stock"),
                    by=request.user,
                )
        except ShopError as error:
            return self.render_form(form, shop_obj, product, _errors(error), 400)
        except PointsError as error:  # the photo
            return self.render_form(form, shop_obj, product, _errors(error), 400)
        messages.success(request, _("Product saved."))
        return redirect("shop:shop", village=village, shop=shop_obj.slug)


class StockChangeView(ProductEditView):
    def get(self, request, village, shop, pk=None):
        return redirect("shop:product_edit", village=village, shop=shop, pk=pk)

    def post(self, request, village, shop, pk=None):
        shop_obj, product = self.objects(shop, pk)
        form = StockForm(request.POST)
        errors = []
        if form.is_valid():
            try:
                catalogue.stock_change(
                    product=product,
                    delta=form.cleaned_data["delta"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ShopError as error:
                errors = _errors(error)
            else:
                messages.success(request, _("Stock changed."))
                return redirect("shop:product_edit", village=village, shop=shop, pk=pk)
        context = self.get_context_data(
            form=ProductForm(instance=product),
            shop=shop_obj,
            product=product,
            stock_form=form,
            errors=errors,
        )
        return render(request, "shop/product_form.html", context, status=400)


class CardsView(ShopMixin, View):
    permission_required = "shop.manage"

    def get(self, request, village):
        from django.db.models import Exists, OuterRef

        from points.shop.models import HouseholdCard

        live = HouseholdCard.objects.filter(
            household=OuterRef("pk"), revoked_at__isnull=True
        )
        households = (
            Household.objects.filter(village=self.village)
            .annotate(
                has_card=Exists(live),
                locked=Exists(live.filter(locked_at__isnull=False)),
            )
            .order_by("number")
        )
        context = self.get_context_data(households=households, form=CardIssueForm())
        return render(request, "shop/cards.html", context)


class CardIssueView(ShopMixin, View):
    permission_required = "shop.manage"
    # The card's link is shown once, on the page that answers the form; a
    # double tap gets "done once", not a second card (operations.submissions).
    answers_in_place = True

    def household_obj(self, pk):
        return get_object_or_404(Household, pk=pk, village=self.village)

    def get(self, request, village, pk):
        household = self.household_obj(pk)
        context = self.get_context_data(household=household, form=CardIssueForm())
        return render(request, "shop/card_issue.html", context)

    def post(self, request, village, pk):
        household = self.household_obj(pk)
        form = CardIssueForm(request.POST)
        errors = []
        if form.is_valid():
            try:
                card, token = cards.card_issue(
                    household=household, pin=form.cleaned_data["pin"], by=request.user
                )
            except ShopError as error:
                errors = _errors(error)
            else:
                link = settings.SITE_URL + reverse(
                    "shop:card", kwargs={"village": village, "token": token}
                )
                context = self.get_context_data(
                    household=household,
                    card=card,
                    link=link,
                    qr=qr_svg(link, _("Household card QR code")),
                )
                return _no_store(render(request, "shop/card_print.html", context))
        context = self.get_context_data(household=household, form=form, errors=errors)
        return render(request, "shop/card_issue.html", context, status=400)


class CardRevokeView(CardIssueView):
    def get(self, request, village, pk):
        return redirect("shop:cards", village=village)

    def post(self, request, village, pk):
        household = self.household_obj(pk)
        cards.card_revoke(household=household, by=request.user)
        messages.success(request, _("The card no longer works."))
        return redirect("shop:cards", village=village)
