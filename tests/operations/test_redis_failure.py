"""With Redis stopped, pages still answer (the cache falls back to the database
cache), rate limits keep counting there, the failure is logged once, and when
Redis comes back it is used again without a restart. A Redis server of the test's
own is stopped and started (tests/operations/servers.py)."""

import logging
import socket
import types

from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse

import pytest
import redis

from operations import cache as failover
from points.shop.errors import ShopError
from points.shop.services.ratelimit import code_guess_check, code_guess_failed
from tests.deliberation.factories import TopicFactory
from tests.operations.servers import OwnRedis, wait_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(settings, own_redis):
    failover._down_until.clear()
    settings.CACHES = {
        "default": {
            "BACKEND": "operations.cache.FailoverRedisCache",
            "LOCATION": own_redis.url,
            # Short, so that the test sees the retry; production waits 5 s.
            "OPTIONS": {"RETRY_AFTER": 0.3},
        },
        "fallback": settings.DATABASE_CACHE,
    }
    yield own_redis
    failover._down_until.clear()


def topic_page(client, topic):
    url = reverse(
        "deliberation:topic", kwargs={"village": topic.village.slug, "pk": topic.pk}
    )
    return client.get(url)


def in_redis(server, key) -> bool:
    client = redis.Redis.from_url(server.url, socket_timeout=1)
    return any(key in name.decode() for name in client.keys("*"))


def test_pages_answer_while_redis_is_down_and_redis_is_used_again(
    redis_cache, village, committee, resident, caplog
):
    topic = TopicFactory(village=village, created_by=committee)
    client = Client()
    client.force_login(resident)
    assert topic_page(client, topic).status_code == 200
    assert caches["default"].degraded is False

    redis_cache.stop()
    with caplog.at_level(logging.WARNING, logger="operations.cache"):
        for _ in range(3):
            response = topic_page(client, topic)
            assert response.status_code == 200
            assert topic.title in response.content.decode()
    assert caches["default"].degraded is True
    said = [r.getMessage() for r in caplog.records if "Redis" in r.getMessage()]
    assert len(said) == 1 and "database cache" in said[0]  # logged once
    # What was cached meanwhile is in the database cache.
    cache.set("written-while-down", 1)
    assert caches["fallback"].get("written-while-down") == 1

    redis_cache.start()

    def back_on_redis():
        topic_page(client, topic)
        cache.set("written-after", 1)
        return in_redis(redis_cache, "written-after")

    wait_until(back_on_redis)
    assert caches["default"].degraded is False
    assert topic_page(client, topic).status_code == 200


def test_rate_limits_keep_counting_in_the_database_while_redis_is_down(
    redis_cache,
):
    shop, user = types.SimpleNamespace(pk=7), types.SimpleNamespace(pk=8)
    redis_cache.stop()
    for _ in range(10):
        code_guess_check(shop=shop, user=user)
        code_guess_failed(shop=shop, user=user)
    # Fail-closed: the eleventh guess is refused, as with Redis up.
    with pytest.raises(ShopError):
        code_guess_check(shop=shop, user=user)
    # and another shopper is not locked out
    code_guess_check(shop=shop, user=types.SimpleNamespace(pk=9))


def test_the_health_check_says_fallback_and_keeps_the_server_in_service(
    redis_cache, client
):
    assert client.get("/healthz/").json()["checks"]["cache"] == "ok"
    redis_cache.stop()
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == "fallback"


def test_a_redis_that_never_answers_does_not_hang_a_page(settings, redis_cache):
    """An address that takes the connection and then says nothing (a hung Redis,
    a half-dead network): the short socket timeout gives up, the database cache
    answers, and later calls go there directly until the retry time."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # connections are taken by the kernel, never answered
        port = silent.getsockname()[1]
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                **settings.CACHES["default"],
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            },
        }
        caches["fallback"].set("generation", "g1")
        assert cache.get("generation") == "g1"  # from the fallback, after the timeout
        assert caches["default"].degraded is True
        cache.set("generation", "g2")
        assert caches["fallback"].get("generation") == "g2"
