"""Errors the points services raise: each carries a message people can read."""

from django.core.exceptions import ValidationError


class PointsError(ValidationError):
    """A request the rules refuse; nothing was written."""


class IdempotencyConflict(PointsError):
    """The same request key came back with a different request."""
