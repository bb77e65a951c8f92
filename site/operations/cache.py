"""The shared cache: Redis, and the database cache while Redis does not answer.

Reading must go on when Redis stops: the public page caches, Wagtail and the rate
limits all read the cache on the way to a page. So every call that finds Redis
down (connection refused, or no answer within half a second) goes to the fallback
cache (the database cache, table ``xiangyue_cache``) instead, logs once, and for
``RETRY_AFTER`` seconds goes there directly, without knocking; then Redis is tried
again, and once it answers, it is used again, with no restart.

Rate limits stay fail-closed without locking everybody out: while Redis is down
their counts are kept in the database cache, which every process shares too. A
villager sees nothing, except that the counts of wrong attempts made just before
the failure are forgotten (a guesser wins at most one more window). If the database
is down as well, the page answers 503 (config.errors), never an unlimited attempt.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)
# Per process and per Redis address, shared by the cache objects of every thread.
_down_until: dict[str, float] = {}

CALLS = (
    "add", "get", "set", "touch", "delete", "get_many", "has_key", "incr",
    "set_many", "delete_many", "clear",
)  # fmt: skip


class FailoverRedisCache(RedisCache):
    """OPTIONS: ``FALLBACK`` (a cache alias, default "fallback"), ``RETRY_AFTER``
    (seconds, default 5), and redis-py's own, with short socket timeouts."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.fallback_alias = options.pop("FALLBACK", "fallback")
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, {**params, "OPTIONS": options})
        self._address = server if isinstance(server, str) else ",".join(server)

    @property
    def degraded(self) -> bool:
        """True while this process sends the cache's work to the fallback."""
        return self._address in _down_until

    def _redis_down(self, error: Exception) -> None:
        if self._address not in _down_until:
            logger.warning(
                "Redis does not answer (%s): using the database cache; "
                "trying Redis again every %.0f s",
                error.__class__.__name__,
                self.retry_after,
            )
        _down_until[self._address] = time.monotonic() + self.retry_after

    def _redis_back(self) -> None:
        if _down_until.pop(self._address, None) is not None:
            logger.warning("Redis answers again: the cache is back on Redis")


def _failover(name):
    redis_method = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        until = _down_until.get(self._address)
        if until is None or time.monotonic() >= until:
            try:
                result = redis_method(self, *args, **kwargs)
            except REDIS_DOWN as error:
                self._redis_down(error)
            else:
                if until is not None:
                    self._redis_back()
                return result
        return getattr(caches[self.fallback_alias], name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = redis_method.__doc__
    return method


for _name in CALLS:
    setattr(FailoverRedisCache, _name, _failover(_name))
