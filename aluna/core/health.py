"""Is the service able to answer? The database and the cache, each "ok" or "fail".

Kept apart from the view so /healthz stays a thin view and the checks can be
reused (a management command, a readiness probe) without a request.
"""

from django.core.cache import cache
from django.db import connection

OK, FAIL = "ok", "fail"


def database_status() -> str:
    # Any error means "not reachable": the probe must answer, never raise.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return FAIL
    return OK


def cache_status() -> str:
    try:
        cache.set("healthz", "1", 5)
        return OK if cache.get("healthz") == "1" else FAIL
    except Exception:
        return FAIL


def health_checks() -> dict[str, str]:
    """`{"database": "ok"|"fail", "cache": "ok"|"fail"}`; nothing about the data."""
    return {"database": database_status(), "cache": cache_status()}
