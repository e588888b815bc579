"""A Redis outage is an empty cache, not an error page.

Everything kept in the cache can be read again from the database; a crisis saved
while Redis is down is the story in tests/outbox (its alert waits in the outbox).
"""

import pytest
from django.core.cache import caches
from redis.exceptions import ConnectionError as RedisConnectionError

DOWN = {
    "default": {
        "BACKEND": "aluna.core.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 1},
    }
}


@pytest.fixture
def cache_down(settings):
    settings.CACHES = DOWN
    return caches["default"]


def test_reads_miss_and_writes_are_dropped_while_redis_is_down(cache_down, caplog):
    assert cache_down.get("choices:x", "default") == "default"
    assert cache_down.get_many(["a", "b"]) == {}
    assert cache_down.has_key("a") is False
    assert cache_down.add("a", 1) is False
    assert cache_down.set("a", 1) is None
    assert cache_down.set_many({"a": 1}) == []
    assert cache_down.touch("a") is False
    assert cache_down.delete("a") is False
    assert cache_down.delete_many(["a"]) is None
    # The log names the call, never a key's value.
    assert "Cache unreachable (ConnectionError) on get" in caplog.text


def test_a_counter_still_fails_loudly_while_redis_is_down(cache_down):
    with pytest.raises(RedisConnectionError):
        cache_down.incr("counter")


def test_the_real_redis_is_reachable_and_keeps_what_is_set(settings):
    if not settings.CACHES["default"]["BACKEND"].endswith("ResilientRedisCache"):
        pytest.skip("runs against the Redis at REDIS_URL")
    cache = caches["default"]
    cache.set("test-cache:kept", "sí", 10)

    assert cache.get("test-cache:kept") == "sí"
