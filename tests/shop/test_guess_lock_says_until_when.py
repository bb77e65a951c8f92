"""The shop counter's lock on guessed codes says until when, and that is true: the
window is fixed, so "wait 15 minutes" was wrong for a lock that began at :14."""

from datetime import datetime
from types import SimpleNamespace
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from points.shop.errors import ShopError
from points.shop.services.vouchers import voucher_by_code, voucher_create

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_lock_names_the_minute_it_ends(rich, shop, oil, shopkeeper, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    voucher, _ = voucher_create(household=rich, shop=shop, items={oil.pk: 1}, by=None)
    wrong = "000000" if voucher.code != "000000" else "111111"
    moment = SimpleNamespace(now=datetime(2026, 5, 6, 10, 7, tzinfo=SHANGHAI))
    clock = SimpleNamespace(time=lambda: moment.now.timestamp())
    with mock.patch("points.shop.services.ratelimit.time", clock):
        for _ in range(10):
            with pytest.raises(ShopError, match="No voucher"):
                voucher_by_code(shop=shop, code=wrong, user=shopkeeper)
        with pytest.raises(ShopError) as refused:
            voucher_by_code(shop=shop, code=voucher.code, user=shopkeeper)
        assert "Try again at 10:15" in str(refused.value)
        assert "15 minutes" not in str(refused.value)

        moment.now = datetime(2026, 5, 6, 10, 14, 59, tzinfo=SHANGHAI)
        with pytest.raises(ShopError, match="Try again at 10:15"):
            voucher_by_code(shop=shop, code=voucher.code, user=shopkeeper)
        moment.now = datetime(2026, 5, 6, 10, 15, tzinfo=SHANGHAI)
        assert voucher_by_code(shop=shop, code=voucher.code, user=shopkeeper) == voucher
