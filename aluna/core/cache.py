"""The cache backend: Django's Redis cache, which a Redis outage turns into a miss.

Everything the project keeps in the cache can be read again from the database (the
catalogue options, list counts, the security policy), and a crisis must be saved
while Redis is down (its alert waits in the outbox, aluna/outbox). Django's own
backend raises on every call to a stopped Redis, so one cached read anywhere in a
request turned that save into a 500. Here a call that cannot reach Redis behaves
as an empty cache: reads miss, writes are dropped, and a warning is logged (the
call's name, never a key or a value).

The login's limits still fail closed: allauth counts the attempts under a lock
taken with `add`, which an outage never grants, so a login during one is refused
with the "too many attempts" page (templates/429.html) instead of being let
through uncounted. Counters (`incr`) still raise.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _as_a_miss(method, fallback):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _UNREACHABLE as error:
            logger.warning(
                "Cache unreachable (%s) on %s: treated as a miss.",
                type(error).__name__,
                method.__name__,
            )
            return fallback(*args, **kwargs)

    return call


class ResilientRedisCacheClient(RedisCacheClient):
    get = _as_a_miss(RedisCacheClient.get, lambda key, default: default)
    get_many = _as_a_miss(RedisCacheClient.get_many, lambda keys: {})
    has_key = _as_a_miss(RedisCacheClient.has_key, lambda key: False)
    add = _as_a_miss(RedisCacheClient.add, lambda key, value, timeout: False)
    set = _as_a_miss(RedisCacheClient.set, lambda key, value, timeout: None)
    set_many = _as_a_miss(RedisCacheClient.set_many, lambda data, timeout: None)
    touch = _as_a_miss(RedisCacheClient.touch, lambda key, timeout: False)
    delete = _as_a_miss(RedisCacheClient.delete, lambda key: False)
    delete_many = _as_a_miss(RedisCacheClient.delete_many, lambda keys: None)
    # incr and clear still raise: a counter that silently stays at zero is not a miss.


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
