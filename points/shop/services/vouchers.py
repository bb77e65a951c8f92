"""Vouchers: take (hold points and stock), redeem (one ledger transaction), cancel
and expire (release what was held).

Locks are always taken in one order — voucher, the household's hold row, products
by id, then (inside the ledger) the chain head and accounts — so two requests never
wait on each other in a circle. The hold row serialises everything one household
does in the shop, which makes the balance, limit and card-cap checks race-free;
the product rows do the same for stock. Constraints in the database back each check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import audit_log
from notifications.models import Kind
from notifications.services import notify
from points.services.errors import PointsError
from points.shop import ledger
from points.shop.errors import AlreadyRedeemed, ShopError
from points.shop.models import (
    HouseholdCard,
    HouseholdHold,
    Product,
    Shop,
    ShopSettings,
    Voucher,
    VoucherLine,
)
from points.shop.services import ratelimit, tokens
from points.shop.services.periods import end_of_day, period_start, start_of

MAX_QUANTITY = 99
MAX_ID = 2**63 - 1  # the largest primary key a database column holds
LIVE = (Voucher.Status.ACTIVE, Voucher.Status.SPENT)


def shop_settings(village) -> ShopSettings:
    found = ShopSettings.objects.filter(village=village).first()
    return found or ShopSettings(village=village)


def _hold_for_update(household) -> HouseholdHold:
    hold = HouseholdHold.objects.select_for_update().filter(household=household).first()
    if hold is not None:
        return hold
    try:
        with transaction.atomic():
            HouseholdHold.objects.create(
                household=household, village_id=household.village_id
            )
    except IntegrityError:
        pass  # made by a request at the same moment
    return HouseholdHold.objects.select_for_update().get(household=household)


def _lock_products(ids: Iterable[int]) -> dict[int, Product]:
    return {
        p.pk: p
        for p in Product.objects.select_for_update()
        .filter(pk__in=sorted(set(ids)))
        .order_by("pk")
    }


def _release(voucher: Voucher, status: str, now: dt.datetime) -> None:
    """Give back what a living voucher holds. The voucher row is locked."""
    lines = list(voucher.lines.all())
    hold = _hold_for_update(voucher.household)
    products = _lock_products(line.product_id for line in lines)
    for line in lines:
        product = products[line.product_id]
        product.held -= line.quantity
        product.save(update_fields=["held"])
    hold.held -= voucher.points
    hold.save(update_fields=["held"])
    voucher.status = status
    voucher.ended_at = now
    voucher.save(update_fields=["status", "ended_at"])


def _expire_due(household, now: dt.datetime) -> None:
    """Release the household's vouchers whose time is up (lazy expiry). Called with
    its hold row locked; vouchers another request has locked are left to it."""
    due = (
        Voucher.objects.select_for_update(skip_locked=True)
        .filter(household=household, status=Voucher.Status.ACTIVE, expires_at__lt=now)
        .select_related("household")
    )
    for voucher in due:
        _release(voucher, Voucher.Status.EXPIRED, now)


def used_in_period(*, household, product, day: dt.date) -> int:
    """How many of the product the household took in the limit period of ``day``."""
    since = start_of(period_start(day, product.limit_period))
    return (
        VoucherLine.objects.filter(
            product=product,
            voucher__household=household,
            voucher__status__in=LIVE,
            voucher__created_at__gte=since,
        ).aggregate(n=Sum("quantity"))["n"]
        or 0
    )


def card_spent_today(*, household, now: dt.datetime) -> int:
    return (
        Voucher.objects.filter(
            household=household,
            card__isnull=False,
            status__in=LIVE,
            created_at__gte=start_of(timezone.localtime(now).date()),
        ).aggregate(n=Sum("points"))["n"]
        or 0
    )


def _parse_items(items) -> dict[int, int]:
    wanted: dict[int, int] = {}
    for product_id, quantity in dict(items).items():
        try:
            product_id, quantity = int(product_id), int(quantity)
        except (TypeError, ValueError) as error:
            raise ShopError(_("Choose how many of each.")) from error
        if not 0 < product_id <= MAX_ID:
            # No product has this id; beyond 64 bits SQLite cannot even look.
            raise ShopError(_("Some of these goods are not sold in this shop."))
        if quantity < 0 or quantity > MAX_QUANTITY:
            raise ShopError(
                _("A quantity must be between 0 and %(max)d.") % {"max": MAX_QUANTITY}
            )
        if quantity:
            wanted[product_id] = quantity
    if not wanted:
        raise ShopError(_("Choose at least one item."))
    return wanted


@transaction.atomic
def voucher_create(
    *,
    household,
    shop: Shop,
    items,
    by,
    card: HouseholdCard | None = None,
    now: dt.datetime | None = None,
) -> tuple[Voucher, str]:
    """Hold the household's points and the shop's stock for the chosen goods and
    return the voucher with its QR token (the only time the token exists)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if shop.village_id != household.village_id:
        raise ShopError(_("This shop is not in your village."))
    if not shop.is_active:
        raise ShopError(_("This shop is closed."))
    wanted = _parse_items(items)
    hold = _hold_for_update(household)
    _expire_due(household, now)
    hold.refresh_from_db(fields=["held"])  # expiry released some (row still ours)
    products = _lock_products(wanted)
    if set(products) != set(wanted) or any(
        p.shop_id != shop.pk for p in products.values()
    ):
        raise ShopError(_("Some of these goods are not sold in this shop."))
    total = 0
    for product_id, quantity in wanted.items():
        product = products[product_id]
        if not product.is_active:
            raise ShopError(
                _("%(product)s is no longer on sale.") % {"product": product.name}
            )
        if not product.open_on(today):
            raise ShopError(
                _("%(product)s cannot be redeemed today.") % {"product": product.name}
            )
        if product.available < quantity:
            raise ShopError(
                _("Only %(left)d of %(product)s left.")
                % {"left": max(product.available, 0), "product": product.name}
            )
        if product.limit_quantity is not None:
            used = used_in_period(household=household, product=product, day=today)
            if used + quantity > product.limit_quantity:
                raise ShopError(
                    _(
                        "Over the limit: your household may take %(limit)d of "
                        "%(product)s per %(period)s and has %(left)d left."
                    )
                    % {
                        "limit": product.limit_quantity,
                        "product": product.name,
                        "period": product.get_limit_period_display(),
                        "left": max(product.limit_quantity - used, 0),
                    }
                )
        total += product.points * quantity
    spendable = ledger.balance(household) - hold.held
    if total > spendable:
        raise ShopError(
            _("Not enough points: this needs %(need)d and %(have)d can be spent.")
            % {"need": total, "have": max(spendable, 0)}
        )
    config = shop_settings(household.village)
    if card is not None:
        spent = card_spent_today(household=household, now=now)
        if spent + total > config.card_daily_cap:
            raise ShopError(
                _(
                    "Over the card's daily limit of %(cap)d points "
                    "(%(left)d left today)."
                )
                % {
                    "cap": config.card_daily_cap,
                    "left": max(config.card_daily_cap - spent, 0),
                }
            )
    if config.voucher_hours:
        expires = now + dt.timedelta(hours=config.voucher_hours)
    else:
        expires = end_of_day(now)
    token, digest = tokens.new_token()
    voucher = None
    for _attempt in range(8):
        try:
            with transaction.atomic():
                voucher = Voucher.objects.create(
                    village_id=household.village_id,
                    shop=shop,
                    household=household,
                    token_hash=digest,
                    code=tokens.new_code(),
                    points=total,
                    created_at=now,
                    created_by=by if getattr(by, "is_authenticated", False) else None,
                    card=card,
                    expires_at=expires,
                )
            break
        except IntegrityError:
            continue  # the code is in use at this shop: draw another
    if voucher is None:
        raise ShopError(_("The shop is busy. Please try again."))
    VoucherLine.objects.bulk_create(
        [
            VoucherLine(
                voucher=voucher,
                product_id=product_id,
                quantity=quantity,
                points=products[product_id].points,
            )
            for product_id, quantity in wanted.items()
        ]
    )
    for product_id, quantity in wanted.items():
        product = products[product_id]
        product.held += quantity
        product.save(update_fields=["held"])
    hold.held += total
    hold.save(update_fields=["held"])
    return voucher, token


