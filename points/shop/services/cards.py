"""Household cards (户卡) for households without a smartphone.

The card carries a QR link with a long random token (only its hash kept); the
household member types a PIN (hashed like a password) at the counter. A lost card
cannot be emptied: wrong PINs lock it after the village's limit, and a card spends
at most the village's daily cap.
"""

from __future__ import annotations

import re

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from points.shop.errors import ShopError
from points.shop.models import HouseholdCard, Shop, Voucher
from points.shop.services import tokens
from points.shop.services.vouchers import shop_settings, voucher_create, voucher_redeem

PIN_RE = re.compile(r"^\d{4,6}$")
WEAK_PINS = {"0000", "1111", "1234", "123456", "000000", "111111", "4321", "654321"}


def pin_check_format(pin: str) -> str:
    pin = (pin or "").strip()
    if not PIN_RE.match(pin):
        raise ShopError(_("The PIN must be 4 to 6 digits."))
    if pin in WEAK_PINS or len(set(pin)) == 1:
        raise ShopError(_("This PIN is too easy to guess. Choose another."))
    return pin


@transaction.atomic
def card_issue(*, household, pin: str, by) -> tuple[HouseholdCard, str]:
    """A new card for the household (any earlier card stops working). Returns the
    token for printing; it is not kept."""
    pin = pin_check_format(pin)
    now = timezone.now()
    revoked = HouseholdCard.objects.filter(
        household=household, revoked_at__isnull=True
    ).update(revoked_at=now)
    token, digest = tokens.new_token()
    card = HouseholdCard.objects.create(
        village_id=household.village_id,
        household=household,
        token_hash=digest,
        pin_hash=make_password(pin),
        issued_by=by,
    )
    audit_log(
        actor=by,
        action="shop.card_issue",
        village=household.village,
        target=card,
        after={"household": household.number, "earlier cards revoked": revoked},
    )
    return card, token


@transaction.atomic
def card_revoke(*, household, by) -> int:
    revoked = HouseholdCard.objects.filter(
        household=household, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if revoked:
        audit_log(
            actor=by,
            action="shop.card_revoke",
            village=household.village,
            after={"household": household.number},
        )
    return revoked


def card_by_token(*, token: str, village) -> HouseholdCard | None:
    if not tokens.well_formed(token):
        return None
    return (
        HouseholdCard.objects.select_related("household", "village")
        .filter(
            token_hash=tokens.token_hash(token),
            village=village,
            revoked_at__isnull=True,
        )
        .first()
    )


def _pin_verify(*, card: HouseholdCard, pin: str, by) -> None:
    """Check the PIN in a transaction of its own, so a wrong PIN is counted even
    though the redemption that asked for it is refused."""
    config = shop_settings(card.village)
    with transaction.atomic():
        locked = HouseholdCard.objects.select_for_update().get(pk=card.pk)
        if locked.revoked_at is not None:
            raise ShopError(_("This card is no longer valid."))
        if locked.locked_at is not None:
            raise ShopError(
                _("This card is locked after too many wrong PINs. Ask the committee.")
            )
        if check_password((pin or "").strip(), locked.pin_hash):
            if locked.failed_attempts:
                locked.failed_attempts = 0
                locked.save(update_fields=["failed_attempts"])
            return
        locked.failed_attempts += 1
        left = config.card_pin_attempts - locked.failed_attempts
        if left <= 0:
            locked.locked_at = timezone.now()
            audit_log(
                actor=by,
                action="shop.card_locked",
                village=card.village,
                target=locked,
                after={"household": card.household.number},
            )
        locked.save(update_fields=["failed_attempts", "locked_at"])
    if left <= 0:
        raise ShopError(
            _("Wrong PIN. The card is now locked; the committee can issue a new one.")
        )
    raise ShopError(_("Wrong PIN. %(left)d tries left.") % {"left": left})


def card_redeem(*, card: HouseholdCard, shop: Shop, pin: str, items, by) -> Voucher:
    """At the counter with a card: the PIN, then take and redeem in one go."""
    if card.village_id != shop.village_id:
        raise ShopError(_("This card is not valid in this village."))
    _pin_verify(card=card, pin=pin, by=by)
    with transaction.atomic():
        voucher, _token = voucher_create(
            household=card.household, shop=shop, items=items, by=by, card=card
        )
        return voucher_redeem(voucher=voucher, shop=shop, by=by)
