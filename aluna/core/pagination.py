"""Pagination whose total is not counted on every page view.

A list page shows "Page 2 of 400": Django's Paginator runs a COUNT(*) over the
whole (scoped, filtered) list on every view, the costliest query of a list at
10,000 subjects. `CachedCountPaginator` keeps that number in the cache for a
minute, keyed by the user and the exact SQL of the list (scope and filters
included), and drops every kept count as soon as a record of a tracked model
is saved or deleted (`track_counts`, called by the apps for the models their
lists read). The rows themselves are always read fresh, and so is every access
check: only the total may be up to COUNT_TTL seconds old after a bulk change
that sends no signal.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.functional import cached_property

COUNT_TTL = 60
GENERATION_KEY = "pagecount:generation"
GENERATION_TTL = 24 * 60 * 60


def _new_generation(**_kwargs) -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, GENERATION_TTL)


def counts_changed(**kwargs) -> None:
    """Forget every kept count: now, and again once the change commits (a count taken
    by another request in between would otherwise be kept under the new generation)."""
    action = kwargs.get("action")
    if action is not None and (
        action.startswith("pre_") or (action != "post_clear" and not kwargs.get("pk_set"))
    ):
        return  # m2m: only rows actually added or removed change a list
    _new_generation()
    transaction.on_commit(_new_generation, robust=True)


def track_counts(*models) -> None:
    """Recount the lists after any save or delete of these models (or an m2m table's rows)."""
    for model in models:
        uid = f"aluna.core.pagination:{model._meta.label}"
        post_save.connect(counts_changed, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(counts_changed, sender=model, weak=False, dispatch_uid=uid)
        if model._meta.auto_created:  # an m2m table: add/remove/clear send m2m_changed
            m2m_changed.connect(counts_changed, sender=model, weak=False, dispatch_uid=uid)


class CachedCountPaginator(Paginator):
    """A Paginator whose `count` comes from the cache, per user and per exact query."""

    def __init__(self, object_list, per_page, *, user, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.user = user

    def _count_key(self) -> str:
        queryset = self.object_list
        sql, params = queryset.query.get_compiler(router.db_for_read(queryset.model)).as_sql()
        digest = hashlib.sha256(f"{self.user.pk}\0{sql}\0{params!r}".encode()).hexdigest()
        return f"pagecount:{digest}"

    @cached_property
    def count(self) -> int:
        if not hasattr(self.object_list, "query"):
            return super().count
        try:
            key = self._count_key()
        except EmptyResultSet:  # e.g. pk__in=[]: nothing to count
            return super().count
        return kept(key, lambda: Paginator.count.func(self))


def kept(key: str, compute):
    """`compute()`, kept under `key` until a tracked record changes or COUNT_TTL passes.

    The caller puts in `key` everything the value depends on besides the tracked
    records: the user (a value never serves another user), the day, the filters.
    """
    found = cache.get_many([GENERATION_KEY, key])
    generation, value = found.get(GENERATION_KEY), found.get(key)
    if generation is not None and value is not None and value[0] == generation:
        return value[1]
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, GENERATION_TTL)
        generation = cache.get(GENERATION_KEY)
    result = compute()
    cache.set(key, (generation, result), COUNT_TTL)
    return result


def paginate_ids_first(queryset, per_page: int, number, *, user):
    """One page of `queryset`, sorted on its own table first, then only its rows joined.

    The ids of the page are sorted without the queryset's select_related joins, then
    those rows alone are loaded with their joins, in the same order: sorting after
    the joins made PostgreSQL hash 20,000 processes to show 25 measures. The total
    is kept as CachedCountPaginator keeps it.
    """
    ids = queryset.select_related(None).values_list("pk", flat=True)
    page = CachedCountPaginator(ids, per_page, user=user).get_page(number)
    page_ids = list(page.object_list)
    rows = queryset.order_by().in_bulk(page_ids)
    page.object_list = [rows[pk] for pk in page_ids if pk in rows]
    return page
