"""Catalogue options read from the cache instead of the database on every form.

Every filter and record form offers catalogue entries (kinds, areas, states,
types of aggression...): a query per select, on every page that shows one,
for lists that change a few times a year. A model that sets
`cache_choices = True` (the catalogues) has the rows its selects offer kept in
the cache, per exact query (so "active, or the one this record holds" is its
own entry), until any entry of a tracked catalogue is saved or deleted
(`track_choices`) or CHOICES_TTL passes. Only what a select *offers* comes from
the cache: the submitted value is still checked against the database by the
form field, and labels follow the request's language (`CatalogueEntry.label`).
"""

import hashlib
import uuid

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import router, transaction
from django.db.models.signals import post_delete, post_save
from django.forms.models import ModelChoiceIterator

CHOICES_TTL = 300
GENERATION_KEY = "choices:generation"
GENERATION_TTL = 24 * 60 * 60


def _new_generation(**_kwargs) -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, GENERATION_TTL)


def choices_changed(**kwargs) -> None:
    """Forget the kept options now, and again once the change commits."""
    _new_generation()
    transaction.on_commit(_new_generation, robust=True)


def track_choices(*models) -> None:
    for model in models:
        uid = f"aluna.core.choices:{model._meta.label}"
        post_save.connect(choices_changed, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(choices_changed, sender=model, weak=False, dispatch_uid=uid)


def kept_rows(queryset) -> tuple[tuple | None, list]:
    """(token, rows): the queryset's rows, from the cache while no tracked catalogue has
    changed, and a token naming that exact version (None when nothing can be kept)."""
    try:
        sql, params = queryset.query.get_compiler(router.db_for_read(queryset.model)).as_sql()
    except EmptyResultSet:  # e.g. pk__in=[]
        return None, []
    label = queryset.model._meta.label
    digest = hashlib.sha256(f"{label}\0{sql}\0{params!r}".encode()).hexdigest()
    key = f"choices:{digest}"
    found = cache.get_many([GENERATION_KEY, key])
    generation, kept = found.get(GENERATION_KEY), found.get(key)
    if generation is not None and kept is not None and kept[0] == generation:
        return (digest, generation), kept[1]
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, GENERATION_TTL)
        generation = cache.get(GENERATION_KEY)
    rows = list(queryset)
    cache.set(key, (generation, rows), CHOICES_TTL)
    return (digest, generation), rows


def cached_rows(queryset) -> list:
    return kept_rows(queryset)[1]


class CatalogueChoiceIterator(ModelChoiceIterator):
    """ModelChoiceField's iterator: catalogue rows from the cache, anything else as Django does."""

    def _cached(self) -> bool:
        queryset = self.queryset
        return (
            getattr(queryset.model, "cache_choices", False)
            and not queryset._prefetch_related_lookups
            and not queryset.query.is_sliced
        )

    def token(self) -> tuple | None:
        """Names the exact version of the options offered (for caching their markup)."""
        return kept_rows(self.queryset)[0] if self._cached() else None

    def __iter__(self):
        if not self._cached():
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in cached_rows(self.queryset):
            yield self.choice(obj)

    def __len__(self):
        if not self._cached():
            return super().__len__()
        return len(cached_rows(self.queryset)) + (self.field.empty_label is not None)

    def __bool__(self):
        if not self._cached():
            return super().__bool__()
        return self.field.empty_label is not None or bool(cached_rows(self.queryset))
