"""The shop's refusals: each carries a message people can read; nothing was written."""

from points.services.errors import PointsError


class ShopError(PointsError):
    """A request the shop refuses."""


class AlreadyRedeemed(ShopError):
    """The voucher was spent before this request got to it."""
