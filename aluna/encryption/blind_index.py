"""Blind indexes: find encrypted values by keyed hashes of their normalised text.

A model opts in by declaring ``blind_index_fields = ["name", ...]``. On every
save a post_save handler stores, per field, in BlindIndexEntry:

- one FULL digest of the whole normalised value (exact match, deduplication);
- one WORD digest per distinct normalised word (search by any word).

Digest = HMAC-SHA256(BLIND_INDEX_KEY, "app_label.model.field" NUL value),
truncated to 16 bytes (32 hex characters). The field label in the message
keeps the same name in two columns from producing the same digest, so the
index cannot link a person across tables. BLIND_INDEX_KEY is separate from the
encryption keys and must differ from them.

Trade-offs, stated:
- A blind index leaks equality: someone with the database sees which rows
  share a word (a common surname) and how often. That is the price of search.
- 16 bytes keep collisions negligible (about 2**-64 even with 2**32 values)
  while halving the index. Shorter digests (say 4 bytes) would blur equality
  with false positives (hence less leakage) but then each hit needs checking
  against the decrypted value; we do not do that.
- Normalisation (casefold, accents stripped, punctuation and symbols turned
  into spaces, whitespace collapsed) means "maria" finds "María" and "MARIA",
  "pena" finds "Peña". Only whole words match: "mar" finds nothing.
- bulk_create() and queryset.update() send no signals and so skip the index:
  call blind_index_update() yourself or run
  ``manage.py rotate_encryption_keys --reindex``.
"""

import base64
import binascii
import hashlib
import hmac
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models, transaction
from django.db.models import Count

from aluna.encryption.models import BlindIndexEntry

DIGEST_BYTES = 16


def normalise(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    chars = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        category = unicodedata.category(char)
        # Punctuation, symbols (emoji) and controls separate words like a space.
        chars.append(" " if category[0] in "PSCZ" else char)
    return " ".join("".join(chars).casefold().split())


def words_of(value: str) -> set[str]:
    return set(normalise(value).split())


def _key() -> bytes:
    encoded = settings.BLIND_INDEX_KEY
    if not encoded:
        raise ImproperlyConfigured("BLIND_INDEX_KEY is not set.")
    if encoded in settings.FIELD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured("BLIND_INDEX_KEY must differ from every encryption key.")
    try:
        raw = base64.urlsafe_b64decode(encoded.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raw = b""
    if len(raw) < 32:
        raise ImproperlyConfigured("BLIND_INDEX_KEY must be urlsafe-base64 of 32 or more bytes.")
    return raw


def digest(*, model: type[models.Model], field: str, normalised: str) -> str:
    message = f"{model._meta.label_lower}.{field}".encode() + b"\x00" + normalised.encode()
    mac = hmac.new(_key(), message, hashlib.sha256).digest()
    return mac[:DIGEST_BYTES].hex()


def indexed_fields(model: type[models.Model]) -> list[str]:
    return list(getattr(model, "blind_index_fields", ()) or ())


def _entries_for(instance: models.Model, field: str) -> list[BlindIndexEntry]:
    value = getattr(instance, field)
    if value is None:
        return []
    model = type(instance)
    content_type = ContentType.objects.get_for_model(model)
    object_id = str(instance.pk)
    full = normalise(str(value))
    entries = [
        BlindIndexEntry(
            content_type=content_type,
            object_id=object_id,
            field=field,
            kind=BlindIndexEntry.Kind.FULL,
            digest=digest(model=model, field=field, normalised=full),
        )
    ]
    for word in sorted(set(full.split())):
        entries.append(
            BlindIndexEntry(
                content_type=content_type,
                object_id=object_id,
                field=field,
                kind=BlindIndexEntry.Kind.WORD,
                digest=digest(model=model, field=field, normalised=word),
            )
        )
    return entries


def blind_index_update(instance: models.Model, *, fields: Iterable[str] | None = None) -> None:
    """Replace the index entries of ``instance`` for its blind-indexed fields."""
    fields = list(fields if fields is not None else indexed_fields(type(instance)))
    if not fields:
        return
    content_type = ContentType.objects.get_for_model(type(instance))
    with transaction.atomic():
        BlindIndexEntry.objects.filter(
            content_type=content_type, object_id=str(instance.pk), field__in=fields
        ).delete()
        entries = [entry for field in fields for entry in _entries_for(instance, field)]
        BlindIndexEntry.objects.bulk_create(entries)


def blind_index_delete(instance: models.Model) -> None:
    BlindIndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
    ).delete()


def blind_index_filter(
    queryset: models.QuerySet, *, field: str, query: str, exact: bool = False
) -> models.QuerySet:
    """Narrow ``queryset`` to objects whose ``field`` matches ``query``.

    By default every word of the query must be a whole word of the value, in
    any order ("lopez maria" finds "María López"). With ``exact=True`` the
    whole normalised value must equal the normalised query.
    """
    model = queryset.model
    if field not in indexed_fields(model):
        raise ImproperlyConfigured(f"{model._meta.label}.{field} is not in blind_index_fields.")
    normalised = normalise(query)
    if not normalised:
        return queryset.none()
    entries = BlindIndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), field=field
    )
    if exact:
        matches = entries.filter(
            kind=BlindIndexEntry.Kind.FULL,
            digest=digest(model=model, field=field, normalised=normalised),
        )
    else:
        digests = {digest(model=model, field=field, normalised=w) for w in normalised.split()}
        matches = (
            entries.filter(kind=BlindIndexEntry.Kind.WORD, digest__in=digests)
            .values("object_id")
            .annotate(found=Count("digest", distinct=True))
            .filter(found=len(digests))
        )
    # object_id is text; turning it back into the pk type in Python keeps this
    # identical on PostgreSQL and SQLite (UUIDs are stored differently there).
    pk_field = model._meta.pk
    object_ids = matches.values_list("object_id", flat=True)
    ids = [pk_field.to_python(object_id) for object_id in object_ids]
    return queryset.filter(pk__in=ids)


def blind_index_rebuild(model: type[models.Model], *, batch_size: int = 500) -> int:
    """Recompute every entry of ``model`` (after BLIND_INDEX_KEY changed). Returns rows done."""
    done = 0
    last_pk = None
    manager = model._base_manager
    while True:
        batch = manager.order_by("pk")
        if last_pk is not None:
            batch = batch.filter(pk__gt=last_pk)
        rows = list(batch[:batch_size])
        if not rows:
            return done
        with transaction.atomic():
            for row in rows:
                blind_index_update(row)
        done += len(rows)
        last_pk = rows[-1].pk


def _on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    fields = indexed_fields(sender)
    if not fields:
        return
    if update_fields is not None:
        fields = [f for f in fields if f in update_fields]
    blind_index_update(instance, fields=fields)


def _on_delete(sender, instance, **kwargs):
    if indexed_fields(sender):
        blind_index_delete(instance)


def check_declarations(model: type[models.Model]) -> list[str]:
    problems = []
    for name in indexed_fields(model):
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            problems.append(f"{model._meta.label}.blind_index_fields names unknown field {name!r}.")
    return problems
