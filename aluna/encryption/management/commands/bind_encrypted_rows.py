"""Bind every encrypted value to its row: re-encrypt the values written before
ciphertexts carried their row's pk (or written without it, by queryset.update()).

Rows are read in pk order, in batches, one transaction per batch, locked against
a concurrent edit. A value already bound is left alone, so the command can be
stopped and run again at any time: it goes on where it is needed. Once it
reports 0 left everywhere, set FIELD_ENCRYPTION_ALLOW_UNBOUND=false.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models.functions import Cast

from aluna.encryption.fields import RowValue, Sealed
from aluna.encryption.management.commands.rotate_encryption_keys import (
    models_with_encrypted_fields,
)


def _raw_rows(model, fields) -> models.QuerySet:
    """The stored ciphertexts, read through a Cast to text (no decryption)."""
    annotations = {
        f"_raw_{field.attname}": Cast(field.attname, output_field=models.TextField())
        for field in fields
    }
    return model._base_manager.annotate(**annotations)


def bind_model(model, fields, *, batch_size: int, dry_run: bool, budget: int | None) -> int:
    """Re-encrypt `model`'s unbound values; returns how many rows had (or have) some."""
    aliases = [f"_raw_{field.attname}" for field in fields]
    unbound_rows = 0
    last_pk = None
    while budget is None or unbound_rows < budget:
        with transaction.atomic():
            batch = _raw_rows(model, fields).order_by("pk")
            if last_pk is not None:
                batch = batch.filter(pk__gt=last_pk)
            if not dry_run:
                batch = batch.select_for_update(of=("self",))
            rows = list(batch.values_list("pk", *aliases)[:batch_size])
            if not rows:
                break
            for pk, *tokens in rows:
                unbound = {
                    field.attname: RowValue(field.open(Sealed(token), pk=pk), pk)
                    for field, token in zip(fields, tokens, strict=True)
                    if token is not None and not field.is_bound(token, pk=pk)
                }
                if not unbound:
                    continue
                unbound_rows += 1
                if not dry_run:
                    model._base_manager.filter(pk=pk).update(**unbound)
                if budget is not None and unbound_rows >= budget:
                    break
        last_pk = rows[-1][0]
    return unbound_rows


class Command(BaseCommand):
    help = "Re-encrypt encrypted values not yet bound to their row's primary key."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--limit", type=int, default=None, help="Stop after this many rows (per run)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count the rows still to bind."
        )

    def handle(self, *args, batch_size, limit, dry_run, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        budget = limit
        for model, fields in models_with_encrypted_fields():
            done = bind_model(model, fields, batch_size=batch_size, dry_run=dry_run, budget=budget)
            verb = "to bind" if dry_run else "bound"
            self.stdout.write(f"{model._meta.label}: {done} {verb}")
            if budget is not None:
                budget -= done
                if budget <= 0:
                    self.stdout.write(self.style.WARNING("Limit reached; run again to resume."))
                    return
        self.stdout.write(self.style.SUCCESS("Done."))
