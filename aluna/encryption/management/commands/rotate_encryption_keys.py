"""Re-encrypt every encrypted field under the current (first) key.

Rows are found by the key id in their stored ciphertext, handled in batches
ordered by pk, one transaction per batch. Interrupting is safe: a rerun skips
the rows already under the current key. Once it reports 0 left, the old keys
can be removed from FIELD_ENCRYPTION_KEYS.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models.functions import Cast

from aluna.encryption import keys
from aluna.encryption.blind_index import blind_index_rebuild, indexed_fields
from aluna.encryption.fields import EncryptedFieldMixin, RowValue


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedFieldMixin) and field.model is model
    ]


def models_with_encrypted_fields() -> list[tuple[type[models.Model], list[models.Field]]]:
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = encrypted_fields(model)
        if fields:
            found.append((model, fields))
    return found


def stale_rows(model: type[models.Model], fields: list[models.Field]) -> models.QuerySet:
    """Rows with at least one value not under the current key.

    The raw ciphertext is read through a Cast to text, which skips the field's
    decryption, so the database does the filtering.
    """
    prefix = keys.current_prefix()
    stale = models.Q()
    annotations = {}
    for field in fields:
        alias = f"_raw_{field.attname}"
        annotations[alias] = Cast(field.attname, output_field=models.TextField())
        stale |= models.Q(**{f"{alias}__isnull": False}) & ~models.Q(
            **{f"{alias}__startswith": prefix}
        )
    return model._base_manager.annotate(**annotations).filter(stale)


class Command(BaseCommand):
    help = "Re-encrypt encrypted fields under the first key of FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--limit", type=int, default=None, help="Stop after this many rows (per run)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count the rows still to re-encrypt."
        )
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="Also recompute every blind index (after BLIND_INDEX_KEY changed).",
        )

    def handle(self, *args, batch_size, limit, dry_run, reindex, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        budget = limit
        self.stdout.write(f"Current key: {keys.current_key_id()}")
        for model, fields in models_with_encrypted_fields():
            total = stale_rows(model, fields).count()
            label = model._meta.label
            if dry_run or total == 0:
                self.stdout.write(f"{label}: {total} to re-encrypt")
                continue
            done = self._rotate(model, fields, total=total, batch_size=batch_size, budget=budget)
            if budget is not None:
                budget -= done
                if budget <= 0:
                    self.stdout.write(self.style.WARNING("Limit reached; run again to resume."))
                    return
        if reindex and not dry_run:
            for model in apps.get_models():
                if indexed_fields(model):
                    count = blind_index_rebuild(model, batch_size=batch_size)
                    self.stdout.write(f"{model._meta.label}: reindexed {count}")
        self.stdout.write(self.style.SUCCESS("Done."))

    def _rotate(self, model, fields, *, total, batch_size, budget):
        names = [field.attname for field in fields]
        done = 0
        last_pk = None
        while budget is None or done < budget:
            size = batch_size if budget is None else min(batch_size, budget - done)
            with transaction.atomic():
                batch = stale_rows(model, fields).order_by("pk")
                if last_pk is not None:
                    batch = batch.filter(pk__gt=last_pk)
                # Sealed values, opened with their row's pk; locked against a
                # concurrent edit being overwritten with an older value.
                rows = list(batch.select_for_update(of=("self",)).values_list("pk", *names)[:size])
                if not rows:
                    break
                for pk, *values in rows:
                    plaintexts = {
                        field.attname: RowValue(
                            None if value is None else field.open(value, pk=pk), pk
                        )
                        for field, value in zip(fields, values, strict=True)
                    }
                    model._base_manager.filter(pk=pk).update(**plaintexts)
            done += len(rows)
            last_pk = rows[-1][0]
            self.stdout.write(f"{model._meta.label}: {done}/{total}")
        return done
