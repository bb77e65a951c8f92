"""The committee's side: settings, shops, products and stock. Each change is
audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_log
from points.images import photo_prepare
from points.shop.errors import ShopError
from points.shop.models import Product, Shop, ShopSettings


@transaction.atomic
def settings_save(*, village, data: dict, by) -> ShopSettings:
    config, _created = ShopSettings.objects.get_or_create(village=village)
    before = {k: str(getattr(config, k)) for k in data}
    for name, value in data.items():
        setattr(config, name, value)
    config.save()
    audit_log(
        actor=by,
        action="shop.settings_save",
        village=village,
        target=config,
        before=before,
        after={k: str(v) for k, v in data.items()},
    )
    return config


@transaction.atomic
def shop_save(*, village, shop: Shop | None, data: dict, shopkeepers, by) -> Shop:
    shop = shop or Shop(village=village)
    for name, value in data.items():
        setattr(shop, name, value)
    shop.save()
    shop.shopkeepers.set(shopkeepers)
    audit_log(
        actor=by,
        action="shop.shop_save",
        village=village,
        target=shop,
        after={**data, "shopkeepers": [str(u) for u in shopkeepers]},
    )
    return shop


@transaction.atomic
def product_save(
    *, shop: Shop, product: Product | None, data: dict, photo=None, by
) -> Product:
    """Create or change a product. Stock is changed by ``stock_change`` only."""
    checked = photo_prepare(photo) if photo else None
    product = product or Product(shop=shop)
    for name, value in data.items():
        setattr(product, name, value)
    if checked is not None:
        product.photo.save(checked.file.name, checked.file, save=False)
    product.save()
    audit_log(
        actor=by,
        action="shop.product_save",
        village=shop.village,
        target=product,
        after={k: str(v) for k, v in data.items()},
    )
    return product


@transaction.atomic
def stock_change(*, product: Product, delta: int, reason: str, by) -> Product:
    """Goods arrive (+) or are written off (−). Never below what vouchers hold."""
    locked = Product.objects.select_for_update().get(pk=product.pk)
    if not delta:
        raise ShopError(_("The change must not be zero."))
    if locked.stock + delta < locked.held:
        raise ShopError(
            _("Stock cannot fall below %(held)d: living vouchers hold that many.")
            % {"held": locked.held}
        )
    before = locked.stock
    locked.stock += delta
    locked.save(update_fields=["stock"])
    audit_log(
        actor=by,
        action="shop.stock_change",
        village=locked.shop.village,
        target=locked,
        before={"stock": before},
        after={"stock": locked.stock, "change": delta},
        note=reason,
    )
    return locked