def voucher_expire_if_due(voucher: Voucher, now: dt.datetime | None = None) -> Voucher:
    """Lazy expiry on read: a voucher whose time is up releases what it held."""
    now = now or timezone.now()
    if voucher.status != Voucher.Status.ACTIVE or voucher.expires_at >= now:
        return voucher
    with transaction.atomic():
        locked = (
            Voucher.objects.select_for_update()
            .select_related("household")
            .get(pk=voucher.pk)
        )
        if locked.status == Voucher.Status.ACTIVE and locked.expires_at < now:
            _release(locked, Voucher.Status.EXPIRED, now)
    voucher.refresh_from_db()
    return voucher


def vouchers_expire(*, now: dt.datetime | None = None) -> int:
    """Release every voucher whose time is up (``manage.py expire_vouchers``)."""
    now = now or timezone.now()
    done = 0
    ids = list(
        Voucher.objects.filter(
            status=Voucher.Status.ACTIVE, expires_at__lt=now
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            voucher = (
                Voucher.objects.select_for_update(skip_locked=True)
                .select_related("household")
                .filter(pk=pk, status=Voucher.Status.ACTIVE, expires_at__lt=now)
                .first()
            )
            if voucher is not None:
                _release(voucher, Voucher.Status.EXPIRED, now)
                done += 1
    return done


@transaction.atomic
def voucher_cancel(*, voucher: Voucher, by) -> Voucher:
    locked = (
        Voucher.objects.select_for_update()
        .select_related("household")
        .get(pk=voucher.pk)
    )
    if locked.status != Voucher.Status.ACTIVE:
        raise ShopError(_("Only a voucher waiting to be redeemed can be cancelled."))
    _release(locked, Voucher.Status.CANCELLED, timezone.now())
    return locked


def voucher_by_token(*, token: str) -> Voucher | None:
    if not tokens.well_formed(token):
        return None
    return (
        Voucher.objects.select_related("shop", "household", "village")
        .filter(token_hash=tokens.token_hash(token))
        .first()
    )


def voucher_by_code(*, shop: Shop, code: str, user, pk: str = "") -> Voucher:
    """The living voucher with this numeric code at this shop (or, with ``pk``,
    that voucher in any state if the code is its own). Wrong guesses count against
    the person and the shop; too many and codes are refused for a while."""
    ratelimit.code_guess_check(shop=shop, user=user)
    clean = tokens.clean_code(code)
    voucher = None
    if clean:
        found = Voucher.objects.select_related("shop", "household", "village").filter(
            shop=shop, code=clean
        )
        if pk.isdigit():
            found = found.filter(pk=int(pk))
        else:
            found = found.filter(status=Voucher.Status.ACTIVE)
        voucher = found.first()
    if voucher is None:
        ratelimit.code_guess_failed(shop=shop, user=user)
        raise ShopError(
            _("No voucher waiting at this shop has this code. Check the 6 digits.")
        )
    return voucher


def already_redeemed_message(voucher: Voucher) -> str:
    return _("Already redeemed at %(time)s by %(shop)s.") % {
        "time": date_format(timezone.localtime(voucher.ended_at), "DATETIME_FORMAT"),
        "shop": voucher.shop.name,
    }


def _refuse_if_not_live(voucher: Voucher, now: dt.datetime) -> None:
    if voucher.status == Voucher.Status.SPENT:
        raise AlreadyRedeemed(already_redeemed_message(voucher))
    if voucher.status == Voucher.Status.CANCELLED:
        raise ShopError(_("This voucher was cancelled."))
    if voucher.status == Voucher.Status.EXPIRED or voucher.expires_at < now:
        raise ShopError(_("This voucher has expired."))


@transaction.atomic
def voucher_redeem(*, voucher: Voucher, shop: Shop, by) -> Voucher:
    """Confirm at the counter: points move household → shop in one ledger
    transaction, stock falls, the voucher is spent. Spent once, however many
    phones confirm it at the same moment."""
    now = timezone.now()
    locked = (
        Voucher.objects.select_for_update(of=("self",))
        .select_related("household", "village", "shop")
        .get(pk=voucher.pk)
    )
    if locked.village_id != shop.village_id:
        raise ShopError(_("This voucher is not valid in this village."))
    if locked.shop_id != shop.pk:
        raise ShopError(
            _("This voucher is for another shop: %(shop)s.")
            % {"shop": locked.shop.name}
        )
    _refuse_if_not_live(locked, now)
    lines = list(locked.lines.select_related("product"))
    today = timezone.localtime(now).date()
    for line in lines:
        if not line.product.open_on(today):
            raise ShopError(
                _("%(product)s cannot be redeemed today.")
                % {"product": line.product.name}
            )
    hold = _hold_for_update(locked.household)
    products = _lock_products(line.product_id for line in lines)
    try:
        tx = ledger.spend(
            household=locked.household,
            shop=shop,
            amount=locked.points,
            key=f"shop-voucher-{locked.pk}",
            by=by,
            memo=_("Voucher %(number)s at %(shop)s")
            % {"number": locked.pk, "shop": shop.name},
            receipt=ledger.receipt(
                voucher_id=locked.pk,
                lines=[(x.product_id, x.quantity, x.points) for x in lines],
            ),
        )
    except PointsError as error:
        if isinstance(error, ShopError):
            raise
        raise ShopError(
            _("The household no longer has enough points for this voucher.")
        ) from error
    for line in lines:
        product = products[line.product_id]
        product.stock -= line.quantity
        product.held -= line.quantity
        product.save(update_fields=["stock", "held"])
    hold.held -= locked.points
    hold.save(update_fields=["held"])
    locked.status = Voucher.Status.SPENT
    locked.ended_at = now
    locked.redeemed_by = by
    locked.ledger_transaction = tx
    locked.save(
        update_fields=["status", "ended_at", "redeemed_by", "ledger_transaction"]
    )
    audit_log(
        actor=by,
        action="shop.voucher_redeem",
        village=shop.village,
        target=locked,
        after={
            "shop": shop.name,
            "household": locked.household.number,
            "points": locked.points,
            "goods": [f"{line.product.name} × {line.quantity}" for line in lines],
            "ledger": tx.seq,
        },
    )
    # The receipt goes out after commit: the ledger's chain head stays locked for
    # no longer than the redemption itself needs.
    transaction.on_commit(lambda: _receipt(locked, shop, lines))
    return locked


def _receipt(voucher: Voucher, shop: Shop, lines) -> None:
    from villages.models import Membership

    goods = "、".join(f"{line.product.name} × {line.quantity}" for line in lines)
    people = [
        m.user
        for m in Membership.objects.active()
        .filter(household_id=voucher.household_id)
        .select_related("user")
    ]
    title = _("Redeemed %(points)d points at %(shop)s") % {
        "points": voucher.points,
        "shop": shop.name,
    }
    notify(
        recipients=people,
        kind=Kind.SHOP,
        title=title,
        body=goods,
        url=voucher.get_absolute_url(),
        village=shop.village,
    )
