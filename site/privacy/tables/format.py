"""Formatting shared by the tables: times in local time, names, common columns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy


def when(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def name(user) -> str:
    return user.display_name if user is not None else ""


def village(obj) -> str:
    return obj.village.name


def columns(*pairs: tuple[str, Any]) -> list[tuple[str, Any]]:
    return list(pairs)


VILLAGE = ("village", gettext_lazy("Village"))
HOUSEHOLD = ("household", gettext_lazy("Household"))
